"""From raw tables to monthly metrics: the pandas engine of csmetrics.

Read a data source (:func:`load_data`, :func:`validate_data`), follow each customer's MRR
(:func:`customer_movements`, :func:`mrr_movements`, :func:`cohort_retention`) and compute
every monthly KPI of :mod:`csmetrics.kpis` (:func:`monthly_metrics`). Ratios are always
computed by the core metric functions; nothing here imports openpyxl or xlwings (XLSX
input is read through pandas).
"""

from csmetrics.tables.cohorts import cohort_retention
from csmetrics.tables.io import Dataset, load_data, validate_data
from csmetrics.tables.metrics import monthly_metrics
from csmetrics.tables.movements import MOVEMENTS, customer_movements, mrr_movements
from csmetrics.tables.schema import TABLE_NAMES
from csmetrics.tables.validate import check_table

__all__ = [
    "MOVEMENTS",
    "TABLE_NAMES",
    "Dataset",
    "check_table",
    "cohort_retention",
    "customer_movements",
    "load_data",
    "monthly_metrics",
    "mrr_movements",
    "validate_data",
]
