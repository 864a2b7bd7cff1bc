"""csmetrics: customer-success and retention metrics, one definition each.

The pure core. Metric functions take numbers and array-likes and return floats; they raise
:class:`MetricError` (a ``ValueError``) with a message naming the argument at fault. The
Excel face lives in the ``udfs`` package and the report engine in ``csmetrics.report``;
neither is imported here. The pandas engine, :mod:`csmetrics.tables`, turns raw tables
(billing exports, invoices, surveys ...) into monthly metrics with these functions; its
names are re-exported here. ``SCALAR_METRICS`` and ``TABLE_METRICS`` list the metrics that
have an Excel function.
"""

from csmetrics.billing import import_billing
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
from csmetrics.sample_data import sample_data_path
from csmetrics.satisfaction import (
    NpsBreakdown,
    csat_score,
    customer_effort_score,
    first_contact_resolution_rate,
    net_promoter_score,
    nps_breakdown,
    nps_margin_of_error,
)
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
from csmetrics.unit_economics import (
    cac_payback_months,
    clv_cac_ratio,
    customer_acquisition_cost,
    customer_lifetime_value,
    discounted_ltv,
    subscription_ltv,
)

__version__ = "0.1.0"

SCALAR_METRICS = (
    arpa,
    cac_payback_months,
    clv_cac_ratio,
    countback_dso,
    csat_score,
    customer_acquisition_cost,
    customer_churn_rate,
    customer_effort_score,
    customer_lifetime_value,
    customer_retention_rate,
    days_sales_outstanding,
    discounted_ltv,
    expansion_mrr_rate,
    first_contact_resolution_rate,
    gross_mrr_churn_rate,
    gross_revenue_retention,
    mrr,
    mrr_churn_rate,
    net_mrr_churn_rate,
    net_promoter_score,
    net_revenue_retention,
    nps_breakdown,
    nps_margin_of_error,
    product_return_rate,
    quick_ratio,
    repeat_purchase_rate,
    revenue_growth_rate,
    subscription_ltv,
)

TABLE_METRICS = (mrr_movements, cohort_retention)

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
    "arpa",
    "cac_payback_months",
    "check_table",
    "clv_cac_ratio",
    "cohort_retention",
    "countback_dso",
    "csat_score",
    "customer_acquisition_cost",
    "customer_churn_rate",
    "customer_effort_score",
    "customer_lifetime_value",
    "customer_movements",
    "customer_retention_rate",
    "days_sales_outstanding",
    "discounted_ltv",
    "expansion_mrr_rate",
    "first_contact_resolution_rate",
    "gross_mrr_churn_rate",
    "gross_revenue_retention",
    "import_billing",
    "load_data",
    "monthly_metrics",
    "mrr",
    "mrr_churn_rate",
    "mrr_movements",
    "net_mrr_churn_rate",
    "net_promoter_score",
    "net_revenue_retention",
    "nps_breakdown",
    "nps_margin_of_error",
    "product_return_rate",
    "quick_ratio",
    "repeat_purchase_rate",
    "revenue_growth_rate",
    "sample_data_path",
    "subscription_ltv",
    "validate_data",
]
