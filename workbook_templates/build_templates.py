"""Write the template workbooks: ``python -m workbook_templates.build_templates`` (``make
templates``).

Every template has a ``Report`` sheet (title, month, segment, KPI block, charts), an
``Inputs`` sheet of Excel Tables, a ``Definitions`` sheet (every formula in words) and, in
live mode, a ``Calc`` sheet of helper array formulas, each named in the template's language
(:func:`csmetrics.report.labels.sheet_name`: ``Rapport``, ``Données`` ... in French).
Cell names, sections, tables and formats follow the report contract
(:mod:`csmetrics.report.layout`, the KPI catalogue :mod:`csmetrics.kpis`); the formulas
come from :mod:`workbook_templates.formulas`.

openpyxl writes formula text as given (English function names, commas), so every function
used is one of the original file format (no ``_xlfn.`` future functions) or an add-in
``CS_`` function, and tables are referred to by structured references (``MrrData[mrr]``).
A formula that computes an array inside the cell (the month's survey answers) or fills a
block (the Calc spills) is a legacy array formula (``ArrayFormula``): every Excel version
evaluates it as an array, where a plain formula read from a file gets Excel 365's
implicit-intersection ``@``. The Calc blocks are sized for 240 months; an array formula
larger than its result shows ``#N/A`` in the extra cells.
"""

import datetime as dt
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.text import RichText
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from csmetrics.kpis import KPI_BY_KEY, MONEY, RATIO
from csmetrics.report import units
from csmetrics.report.labels import (
    ARTICLES,
    SEEDS_FOLDER,
    definition,
    label,
    sheet_name,
    source,
)
from csmetrics.report.printing import CM_PER_COLUMN, page_setup, print_headers
from csmetrics.satisfaction import DETRACTOR_MAX, NPS_SCORES, PROMOTER_MIN
from workbook_templates import (
    COHORT_SIZES_NAME,
    COHORT_TABLE_SIZE,
    HEADLINE_KEYS,
    LANGUAGES,
    MONTH_FORMAT,
    NOTES_NAME,
    NUMBER_FORMATS,
    REVENUE_COHORT_NAME,
    SUMMARY_NAME,
    TABLE_COLUMNS,
    TARGETS_NAME,
    TEMPLATE_KPIS,
    TEMPLATE_NAMES,
    TEMPLATE_SECTIONS,
    TEMPLATE_TABLES,
    TOP_LIST_COLUMNS,
    TOP_LISTS,
    TOP_ROWS,
    TREND_KEYS,
    TREND_MONTHS,
    template_path,
)
from workbook_templates import formulas as fx

DEFAULT_MONTH = dt.date(2025, 1, 1)
"""The report month a fresh live template shows until the user types theirs."""

STAMP = dt.datetime(2025, 1, 1)
"""Creation and modification time written into every template, so that building the same
template twice gives the same bytes and ``make templates`` leaves unchanged files alone."""

NAVY = "1F3864"
TITLE_FONT = Font(size=16, bold=True, color=NAVY)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
SECTION_FONT = Font(bold=True, color=NAVY)
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
NOTE_FONT = Font(italic=True, size=9, color="595959")
BOLD = Font(bold=True)
ROW_BORDER = Border(bottom=Side(style="thin", color="D9D9D9"))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center")
STATUS_ALIGNMENT = Alignment(horizontal="left", indent=1)
"""A target's status: an indent from the target, right-aligned in the column before it."""

GREEN, RED, GREY, BLUE = "63BE7B", "E06666", "BFBFBF", "4472C4"
GOOD_TEXT, BAD_TEXT = "007A33", "C00000"
"""Font colours of a change that is good news and one that is bad news."""
HEADLINE_FONT = Font(bold=True, size=12, color=NAVY)

PERCENT_FORMAT = NUMBER_FORMATS["percent"]

INPUT_FORMATS = {
    "month": MONTH_FORMAT,
    "date": "yyyy-mm-dd",
    "issue_date": "yyyy-mm-dd",
    "due_date": "yyyy-mm-dd",
    "paid_date": "yyyy-mm-dd",
    "order_date": "yyyy-mm-dd",
    "opened_date": "yyyy-mm-dd",
    "mrr": NUMBER_FORMATS["money"],
    "amount": NUMBER_FORMATS["money"],
    "sales_marketing_cost": NUMBER_FORMATS["money"],
    "gross_margin": PERCENT_FORMAT,
    "units": "#,##0",
    "units_returned": "#,##0",
    "score": "0",
}

NOTE_WIDTH = 32
"""Width of the Note column beside the KPI block."""

SIDE_CHART_WIDTH = 11

AGEING_CHART_WIDTH = 9
"""Width (cm) of the receivables chart beside the KPI block, over columns E to G: the
list of overdue invoices starts below it."""
"""Width (cm) of a chart beside a one-month report's KPI block: with the block and its
notes, the page prints at about 90 % (body text near 10 points)."""


LABEL_CHARACTERS_PER_WIDTH = 1.1
"""Characters of 11-point text per unit of column width, about."""

KPI_HEADER_ROW = 6
"""Row of the KPI block's header on every Report sheet (rows 1-4: title, month, segment,
note)."""


class _Book:
    """The workbook being built, its language and formula mode, and its defined names."""

    def __init__(self, name, lang, mode):
        self.name, self.lang, self.mode = name, lang, mode
        self.wb = Workbook()
        self.report = self.wb.active
        self.report.title = self.sheet("report")
        self.printed_rows = None
        """The Report sheet's last printed row, when rows below it are chart helpers."""
        self.cohort_pages = []
        """The cohort report's triangles: (section row, last row, first and last column)."""

    def text(self, key):
        return label(key, self.lang)

    def sheet(self, key):
        """The name of sheet ``key`` in the book's language."""
        return sheet_name(key, self.lang)

    def define(self, name, sheet, first, last=None):
        """Workbook-level name for a cell or a block (``first``/``last`` like ``"B7"``)."""
        ref = _absolute(first) + (f":{_absolute(last)}" if last else "")
        self.wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(sheet.title)}!{ref}"
        )

    def kpi_formula(self, ws, ref, key, month, cells, *, whole=False):
        """The KPI's formula in ``ref``, formatted with its unit (money in whole units when
        ``whole``)."""
        text = fx.formula(key, self.mode, month, cells, self.lang)
        ws[ref] = ArrayFormula(ref, text) if fx.is_array(key, self.mode) else text
        number_format = units.whole_format if whole else units.number_format
        ws[ref].number_format = number_format(KPI_BY_KEY[key].kind, self.lang)


def _absolute(ref):
    letters = ref.rstrip("0123456789")
    return f"${letters}${ref[len(letters):]}"


