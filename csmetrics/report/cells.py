"""Writing one value into one cell: numbers, Excel error values, dates and safe text.

A metric the data cannot define (NaN from the engine) becomes Excel's ``#DIV/0!``, a metric
whose table is missing ``#N/A``: openpyxl writes a string from ``ERROR_CODES`` as a real
error cell. Text from the user's data is always written as text: openpyxl turns any string
starting with ``=`` into a formula (``Cell._bind_value``), so the cell's ``data_type`` is
set back to ``"s"`` and the writer stores it as an inline string, never a formula.
"""

import datetime
import math
import numbers

import numpy as np
import pandas as pd
from openpyxl.utils.cell import range_boundaries

UNDEFINED = "#DIV/0!"
"""Excel error for a metric the data cannot define (a zero denominator, an empty sample)."""

MISSING = "#N/A"
"""Excel error for a metric whose input table is missing."""

MONTH_FORMAT = "yyyy-mm"
DATE_FORMAT = "yyyy-mm-dd"


def write_text(cell, text):
    """Write ``text`` as a text cell, even when it looks like a formula or an error.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> cell = Workbook().active["A1"]
    >>> write_text(cell, '=HYPERLINK("http://x","y")')
    >>> cell.data_type, cell.value
    ('s', '=HYPERLINK("http://x","y")')
    """
    cell.value = str(text)
    cell.data_type = "s"


def write_metric(cell, value):
    """Write a metric: a number, ``#DIV/0!`` for NaN, ``#N/A`` for ``None`` (no table).

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> cells = Workbook().active["A1:C1"][0]
    >>> for cell, value in zip(cells, [0.857, float("nan"), None]):
    ...     write_metric(cell, value)
    >>> [(c.value, c.data_type) for c in cells]
    [(0.857, 'n'), ('#DIV/0!', 'e'), ('#N/A', 'e')]
    """
    if value is None:
        cell.value = MISSING
    elif math.isnan(value):
        cell.value = UNDEFINED
    else:
        cell.value = float(value)


def write_month(cell, month):
    """Write a month (``pandas.Period`` or date) as its first day, shown ``yyyy-mm``."""
    cell.value = month_start(month)
    cell.number_format = MONTH_FORMAT


def month_start(month):
    """The first day of ``month`` as a ``datetime.date``.

    >>> month_start(pd.Period("2025-03", "M"))
    datetime.date(2025, 3, 1)
    """
    return pd.Period(month, "M").start_time.date()


def write_data(cell, value):
    """Write one value of an input row: text as text, dates as dates, blanks empty.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> row = Workbook().active["A1:E1"][0]
    >>> values = ["=1+1", pd.Period("2025-01", "M"), pd.NaT, 19.99, True]
    >>> for cell, value in zip(row, values):
    ...     write_data(cell, value)
    >>> [(c.value, c.data_type) for c in row]
    [('=1+1', 's'), (datetime.date(2025, 1, 1), 'd'), (None, 'n'), (19.99, 'n'), (True, 'b')]
    """
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, pd.Period):
        write_month(cell, value)
    elif value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
    elif isinstance(value, datetime.datetime | pd.Timestamp):
        cell.value = value.date()
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool | np.bool_):
        cell.value = bool(value)
    elif isinstance(value, numbers.Number):
        cell.value = float(value)
    else:
        write_text(cell, value)


def named_cells(workbook, name):
    """Every cell a workbook-level defined name points to, row by row.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> wb = Workbook()
    >>> wb.defined_names["kpi_nps"] = DefinedName("kpi_nps", attr_text="Sheet!$B$2:$B$3")
    >>> [c.coordinate for c in named_cells(wb, "kpi_nps")]
    ['B2', 'B3']
    """
    cells = []
    for sheet, ref in workbook.defined_names[name].destinations:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        worksheet = workbook[sheet]
        for row in worksheet.iter_rows(min_row, max_row, min_col, max_col):
            cells.extend(row)
    return cells
