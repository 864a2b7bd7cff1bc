"""The filler: a template workbook in, a filled report out (values, no ``CS_`` formulas).

It writes the report month and segment, every ``kpi_``/``prior_``/``trend_`` cell, the
targets of the ``targets`` table (``report_targets``), the NPS distribution and the
cohort table from the engine's results, removes the live-mode ``Calc`` sheet and every
formula that calls a ``CS_`` function, replaces the live-mode
note with the filled-mode one, writes the rows the
month's numbers come from into the ``Inputs`` tables (``selection.month_rows``; past
``max_input_rows`` MRR rows, their totals by segment and the listed accounts instead,
:mod:`csmetrics.report.aggregates`), asks the
spreadsheet to recalculate on open (the native change and Audit formulas), adds the
``Audit`` sheet, shows money in the reporting currency when it is known
(:mod:`csmetrics.report.units`), and puts the month and segment in every sheet's printed
header. The names follow the report contract; the sheets are found by their names in the
report's language (:func:`csmetrics.report.labels.sheet_name`), and the report over all
customers shows the segment as that language's "All" (``Tous``, ``Toate``).
"""

import re

import pandas as pd
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.worksheet.formula import ArrayFormula

from csmetrics.kpis import KPI_BY_KEY
from csmetrics.report.aggregates import MONEY_COLUMNS, aggregate_tables
from csmetrics.report.audit import FIRST_CHECK_ROW, add_audit_sheet
from csmetrics.report.audit_checks import revenue_cohort_values
from csmetrics.report.cells import (
    MISSING,
    held_cells,
    is_blank,
    named_cells,
    write_data,
    write_metric,
    write_month,
    write_text,
)
from csmetrics.report.charts import mark_empty_charts
from csmetrics.report.inputs import replace_table, write_inputs
from csmetrics.report.labels import label, sheet_name
from csmetrics.report.layout import (
    COHORT_SIZES_NAME,
    COHORT_TABLE_SIZE,
    NOTES_NAME,
    REVENUE_COHORT_NAME,
    SUMMARY_NAME,
    TARGETS_NAME,
    TOP_LIST_COLUMNS,
    TOP_ROWS,
    TREND_MONTHS,
)
from csmetrics.report.notes import comment_note, no_data_note, small_sample_note, write_note
from csmetrics.report.printing import fit_print_area, page_setup, print_headers, set_paper
from csmetrics.report.safe_io import load_workbook
from csmetrics.report.selection import (
    ALL_SEGMENTS,
    MAX_INPUT_ROWS,
    month_rows,
    year_ago_cohort,
)
from csmetrics.report.units import apply_currency
from csmetrics.report.written_summary import written_summary
from csmetrics.satisfaction import NPS_SCORES


def fill_report(template, report, *, lang="en", currency=None, paper="a4",
                max_input_rows=MAX_INPUT_ROWS):
    """Load ``template`` and return it filled from ``report`` (a ``ReportData``), its money
    shown in ``currency`` (an ISO code such as ``"EUR"``; None: no currency shown), its
    sheets printed on ``paper`` (``"a4"`` or ``"letter"``)."""
    workbook = load_workbook(template)
    fill_workbook(workbook, report, lang=lang, currency=currency, paper=paper,
                  max_input_rows=max_input_rows)
    return workbook


