"""Read what Excel hands a UDF into what a core function takes.

xlwings gives a range as nested lists (``None`` for a blank cell) and a single cell as a
scalar; with ``err_to_str=True`` an error cell arrives as its text (``"#N/A"``). The rules
run argument by argument, left to right, cell by cell in reading order, and the first
problem met decides the result:

- an Excel error value in an input cell is passed on unchanged, as Excel's own functions
  do (the seven classic ones of ``EXCEL_ERRORS``, which every xlwings integration can hand
  back as a real error; any other text is text);
- a single-number argument must be a number: text, a blank or TRUE/FALSE is ``#VALUE!``;
  an optional one left blank takes its default;
- in a range, blanks, text and TRUE/FALSE are skipped, like Excel's AVERAGE;
- a date is ``#VALUE!`` wherever it appears: no csmetrics argument is a date, and a date in
  a score or amount range means the wrong column was selected (skipping it would give a
  plausible wrong number). xlwings Lite and Server hand dates over as serial numbers, which
  cannot be told apart from numbers;
- NaN and infinities (no Excel cell holds them; they come from Python callers) are
  ``#NUM!``, like Excel's own numeric overflow; so is an integer too large for a float.

Each failure is a :class:`~csmetrics.errors.MetricError` whose message names the argument.
"""

import datetime as dt
import math
from numbers import Real

import numpy as np

from csmetrics.errors import ImpossibleValueError, InvalidTypeError, MetricError

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")

BOOLEANS = (bool, np.bool_)


class InputCellError(MetricError):
    """An input cell holds an Excel error value, which the UDF returns unchanged."""

    def __init__(self, name, error):
        super().__init__(f"{name} holds the Excel error {error} (from an input cell)")
        self.excel_error = error


def cells(value):
    """Every cell of a value as Excel hands it, in reading order (row by row).

    >>> list(cells([[1, None], ["a", 2]]))
    [1, None, 'a', 2]
    >>> list(cells(5))
    [5]
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from cells(item)
    else:
        yield value


def number(name, value):
    """A single-number argument as a float.

    >>> number("customers_start", [[70]])
    70.0
    >>> number("customers_start", None)
    Traceback (most recent call last):
    ...
    csmetrics.errors.InvalidTypeError: customers_start is blank: give a number
    """
    values = list(cells(value))
    for item in values:
        _pass_on_error(name, item)
    if len(values) > 1:
        raise InvalidTypeError(f"{name} must be a single cell, got {len(values)} cells")
    if not values or values[0] is None:
        raise InvalidTypeError(f"{name} is blank: give a number")
    return _real(name, values[0])


def optional_number(name, value, default):
    """An optional single-number argument: blank (or omitted) takes ``default``.

    >>> optional_number("days", None, 365)
    365
    >>> optional_number("days", 30, 365)
    30.0
    """
    if all(item is None for item in cells(value)):
        return default
    return number(name, value)


def numbers(name, value):
    """A range argument as a list of floats: blanks, text and booleans are skipped.

    >>> numbers("scores", [[10], [None], ["n/a"], [True], [7]])
    [10.0, 7.0]
    >>> numbers("scores", [[9], ["#N/A"]])
    Traceback (most recent call last):
    ...
    udfs.coerce.InputCellError: scores holds the Excel error #N/A (from an input cell)
    """
    kept = []
    for position, item in enumerate(cells(value), start=1):
        _pass_on_error(name, item)
        if item is None or isinstance(item, (str, *BOOLEANS)):
            continue
        kept.append(_real(f"{name} (cell {position} of the range)", item))
    return kept


def column(name, value):
    """A column of a raw table, cell by cell: blanks stay ``None``, values stay as given.

    >>> column("months", [["2025-01"], [None], [45689]])
    ['2025-01', None, 45689]
    """
    values = list(cells(value))
    for item in values:
        _pass_on_error(name, item)
    return values


def optional_text(name, value, default):
    """An optional text argument: blank (or omitted) takes ``default``.

    >>> optional_text("mode", None, "logo"), optional_text("mode", [["revenue"]], "logo")
    ('logo', 'revenue')
    """
    values = list(cells(value))
    if all(item is None for item in values):
        return default
    for item in values:
        _pass_on_error(name, item)
    if len(values) > 1:
        raise InvalidTypeError(f"{name} must be a single cell, got {len(values)} cells")
    if not isinstance(values[0], str):
        raise InvalidTypeError(f"{name} must be text, got {values[0]!r}")
    return values[0]


def _pass_on_error(name, item):
    """Raise :class:`InputCellError` when ``item`` is an Excel error value."""
    if isinstance(item, str) and item in EXCEL_ERRORS:
        raise InputCellError(name, item)


def _real(name, item):
    """A finite float from one cell, or the MetricError that says what is wrong."""
    if isinstance(item, (dt.date, dt.time, np.datetime64)):
        raise InvalidTypeError(f"{name} must be a number, got the date {item}")
    if isinstance(item, str):
        raise InvalidTypeError(f"{name} must be a number, got the text {item!r}")
    if isinstance(item, BOOLEANS):
        raise InvalidTypeError(f"{name} must be a number, got {str(bool(item)).upper()}")
    if not isinstance(item, Real):
        raise InvalidTypeError(f"{name} must be a number, got {type(item).__name__}")
    try:
        result = float(item)
    except OverflowError:
        raise ImpossibleValueError(f"{name} is too large: {item}") from None
    if not math.isfinite(result):
        raise ImpossibleValueError(f"{name} must be a finite number, got {result}")
    return result
