"""Page setup of every sheet: landscape A4, one page wide, title rows repeated, a header
naming the report, month and segment, a footer with the page number.

The template generator sets up each sheet it writes (:func:`page_setup`); the filler,
which knows the month and the segment, writes the headers (:func:`print_headers`) and
sets up the Audit sheet it adds. Header and footer texts use the spreadsheet's codes:
``&P`` the page, ``&N`` the pages; a literal ``&`` is written ``&&``.
"""

from math import ceil

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.properties import PageSetupProperties

PAPER_SIZES = {"a4": 9, "letter": 1}
"""The paper a report prints on (``csmetrics report --paper``) and its ``paperSize`` code
in each sheet's page setup (ECMA-376 ``pageSetup``; openpyxl's ``PAPERSIZE_A4`` and
``PAPERSIZE_LETTER``). The file carries its paper size: LibreOffice writes the PDF at it
(landscape A4 842 x 595 points, Letter 792 x 612) and a spreadsheet prints at it, so the
report is made for the reader's paper. A4 is the default, the paper of France, Romania and
most of the world; Letter is that of the United States and Canada, which the report's
language does not tell (an English report read in London prints on A4)."""

CM_PER_COLUMN = 0.19
"""Centimetres per unit of column width (a unit is about one digit of 11 pt Calibri)."""
CM_PER_ROW = 0.53
"""Centimetres per default row (15 points)."""
DEFAULT_COLUMN_WIDTH = 8.43


def page_setup(ws, *, title_rows=None, pages_tall=0, last_row=None):
    """Landscape A4, one page wide, ``pages_tall`` pages tall (0: as many as needed), the
    print area over the cells and the charts (down to ``last_row`` at most: the rows below
    are helpers a reader does not need on paper), ``title_rows`` (``"1:3"``) on every page.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws["C4"] = 1
    >>> page_setup(ws, title_rows="1:1")
    >>> ws.print_area, ws.print_title_rows, ws.page_setup.orientation
    ("'Sheet'!$A$1:$C$4", '$1:$1', 'landscape')
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_SIZES["a4"]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_tall
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    fit_print_area(ws, last_row)
    if title_rows:
        ws.print_title_rows = title_rows


def fit_print_area(ws, last_row=None):
    """Set the print area over every cell with a value and every chart, down to
    ``last_row`` at most.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws["B9"] = 1
    >>> fit_print_area(ws, last_row=5)
    >>> ws.print_area
    "'Sheet'!$A$1:$B$5"
    """
    last_column, rows = _extent(ws)
    rows = rows if last_row is None else min(rows, last_row)
    ws.print_area = f"A1:{get_column_letter(last_column)}{rows}"


def _extent(ws):
    """The last column and row holding a value or covered by a chart."""
    columns, rows = max(ws.max_column, 1), max(ws.max_row, 1)
    for chart in ws._charts:
        row, column = _anchor(chart.anchor)
        widths, width = column - 1, 0.0
        while width < chart.width:
            widths += 1
            letter = get_column_letter(widths)
            width += (ws.column_dimensions[letter].width or DEFAULT_COLUMN_WIDTH) * CM_PER_COLUMN
        columns = max(columns, widths)
        rows = max(rows, row + ceil(chart.height / CM_PER_ROW))
    return columns, rows


def _anchor(anchor):
    """(row, column), 1-based, of a chart's top-left cell: ``"F6"`` as the generator
    gives it, or a drawing anchor as a loaded workbook holds it."""
    if isinstance(anchor, str):
        return coordinate_to_tuple(anchor)
    return anchor._from.row + 1, anchor._from.col + 1


def set_paper(workbook, paper):
    """Every sheet of ``workbook`` printed on ``paper`` (a key of :data:`PAPER_SIZES`).

    The pages are laid out for both: the sheets fitted to the page width shrink by the
    width Letter lacks (about 7 %), the sheets printed at a fixed scale fit either.

    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> set_paper(wb, "letter")
    >>> wb.active.page_setup.paperSize
    1
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPER_SIZES)}")
    for ws in workbook.worksheets:
        ws.page_setup.paperSize = PAPER_SIZES[paper]


def print_headers(workbook, title, month="", segment=""):
    """Every sheet's header (report title left, month and segment right) and footer (sheet
    name left, page of pages right).

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> print_headers(wb, "KPI report", "2025-12", "R&D")
    >>> wb.active.oddHeader.right.text, wb.active.oddFooter.right.text
    ('2025-12 · R&&D', '&P / &N')
    """
    where = " · ".join(_escaped(part) for part in (month, segment) if part)
    for ws in workbook.worksheets:
        ws.oddHeader.left.text = _escaped(title)
        ws.oddHeader.right.text = where or None
        ws.oddFooter.left.text = _escaped(ws.title)
        ws.oddFooter.right.text = "&P / &N"


def _escaped(text):
    return str(text).replace("&", "&&")