def _section_row(ws, row, text, last_column, first_column=1):
    ws.cell(row, first_column, text)
    for column in range(first_column, last_column + 1):
        ws.cell(row, column).font = SECTION_FONT
        ws.cell(row, column).fill = SECTION_FILL


def _header_row(ws, row, texts, first_column=1):
    for column, text in enumerate(texts, start=first_column):
        cell = ws.cell(row, column, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center" if column > first_column else "left",
                                   wrap_text=True)


def _widths(ws, widths):
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


PRINT_TITLES = {"report": None, "trend": "1:3", "inputs": "1:1", "definitions": "1:4",
                "calc": "1:1", "start": "1:1"}
"""The rows each sheet (by its key of :func:`sheet_name`) repeats at the top of every
printed page. The Report sheet repeats none: the page header names the report, the month
and the segment, and each part of it starts its page with its own header (rows of labels
without their values, as the title rows were on the cohort report's right-hand pages,
only take room)."""


def _print_setup(book):
    """Every sheet one page wide (the Trend sheet two wide, the cohort report on four
    pages), its title rows repeated, the report's title in the header and the page number
    in the footer."""
    keys = {book.sheet(key): key for key in PRINT_TITLES}
    for ws in book.wb.worksheets:
        key = keys[ws.title]
        page_setup(ws, title_rows=PRINT_TITLES[key], pages_tall=1 if key == "trend" else 0,
                   last_row=book.printed_rows if key == "report" else None)
        if key == "trend":
            _two_pages_wide(ws, TREND_COLUMNS_PER_PAGE, TREND_SCALE)
        elif key == "report" and book.name == "cohort_retention":
            _cohort_pages(ws, book.cohort_pages)
    print_headers(book.wb, book.text(f"title_{book.name}"))


# --- Report parts shared by every template -------------------------------------------------


def _report_header(book):
    ws = book.report
    ws["A1"] = book.text(f"title_{book.name}")
    ws["A1"].font = TITLE_FONT
    ws["A2"], ws["A3"] = book.text("report_month"), book.text("report_segment")
    ws["A2"].font = ws["A3"].font = BOLD
    ws["B2"] = DEFAULT_MONTH
    ws["B2"].number_format = MONTH_FORMAT
    ws["B3"] = book.text("all_segments")
    for cell in (ws["B2"], ws["B3"]):
        cell.fill, cell.alignment = INPUT_FILL, CENTER
    book.define("report_month", ws, "B2")
    book.define("report_segment", ws, "B3")
    if book.mode == fx.LIVE:
        ws["A4"] = book.text("live_note")
        ws["A4"].font = NOTE_FONT


def _kpi_block(book, first_row, columns, last_column, new_pages=None):
    """Write the template's sections and KPI rows; return {key: row} and the row after.

    ``columns`` lists (column letter, month reference, name prefix) for each value column;
    column ``last_column`` is the Note column (named ``report_notes``), where the filler
    says why a figure is blank. ``new_pages`` maps the sections that start a printed page
    to a function that writes the block's header again at a row and returns the row after
    it: a table is never split without its header.
    """
    ws = book.report
    rows, row = {}, first_row
    for section, keys in TEMPLATE_SECTIONS[book.name]:
        if new_pages and section in new_pages:
            ws.row_breaks.append(Break(id=row - 1))
            row = new_pages[section](row)
        _section_row(ws, row, book.text(section), last_column)
        for key in keys:
            row += 1
            rows[key] = row
            ws.cell(row, 1, book.text(key))
            for column in range(1, last_column + 1):
                ws.cell(row, column).border = ROW_BORDER
        row += 1
    for letter, month, prefix in columns:
        cells = {key: f"{letter}{r}" for key, r in rows.items()}
        for key, r in rows.items():
            book.kpi_formula(ws, f"{letter}{r}", key, month, cells)
            book.define(f"{prefix}{key}", ws, f"{letter}{r}")
    notes = get_column_letter(last_column)
    book.define(NOTES_NAME, ws, f"{notes}{first_row + 1}", f"{notes}{row - 1}")
    ws.column_dimensions[notes].width = NOTE_WIDTH
    return rows, row


def _current_month_block(book, *extra_headers):
    """Header and KPI block of a one-month report: indicator, value (column B), extras."""
    headers = (book.text("indicator"), book.text("value"),
               *map(book.text, (*extra_headers, "note")))
    _header_row(book.report, KPI_HEADER_ROW, headers)
    book.report.freeze_panes = f"A{KPI_HEADER_ROW + 1}"
    columns = (("B", "report_month", "kpi_"),)
    return _kpi_block(book, KPI_HEADER_ROW + 1, columns, len(headers))


def _nps_distribution(book, first_row):
    """Section, header and the 11 ``nps_distribution`` cells (scores 0..10) from
    ``first_row``; return the rows of scores 0 and 10."""
    ws = book.report
    _section_row(ws, first_row, book.text("section_distribution"), 2)
    _header_row(ws, first_row + 1, (book.text("score"), book.text("answers")))
    low = first_row + 2
    for row, score in enumerate(NPS_SCORES, start=low):
        ws.cell(row, 1, score).alignment = Alignment(horizontal="left")
        ws.cell(row, 2, fx.nps_distribution_cell("report_month", f"A{row}"))
        ws.cell(row, 2).number_format = NUMBER_FORMATS["count"]
    high = low + len(NPS_SCORES) - 1
    book.define("nps_distribution", ws, f"B{low}", f"B{high}")
    return low, high


def _bar_chart(title, data, categories, colours=None, *, height=7.5, width=15):
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.add_data(data)
    chart.set_categories(categories)
    chart.legend = None
    chart.height, chart.width = height, width
    chart.x_axis.delete = chart.y_axis.delete = False
    for index, colour in enumerate(colours or ()):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colour
        chart.series[0].dPt.append(point)
    return chart


def _nps_chart(book, low, high, width=15):
    ws = book.report
    colours = [RED if score <= DETRACTOR_MAX else GREEN if score >= PROMOTER_MIN else GREY
               for score in NPS_SCORES]
    return _bar_chart(
        book.text("chart_nps_distribution"),
        Reference(ws, min_col=2, min_row=low, max_row=high),
        Reference(ws, min_col=1, min_row=low, max_row=high),
        colours, width=width,
    )


TOP_HEADERS = {
    "customer_id": "customer", "segment": "segment", "mrr_previous": "mrr_before",
    "mrr": "mrr_after", "change": "change", "invoice_id": "invoice", "due_date": "due_date",
    "days_overdue": "days_overdue", "amount": "amount_owed",
}
"""The header text of each column of a list of accounts."""

