"""Writing the rows a report was computed from into the tables of its ``Inputs`` sheet.

Each Excel table keeps its header (first row) and is resized to the rows written; a column
the data does not have (``segment`` of an unsegmented export) is left blank. Each cell
takes the style of the template's first data row, so its number formats carry over.
"""

from copy import copy

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from csmetrics.report.cells import write_data
from csmetrics.report.selection import INPUT_TABLES


def write_inputs(worksheet, rows):
    """Fill every table of ``worksheet`` from ``rows`` (``Dataset`` table name -> frame).

    A table whose data is missing (``None``) keeps its empty template row.
    """
    for table in worksheet.tables.values():
        frame = rows.get(INPUT_TABLES.get(table.displayName))
        if frame is not None:
            write_table(worksheet, table, frame)


def write_table(worksheet, table, frame):
    """Write ``frame`` under the header of ``table`` and resize the table to fit."""
    min_col, min_row, max_col, _ = range_boundaries(table.ref)
    header = [
        worksheet.cell(min_row, column).value for column in range(min_col, max_col + 1)
    ]
    styles = [
        copy(worksheet.cell(min_row + 1, column)._style)
        for column in range(min_col, max_col + 1)
    ]
    for offset, title in enumerate(header):
        if title not in frame.columns:
            continue
        column = min_col + offset
        for row, value in enumerate(frame[title].tolist(), start=min_row + 1):
            cell = worksheet.cell(row, column)
            cell._style = copy(styles[offset])
            write_data(cell, value)
    last_row = min_row + max(len(frame), 1)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