def fill_workbook(workbook, report, *, lang="en", currency=None, paper="a4",
                  max_input_rows=MAX_INPUT_ROWS):
    """Fill an open template workbook in place (see the module docstring); past
    ``max_input_rows`` MRR rows, the Inputs hold totals instead of them
    (:func:`write_month_inputs`)."""
    for name in list(workbook.defined_names):
        _write_name(workbook, name, report, lang)
    write_notes(workbook, report, lang)
    write_targets(workbook, report.targets)
    if SUMMARY_NAME in workbook.defined_names:
        summary = named_cells(workbook, SUMMARY_NAME)[0]
        write_text(summary, written_summary(report, lang, currency))
        summary.font = DEFAULT_FONT
    remove_live_formulas(workbook, lang)
    sheet = workbook[sheet_name("report", lang)]
    replace_live_note(sheet, lang)
    mrr_history = "cohort_table" in workbook.defined_names
    rows = month_rows(report.rows, report.month, report.movements, mrr_history=mrr_history)
    inputs = workbook[sheet_name("inputs", lang)]
    note = write_month_inputs(inputs, rows, report, lang, max_input_rows)
    if note is not None:
        rows = dict(rows, mrr=None)
    workbook.calculation.fullCalcOnLoad = True
    workbook.properties.creator = "csmetrics"
    segment = segment_label(report.segment, lang)
    workbook.properties.title = f"{report.month} {segment}"
    expected = expected_values(report)
    if REVENUE_COHORT_NAME in workbook.defined_names and report.cohorts is not None:
        expected.update(revenue_cohort_values(report.revenue_cohorts, report.cohort_sizes,
                                              report.month))
    audit = add_audit_sheet(
        workbook, expected=expected, movements=report.movements,
        cohort=year_ago_cohort(rows.get("mrr"), report.month), lang=lang,
        mrr=rows.get("mrr"), note=note,
    )
    apply_currency(workbook, currency, lang, extra_sheets=(audit,))
    mark_empty_charts(workbook, report.month, lang)
    page_setup(audit, title_rows=f"{FIRST_CHECK_ROW - 1}:{FIRST_CHECK_ROW - 1}")
    fit_print_area(inputs)
    print_headers(workbook, sheet["A1"].value, report.month, segment)
    set_paper(workbook, paper)
    return workbook


def write_month_inputs(inputs, rows, report, lang, max_input_rows=MAX_INPUT_ROWS):
    """Write the month's rows into the Inputs tables; with more than ``max_input_rows`` MRR
    rows, or from a backend's table that large (``report.history``: the rows of the
    reported months only, never to be shown as the history), totals by segment and the
    largest accounts instead of them (:mod:`csmetrics.report.aggregates`), returning the
    Audit's note that says which and why (else None)."""
    mrr = rows.get("mrr")
    if mrr is None or "MrrData" not in inputs.tables or (
            report.history is None and len(mrr) <= max_input_rows):
        write_inputs(inputs, rows)
        return None
    write_inputs(inputs, dict(rows, mrr=None))
    replace_table(inputs, "MrrData", aggregate_tables(report, lang), MONEY_COLUMNS)
    why = "audit_totals_month" if report.history is None else "audit_totals_table"
    return label("audit_totals_note", lang).format(
        why=label(why, lang).format(rows=len(mrr), limit=max_input_rows))


def segment_label(segment, lang):
    """The segment as the report shows it: the report over all customers in the words of
    ``lang``, any other segment as the data names it.

    >>> segment_label(ALL_SEGMENTS, "fr"), segment_label("Enterprise", "fr")
    ('Tous', 'Enterprise')
    """
    return label("all_segments", lang) if segment == ALL_SEGMENTS else segment


def _write_name(workbook, name, report, lang):
    if name == "report_month":
        write_month(named_cells(workbook, name)[0], report.month)
    elif name == "report_segment":
        write_text(named_cells(workbook, name)[0], segment_label(report.segment, lang))
    elif name.startswith("kpi_"):
        _write_metrics(workbook, name, [report.metric(name[4:])])
    elif name.startswith("prior_"):
        _write_metrics(workbook, name, [report.metric(name[6:], report.month - 1)])
    elif name == "trend_month":
        for cell, month in zip(
            named_cells(workbook, name), trend_months(report.month), strict=True
        ):
            write_month(cell, month)
    elif name.startswith("trend_"):
        months = trend_months(report.month)
        _write_metrics(workbook, name, [report.metric(name[6:], m) for m in months])
    elif name == "nps_distribution":
        counts = report.nps_counts()
        _write_metrics(workbook, name, counts if counts is not None else [None] * 11)
    elif name == "cohort_table":
        write_cohort_table(named_cells(workbook, name), report.cohorts, lang)
    elif name == REVENUE_COHORT_NAME:
        write_cohort_table(named_cells(workbook, name), report.revenue_cohorts, lang)
    elif name == COHORT_SIZES_NAME:
        write_cohort_sizes(named_cells(workbook, name), report.cohort_sizes, report.cohorts)
    elif name in TOP_LIST_COLUMNS:
        accounts = report.top_accounts(name[4:], TOP_ROWS)
        reason = "no_table" if accounts is None else f"no_{name}"
        write_list(named_cells(workbook, name), len(TOP_LIST_COLUMNS[name]), accounts,
                   label(reason, lang).format(month=report.month))