TOP_FORMATS = {
    "mrr_previous": units.whole_format(MONEY),
    "mrr": units.whole_format(MONEY),
    "change": units.whole_change_format(MONEY),
    "amount": units.whole_format(MONEY),
    "due_date": INPUT_FORMATS["due_date"],
    "days_overdue": NUMBER_FORMATS["count"],
}
"""The number format of each number or date column of a list: money in whole units, as in
the headline strip (with the currency the columns stay narrow enough for the page), dates
as in the Inputs tables."""

def _top_list(book, name, row, column):
    """A list of accounts from ``row`` in columns ``column`` onwards: its section row, a
    header row and the :data:`TOP_ROWS` rows of the block ``name``, whose first cell says
    (greyed) that ``csmetrics report`` fills it; return the row after the block."""
    ws = book.report
    fields = TOP_LIST_COLUMNS[name]
    last = column + len(fields) - 1
    _section_row(ws, row, book.text(f"section_{name}"), last, column)
    _header_row(ws, row + 1, [book.text(TOP_HEADERS[field]) for field in fields], column)
    first = row + 2
    for r in range(first, first + TOP_ROWS):
        for offset, field in enumerate(fields):
            cell = ws.cell(r, column + offset)
            cell.border = ROW_BORDER
            cell.number_format = TOP_FORMATS.get(field, "General")
    note = ws.cell(first, column, book.text("top_live_note"))
    note.font = NOTE_FONT
    book.define(name, ws, note.coordinate, f"{get_column_letter(last)}{first + TOP_ROWS - 1}")
    return first + TOP_ROWS


# --- the five reports -------------------------------------------------------------------------


MONTHLY_WIDTHS = {"A": 46, "B": 17, "C": 17, "D": 16, "E": 14, "F": 16, "G": NOTE_WIDTH}
"""Column widths of the monthly report: the KPI block and its notes fill a landscape A4
page at about 90 % (body text near 10 points printed)."""

MONTHLY_PAGE_SECTIONS = ("section_receivables",)
"""The KPI block's sections that start a printed page (its header written again above):
the MRR, customer, retention, experience and order KPIs fill page 2; the receivables and
unit economics, the NPS answers and the first list of accounts page 3."""

MONTHLY_PAGE_LISTS = ("top_new",)
"""The lists of accounts that start a printed page: the other three fill the last page."""

SUMMARY_ROWS = 4
"""Rows of the merged cell of the written summary."""

CHART_ROWS = 16
"""Rows a chart of the monthly report's first page takes, with the gap below it."""


def _monthly_kpi_report(book):
    """The board summary on the first printed page (headline strip, written summary, MRR
    bridge and trend), then the KPI block, the NPS answers and the lists of accounts, each
    part starting a page with its header."""
    ws = book.report
    summary = _headline(book, KPI_HEADER_ROW)
    _summary_block(book, summary)
    charts = summary + SUMMARY_ROWS + 2
    header = charts + CHART_ROWS
    ws.row_breaks.append(Break(id=header - 1))
    months = header + 1
    columns = (("B", "report_month", "kpi_"), ("C", f"C${months}", "prior_"))
    new_pages = dict.fromkeys(MONTHLY_PAGE_SECTIONS, lambda row: _kpi_header(book, row))
    rows, after = _kpi_block(book, _kpi_header(book, header), columns,
                             last_column=len(MONTHLY_HEADERS), new_pages=new_pages)
    for key, row in rows.items():
        kpi = KPI_BY_KEY[key]
        _change_cell(ws, row, kpi, units.change_format(kpi.kind, book.lang))
        _status_cell(ws, row, kpi, book, units.number_format(kpi.kind, book.lang))
    book.define(TARGETS_NAME, ws, f"E{months + 2}", f"E{after - 1}")
    for row, key in enumerate(HEADLINE_KEYS, start=KPI_HEADER_ROW + 1):
        kpi = KPI_BY_KEY[key]
        ws[f"E{row}"] = f'=IF(E{rows[key]}="","",E{rows[key]})'
        _status_cell(ws, row, kpi, book, units.whole_format(kpi.kind, book.lang), HEADLINE_FONT)
    low, high = _nps_distribution(book, after + 1)
    ws.add_chart(_nps_chart(book, low, high, width=14), f"D{after + 1}")
    row = max(high, after + CHART_ROWS) + 1
    for name in TOP_LISTS["monthly_kpi_report"]:
        if name in MONTHLY_PAGE_LISTS:
            ws.row_breaks.append(Break(id=row - 1))
        row = _top_list(book, name, row, 1) + 1
    trend = _trend_sheet(book)
    _widths(ws, MONTHLY_WIDTHS)
    ws.freeze_panes = f"A{KPI_HEADER_ROW}"
    bridge = _bar_chart(
        book.text("chart_mrr_bridge"),
        Reference(ws, min_col=2, min_row=rows["new"], max_row=rows["fx_impact"]),
        Reference(ws, min_col=1, min_row=rows["new"], max_row=rows["fx_impact"]),
        [GREEN, GREEN, GREEN, RED, RED, GREY], width=14.5,
    )
    bridge.y_axis.number_format = units.axis_format(MONEY, book.lang)
    bridge.x_axis.txPr = _level_labels(800, wrap="square")
    ws.add_chart(bridge, f"A{charts}")
    ws.add_chart(_mrr_trend_chart(book, trend, width=14), f"D{charts}")


MONTHLY_HEADERS = ("indicator", "current", "prior", "change", "target", "status", "note")
"""The KPI block's columns on the monthly report."""


def _kpi_header(book, row):
    """The monthly KPI block's header at ``row`` and the months below it (the report's and
    the one before); return the row after them."""
    ws = book.report
    _header_row(ws, row, [book.text(h) for h in MONTHLY_HEADERS])
    ws[f"B{row + 1}"], ws[f"C{row + 1}"] = "=report_month", "=EDATE(report_month,-1)"
    for cell in (ws[f"B{row + 1}"], ws[f"C{row + 1}"]):
        cell.number_format, cell.font, cell.alignment = MONTH_FORMAT, BOLD, CENTER
    return row + 2


def _summary_block(book, row):
    """The written summary under its section title at ``row``: one cell merged over the KPI
    block's width, wrapped (``report_summary``); in the live template a greyed line saying
    that ``csmetrics report`` writes it."""
    ws = book.report
    last = len(MONTHLY_HEADERS)
    _section_row(ws, row, book.text("section_summary"), last)
    first = row + 1
    ws.merge_cells(start_row=first, start_column=1, end_row=first + SUMMARY_ROWS - 1,
                   end_column=last)
    cell = ws.cell(first, 1, book.text("summary_live_note"))
    cell.alignment, cell.font = WRAP_TOP, NOTE_FONT
    book.define(SUMMARY_NAME, ws, cell.coordinate)


