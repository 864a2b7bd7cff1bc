"""Read what Excel hands a UDF into what a core function takes.

xlwings gives a range as nested lists (``None`` for a blank cell) and a single cell as a
scalar; with ``err_to_str=True`` an error cell arrives as its text (``"#N/A"``). The rules
run argument by argument, left to right, cell by cell in reading order, and the first
problem met decides the result:

- an Excel error value in an input cell is passed on unchanged, as Excel's own functions
  do: every one of ``EXCEL_ERRORS``, the seven classic ones and those of newer Excel
  versions (``#SPILL!``, ``#CALC!``, ...), in a range as in a single cell. xlwings Lite
  hands each over as its text; the classic add-in hands the seven classic ones over as
  text and the newer ones as their COM error code, an ``int`` (``COM_ERRORS``), which is
  read as the error it stands for, never as a number. Any other text is text;
- a single-number argument must be a number: text, a blank or TRUE/FALSE is ``#VALUE!``;
  an optional one left blank takes its default;
- in a range, blanks, text and TRUE/FALSE are skipped, like Excel's AVERAGE;
- a date is ``#VALUE!`` wherever it appears: no csmetrics argument is a date, and a date in
  a score or amount range means the wrong column was selected (skipping it would give a
  plausible wrong number). xlwings Lite and Server hand dates over as serial numbers, which
  cannot be told apart from numbers;
- NaN and infinities (no Excel cell holds them; they come from Python callers) are
  ``#NUM!``, like Excel's own numeric overflow; so is an integer too large for a float;
- a ``JsNull`` (how xlwings Lite before 0.36.7 handed a blank cell over from Pyodide) is a
  blank.

A range is read in one vectorised pass (:func:`flat_cells`, then numpy over the cells'
types): Excel recalculates a formula over 100,000 cells on every change. The rules are
those of one cell (:func:`_read_cell`), applied to the first cell that breaks one.

Each failure is a :class:`~csmetrics.errors.MetricError` whose message names the argument.
"""

import datetime as dt
import math
from decimal import Decimal
from itertools import chain
from numbers import Real

import numpy as np

from csmetrics.errors import ImpossibleValueError, InvalidTypeError, MetricError

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!",
                "#CALC!", "#BUSY!", "#EXTERNAL!", "#PYTHON!")
"""Every Excel error value, as text: the seven classic ones, then those of newer Excel
versions (VBA's ``XlCVError`` and Office.js' ``ErrorCellValueType``)."""

XL_CV_ERRORS = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!",
                2029: "#NAME?", 2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA",
                2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!", 2048: "#UNKNOWN!",
                2049: "#FIELD!", 2050: "#CALC!"}
"""Excel's cell error numbers (``XlCVError``, what VBA's ``CVErr`` takes) and their text:
Microsoft's page lists the seven classic ones and ``xlErrSpill``; the others are those of
Excel's type library."""

COM_ERRORS = {number + 0x800A0000 - 2**32: XL_CV_ERRORS.get(number, "#VALUE!")
              for number in range(2000, 2100)}
"""An error cell as the classic add-in hands it over when xlwings does not name it: the
signed COM error code ``0x800A0000 + n`` of its error number ``n``, an ``int`` (no number
from Excel arrives as one: COM hands numbers over as floats). A code of the error block
unknown here (Excel may add errors) is ``#VALUE!``."""

BOOLEANS = (bool, np.bool_)
DATES = (dt.date, dt.time, np.datetime64)
SEQUENCES = (list, tuple, np.ndarray)
NUMBERS = (Real, Decimal)
"""Types of a number cell: Python's real numbers, and ``Decimal``, which the classic add-in
hands a cell formatted as currency or accounting over as (pywin32 reads COM's currency
type so; xlwings issues 65 and 640)."""
JS_NULL = "JsNull"
"""Type name of Pyodide's ``pyodide.ffi.jsnull``, JavaScript's ``null`` in Python."""

_type_of = np.frompyfunc(type, 1, 1)
_is_excel_error = np.frompyfunc(frozenset(EXCEL_ERRORS).__contains__, 1, 1)
_com_error_text = np.frompyfunc(COM_ERRORS.get, 1, 1)
_LOWEST_COM_ERROR, _HIGHEST_COM_ERROR = min(COM_ERRORS), max(COM_ERRORS)


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

    A Lite ``JsNull`` is a blank, and a COM error code of the classic add-in its error:

    >>> list(cells([[9], [-2146826243]]))
    [9, '#SPILL!']
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from cells(item)
    elif _is_js_null(value):
        yield None
    elif type(value) is int:
        yield COM_ERRORS.get(value, value)
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
    """A range argument as a float array: blanks, text and booleans are skipped.

    >>> numbers("scores", [[10], [None], ["n/a"], [True], [7]])
    array([10.,  7.])
    >>> numbers("scores", [[9], ["#N/A"]])
    Traceback (most recent call last):
    ...
    udfs.coerce.InputCellError: scores holds the Excel error #N/A (from an input cell)
    """
    flat, types = flat_cells(value)
    kept = np.zeros(flat.size, dtype=bool)
    broken = error_cells(flat, types)
    for kind in set(types):
        if _skipped(kind):
            continue
        if issubclass(kind, NUMBERS) and not issubclass(kind, DATES):
            kept |= types == kind
        else:
            broken |= types == kind
    values = _floats(flat[kept])
    broken[np.flatnonzero(kept)[~np.isfinite(values)]] = True
    if broken.any():
        position = int(np.argmax(broken))
        _raise_for_cell(name, position + 1, flat[position])
    return values


