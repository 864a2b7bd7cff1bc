"""Writing the rows a report was computed from into the tables of its ``Inputs`` sheet.

Each Excel table keeps its header (first row) and is resized to the rows written; a column
the data does not have (``segment`` of an unsegmented export) is left blank. Each cell
takes the style of the template's first data row, plus a date format for dates. Text is
always written as text (see :func:`csmetrics.report.cells.write_text`).
"""

from copy import copy

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableColumn

from csmetrics.report.cells import DATE_FORMAT, MONTH_FORMAT
from csmetrics.report.selection import INPUT_TABLES
from csmetrics.report.units import data_currency
from csmetrics.tables.schema import TABLES


def write_inputs(worksheet, rows):
    """Fill every table of ``worksheet`` from ``rows`` (``Dataset`` table name -> frame).

    A table whose data is missing (``None``) keeps its empty template row. The columns the
    templates lack (``currency``, ``mrr_native``) are added unless they only say the one
    currency all the amounts are in (:func:`~csmetrics.report.units.data_currency`), which
    the money formats show already.
    """
    for table in list(worksheet.tables.values()):
        name = INPUT_TABLES.get(table.displayName)
        frame = rows.get(name)
        if frame is not None:
            extra = [column.name for column in TABLES[name].columns
                     if not column.in_templates and column.name in frame.columns
                     and data_currency(frame) is None]
            widen_table(worksheet, table, extra)
            write_table(worksheet, table, frame)


def widen_table(worksheet, table, titles):
    """Add columns ``titles`` at the right of ``table`` (the data's columns the templates
    do not have: ``currency`` and ``mrr_native`` of a billing import in several currencies),
    moving the tables to its right, and their column widths, along."""
    if not titles:
        return
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    insert_columns(worksheet, max_col, len(titles))
    for offset, title in enumerate(titles, start=1):
        header = worksheet.cell(min_row, max_col + offset, title)
        header._style = copy(worksheet.cell(min_row, max_col)._style)
        worksheet.column_dimensions[get_column_letter(max_col + offset)].width = 14
    _set_ref(table, min_col, min_row, max_col + len(titles), max_row)
    if table.tableColumns:
        for offset, title in enumerate(titles, start=len(table.tableColumns) + 1):
            table.tableColumns.append(TableColumn(id=offset, name=title))


def insert_columns(worksheet, after, count):
    """Insert ``count`` empty columns after column ``after`` (a number), moving the
    tables to their right, and their column widths, along."""
    widths = {index: worksheet.column_dimensions[get_column_letter(index)].width
              for index in range(after + 1, worksheet.max_column + 1)}
    worksheet.insert_cols(after + 1, count)
    for index, width in widths.items():
        worksheet.column_dimensions[get_column_letter(index + count)].width = width
    for other in worksheet.tables.values():
        first, top, last, bottom = range_boundaries(other.ref)
        if first > after:
            _set_ref(other, first + count, top, last + count, bottom)


def replace_table(worksheet, name, frames, money_columns=frozenset()):
    """Put the tables ``frames`` (``{Excel table name: frame}``, each frame's columns its
    header) where the table ``name`` was, side by side with a column between them,
    moving the tables to the right as far as they need; headers and cells take the
    styles of the old table's header and first data row (``money_columns`` that of its
    ``mrr`` column, the others that of its first column)."""
    old = worksheet.tables[name]
    min_col, min_row, max_col, _ = range_boundaries(old.ref)
    header = copy(worksheet.cell(min_row, min_col)._style)
    text = copy(worksheet.cell(min_row + 1, min_col)._style)
    titles = [worksheet.cell(min_row, column).value for column in range(min_col, max_col + 1)]
    money = copy(worksheet.cell(min_row + 1, min_col + titles.index("mrr"))._style)
    needed = sum(len(frame.columns) + 1 for frame in frames.values()) - 1
    if needed > max_col - min_col + 1:
        insert_columns(worksheet, max_col, needed - (max_col - min_col + 1))
    for column in range(min_col, max_col + 1):
        for row in (min_row, min_row + 1):
            worksheet.cell(row, column).value = None
    style = old.tableStyleInfo
    del worksheet.tables[name]
    column = min_col
    for title, frame in frames.items():
        last = column + len(frame.columns) - 1
        for offset, heading in enumerate(frame.columns):
            worksheet.cell(min_row, column + offset, heading)._style = copy(header)
            cell = worksheet.cell(min_row + 1, column + offset)
            cell._style = copy(money if heading in money_columns else text)
            if heading not in money_columns and pd.api.types.is_numeric_dtype(frame[heading]):
                cell.number_format = "0"
            worksheet.column_dimensions[get_column_letter(column + offset)].width = 16
        table = Table(displayName=title, tableStyleInfo=copy(style),
                      ref=f"{get_column_letter(column)}{min_row}:{get_column_letter(last)}"
                          f"{min_row + 1}")
        worksheet.add_table(table)
        write_table(worksheet, table, frame)
        column = last + 2


def _set_ref(table, first, top, last, bottom):
    table.ref = f"{get_column_letter(first)}{top}:{get_column_letter(last)}{bottom}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def write_table(worksheet, table, frame):
    """Write ``frame`` under the header of ``table`` and resize the table to fit."""
    min_col, min_row, max_col, _ = range_boundaries(table.ref)
    for column in range(min_col, max_col + 1):
        title = worksheet.cell(min_row, column).value
        if title in frame.columns:
            _write_column(worksheet, column, min_row + 1, frame[title])
    last_row = min_row + max(len(frame), 1)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def _write_column(worksheet, column, first_row, series):
    values, number_format, text = cell_values(series)
    first = worksheet.cell(first_row, column)
    if number_format is not None:
        first.number_format = number_format
    style = first._style
    for row, value in enumerate(values, start=first_row):
        cell = worksheet.cell(row, column, value)
        cell._style = copy(style)
        if text and value is not None:
            cell.data_type = "s"


def cell_values(series):
    """A column as cell values: ``(values, number format or None, is_text)``.

    Months become their first day (``yyyy-mm``), timestamps dates (``yyyy-mm-dd``), blanks
    ``None``; anything not a number, date or flag is text.

    Examples
    --------
    >>> cell_values(pd.Series(pd.PeriodIndex(["2025-01"], freq="M")))
    ([datetime.date(2025, 1, 1)], 'yyyy-mm', False)
    >>> cell_values(pd.Series(pd.to_datetime(["2025-01-31", None])))
    ([datetime.date(2025, 1, 31), None], 'yyyy-mm-dd', False)
    >>> cell_values(pd.Series([1.5, float("nan")])), cell_values(pd.Series([True]))
    (([1.5, None], None, False), ([True], None, False))
    >>> cell_values(pd.Series(["=1+1", None]))
    (['=1+1', None], None, True)
    """
    if isinstance(series.dtype, pd.PeriodDtype):
        return _or_none(series.dt.start_time.dt.date, series), MONTH_FORMAT, False
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _or_none(series.dt.date, series), DATE_FORMAT, False
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.tolist(), None, False
    if pd.api.types.is_numeric_dtype(series.dtype):
        return _or_none(series.astype(float), series), None, False
    return [None if pd.isna(v) else str(v) for v in series.tolist()], None, True


def _or_none(values, original):
    return values.astype(object).where(original.notna().to_numpy(), None).tolist()