def _status_cell(ws, row, kpi, book, number_format, font=None):
    """Columns E and F of a KPI row: the target (typed, or written by the filler from the
    ``targets`` table; in the headline strip, read from the KPI block) in
    ``number_format``, and its status by a native formula: on target when the value is at
    least the target (a KPI where up is good) or at most it (down is good), green or red;
    empty without a value or a target, or for a KPI with no good direction."""
    ws[f"E{row}"].number_format = number_format
    cells = (ws[f"E{row}"], ws[f"F{row}"])
    if font is not None:
        for cell in cells:
            cell.font, cell.border = font, ROW_BORDER
    if not kpi.direction:
        return
    meets = ">=" if kpi.direction > 0 else "<="
    on, off = book.text("status_on"), book.text("status_off")
    cell = cells[1]
    cell.value = f'=IF(OR(B{row}="",E{row}=""),"",IF(B{row}{meets}E{row},"{on}","{off}"))'
    cell.alignment = STATUS_ALIGNMENT
    for word, colour in ((on, GOOD_TEXT), (off, BAD_TEXT)):
        rule = FormulaRule(formula=[f'F{row}="{word}"'],
                           font=Font(bold=font is not None, color=colour))
        ws.conditional_formatting.add(f"F{row}", rule)


def _change_cell(ws, row, kpi, number_format, font=None):
    """Column D of a row: B - C (in percentage points for a rate), in ``number_format``,
    empty when either month is, green when the change is good news and red when bad (the
    KPI's direction). A change that rounds to zero at the format's decimals is written 0,
    so that it never shows as a negative zero (``-0.0 months``)."""
    change = f"(B{row}-C{row})" + (f"*{kpi.change_scale}" if kpi.change_scale != 1 else "")
    shown = f"IF(ROUND({change},{_decimals(number_format)})=0,0,{change})"
    cell = ws[f"D{row}"]
    cell.value = f'=IF(OR(B{row}="",C{row}=""),"",{shown})'
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    if kpi.direction:
        for sign, colour in ((1, GOOD_TEXT), (-1, BAD_TEXT)):
            rule = FormulaRule(formula=[f"AND(ISNUMBER(D{row}),D{row}*{kpi.direction * sign}>0)"],
                               font=Font(bold=font is not None, color=colour))
            ws.conditional_formatting.add(f"D{row}", rule)


def _decimals(number_format):
    """Decimals a number format shows (its first section).

    >>> _decimals('+0.0" pp";-0.0" pp";0.0" pp"'), _decimals("+#,##0;-#,##0;0")
    (1, 0)
    """
    digits = number_format.split(";")[0].split('"')[0]
    return len(digits.split(".")[1]) if "." in digits else 0


def _headline(book, first_row):
    """The headline strip: a section row, then each of :data:`HEADLINE_KEYS` with the
    month's value, the prior month's and the change, read from the KPI block's names;
    return the row for the KPI block's header (one row below the strip)."""
    ws = book.report
    _section_row(ws, first_row, book.text("section_headline"), 6)
    for row, key in enumerate(HEADLINE_KEYS, start=first_row + 1):
        kpi = KPI_BY_KEY[key]
        ws.cell(row, 1, book.text(key)).font = HEADLINE_FONT
        for letter, prefix in (("B", "kpi_"), ("C", "prior_")):
            name = f"{prefix}{key}"
            cell = ws[f"{letter}{row}"]
            cell.value = f'=IF({name}="","",{name})'
            cell.number_format = units.whole_format(kpi.kind, book.lang)
            cell.font = HEADLINE_FONT
        _change_cell(ws, row, kpi, units.whole_change_format(kpi.kind, book.lang),
                     HEADLINE_FONT)
        for column in range(1, 6):
            ws.cell(row, column).border = ROW_BORDER
    return first_row + len(HEADLINE_KEYS) + 2


def _mrr_trend_chart(book, trend, width=15):
    return _trend_chart(book.text("chart_mrr_trend"), trend, ("mrr_end",),
                        units.axis_format(MONEY, book.lang), width)


TREND_CHARTS = (
    ("chart_retention_trend", ("nrr", "grr"), "0%"),
    ("chart_logo_churn_trend", ("logo_churn",), "0.0%"),
    ("chart_nps_trend", ("nps",), "0"),
)
"""The Trend sheet's charts below its table: title text, Trend columns, axis format."""

TREND_CHART_COLUMNS_WIDE = 5
"""Trend columns each of the Trend sheet's charts spans."""

TREND_CHART_ROWS = 14
"""Rows each of the Trend sheet's charts spans (about 7.5 cm)."""


def _trend_chart(title, trend, keys, axis_format, width=15):
    """A line chart of the Trend sheet's columns ``keys`` over its 12 months, the months
    on one line (level, ``mm/yy``), a legend when there are several lines."""
    line = LineChart()
    line.title = title
    for key in keys:
        column = 2 + TREND_KEYS.index(key)
        line.add_data(Reference(trend, min_col=column, min_row=3, max_row=3 + TREND_MONTHS),
                      titles_from_data=True)
    line.set_categories(Reference(trend, min_col=1, min_row=4, max_row=3 + TREND_MONTHS))
    for series in line.series:
        series.smooth = False
    if len(keys) == 1:
        line.legend = None
    else:
        line.legend.position = "b"
    line.height, line.width = 7.5, width
    line.x_axis.number_format = units.MONTH_AXIS_FORMAT
    line.x_axis.txPr = _level_labels(800)
    line.y_axis.number_format = axis_format
    line.x_axis.delete = line.y_axis.delete = False
    return line


def _level_labels(size, wrap="none"):
    """Axis label text: level (never turned on its side) at ``size`` hundredths of a point,
    on one line (``wrap="none"``) or broken over lines to fit the category (``"square"``)."""
    return RichText(bodyPr=RichTextProperties(rot=0, vert="horz", wrap=wrap),
                    p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size)),
                                 endParaRPr=CharacterProperties(sz=size))])


