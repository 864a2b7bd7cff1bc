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

from csmetrics.report.cells import DATE_FORMAT, MONTH_FORMAT
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
        cell = worksheet.cell(row, column)
        cell._style = copy(style)
        cell.value = value
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