def write_notes(workbook, report, lang):
    """A greyed note beside each KPI of the report block that needs one, and on each blank
    cell of the Trend sheet: why the month's figure is blank, else the margin of an NPS
    from few answers, else why the prior month's is blank, else (a report with targets)
    that its segment has no target for it."""
    notes = {}
    if NOTES_NAME in workbook.defined_names:
        notes = {cell.row: cell for cell in named_cells(workbook, NOTES_NAME)}
    targeted = TARGETS_NAME in workbook.defined_names
    for name in workbook.defined_names:
        if name.startswith("kpi_"):
            row = named_cells(workbook, name)[0].row
            text = _block_note(workbook, report, name[4:], lang)
            if not text and targeted and name[4:] in report.missing_targets:
                text = label("no_segment_target", lang)
            if text and row in notes:
                write_note(notes[row], text)
                fit_note_row(notes[row])
        elif name.startswith("trend_") and name != "trend_month":
            key = name[6:]
            months = trend_months(report.month)
            for cell, month in zip(named_cells(workbook, name), months, strict=True):
                if is_blank(report.metric(key, month)):
                    comment_note(cell, _note(report, key, month, lang))


NOTE_CHARACTERS_PER_WIDTH = 1.3
"""Characters of a 9-point note a unit of column width holds, about."""

NOTE_LINE_POINTS = 12