def _trend_sheet(book):
    ws = book.wb.create_sheet(book.sheet("trend"))
    ws["B1"] = book.text("title_trend")  # not in column A, which every page repeats
    ws["B1"].font = TITLE_FONT
    _header_row(ws, 3, (book.text("month"), *(book.text(key) for key in TREND_KEYS)))
    ws.row_dimensions[3].height = 60
    first, last = 4, 3 + TREND_MONTHS
    for offset, row in enumerate(range(first, last + 1)):
        ws[f"A{row}"] = f"=EDATE(report_month,{offset - TREND_MONTHS + 1})"
        ws[f"A{row}"].number_format = MONTH_FORMAT
        cells = {key: f"{get_column_letter(2 + i)}{row}" for i, key in enumerate(TREND_KEYS)}
        for key, ref in cells.items():
            book.kpi_formula(ws, ref, key, f"$A{row}", cells, whole=True)
    book.define("trend_month", ws, f"A{first}", f"A{last}")
    for i, key in enumerate(TREND_KEYS):
        letter = get_column_letter(2 + i)
        book.define(f"trend_{key}", ws, f"{letter}{first}", f"{letter}{last}")
        ws.column_dimensions[letter].width = TREND_WIDTH
    ws.column_dimensions["A"].width = 11
    ws.freeze_panes = "B4"
    width = TREND_CHART_COLUMNS_WIDE * TREND_WIDTH * CM_PER_COLUMN
    for (title, keys, axis_format), column in zip(TREND_CHARTS, TREND_CHART_COLUMNS,
                                                  strict=True):
        chart = _trend_chart(book.text(title), ws, keys, axis_format, width)
        ws.add_chart(chart, _cell_anchor(column, last + 2, TREND_CHART_COLUMNS_WIDE,
                                         TREND_CHART_ROWS))
    return ws


def _cell_anchor(column, row, columns, rows):
    """A drawing's place from the top left of cell (``row``, ``column``), 1-based, over
    ``columns`` columns and ``rows`` rows: its size follows the cells in any spreadsheet.
    A chart sized in centimetres does not, as the width of a column unit differs (about
    0.19 cm in Excel, 0.25 cm in LibreOffice): over five Trend columns a Trend chart is
    12.3 cm wide in Excel and 16 cm in LibreOffice, where the 12 month labels (``12/25``)
    then stay on one line (it breaks a level category label wider than its share of the
    axis: ``01/2`` over ``5`` at 12 cm). It starts :data:`CHART_INSET` right of the
    column's left edge: a chart touching column A, which every Trend page repeats, was
    drawn (clipped) on the next page too."""
    return TwoCellAnchor(_from=AnchorMarker(col=column - 1, colOff=CHART_INSET, row=row - 1),
                         to=AnchorMarker(col=column - 1 + columns, row=row - 1 + rows))


CHART_INSET = 36_000
"""EMU (0.1 cm) between a Trend chart and the left edge of its first column."""


TREND_WIDTH = 13
"""Width of each Trend column: a KPI name's longest word fits its header."""

TREND_COLUMNS_PER_PAGE = 10
"""Trend columns on the first printed page (the rest on the second, the months repeated
on each): the table prints at :data:`TREND_SCALE` %, its type as large as the Report's."""

TREND_SCALE = 72

TREND_CHART_COLUMNS = (2, 7, 3 + TREND_COLUMNS_PER_PAGE)
"""Where each Trend chart starts: two under the first page's columns, one under the
second's, none across the page break nor over column A (the months, repeated on each
page). The third starts a column after the page's first, so that no part of it is drawn
(clipped) on the first page."""


COHORT_AGES_PER_PAGE = 13
"""Cohort ages (0-12) on the left-hand printed page of each cohort triangle; 13-23 (and
the cohort sizes beside the first) on the right-hand one, the cohort months repeated."""

COHORT_SCALE = 70
"""The cohort report's print scale (its 24 ages fitted to one page printed at about 6.4
pt): body text about 10 pt, each page within the width of A4 and of Letter."""


def _two_pages_wide(ws, columns, scale):
    """A wide sheet on pages side by side at a fixed ``scale``, column A on each, the first
    page breaking after ``columns`` columns beside A (fitted to one page, the Trend sheet
    printed at about 60 %)."""
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = scale
    ws.print_title_cols = "A:A"
    ws.page_setup.pageOrder = "overThenDown"
    ws.col_breaks.append(Break(id=1 + columns))


def _nps_survey(book):
    ws = book.report
    rows, row = _current_month_block(book)
    nps, moe = f"B{rows['nps']}", f"B{rows['nps_moe']}"
    for offset, (text, sign) in enumerate((("nps_low", "-"), ("nps_high", "+"))):
        ws.cell(row + offset, 1, book.text(text))
        interval = ws.cell(row + offset, 2, f'=IF(OR({nps}="",{moe}=""),"",{nps}{sign}{moe})')
        interval.number_format = NUMBER_FORMATS["score"]
    breakdown = row + 3
    _section_row(ws, breakdown, book.text("section_breakdown"), 3)
    _header_row(ws, breakdown + 1, ("", book.text("answers"), book.text("share")))
    low, high = _nps_distribution(book, breakdown + 6)
    groups = (("promoters", PROMOTER_MIN, NPS_SCORES[-1]),
              ("passives", DETRACTOR_MAX + 1, PROMOTER_MIN - 1),
              ("detractors", NPS_SCORES[0], DETRACTOR_MAX))
    for offset, (text, first, last) in enumerate(groups):
        r = breakdown + 2 + offset
        ws.cell(r, 1, book.text(text))
        start, end = low + first - NPS_SCORES[0], low + last - NPS_SCORES[0]
        count = ws.cell(r, 2, f"=SUM(B{start}:B{end})")
        share = ws.cell(r, 3, f'=IFERROR(B{r}/SUM($B${low}:$B${high}),"")')
        count.number_format, share.number_format = NUMBER_FORMATS["count"], PERCENT_FORMAT
    _widths(ws, {"A": 42, "B": 14, "C": NOTE_WIDTH})
    ws.add_chart(_nps_chart(book, low, high, width=SIDE_CHART_WIDTH), f"D{KPI_HEADER_ROW}")


def _receivables_dso(book):
    ws = book.report
    rows, row = _current_month_block(book, "share")
    buckets = TEMPLATE_SECTIONS["receivables_dso"][1][1]
    for key in buckets:
        ws[f"C{rows[key]}"] = f'=IFERROR(B{rows[key]}/B{rows["receivables"]},"")'
        ws[f"C{rows[key]}"].number_format = PERCENT_FORMAT
    (overdue,) = TOP_LISTS["receivables_dso"]
    _top_list(book, overdue, max(row, KPI_HEADER_ROW + CHART_ROWS - 1), 1)
    _widths(ws, {"A": 42, "B": 17, "C": 12, "D": 24, "E": 22, "F": 13, "G": 13})
    first, last = rows[buckets[0]], rows[buckets[-1]]
    chart = _bar_chart(
        book.text("chart_ageing"),
        Reference(ws, min_col=2, min_row=first, max_row=last),
        Reference(ws, min_col=1, min_row=first, max_row=last),
        [GREEN, "FFD966", "F4B183", RED, "C00000"], width=AGEING_CHART_WIDTH,
    )
    chart.y_axis.number_format = units.axis_format(MONEY, book.lang)
    chart.x_axis.txPr = _level_labels(700, wrap="square")
    ws.add_chart(chart, f"E{KPI_HEADER_ROW}")  # above the list, beside the KPI block


