"""Writing one value into one cell: numbers, Excel error values, dates and safe text.

A metric the data cannot define (NaN from the engine: a zero denominator) or whose table is
missing (``None``) is an empty cell: no data is not an error (the filler writes a note
beside it, :mod:`csmetrics.report.notes`). ``MISSING`` (``#N/A``, which openpyxl writes as
a real error cell) marks only a live formula the filler had to remove. Text from the
user's data is always written as text: openpyxl turns any string
starting with ``=`` into a formula (``Cell._bind_value``), so the cell's ``data_type`` is
set back to ``"s"`` and the writer stores it as an inline string, never a formula.
"""

import datetime
import math
import numbers

import numpy as np
import pandas as pd
from openpyxl.utils.cell import range_to_tuple

MISSING = "#N/A"
"""Excel error written where a live (add-in) formula was removed from a filled report."""

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
    """Write a metric: a number; NaN (undefined) and ``None`` (no table) leave it empty.

    Returns True when a number was written.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> cells = Workbook().active["A1:C1"][0]
    >>> [write_metric(cell, value) for cell, value in zip(cells, [0.857, float("nan"), None])]
    [True, False, False]
    >>> [c.value for c in cells]
    [0.857, None, None]
    """
    if is_blank(value):
        cell.value = None
        return False
    cell.value = float(value)
    return True


def is_blank(value):
    """True for a metric with no value: ``None`` (no table) or NaN (undefined).

    >>> is_blank(None), is_blank(float("nan")), is_blank(0.0)
    (True, True, False)
    """
    return value is None or math.isnan(value)


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


def held_cells(worksheet):
    """Every cell ``worksheet`` holds (a value or a style), row by row.

    Unlike ``iter_rows``, which creates an empty cell at every place of the used range (and
    the writer then saves each one), this creates none. openpyxl keeps a sheet's cells in
    its ``_cells`` mapping; it has no public way to list them without creating the others.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> sheet = Workbook().active
    >>> sheet["C3"], sheet["A3"] = 1, 2
    >>> [c.coordinate for c in held_cells(sheet)], len(list(sheet.iter_rows())[0])
    (['A3', 'C3'], 3)
    """
    cells = worksheet._cells
    return [cells[place] for place in sorted(cells)]


def named_cells(workbook, name):
    """Every cell a workbook-level defined name points to, row by row; the name holds one
    range of one sheet, as every name of the report contract does.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> wb = Workbook()
    >>> wb.active.title = "Rapport mensuel"
    >>> wb.defined_names["kpi_nps"] = DefinedName("kpi_nps",
    ...                                           attr_text="'Rapport mensuel'!$B$2:$B$3")
    >>> [c.coordinate for c in named_cells(wb, "kpi_nps")]
    ['B2', 'B3']
    """
    sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(
        workbook.defined_names[name].attr_text)
    rows = workbook[sheet].iter_rows(min_row, max_row, min_col, max_col)
    return [cell for row in rows for cell in row]
