"""The one error hierarchy of csmetrics.

Every error a metric raises on purpose is a :class:`MetricError` (a ``ValueError``) that
carries the Excel error value the Excel face shows for it. Anything else that escapes a
metric is a bug and is left to fail loudly.
"""


class MetricError(ValueError):
    """A metric cannot be computed from the arguments given.

    ``excel_error`` is the Excel error value that stands for this failure in a cell.
    """

    excel_error = "#VALUE!"


class InvalidTypeError(MetricError):
    """An argument is not a number (text, a boolean, a blank where a number is needed)."""

    excel_error = "#VALUE!"


class ZeroDenominatorError(MetricError):
    """A denominator is zero or a sample is empty: Excel's ``#DIV/0!``."""

    excel_error = "#DIV/0!"


class ImpossibleValueError(MetricError):
    """A value no real business can have: a negative count, a score outside its scale,
    more customers lost than there were. Excel's ``#NUM!``."""

    excel_error = "#NUM!"


class DataError(MetricError):
    """A raw table (billing export, invoices, surveys ...) is not usable as given.

    The message names the table, the row as the user sees it (the record of a CSV file, a
    sheet row) and the column, so the user can find and fix the cell. ``line`` is the line
    a text editor shows when it differs from the record (after a quoted line break).
    ``reason`` is the message without the place (what ``--json`` records show beside it).

    >>> error = DataError("must be >= 0, got -1", table="mrr", row=3, column="mrr")
    >>> str(error), error.reason
    ("table 'mrr', row 3, column 'mrr': must be >= 0, got -1", 'must be >= 0, got -1')
    """

    def __init__(self, message, *, table=None, row=None, column=None, line=None):
        shown_row = f"row {row}" if row is not None else ""
        if line is not None and line != row:
            shown_row += f" (line {line} in a text editor)"
        where = ", ".join(
            part
            for part in (
                f"table '{table}'" if table is not None else "",
                shown_row,
                f"column '{column}'" if column is not None else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.table = table
        self.row = row
        self.column = column
        self.line = line