def _unit_economics(book):
    ws = book.report
    rows, row = _current_month_block(book)
    ws.cell(row, 1, book.text("gross_margin"))
    ws.cell(row, 2, fx.gross_margin_cell("report_month")).number_format = PERCENT_FORMAT
    guides = row + 2
    book.printed_rows = guides - 1
    _section_row(ws, guides, book.text("chart_data"), 4)
    headers = ("clv_cac", "guide_break_even", "guide_healthy")
    _header_row(ws, guides + 1, ("", *map(book.text, headers)))
    for r in range(guides + 2, guides + 5):
        ws.cell(r, 3, 1)
        ws.cell(r, 4, 3)
    ws.cell(guides + 3, 1, book.text("clv_cac"))
    ratio = ws.cell(guides + 3, 2, f"=B{rows['clv_cac']}")
    ratio.number_format = units.number_format(RATIO, book.lang)
    _widths(ws, {"A": 42, "B": 17, "C": NOTE_WIDTH})
    ws.add_chart(_clv_cac_chart(book, guides + 1), f"D{KPI_HEADER_ROW}")


def _clv_cac_chart(book, header):
    """The ratio as a bar between two constant lines, 1 (break-even) and 3 (healthy), read
    from the three rows under ``header``."""
    ws = book.report
    bars = BarChart()
    bars.type = "col"
    bars.title = book.text("chart_clv_cac")
    bars.add_data(Reference(ws, min_col=2, min_row=header, max_row=header + 3),
                  titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=header + 3))
    bars.series[0].graphicalProperties.solidFill = BLUE
    lines = LineChart()
    lines.add_data(Reference(ws, min_col=3, max_col=4, min_row=header, max_row=header + 3),
                   titles_from_data=True)
    for series, colour in zip(lines.series, (RED, GREEN), strict=True):
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575  # EMU: 2.25 points
        series.marker.symbol = "none"
    bars.y_axis.number_format = units.axis_format(RATIO, book.lang)
    bars.x_axis.delete = bars.y_axis.delete = False
    bars += lines
    bars.legend.position = "b"
    bars.height, bars.width = 7.5, SIDE_CHART_WIDTH
    return bars


REVENUE_COHORT_COLUMN = COHORT_TABLE_SIZE + 4
"""The revenue triangle's first column (AC: its cohort months): beside the customer
triangle and its cohort sizes, after an empty column, on the same rows, so that each of
the report's four pages holds one half of a triangle beside the cohort months of column
A (see :func:`_cohort_pages`)."""

COHORT_WIDTHS = {"A": 36, "B": 10,
                 **{get_column_letter(c): 7.5 for c in range(3, COHORT_TABLE_SIZE + 1)},
                 get_column_letter(COHORT_TABLE_SIZE + 1): 10,
                 get_column_letter(COHORT_TABLE_SIZE + 2): 15,
                 get_column_letter(REVENUE_COHORT_COLUMN - 1): 3,
                 get_column_letter(REVENUE_COHORT_COLUMN): 10,
                 **{get_column_letter(REVENUE_COHORT_COLUMN + 1 + age): 7.5
                    for age in range(COHORT_TABLE_SIZE - 1)}}
"""Column widths of the cohort report: the KPI labels (A), then the ages 0-23 (B is also
the KPI block's value), the cohort sizes (customers, starting MRR), an empty column, the
revenue triangle's cohort months and ages 0-23."""


def _cohort_retention(book):
    ws = book.report
    _, row = _current_month_block(book)
    size = COHORT_TABLE_SIZE
    top = _cohort_triangle(book, row + 1, 1, "section_cohorts", "cohort_table", "logo",
                           last_column=size + 2)
    _cohort_sizes(book, top, size + 1)
    _cohort_triangle(book, row + 1, REVENUE_COHORT_COLUMN, "section_revenue_cohorts",
                     REVENUE_COHORT_NAME, "revenue",
                     last_column=REVENUE_COHORT_COLUMN + size - 1)
    _widths(ws, COHORT_WIDTHS)
    note = ws.cell(KPI_HEADER_ROW, 3)  # the Note header, wider than its cohort column:
    note.alignment = Alignment(horizontal="left")  # on one line, over the empty cell beside


def _cohort_triangle(book, row, column, title, name, kind, *, last_column):
    """A cohort triangle of ``kind`` (``CS_COHORT_RETENTION`` mode) under its section title
    at ``row``, from ``column``: the named block ``name`` (header row and cohort column,
    then the shares), coloured red (0) to green (100 % and above), printed on two pages
    (:func:`_cohort_pages`: ages 0-12, then 13-23 and the columns up to ``last_column``);
    return the block's header row."""
    ws = book.report
    size = COHORT_TABLE_SIZE
    _cohort_title(ws, row, column, book.text(title), last_column)
    book.cohort_pages.append((row, row + size, column, last_column))
    top = row + 1
    _header_row(ws, top, (book.text("cohort"), *range(size - 1)), column)
    months = get_column_letter(column)
    for offset in range(size - 1):
        r = top + 1 + offset
        ws.cell(r, column, f"=EDATE(report_month,{offset - size + 2})").number_format = (
            MONTH_FORMAT)
        for age in range(size - 1):
            letter = get_column_letter(column + 1 + age)
            formula = fx.cohort_cell(book.mode, f"${months}{r}", f"{letter}${top}", book.lang,
                                     kind)
            ws.cell(r, column + 1 + age, formula).number_format = PERCENT_FORMAT
    first, last = get_column_letter(column + 1), get_column_letter(column + size - 1)
    book.define(name, ws, f"{months}{top}", f"{last}{top + size - 1}")
    ws.conditional_formatting.add(
        f"{first}{top + 1}:{last}{top + size - 1}",
        ColorScaleRule(
            start_type="num", start_value=0, start_color="F8696B",
            mid_type="num", mid_value=0.5, mid_color="FFEB84",
            end_type="num", end_value=1, end_color="63BE7B",
        ),
    )
    return top


def _cohort_title(ws, row, column, text, last_column):
    """A cohort triangle's section row from ``column`` to ``last_column``, its title
    written whole on each of its two printed pages: merged over the ages of the page and
    wrapped, the row tall enough. The cohort month column is left empty: on the
    right-hand pages column A is repeated, where a title was cut at its width."""
    _section_row(ws, row, None, last_column, column)
    split = column + COHORT_AGES_PER_PAGE
    heights = [ws.row_dimensions[row].height or 15]
    for first, last in ((column + 1, split), (split + 1, last_column)):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = ws.cell(row, first, text)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        width = sum(COHORT_WIDTHS[get_column_letter(c)] for c in range(first, last + 1))
        heights.append(_wrapped_height([text], [width * BOLD_WIDTH]))
    ws.row_dimensions[row].height = max(heights)


