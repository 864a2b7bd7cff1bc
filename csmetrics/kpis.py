"""The monthly KPIs: one key per column of ``monthly_metrics`` and per ``kpi_<key>`` name.

This table is the contract between the engine (which fills the columns), the templates
(which name their cells ``kpi_<key>`` and format them by ``kind``) and the documentation.
"""

from typing import NamedTuple

MONEY = "money"
PERCENT = "percent"
COUNT = "count"
DAYS = "days"
MONTHS = "months"
RATIO = "ratio"
SCORE = "score"


class Kpi(NamedTuple):
    """One monthly KPI: its column key, how to show it, and what it means in English."""

    key: str
    kind: str
    label: str


KPIS = (
    Kpi("mrr_start", MONEY, "MRR at start of month"),
    Kpi("new", MONEY, "New MRR"),
    Kpi("expansion", MONEY, "Expansion MRR"),
    Kpi("contraction", MONEY, "Contraction MRR"),
    Kpi("churned", MONEY, "Churned MRR"),
    Kpi("reactivation", MONEY, "Reactivation MRR"),
    Kpi("mrr_end", MONEY, "MRR at end of month"),
    Kpi("customers_start", COUNT, "Customers at start"),
    Kpi("customers_new", COUNT, "New customers"),
    Kpi("customers_lost", COUNT, "Customers lost"),
    Kpi("customers_end", COUNT, "Customers at end"),
    Kpi("crr", PERCENT, "Customer retention rate"),
    Kpi("logo_churn", PERCENT, "Customer (logo) churn rate"),
    Kpi("gross_mrr_churn", PERCENT, "Gross MRR churn"),
    Kpi("net_mrr_churn", PERCENT, "Net MRR churn"),
    Kpi("mrr_churn", PERCENT, "Revenue churn (source formula)"),
    Kpi("expansion_rate", PERCENT, "Expansion rate"),
    Kpi("grr", PERCENT, "Gross revenue retention"),
    Kpi("nrr", PERCENT, "Net revenue retention"),
    Kpi("revenue_growth", PERCENT, "MRR growth"),
    Kpi("quick_ratio", RATIO, "Quick ratio"),
    Kpi("arpa", MONEY, "ARPA"),
    Kpi("nps", SCORE, "Net Promoter Score"),
    Kpi("nps_moe", SCORE, "NPS margin of error (95 %)"),
    Kpi("nps_responses", COUNT, "NPS responses"),
    Kpi("csat", PERCENT, "Customer satisfaction (CSAT)"),
    Kpi("ces", SCORE, "Customer effort score (CES)"),
    Kpi("fcr", PERCENT, "First contact resolution"),
    Kpi("repeat_purchase_rate", PERCENT, "Repeat purchase rate"),
    Kpi("return_rate", PERCENT, "Product return rate"),
    Kpi("credit_sales", MONEY, "Credit sales"),
    Kpi("receivables", MONEY, "Receivables at month end"),
    Kpi("dso", DAYS, "Days sales outstanding"),
    Kpi("dso_countback", DAYS, "DSO (countback)"),
    Kpi("ar_current", MONEY, "Receivables not yet due"),
    Kpi("ar_1_30", MONEY, "Receivables 1-30 days overdue"),
    Kpi("ar_31_60", MONEY, "Receivables 31-60 days overdue"),
    Kpi("ar_61_90", MONEY, "Receivables 61-90 days overdue"),
    Kpi("ar_over_90", MONEY, "Receivables over 90 days overdue"),
    Kpi("sales_marketing_cost", MONEY, "Sales and marketing cost"),
    Kpi("cac", MONEY, "Customer acquisition cost"),
    Kpi("ltv", MONEY, "Customer lifetime value (subscription)"),
    Kpi("clv_cac", RATIO, "CLV / CAC"),
    Kpi("cac_payback_months", MONTHS, "CAC payback (months)"),
)

KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}
