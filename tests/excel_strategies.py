"""Test helpers for the Excel face: what Excel can hand a UDF, and how to call one.

Strict UDFs (a bug inside a UDF raises instead of showing as ``#VALUE!``) are switched on
by the ``strict_udfs`` fixture of ``conftest.py``, not by importing this module.
"""

import math

from hypothesis import strategies as st

from udfs.spec import Kind

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!",
                "#CALC!", "#BUSY!", "#EXTERNAL!", "#PYTHON!")
"""Every Excel error value, written out here (not imported from ``udfs``): the seven
classic ones, then those of newer Excel versions, from VBA's ``XlCVError``
(https://learn.microsoft.com/office/vba/api/excel.xlcverror) and Office.js'
``ErrorCellValueType`` (https://learn.microsoft.com/javascript/api/excel/excel.errorcellvaluetype).
xlwings Lite hands each over as its text (``basicValue`` of the Office.js error object,
``_clean_value_data_element`` of xlwings' ``pro/_xlofficejs.py``)."""
COM_ERROR_CODES = {
    -2146826288: "#NULL!", -2146826281: "#DIV/0!", -2146826273: "#VALUE!",
    -2146826265: "#REF!", -2146826259: "#NAME?", -2146826252: "#NUM!", -2146826246: "#N/A",
    -2146826245: "#GETTING_DATA", -2146826243: "#SPILL!", -2146826242: "#CONNECT!",
    -2146826241: "#BLOCKED!", -2146826240: "#UNKNOWN!", -2146826239: "#FIELD!",
    -2146826238: "#CALC!",
}
"""Error cells as the classic Windows add-in can hand them over: pywin32 gives an error
cell as the signed COM code 0x800A0000 + its ``XlCVError`` number (#NULL! 2000 is
-2147483648 + 0x0A0000 + 2000 = -2146826288; #SPILL! 2045 is -2146826243); xlwings names
the seven classic ones (``cell_errors`` of ``_xlwindows.py``) and leaves the others as
these integers."""
UNKNOWN_COM_ERROR_CODES = (-2146826244, -2146826237, -2146826189)
"""Codes of the same block (error numbers 2000 to 2099) no Excel error is known by, here
2044, 2051 and 2099: an error all the same, #VALUE!."""
FACE_ERRORS = ("#DIV/0!", "#NUM!", "#VALUE!", "#N/A")

numbers = st.one_of(
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=0, max_value=11),
    st.decimals(allow_nan=True, allow_infinity=True),  # currency cells, classic add-in
)
texts = st.one_of(st.text(max_size=8), st.sampled_from(EXCEL_ERRORS))
com_errors = st.sampled_from((*COM_ERROR_CODES, *UNKNOWN_COM_ERROR_CODES))
dates = st.one_of(st.dates(), st.datetimes())
cell_values = st.one_of(numbers, st.none(), texts, st.booleans(), dates, com_errors)
excel_values = st.recursive(cell_values, lambda inner: st.lists(inner, max_size=5), max_leaves=20)


def is_cell_result(value):
    """True for what a UDF may put in a cell: a finite float or an Excel error string."""
    if isinstance(value, str):
        return value in EXCEL_ERRORS
    return isinstance(value, float) and math.isfinite(value)


def holds_error(value):
    """True when any cell of a (nested) value is an Excel error string or COM error code."""
    if isinstance(value, list):
        return any(holds_error(item) for item in value)
    return excel_error_of(value) is not None


def excel_error_of(cell):
    """The Excel error a cell holds, as text, or None."""
    if isinstance(cell, str):
        return cell if cell in EXCEL_ERRORS else None
    if type(cell) is int and -2146826288 <= cell <= -2146826189:  # numbers 2000 to 2099
        return COM_ERROR_CODES.get(cell, "#VALUE!")
    return None


SHAPES = ("scalars and row ranges", "1x1 and column ranges", "ranges with blanks and text")


def excel_arguments(spec, kwargs, shape):
    """Positional Excel arguments for ``spec`` from core keyword arguments, in ``shape``.

    Optional arguments missing from ``kwargs`` are left out (first shape) or given as a
    blank cell, ``None`` (other shapes); both must take the default.
    """
    unknown = set(kwargs) - {arg.keyword for arg in spec.args}
    if unknown:
        raise ValueError(f"{spec.excel_name} has no Excel argument for {sorted(unknown)}")
    values = []
    for arg in spec.args:
        if arg.keyword not in kwargs:
            if shape != SHAPES[0]:
                values.append(None)
            continue
        values.append(_shaped(arg, kwargs[arg.keyword], shape))
    return values


def _shaped(arg, value, shape):
    if arg.kind is not Kind.RANGE:
        return float(value) if shape == SHAPES[0] else [[float(value)]]
    if shape == SHAPES[0]:
        return [float(v) for v in value]
    if shape == SHAPES[1]:
        return [[float(v)] for v in value]
    return [[float(v), None, "n/a", True, ""] for v in value] + [[None, False, "x", None, None]]