BOLD_WIDTH = 0.9
"""Bold text takes about a tenth more width than regular text."""


def _cohort_pages(ws, triangles):
    """The cohort report's four pages at :data:`COHORT_SCALE` %, one print range each: for
    each triangle ``(section row, last row, first column, last column)``, its ages 0-12
    (the first with the report's title and KPI block above), then its ages 13-23 and the
    columns beside them. Column A, the cohort months, is repeated on the pages without it
    (the triangles share their rows), which hold the triangles' rows only: not the KPI
    labels without their values. A spreadsheet prints the ranges in the order the file
    lists them, and openpyxl lists them by column: the pages' ranges lie left to right."""
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = COHORT_SCALE
    ws.print_title_cols = "A:A"
    ranges = []
    for first, last, column, last_column in triangles:
        split = column + COHORT_AGES_PER_PAGE
        ranges.append(f"{'A1' if column == 1 else get_column_letter(column + 1) + str(first)}"
                      f":{get_column_letter(split)}{last}")
        ranges.append(f"{get_column_letter(split + 1)}{first}:{get_column_letter(last_column)}"
                      f"{last}")
    ws.print_area = ranges


def _cohort_sizes(book, top, column):
    """Beside the cohort triangle's rows, from ``column``: each cohort's customers and
    starting MRR (block ``cohort_sizes``), filled by ``csmetrics report``."""
    ws = book.report
    _header_row(ws, top, (book.text("cohort_customers"), book.text("cohort_mrr_start")), column)
    ws.cell(top, column).alignment = Alignment(horizontal="center", wrap_text=True)
    for r in range(top + 1, top + COHORT_TABLE_SIZE):
        ws.cell(r, column).number_format = NUMBER_FORMATS["count"]
        ws.cell(r, column + 1).number_format = KPI_BY_KEY["mrr_end"].number_format
    note = ws.cell(top + 1, column, book.text("top_live_note"))
    note.font = NOTE_FONT
    book.define(COHORT_SIZES_NAME, ws, note.coordinate,
                f"{get_column_letter(column + 1)}{top + COHORT_TABLE_SIZE - 1}")


REPORTS = {
    "monthly_kpi_report": _monthly_kpi_report,
    "nps_survey": _nps_survey,
    "receivables_dso": _receivables_dso,
    "unit_economics": _unit_economics,
    "cohort_retention": _cohort_retention,
}


# --- Inputs, Definitions and Calc ------------------------------------------------------------


def _inputs_sheet(book):
    ws = book.wb.create_sheet(book.sheet("inputs"))
    column = 1
    for table in TEMPLATE_TABLES[book.name]:
        names = TABLE_COLUMNS[table]
        for offset, name in enumerate(names):
            ws.cell(1, column + offset, name)
            ws.cell(2, column + offset).number_format = INPUT_FORMATS.get(name, "@")
            width = 22 if name == "resolved_first_contact" else 14
            ws.column_dimensions[get_column_letter(column + offset)].width = width
        first, last = get_column_letter(column), get_column_letter(column + len(names) - 1)
        ws.add_table(
            Table(
                displayName=table,
                ref=f"{first}1:{last}2",
                tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
            )
        )
        ws.column_dimensions[get_column_letter(column + len(names))].width = 3
        column += len(names) + 1
    ws.freeze_panes = "A2"


def _definitions_sheet(book):
    ws = book.wb.create_sheet(book.sheet("definitions"))
    ws["A1"] = book.text("title_definitions")
    ws["A1"].font = TITLE_FONT
    ws["A2"] = book.text("definitions_intro")
    ws["A2"].font = NOTE_FONT
    _header_row(
        ws,
        4,
        (book.text("indicator"), book.text("defined_name"), book.text("definition"),
         book.text("source")),
    )
    rows = [
        (book.text("report_month"), "report_month", book.text("definition_report_month"), ""),
        (book.text("report_segment"), "report_segment", book.text("definition_report_segment"),
         ""),
    ]
    rows += [
        (book.text(key), KPI_BY_KEY[key].name, definition(key, book.lang), source(key, book.lang))
        for key in TEMPLATE_KPIS[book.name]
    ]
    rows += _extra_definitions(book)
    widths = {"A": 34, "B": 24, "C": 80, "D": 40}
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(5 + offset, column, value)
            cell.alignment = WRAP_TOP
            cell.border = ROW_BORDER
        ws.row_dimensions[5 + offset].height = _wrapped_height(values, widths.values())
    row = 5 + len(rows) + 1
    ws.cell(row, 1, book.text("sources")).font = SECTION_FONT
    for offset, (number, (title, filename)) in enumerate(ARTICLES.items(), start=1):
        ws.cell(row + offset, 1, f"{book.text('article')} {number}")
        ws.cell(row + offset, 3, title).alignment = WRAP_TOP
        ws.cell(row + offset, 4, f"{SEEDS_FOLDER}/{filename}").alignment = WRAP_TOP
    _widths(ws, widths)
    ws.freeze_panes = "A5"


def _wrap_long_labels(ws):
    """Wrap each row label of column A too long for the column beside a value in column B
    (a KPI name such as "Customer lifetime value (CLV), trailing 12-month churn"), the row
    made tall enough: a spreadsheet cuts a label at a filled neighbour."""
    width = ws.column_dimensions["A"].width
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        text = cell.value
        if (isinstance(text, str) and ws.cell(cell.row, 2).value is not None
                and len(text) > width * LABEL_CHARACTERS_PER_WIDTH):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[cell.row].height = _wrapped_height([text], [width])


