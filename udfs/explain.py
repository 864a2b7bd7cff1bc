"""CS_EXPLAIN: the message behind an Excel error value, in words a user can act on.

A cell shows ``#DIV/0!``; ``=CS_EXPLAIN("CS_CRR", B2, B3, B4)`` in the next cell shows
``CS_CRR: customers_start must be > 0, got 0``. The message is also logged (logger
``udfs.explain``, level WARNING), which xlwings shows in its console or task pane.
"""

import logging

import xlwings as xw

from csmetrics.errors import MetricError
from udfs import coerce
from udfs.factory import CATEGORY, compute, guarded
from udfs.registry import REGISTRY

logger = logging.getLogger(__name__)

BY_NAME = {spec.excel_name: spec for spec in REGISTRY}
FUNCTION_NAME_DOC = 'Name of the csmetrics function, as text: "CS_CRR" (the CS_ is optional).'
ARGUMENTS_DOC = "The arguments you gave that function, in the same order."


@xw.func(category=CATEGORY)
@xw.arg("function_name", doc=FUNCTION_NAME_DOC, err_to_str=True)
@xw.arg("arguments", doc=ARGUMENTS_DOC, err_to_str=True)
def CS_EXPLAIN(function_name, *arguments):
    """Why a csmetrics function gives an error: the message for these arguments, or OK."""
    return guarded("CS_EXPLAIN", lambda: explanation(function_name, arguments))


def explanation(function_name, arguments):
    """The error message of ``function_name`` run on ``arguments``, or ``"OK"``.

    >>> explanation("CS_CRR", (0, 90, 30))
    'CS_CRR: customers_start must be > 0, got 0'
    >>> explanation("crr", (70, 90, 30))
    'OK'
    """
    spec = _find(function_name)
    if isinstance(spec, str):
        return _logged(spec)
    names = ", ".join(arg.name for arg in spec.args)
    if len(arguments) > len(spec.args):
        return _logged(
            f"{spec.excel_name} takes {len(spec.args)} arguments ({names}), "
            f"got {len(arguments)}"
        )
    values = list(arguments) + [None] * (len(spec.args) - len(arguments))
    try:
        compute(spec, values)
    except MetricError as error:
        return _logged(f"{spec.excel_name}: {error}")
    logger.info("%s: OK", spec.excel_name)
    return "OK"


def _find(function_name):
    """The registry entry named ``function_name``, or a message saying what is wrong."""
    values = list(coerce.cells(function_name))
    name = values[0] if len(values) == 1 else None
    if not isinstance(name, str) or name in coerce.EXCEL_ERRORS:
        return f'function_name must be a function name as text, like "CS_CRR"; got {name!r}'
    key = name.strip().upper()
    key = key if key.startswith("CS_") else f"CS_{key}"
    if key not in BY_NAME:
        return f"unknown function {name!r}; csmetrics has {', '.join(BY_NAME)}"
    return BY_NAME[key]


def _logged(message):
    """``message``, after logging it as a warning."""
    logger.warning(message)
    return message
