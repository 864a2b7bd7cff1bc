"""Turn a registry entry into an xlwings UDF: read the arguments, call the core, map errors.

A UDF returns a float, a 2-D list that spills, or an Excel error string. A
:class:`~csmetrics.errors.MetricError` becomes its ``excel_error``; NaN and infinities
become ``#NUM!``. Any other exception is a bug: it is logged and shown as ``#VALUE!`` (a
UDF never raises into Excel), unless ``CSMETRICS_STRICT_UDFS=1`` is set, as the test
suite does, so that bugs fail tests instead of hiding behind ``#VALUE!``.
"""

import inspect
import logging
import math
import os
from numbers import Real

import xlwings as xw

from csmetrics.errors import MetricError
from udfs import coerce
from udfs.spec import Kind

logger = logging.getLogger(__name__)

CATEGORY = "csmetrics"
STRICT_ENV = "CSMETRICS_STRICT_UDFS"


def make_udf(spec):
    """The xlwings-decorated function for ``spec``, named after its Excel name.

    Its signature is the Excel arguments (optional ones with their defaults) and its
    docstring the help line, which is what xlwings reads to register it.
    """
    signature = inspect.Signature(
        inspect.Parameter(
            arg.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=arg.default if arg.optional else inspect.Parameter.empty,
        )
        for arg in spec.args
    )

    def udf(*args, **kwargs):
        def run():
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return compute(spec, list(bound.arguments.values()))

        return guarded(spec.excel_name, run)

    udf.__name__ = udf.__qualname__ = spec.excel_name
    udf.__doc__ = spec.help
    udf.__signature__ = signature
    udf.__module__ = "udfs"
    for arg in reversed(spec.args):
        udf = xw.arg(arg.name, doc=arg.doc, err_to_str=True)(udf)
    return xw.func(category=CATEGORY)(udf)


def compute(spec, values):
    """Run ``spec`` on Excel argument values given in Excel order.

    Raises the :class:`~csmetrics.errors.MetricError` that says what is wrong.
    """
    kwargs = {arg.keyword: read(arg, value) for arg, value in zip(spec.args, values, strict=True)}
    if spec.inputs:
        kwargs = spec.inputs(**kwargs)
    result = spec.core(**kwargs)
    return to_cells(spec.table(result) if spec.table else result)


def read(arg, value):
    """One argument as the core function takes it (see :mod:`udfs.coerce`)."""
    if arg.kind is Kind.NUMBER:
        return coerce.number(arg.name, value)
    if arg.kind is Kind.RANGE:
        return coerce.numbers(arg.name, value)
    if arg.kind is Kind.COLUMN:
        return coerce.column(arg.name, value)
    if arg.kind is Kind.OPTIONAL_TEXT:
        return coerce.optional_text(arg.name, value, arg.default)
    return coerce.optional_number(arg.name, value, arg.default)


def guarded(name, run):
    """``run()``, with metric errors mapped to Excel errors and bugs kept out of Excel."""
    try:
        return run()
    except MetricError as error:
        logger.info("%s: %s", name, error)
        return error.excel_error
    except Exception:
        if strict():
            raise
        logger.exception("%s failed: this is a bug in csmetrics", name)
        return "#VALUE!"


def strict():
    """True when ``CSMETRICS_STRICT_UDFS=1``: unexpected exceptions are re-raised."""
    return os.environ.get(STRICT_ENV) == "1"


def to_cells(result):
    """A core result as cell values: one value, or a rectangular 2-D list (a spill).

    >>> to_cells(0.5), to_cells(float("nan"))
    (0.5, '#NUM!')
    >>> to_cells([["nps"], [16]])
    [['nps'], [16.0]]
    """
    if not isinstance(result, (list, tuple)):
        return _cell(result)
    rows = [list(row) for row in result if isinstance(row, (list, tuple))]
    widths = {len(row) for row in rows}
    if not rows or len(rows) != len(result) or len(widths) != 1 or 0 in widths:
        raise TypeError(f"a spilled result must be a non-empty rectangular table, got {rows!r}")
    return [[_cell(value) for value in row] for row in rows]


def _cell(value):
    """One value as Excel can show it: float, text or blank; NaN and infinities are #NUM!."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Real) and not isinstance(value, bool):
        value = float(value)
        return value if math.isfinite(value) else "#NUM!"
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot go in a cell")