def _wrapped_height(texts, widths):
    """Row height (points) that shows wrapped texts whole: spreadsheets do not grow rows of
    a file on opening. About 1.1 characters per unit of column width, 15 points a line."""
    lines = max(
        -(-len(text) // int(width * 1.1)) for text, width in zip(texts, widths, strict=True)
    )
    return 15 * max(lines, 1)


def _extra_definitions(book):
    extras = {
        "monthly_kpi_report": (
            ("change", "", "definition_change"),
            ("status", TARGETS_NAME, "definition_status"),
            ("title_trend", "trend_month", "definition_trend"),
            ("section_distribution", "nps_distribution", "definition_nps_distribution"),
            ("title_top_accounts", ", ".join(TOP_LISTS["monthly_kpi_report"]),
             "definition_top_accounts"),
        ),
        "receivables_dso": (
            ("section_top_overdue", "top_overdue", "definition_top_overdue"),
        ),
        "nps_survey": (
            ("section_distribution", "nps_distribution", "definition_nps_distribution"),
        ),
        "unit_economics": (("gross_margin", "", "definition_gross_margin"),),
        "cohort_retention": (("cohort", "cohort_table", "definition_cohort_table"),
                             ("cohort_customers", COHORT_SIZES_NAME, "definition_cohort_sizes"),
                             ("revenue_cohort", REVENUE_COHORT_NAME,
                              "definition_revenue_cohort_table")),
    }
    return [
        (book.text(title), name, book.text(text), "")
        for title, name, text in extras.get(book.name, ())
    ]


START_TEXTS = ("start_what", "start_name", "start_install", "start_report", "start_totals")


def _start_sheet(book):
    """The first sheet of a live template: what it does, that ``#NAME?`` means the add-in
    is missing, how to install it, and that ``csmetrics report`` fills an add-in-free copy."""
    ws = book.wb.create_sheet(book.sheet("start"), 0)
    title = book.text(f"title_{book.name}")
    ws["A1"] = book.text("start_title")
    ws["A1"].font = TITLE_FONT
    for row, key in enumerate(START_TEXTS, start=3):
        cell = ws.cell(row, 1, book.text(key).format(title=title))
        cell.alignment = WRAP_TOP
        ws.row_dimensions[row].height = _wrapped_height([cell.value], [START_WIDTH])
    ws["A4"].font = Font(bold=True, color=BAD_TEXT)
    ws.column_dimensions["A"].width = START_WIDTH


START_WIDTH = 110
"""Width of the Start here sheet's one column of text."""


def _calc_sheet(book):
    """Helper formulas: the live array formulas, and the countback months (both modes)."""
    keys = set(TEMPLATE_KPIS[book.name])
    live = book.mode == fx.LIVE
    movements = live and bool(keys & set(fx.MOVEMENT_KEYS) or book.name == "monthly_kpi_report")
    cohorts = live and book.name == "cohort_retention"
    countback = "dso_countback" in keys
    if not (movements or cohorts or countback):
        return
    ws = book.wb.create_sheet(book.sheet("calc"))
    ws.sheet_state = "hidden"
    if movements:
        _array_block(ws, fx.CALC_MOVEMENTS_COLUMN, len(fx.MOVEMENT_COLUMNS),
                     fx.calc_movements_formula())
    if cohorts:
        for kind, column in fx.CALC_COHORT_COLUMNS.items():
            _array_block(ws, column, fx.COHORT_AGES + 1, fx.calc_cohorts_formula(kind))
    if countback:
        _countback_block(ws)


def _array_block(ws, first_column, columns, text):
    first = get_column_letter(first_column)
    last = get_column_letter(first_column + columns - 1)
    ws[f"{first}1"] = ArrayFormula(f"{first}1:{last}{fx.CALC_MONTHS + 1}", text)
    for column in range(first_column, first_column + columns):
        ws.column_dimensions[get_column_letter(column)].width = 13


def _countback_block(ws):
    column = fx.CALC_COUNTBACK_COLUMN
    letters = [get_column_letter(column + offset) for offset in range(4)]
    for letter, header in zip(letters, ("month", "credit_sales", "days", "cumulative_from_latest"),
                              strict=True):
        ws[f"{letter}1"] = header
        ws[f"{letter}1"].font = BOLD
        ws.column_dimensions[letter].width = 14
    last = fx.COUNTBACK_MONTHS + 1
    for offset, row in enumerate(range(2, last + 1)):
        month = f"{letters[0]}{row}"
        ws[month] = f"=EDATE(report_month,{offset - fx.COUNTBACK_MONTHS + 1})"
        ws[month].number_format = MONTH_FORMAT
        texts = fx.countback_row(month, f"{letters[1]}{row}", f"{letters[1]}${last}")
        for letter, text, number_format in zip(letters[1:], texts, ("#,##0.00", "0", "#,##0.00"),
                                               strict=True):
            ws[f"{letter}{row}"] = text
            ws[f"{letter}{row}"].number_format = number_format


# --- entry points ----------------------------------------------------------------------------


def build_template(name, lang="en", *, native=False):
    """Build template ``name`` in language ``lang``.

    Parameters
    ----------
    name : str
        One of :data:`workbook_templates.TEMPLATE_NAMES`.
    lang : str, default "en"
        One of ``"en"``, ``"fr"``, ``"ro"``.
    native : bool, default False
        False: the live template (``CS_`` add-in formulas), as committed. True: native
        spreadsheet formulas in the KPI cells, for LibreOffice to recompute in the tests.

    Returns
    -------
    openpyxl.Workbook

    Examples
    --------
    >>> wb = build_template("nps_survey", "fr")
    >>> wb.sheetnames
    ['Commencer ici', 'Rapport', 'Données', 'Définitions']
    >>> build_template("nps_survey", "en", native=True).sheetnames
    ['Report', 'Inputs', 'Definitions']
    >>> wb["Rapport"]["A1"].value
    'Enquête NPS'
    """
    if name not in REPORTS:
        raise KeyError(f"unknown template {name!r}: use one of {', '.join(TEMPLATE_NAMES)}")
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    book = _Book(name, lang, fx.NATIVE if native else fx.LIVE)
    book.wb.properties.creator = "csmetrics"
    book.wb.properties.title = book.text(f"title_{name}")
    _report_header(book)
    REPORTS[name](book)
    _wrap_long_labels(book.report)
    _inputs_sheet(book)
    _definitions_sheet(book)
    _calc_sheet(book)
    if book.mode == fx.LIVE:
        _start_sheet(book)
    _print_setup(book)
    book.wb.active = 0
    return book.wb


class _StableZip(ZipFile):
    """A zip archive whose members all carry the same date, so equal content is equal bytes."""

    def write(self, filename, arcname=None, *args, **kwargs):
        with open(filename, "rb") as member:
            self.writestr(arcname or filename, member.read())

    def writestr(self, name, data, *args, **kwargs):
        if isinstance(name, str):
            name = ZipInfo(name, date_time=STAMP.timetuple()[:6])
            name.compress_type = ZIP_DEFLATED
            name.external_attr = 0o600 << 16
        super().writestr(name, data, *args, **kwargs)


def save_stable(wb, path):
    """Save like ``Workbook.save``, with fixed timestamps (document properties and zip)."""
    wb.properties.created = wb.properties.modified = STAMP
    with _StableZip(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()


def write_templates(names=TEMPLATE_NAMES, languages=LANGUAGES):
    """Write the committed live templates; return their paths."""
    paths = []
    for lang in languages:
        for name in names:
            path = template_path(name, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            save_stable(build_template(name, lang), path)
            paths.append(path)
    return paths


def main():
    for path in write_templates():
        print(path)


if __name__ == "__main__":
    main()