def flat_cells(value):
    """Every cell of ``value`` as a 1-D object array in reading order, and each cell's type.

    A range as xlwings gives it (a list of row lists) is flattened in one pass; any other
    shape cell by cell, as :func:`cells` does.

    >>> flat, types = flat_cells([[1.5, None], ["a", 2]])
    >>> flat.tolist(), [t.__name__ for t in types]
    ([1.5, None, 'a', 2], ['float', 'NoneType', 'str', 'int'])
    """
    if isinstance(value, list) and set(map(type, value)) <= {list, tuple}:
        flat = _objects(list(chain.from_iterable(value)))
        types = _type_of(flat)
        if not any(issubclass(kind, SEQUENCES) for kind in set(types)):
            if int in set(types):
                _name_com_errors(flat, types)
            return flat, types
    flat = _objects(list(cells(value)))
    return flat, _type_of(flat)


def _name_com_errors(flat, types):
    """Replace, in place, each COM error code among the ``int`` cells by its error text."""
    integers = np.flatnonzero(np.equal(types, int))
    try:
        numbers = flat[integers].astype(np.int64)
        integers = integers[(numbers >= _LOWEST_COM_ERROR) & (numbers <= _HIGHEST_COM_ERROR)]
    except OverflowError:  # a number past 64 bits is no error code: each is looked up
        pass
    texts = _com_error_text(flat[integers])
    named = texts.astype(bool)
    flat[integers[named]] = texts[named]
    types[integers[named]] = str


def column(name, value):
    """A column of a raw table, cell by cell: blanks stay ``None``, values stay as given
    but for a ``Decimal`` (a currency-formatted cell of the classic add-in), which becomes
    the float any other number cell is.

    An error cell is passed on; an integer too large for a float (no cell holds one; a
    Python caller may) is ``#NUM!``, as in a range.

    >>> column("months", [["2025-01"], [None], [45689]])
    ['2025-01', None, 45689]
    """
    flat, types = flat_cells(value)
    broken = error_cells(flat, types)
    for kind in set(types):
        if kind.__name__ == JS_NULL:
            flat[types == kind] = None
        elif issubclass(kind, Decimal):
            flat[types == kind] = _floats(flat[types == kind])
        elif issubclass(kind, int) and not issubclass(kind, BOOLEANS):
            integers = np.flatnonzero(types == kind)
            broken[integers[~np.isfinite(_floats(flat[integers]))]] = True
    if broken.any():
        position = int(np.argmax(broken))
        _raise_for_cell(name, position + 1, flat[position])
    return flat.tolist()


def error_cells(flat, types):
    """Which cells of ``flat`` (see :func:`flat_cells`) hold an Excel error value.

    >>> error_cells(*flat_cells([["#N/A", "n/a", 3]])).tolist()
    [True, False, False]
    """
    found = np.zeros(flat.size, dtype=bool)
    for kind in set(types):
        if issubclass(kind, str):
            text = types == kind
            found[text] = _is_excel_error(flat[text]).astype(bool)
    return found


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


def _raise_for_cell(name, position, item):
    """Raise the error of the range cell ``item``, which breaks one of the rules."""
    _pass_on_error(name, item)
    _real(f"{name} (cell {position} of the range)", item)


def _skipped(kind):
    """True for the types of cells a range skips: blanks, text and booleans."""
    return kind is type(None) or kind.__name__ == JS_NULL or issubclass(kind, (str, *BOOLEANS))


def _is_js_null(item):
    return type(item).__name__ == JS_NULL


def _objects(items):
    """A 1-D object array of ``items``, never broadcast into more dimensions."""
    return np.fromiter(items, dtype=object, count=len(items))


def _floats(number_cells):
    """Number cells as floats; an integer too large for a float becomes inf and a signalling
    NaN Decimal NaN (then #NUM!)."""
    try:
        return number_cells.astype(float)
    except (OverflowError, ValueError):
        return np.array([_float_or_inf(item) for item in number_cells], dtype=float)


def _float_or_inf(item):
    try:
        return float(item)
    except OverflowError:
        return math.inf
    except ValueError:  # Decimal("sNaN")
        return math.nan


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
    if not isinstance(item, NUMBERS):
        raise InvalidTypeError(f"{name} must be a number, got {type(item).__name__}")
    try:
        result = float(item)
    except OverflowError:
        raise ImpossibleValueError(f"{name} is too large: {item}") from None
    except ValueError:  # Decimal("sNaN")
        result = math.nan
    if not math.isfinite(result):
        raise ImpossibleValueError(f"{name} must be a finite number, got {result}")
    return result
