"""Test helpers for the Excel face: what Excel can hand a UDF, and how to call one.

Strict UDFs (a bug inside a UDF raises instead of showing as ``#VALUE!``) are switched on
by the ``strict_udfs`` fixture of ``conftest.py``, not by importing this module.
"""

import math

from hypothesis import strategies as st

from udfs.spec import Kind

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
"""The seven classic Excel error values, written out here (not imported from ``udfs``):
the ones every xlwings integration hands a UDF as an error (xlwings 0.37: ``cell_errors``
of ``_xlwindows.py`` and ``_xlmac.py``, ``errorstr_to_errortype`` of
``pro/_xlofficejs.py``)."""
NEWER_EXCEL_ERRORS = ("#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                      "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!", "#DATA!")
"""Error values of newer Excel versions that xlwings does not hand over as errors."""
FACE_ERRORS = ("#DIV/0!", "#NUM!", "#VALUE!", "#N/A")

numbers = st.one_of(
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=0, max_value=11),
)
texts = st.one_of(st.text(max_size=8), st.sampled_from(EXCEL_ERRORS + NEWER_EXCEL_ERRORS))
dates = st.one_of(st.dates(), st.datetimes())
cell_values = st.one_of(numbers, st.none(), texts, st.booleans(), dates)
excel_values = st.recursive(cell_values, lambda inner: st.lists(inner, max_size=5), max_leaves=20)


def is_cell_result(value):
    """True for what a UDF may put in a cell: a finite float or an Excel error string."""
    if isinstance(value, str):
        return value in EXCEL_ERRORS
    return isinstance(value, float) and math.isfinite(value)


def holds_error(value):
    """True when any cell of a (nested) value is an Excel error string."""
    if isinstance(value, list):
        return any(holds_error(item) for item in value)
    return isinstance(value, str) and value in EXCEL_ERRORS


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
