"""The ``Audit`` sheet: the report's headline numbers recomputed by the spreadsheet itself.

Each row holds a native formula over the ``Inputs`` rows (see ``audit_checks``), the
engine's value as a number, their difference and the tolerance; below the checks, two
per-customer blocks re-read each customer's MRR from the Inputs rows: the month's
movements and the customers paying 12 months earlier (the 12-month retention); one
cell, named ``audit_result``, reads PASS only when every row agrees. A reader who trusts
no add-in and no Python opens the report in Excel or LibreOffice and sees the check
recomputed.

Everything a reader sees is in the report's language: the sheet's name, PASS, FAIL and OK
(``audit_pass`` ...) and the movement words (``movement_<code>``). The formulas compare
with the same words (:func:`audit_words`), so a status and the test of it never disagree.
"""

from string import Formatter

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName

from csmetrics.kpis import COUNT, KPI_BY_KEY, MONEY, NUMBER_FORMATS
from csmetrics.report.audit_checks import (
    CHECKS,
    COHORT_COLUMNS,
    COHORT_FORMULAS,
    FX_MOVEMENT_COLUMNS,
    MOVEMENT_COLUMNS,
    MOVEMENT_FORMULAS,
    REVENUE_COHORT_CHECKS,
    REVENUE_COHORT_COLUMNS,
    SUMMARY_CHECKS,
)
from csmetrics.report.cells import write_data, write_metric, write_text
from csmetrics.report.labels import label, sheet_name
from csmetrics.tables.movements import MOVEMENTS

RESULT_NAME = "audit_result"
FIRST_CHECK_ROW = 12
_BOLD = Font(bold=True)
_DATE_CELLS = {
    "month": "$B$5",
    "prior_month": "$B$6",
    "next_month": "$B$7",
    "month_end": "$B$8",
    "days": "$B$9",
    "year_ago": "$B$10",
}
_DATE_FORMULAS = (
    ("report_month", "=report_month"),
    ("audit_prior_month", "=DATE(YEAR(B5),MONTH(B5)-1,1)"),
    ("audit_next_month", "=DATE(YEAR(B5),MONTH(B5)+1,1)"),
    ("audit_month_end", "=B7-1"),
    ("audit_days", "=B7-B5"),
    ("audit_year_ago", "=DATE(YEAR(B5)-1,MONTH(B5),1)"),
)
_HEADER = ("audit_number", "audit_native", "audit_engine", "audit_difference",
           "audit_tolerance", "audit_status")


def table_columns(worksheet):
    """``{table: {column: "Inputs!$C$2:$C$9"}}`` for every Excel table of ``worksheet``."""
    columns = {}
    for table in worksheet.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        header = next(worksheet.iter_rows(min_row, min_row, min_col, max_col, values_only=True))
        columns[table.displayName] = {
            str(title): _column_range(worksheet.title, min_col + offset, min_row + 1, max_row)
            for offset, title in enumerate(header)
        }
    return columns


def included_checks(checks, *, tables, expected):
    """The checks a workbook gets: their tables are on its Inputs sheet, the engine gave
    their number (NaN counts: it is compared as an error), and so did every check their
    formula reads.

    Examples
    --------
    Spend alone, without MRR rows: its cost is checked, not LTV (which needs ARPA):

    >>> picked = included_checks(CHECKS, tables={"SpendData"},
    ...                          expected={"sales_marketing_cost": 9e3, "ltv": 2e3})
    >>> [c.key for c in picked]
    ['sales_marketing_cost']
    """
    available = {k for k, v in expected.items() if v is not None}
    kept = [
        c for c in checks
        if set(c.tables) <= set(tables) and (c.engine is None or c.engine in available)
    ]
    fixed = set(_DATE_CELLS) | set(tables) | {"Movements", "Cohort", "code"}
    while True:
        names = fixed | {c.key for c in kept}
        readable = [c for c in kept if _placeholders(c.formula) <= names]
        if len(readable) == len(kept):
            return kept
        kept = readable


def _placeholders(formula):
    """The names a formula's ``{...}`` placeholders start with."""
    return {field.split("[")[0] for _, field, _, _ in Formatter().parse(formula) if field}


def _column_range(sheet, column, first_row, last_row, quote=True):
    letter = get_column_letter(column)
    where = f"{quote_sheetname(sheet)}!" if quote else ""
    return f"{where}${letter}${first_row}:${letter}${max(first_row, last_row)}"