def fit_note_row(cell):
    """Make the row of a wrapped note tall enough for its lines (a spreadsheet does not
    grow a row of a file it opens).

    >>> from openpyxl import Workbook
    >>> cell = Workbook().active["G9"]
    >>> cell.parent.column_dimensions["G"].width = 32
    >>> cell.value = "x" * 50
    >>> fit_note_row(cell)
    >>> cell.parent.row_dimensions[9].height
    24.0
    """
    width = cell.parent.column_dimensions[cell.column_letter].width or 8.43
    lines = -(-len(str(cell.value)) // int(width * NOTE_CHARACTERS_PER_WIDTH))
    if lines > 1:
        current = cell.parent.row_dimensions[cell.row].height or 15
        cell.parent.row_dimensions[cell.row].height = max(current, NOTE_LINE_POINTS * lines)


def write_targets(workbook, targets):
    """Write each KPI's target (``{KPI key: target}``) into the Target column beside its
    row of the KPI block (``report_targets``), the other KPIs' empty; a template without
    that column is left as it is."""
    if TARGETS_NAME not in workbook.defined_names:
        return
    cells = {cell.row: cell for cell in named_cells(workbook, TARGETS_NAME)}
    for name in workbook.defined_names:
        if name.startswith("kpi_"):
            row = named_cells(workbook, name)[0].row
            if row in cells:
                write_metric(cells[row], targets.get(name[4:]))


def _block_note(workbook, report, key, lang):
    if is_blank(report.metric(key)):
        return _note(report, key, report.month, lang)
    if key == "nps":
        small = small_sample_note(report.metric("nps_responses"), report.metric("nps"),
                                  report.metric("nps_moe"), lang)
        if small:
            return small
    prior = report.month - 1
    if f"prior_{key}" in workbook.defined_names and is_blank(report.metric(key, prior)):
        return _note(report, key, prior, lang)
    return None


def _note(report, key, month, lang):
    missing = key not in report.metrics.columns
    return no_data_note(key, month, lang, table_missing=missing,
                        segmented=report.segment != ALL_SEGMENTS)


def _write_metrics(workbook, name, values):
    for cell, value in zip(named_cells(workbook, name), values, strict=True):
        write_metric(cell, value)


def trend_months(month, count=TREND_MONTHS):
    """The ``count`` months ending with ``month``, oldest first.

    >>> [str(m) for m in trend_months(pd.Period("2025-02", "M"), 3)]
    ['2024-12', '2025-01', '2025-02']
    """
    return list(pd.period_range(end=month, periods=count, freq="M"))


def write_cohort_table(cells, cohorts, lang):
    """Write the cohort triangle into the named 25 x 25 block (latest 24 cohorts).

    The top-left cell keeps the template's header text; the rest of the first row gets
    the months since start (0, 1, ...), the first column the cohort months, and the value
    part the retained shares; cells with no value are left empty.
    """
    grid = _rows(cells, COHORT_TABLE_SIZE)
    for row in grid:
        for cell in row[1:] if row is grid[0] else row:
            cell.value = None
    for age, cell in enumerate(grid[0][1:]):
        cell.value = age
    if cohorts is None:
        grid[1][1].value = MISSING
        return
    for row, (cohort, shares) in zip(grid[1:], recent_cohorts(cohorts).iterrows(), strict=False):
        write_month(row[0], cohort)
        for cell, share in zip(row[1:], shares.tolist(), strict=False):
            cell.value = None if pd.isna(share) else float(share)


def recent_cohorts(cohorts):
    """The part of the cohort table a report shows: the latest 24 cohorts, ages 0-23."""
    return cohorts.iloc[-(COHORT_TABLE_SIZE - 1):, : COHORT_TABLE_SIZE - 1]


def write_cohort_sizes(cells, sizes, cohorts):
    """Write each shown cohort's customers and starting MRR into the two columns beside
    its row of the triangle (``cohort_sizes``); empty without MRR rows."""
    grid = _rows(cells, 2)
    _clear(grid)
    if sizes is None or cohorts is None:
        return
    shown = sizes.reindex(recent_cohorts(cohorts).index)
    for row, (customers, mrr_start) in zip(grid, shown.itertuples(index=False), strict=False):
        write_metric(row[0], customers)
        write_metric(row[1], mrr_start)


def write_list(cells, width, accounts, empty_note):
    """Write a list of accounts (a frame of the block's columns) into its named block of
    ``width`` columns, one account a row, the rows after the last one empty; no accounts
    (an empty frame or ``None``): ``empty_note`` greyed in the first cell.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> cells = [c for row in Workbook().active["A1:B2"] for c in row]
    >>> write_list(cells, 2, pd.DataFrame({"customer_id": ["=X"], "mrr": [5.0]}), "none")
    >>> [(c.value, c.data_type) for c in cells]
    [('=X', 's'), (5.0, 'n'), (None, 'n'), (None, 'n')]
    >>> write_list(cells, 2, pd.DataFrame(), "no churned accounts in 2025-12")
    >>> cells[0].value, cells[0].font.color.rgb, cells[1].value
    ('no churned accounts in 2025-12', '00808080', None)
    """
    grid = _rows(cells, width)
    _clear(grid)
    if accounts is None or accounts.empty:
        write_note(grid[0][0], empty_note)
        return
    for row, values in zip(grid, accounts.itertuples(index=False), strict=False):
        for cell, value in zip(row, values, strict=True):
            write_data(cell, value)


def _clear(grid):
    """Empty every cell of a block and give it the workbook's default font (the live
    template's explanatory line is greyed)."""
    for row in grid:
        for cell in row:
            cell.value = None
            cell.font = DEFAULT_FONT


def _rows(cells, width):
    return [cells[i:i + width] for i in range(0, len(cells), width)]


def replace_live_note(sheet, lang):
    """Put the filled-mode note where the template tells a user how to use it live."""
    live = label("live_note", lang)
    for cell in held_cells(sheet):
        if cell.value == live:
            write_text(cell, label("filled_note", lang))


def remove_live_formulas(workbook, lang):
    """Delete the ``Calc`` and ``Start here`` sheets (the live template's helpers, named in
    ``lang``), the names that point into Calc, and every formula left
    that calls a ``CS_`` function or reads ``Calc`` (written ``#N/A``); return their
    ``(sheet, cell)`` places, which a template true to the contract leaves empty."""
    calc = sheet_name("calc", lang)
    live = re.compile(rf"\bCS_\w+\s*\(|\b'?{re.escape(calc)}'?!", re.IGNORECASE)
    for helper in (calc, sheet_name("start", lang)):
        if helper in workbook.sheetnames:
            del workbook[helper]
    for name, defined in list(workbook.defined_names.items()):
        if live.search(defined.value or ""):
            del workbook.defined_names[name]
    removed = []
    for sheet in workbook.worksheets:
        for cell in held_cells(sheet):
            if cell.data_type == "f" and live.search(formula_text(cell)):
                cell.value = MISSING
                removed.append((sheet.title, cell.coordinate))
    return removed


def formula_text(cell):
    """The formula of a formula cell, ``=`` included, array formulas too."""
    value = cell.value
    return value.text if isinstance(value, ArrayFormula) else str(value)


def expected_values(report):
    """The engine's value of each Audit check: every KPI of the month and the NPS counts."""
    values = {key: report.metric(key) for key in KPI_BY_KEY}
    counts = report.nps_counts()
    values.update(
        (f"nps_{score}", None if counts is None else counts[index])
        for index, score in enumerate(NPS_SCORES)
    )
    return values

