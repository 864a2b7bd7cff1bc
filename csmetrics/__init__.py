"""csmetrics: customer-success and retention metrics, one definition each.

The pure core. Metric functions take numbers and array-likes and return floats; they raise
:class:`MetricError` (a ``ValueError``) with a message naming the argument at fault. The
Excel face lives in the ``udfs`` package and the report engine in ``csmetrics.report``;
neither is imported here. The pandas engine, :mod:`csmetrics.tables`, turns raw tables
(billing exports, invoices, surveys ...) into monthly metrics with these functions; its
names are re-exported here. ``SCALAR_METRICS`` (every public function of the metric
modules, found there rather than listed) and ``TABLE_METRICS`` list the metrics that have an
Excel function; each is exported here under its own name.
"""

import inspect

from csmetrics import receivables, retention, revenue, satisfaction, unit_economics
from csmetrics.billing import import_billing
from csmetrics.errors import (
    DataError,
    ImpossibleValueError,
    InvalidTypeError,
    MetricError,
    ZeroDenominatorError,
)
from csmetrics.sample_data import sample_data_path
from csmetrics.satisfaction import NpsBreakdown
from csmetrics.tables import (
    MOVEMENTS,
    TABLE_NAMES,
    Dataset,
    check_table,
    cohort_retention,
    customer_movements,
    load_data,
    monthly_metrics,
    mrr_movements,
    validate_data,
)

__version__ = "0.1.0"

METRIC_MODULES = (receivables, retention, revenue, satisfaction, unit_economics)
"""The modules of the core metric functions: their public functions are the metrics."""


def _public_functions(module):
    return [
        function for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


SCALAR_METRICS = tuple(
    sorted((f for module in METRIC_MODULES for f in _public_functions(module)),
           key=lambda function: function.__name__)
)
"""Every metric function of the core, by name; each has one Excel function (the UDF
registry, ``udfs/registry.py``, is held to this list by ``tests/test_udfs_registry.py``)."""

TABLE_METRICS = (mrr_movements, cohort_retention)

globals().update((function.__name__, function) for function in SCALAR_METRICS)

__all__ = [
    "DataError",
    "Dataset",
    "ImpossibleValueError",
    "InvalidTypeError",
    "MOVEMENTS",
    "MetricError",
    "NpsBreakdown",
    "SCALAR_METRICS",
    "TABLE_METRICS",
    "TABLE_NAMES",
    "ZeroDenominatorError",
    "check_table",
    "cohort_retention",
    "customer_movements",
    "import_billing",
    "load_data",
    "monthly_metrics",
    "mrr_movements",
    "sample_data_path",
    "validate_data",
]
__all__ += [function.__name__ for function in SCALAR_METRICS]
