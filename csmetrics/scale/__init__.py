"""The engine's definitions as Ibis expressions: the work runs where the data is.

The table functions of :mod:`csmetrics` (:func:`~csmetrics.mrr_movements`,
:func:`~csmetrics.monthly_metrics`, :func:`~csmetrics.cohort_retention`, ...) hand an Ibis
table to this package: the customer movements, the monthly bridge, the cohorts and the
12-month retention are computed as queries by the table's backend (DuckDB, PostgreSQL,
Spark, a warehouse), and only the monthly sums come back to Python, where the same code
as the pandas engine's turns them into the same tables.

Conventions that hold on every backend: a month is the integer ``year * 12 + month - 1``
(no dialect's date arithmetic), money is summed in whole cents as 64-bit integers, so the
bridge balances to the cent. Ibis is an optional extra (``pip install
"csmetrics[scale]"``); nothing outside this package imports it.
"""

from csmetrics.scale.engine import (
    cohort_retention,
    cohort_sizes,
    customer_movements,
    monthly_metrics,
    mrr_movements,
    top_movements,
)

__all__ = [
    "cohort_retention",
    "cohort_sizes",
    "customer_movements",
    "monthly_metrics",
    "mrr_movements",
    "top_movements",
]
