"""csmetrics: customer-success and retention metrics, one definition each.

The pure core. Metric functions take numbers and array-likes and return floats; they raise
:class:`MetricError` (a ``ValueError``) with a message naming the argument at fault. The
Excel face lives in the ``udfs`` package and the report engine in ``csmetrics.report``;
neither is imported here. The pandas engine, :mod:`csmetrics.tables`, turns raw tables
(billing exports, invoices, surveys ...) into monthly metrics with these functions; its
names are re-exported here (``x as x``) but ``__all__`` lists the scalar metrics only.
"""

from csmetrics.errors import (
    DataError,
    ImpossibleValueError,
    InvalidTypeError,
    MetricError,
    ZeroDenominatorError,
)
from csmetrics.receivables import countback_dso, days_sales_outstanding
from csmetrics.retention import (
    customer_churn_rate,
    customer_retention_rate,
    product_return_rate,
    repeat_purchase_rate,
)
from csmetrics.revenue import (
    arpa,
    expansion_mrr_rate,
    gross_mrr_churn_rate,
    gross_revenue_retention,
    mrr,
    mrr_churn_rate,
    net_mrr_churn_rate,
    net_revenue_retention,
    quick_ratio,
    revenue_growth_rate,
)
from csmetrics.sample_data import sample_data_path as sample_data_path
from csmetrics.satisfaction import (
    NpsBreakdown,
    csat_score,
    customer_effort_score,
    first_contact_resolution_rate,
    net_promoter_score,
    nps_breakdown,
    nps_margin_of_error,
)
from csmetrics.tables import MOVEMENTS as MOVEMENTS
from csmetrics.tables import TABLE_NAMES as TABLE_NAMES
from csmetrics.tables import Dataset as Dataset
from csmetrics.tables import check_table as check_table
from csmetrics.tables import cohort_retention as cohort_retention
from csmetrics.tables import customer_movements as customer_movements
from csmetrics.tables import load_data as load_data
from csmetrics.tables import monthly_metrics as monthly_metrics
from csmetrics.tables import mrr_movements as mrr_movements
from csmetrics.tables import validate_data as validate_data
from csmetrics.unit_economics import (
    cac_payback_months,
    clv_cac_ratio,
    customer_acquisition_cost,
    customer_lifetime_value,
    discounted_ltv,
    subscription_ltv,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "ImpossibleValueError",
    "InvalidTypeError",
    "MetricError",
    "NpsBreakdown",
    "ZeroDenominatorError",
    "arpa",
    "cac_payback_months",
    "clv_cac_ratio",
    "countback_dso",
    "csat_score",
    "customer_acquisition_cost",
    "customer_churn_rate",
    "customer_effort_score",
    "customer_lifetime_value",
    "customer_retention_rate",
    "days_sales_outstanding",
    "discounted_ltv",
    "expansion_mrr_rate",
    "first_contact_resolution_rate",
    "gross_mrr_churn_rate",
    "gross_revenue_retention",
    "mrr",
    "mrr_churn_rate",
    "net_mrr_churn_rate",
    "net_promoter_score",
    "net_revenue_retention",
    "nps_breakdown",
    "nps_margin_of_error",
    "product_return_rate",
    "quick_ratio",
    "repeat_purchase_rate",
    "revenue_growth_rate",
    "subscription_ltv",
]
