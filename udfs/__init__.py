"""csmetrics in Excel: the xlwings functions (UDFs) users type in cells.

Point the xlwings add-in's "UDF Modules" setting at ``udfs``. Every Excel function of
:mod:`udfs.registry` is an attribute of this module (xlwings looks for ``__xlfunc__`` on
the module's members), plus :func:`CS_EXPLAIN`. The functions only read arguments and map
errors; the metrics themselves are the ``csmetrics`` core functions.
"""

from udfs.explain import CS_EXPLAIN
from udfs.factory import make_udf
from udfs.registry import REGISTRY

UDFS = {spec.excel_name: make_udf(spec) for spec in REGISTRY}
globals().update(UDFS)

__all__ = ["CS_EXPLAIN", "UDFS", *UDFS]