def add_audit_sheet(workbook, *, expected, movements, cohort, lang, mrr=None, note=None):
    """Append the ``Audit`` sheet and the ``audit_result`` name to a filled workbook.

    ``expected`` maps each check's engine key to the engine's value (``None``: no such
    metric, no check; NaN: undefined, an empty cell); ``movements`` holds the
    ``customer_movements`` rows of the report month and ``cohort`` the customers paying
    12 months earlier (``customer_id``), both ``None`` without MRR data; ``mrr`` the
    Inputs' mrr rows, whose ``currency`` the movements block takes where the Inputs carry
    ``currency`` and ``mrr_native``. With the checks of the revenue triangle (their numbers
    in ``expected``) the cohort block also re-reads each customer's paid months before and
    MRR one month after. An Inputs sheet of totals instead of MRR rows
    (:mod:`csmetrics.report.aggregates`) gets the checks of
    :data:`~csmetrics.report.audit_checks.SUMMARY_CHECKS`; ``note``, when given, is
    written under the result (what such an Audit checks and what it cannot).
    """
    refs = dict(table_columns(workbook[sheet_name("inputs", lang)]), **_DATE_CELLS)
    checks = included_checks(CHECKS + SUMMARY_CHECKS, tables=refs.keys(), expected=expected)
    refs["code"] = movement_words(lang)
    sheet = workbook.create_sheet(sheet_name("audit", lang))
    _write_heading(sheet, lang)
    if note is not None:
        write_text(sheet["A4"], note)
    block_row = FIRST_CHECK_ROW + len(checks) + 2
    if movements is not None and "MrrData" in refs:
        words = movements["movement"].map(lambda code: label(f"movement_{code}", lang))
        movements = movements.assign(movement=words)
        columns = MOVEMENT_COLUMNS
        if {"currency", "mrr_native"} <= refs["MrrData"].keys():
            columns = FX_MOVEMENT_COLUMNS
            movements = movements.assign(currency=latest_currency(mrr, movements))
        refs["Movements"], block_row = _write_block(
            sheet, "audit_movements", movements, columns, MOVEMENT_FORMULAS, block_row,
            refs, lang,
        )
        refs["Movements"].setdefault("fx", "0")
        revenue = any(check in REVENUE_COHORT_CHECKS for check in checks)
        refs["Cohort"], _ = _write_block(
            sheet, "audit_cohort", cohort,
            REVENUE_COHORT_COLUMNS if revenue else COHORT_COLUMNS, COHORT_FORMULAS,
            block_row + 2, refs, lang,
        )
    refs.update(
        (check.key, f"$B${FIRST_CHECK_ROW + i}") for i, check in enumerate(checks)
    )
    for i, check in enumerate(checks):
        _write_check(sheet, FIRST_CHECK_ROW + i, check, expected, refs, lang)
    last = FIRST_CHECK_ROW + len(checks) - 1
    statuses = f"F{FIRST_CHECK_ROW}:F{last}"
    words = audit_words(lang)
    sheet["B3"] = (
        f'=IF(COUNTIF({statuses},{words["audit_ok"]})'
        f'+COUNTIF({statuses},{words["audit_not_applicable"]})'
        f'=ROWS({statuses}),{words["audit_pass"]},{words["audit_fail"]})'
    )
    sheet["B3"].font = _BOLD
    workbook.defined_names[RESULT_NAME] = DefinedName(
        RESULT_NAME, attr_text=f"{quote_sheetname(sheet.title)}!$B$3"
    )
    for letter, width in zip("ABCDEFG", (34, 16, 16, 14, 11, 9, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    return sheet


def check_label(key, lang):
    """The words of a check: the KPI's name, or the Audit text ``audit_<key>``.

    >>> check_label("crr", "en"), check_label("nps_9", "en")
    ('Customer retention rate', 'NPS answers scoring 9')
    """
    return label(key if key in KPI_BY_KEY else f"audit_{key}", lang)


def _write_heading(sheet, lang):
    write_text(sheet["A1"], label("audit_title", lang))
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(sheet["A2"], label("audit_intro", lang))
    write_text(sheet["A3"], label("audit_result", lang))
    sheet["A3"].font = _BOLD
    for row, (key, formula) in enumerate(_DATE_FORMULAS, start=5):
        write_text(sheet.cell(row, 1), label(key, lang))
        sheet.cell(row, 2, formula).number_format = "0" if key == "audit_days" else "yyyy-mm-dd"
    for column, key in enumerate(_HEADER, start=1):
        write_text(sheet.cell(FIRST_CHECK_ROW - 1, column), label(key, lang))
        sheet.cell(FIRST_CHECK_ROW - 1, column).font = _BOLD


AUDIT_WORDS = ("audit_pass", "audit_fail", "audit_ok", "audit_not_applicable")
"""The statuses the Audit formulas write and count."""


def audit_words(lang):
    """Each of :data:`AUDIT_WORDS` in ``lang``, as a spreadsheet string literal.

    >>> words = audit_words("fr")
    >>> words["audit_pass"], words["audit_ok"], words["audit_fail"]
    ('"CONFORME"', '"conforme"', '"ÉCART"')
    """
    return {key: _quoted(label(key, lang)) for key in AUDIT_WORDS}


def movement_words(lang):
    """Each movement of the engine (``new`` ...) in ``lang`` as a spreadsheet string
    literal: the ``{code[...]}`` of the movement formulas (``audit_checks``).

    >>> movement_words("ro")["churned"], movement_words("en")["churned"]
    ('"pierdut"', '"churned"')
    """
    return {code: _quoted(label(f"movement_{code}", lang)) for code in MOVEMENTS}


def _quoted(text):
    """``text`` as a spreadsheet string literal."""
    return '"' + text.replace('"', '""') + '"'


def _write_check(sheet, row, check, expected, refs, lang):
    """One check: its native formula (empty where it is undefined, as the engine's blank),
    the engine's number (empty: undefined), their difference and the status: OK, FAIL, or
    "not applicable" when both are empty (no answers, a zero denominator), in ``lang``."""
    words = audit_words(lang)
    write_text(sheet.cell(row, 1), check_label(check.key, lang))
    sheet.cell(row, 2, f'=IFERROR({check.formula.format_map(refs)[1:]},"")')
    write_metric(sheet.cell(row, 3), expected.get(check.engine) if check.engine else 0.0)
    sheet.cell(row, 4, f'=IF(OR(B{row}="",C{row}=""),"",B{row}-C{row})')
    sheet.cell(row, 5, check.tolerance)
    ok, fail, not_applicable = (words[k] for k in ("audit_ok", "audit_fail",
                                                   "audit_not_applicable"))
    sheet.cell(row, 6, (
        f'=IF(C{row}="",IF(B{row}="",{not_applicable},{fail}),'
        f'IF(B{row}="",{fail},IF(ABS(B{row}-C{row})<E{row},{ok},{fail})))'
    ))
    for column in (2, 3, 4):
        sheet.cell(row, column).number_format = NUMBER_FORMATS[check.kind]
    sheet.cell(row, 5).number_format = "0.0E+0"


_TEXT_COLUMNS = frozenset({"customer_id", "movement", "check", "currency"})
_COUNT_COLUMNS = frozenset({"paid_before"})
"""The block columns holding text or counts; the others hold money."""


def _write_block(sheet, title, frame, columns, formulas, first_row, refs, lang):
    """Write a per-customer block (``columns``: label key and the ``frame`` column written
    there, the written ones first, then ``None`` for each native formula of ``formulas``)
    under its ``title``; return its column ranges by name and its last row."""
    write_text(sheet.cell(first_row, 1), label(title, lang))
    sheet.cell(first_row, 1).font = _BOLD
    header_row = first_row + 1
    for column, (key, _source) in enumerate(columns, start=1):
        write_text(sheet.cell(header_row, column), label(f"audit_{key}", lang))
        sheet.cell(header_row, column).font = _BOLD
    written = [source for _key, source in columns if source]
    rows = list(frame[written].itertuples(index=False))
    first, last = header_row + 1, header_row + max(len(rows), 1)
    block = {
        key: _column_range(sheet.title, column, first, last, quote=False)
        for column, (key, _source) in enumerate(columns, start=1)
    }
    at = {key: "$" + get_column_letter(column)
          for column, (key, _source) in enumerate(columns, start=1)}
    empty = tuple("" if key in _TEXT_COLUMNS else None for key, source in columns if source)
    for offset, values in enumerate(rows or [empty]):
        row = first + offset
        for column, value in enumerate(values, start=1):
            write_data(sheet.cell(row, column), value)
        for column, (key, source) in enumerate(columns, start=1):
            if not source:
                fx = f"{at['fx']}{row}" if "fx" in at else "0"
                sheet.cell(row, column,
                           formulas[key].format_map(dict(refs, row=row, at=at, fx=fx)))
            if key not in _TEXT_COLUMNS:
                kind = COUNT if key in _COUNT_COLUMNS else MONEY
                sheet.cell(row, column).number_format = NUMBER_FORMATS[kind]
    return block, last


def latest_currency(mrr, movements):
    """The currency of each customer of ``movements``: that of its latest ``mrr`` row (the
    report month's, or the month before's for a customer lost in the month).

    >>> import pandas as pd
    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "B"], "month": [2, 1, 1],
    ...                     "currency": ["USD", "EUR", "EUR"]})
    >>> latest_currency(mrr, pd.DataFrame({"customer_id": ["B", "A"]})).tolist()
    ['EUR', 'USD']
    """
    latest = mrr.sort_values("month").groupby("customer_id")["currency"].last()
    return movements["customer_id"].map(latest).fillna("").to_numpy()
