"""The template workbooks: what each one holds and where it lives.

The ``.xlsx`` files under ``<lang>/`` are written by ``build_templates.py`` (``make
templates``) and committed; a test fails when they differ from what the generator makes.
The batch filler reads these constants (see ``CONTRACT_REPORTS.md``): the KPI keys each
template shows as ``kpi_<key>`` cells, and the Inputs tables it holds.
"""

from pathlib import Path

from csmetrics.kpis import COUNT, DAYS, MONEY, MONTHS, PERCENT, RATIO, SCORE
from csmetrics.report.labels import LANGUAGES

TEMPLATE_NAMES = (
    "monthly_kpi_report",
    "nps_survey",
    "receivables_dso",
    "unit_economics",
    "cohort_retention",
)

TEMPLATE_SECTIONS = {
    "monthly_kpi_report": (
        (
            "section_mrr",
            ("mrr_start", "new", "expansion", "reactivation", "contraction", "churned", "mrr_end"),
        ),
        (
            "section_customers",
            (
                "customers_start",
                "customers_new",
                "customers_lost",
                "customers_end",
                "crr",
                "logo_churn",
            ),
        ),
        (
            "section_revenue_retention",
            ("gross_mrr_churn", "net_mrr_churn", "expansion_rate", "grr", "nrr",
             "revenue_growth", "quick_ratio", "arpa"),
        ),
        ("section_experience", ("nps", "nps_responses", "csat", "ces", "fcr")),
        ("section_orders", ("repeat_purchase_rate", "return_rate")),
        ("section_receivables", ("credit_sales", "receivables", "dso")),
        (
            "section_unit_economics",
            ("sales_marketing_cost", "cac", "ltv", "clv_cac", "cac_payback_months"),
        ),
    ),
    "nps_survey": (("section_experience", ("nps", "nps_moe", "nps_responses")),),
    "receivables_dso": (
        ("section_receivables", ("credit_sales", "receivables", "dso", "dso_countback")),
        ("section_ageing", ("ar_current", "ar_1_30", "ar_31_60", "ar_61_90", "ar_over_90")),
    ),
    "unit_economics": (
        (
            "section_customers",
            ("customers_start", "customers_new", "customers_lost", "customers_end",
             "logo_churn"),
        ),
        ("section_mrr", ("mrr_end", "arpa")),
        (
            "section_unit_economics",
            ("sales_marketing_cost", "cac", "ltv", "clv_cac", "cac_payback_months"),
        ),
    ),
    "cohort_retention": (
        (
            "section_customers",
            ("customers_start", "customers_new", "customers_lost", "customers_end", "crr",
             "logo_churn"),
        ),
    ),
}
"""Each template's KPI block: (section text key, KPI keys) in the order shown."""

TEMPLATE_KPIS = {
    name: tuple(key for _, keys in sections for key in keys)
    for name, sections in TEMPLATE_SECTIONS.items()
}
"""The KPI keys each template shows, one ``kpi_<key>`` cell each."""

TABLE_COLUMNS = {
    "MrrData": ("customer_id", "month", "mrr", "segment"),
    "SurveyData": ("customer_id", "date", "survey", "score"),
    "InvoiceData": ("invoice_id", "customer_id", "issue_date", "due_date", "amount", "paid_date"),
    "OrderData": ("customer_id", "order_date", "units", "units_returned"),
    "TicketData": ("ticket_id", "customer_id", "opened_date", "resolved_first_contact"),
    "SpendData": ("month", "sales_marketing_cost", "gross_margin"),
}
"""The columns of each Inputs table, in order (header row of the Excel Table)."""

TEMPLATE_TABLES = {
    "monthly_kpi_report": tuple(TABLE_COLUMNS),
    "nps_survey": ("SurveyData",),
    "receivables_dso": ("InvoiceData",),
    "unit_economics": ("MrrData", "SpendData"),
    "cohort_retention": ("MrrData",),
}
"""The Inputs tables each template holds, left to right."""

TEMPLATE_NEEDS = {
    "monthly_kpi_report": ("mrr",),
    "nps_survey": ("surveys",),
    "receivables_dso": ("invoices",),
    "unit_economics": ("mrr", "spend"),
    "cohort_retention": ("mrr",),
}
"""The ``Dataset`` tables without which a template is not written (its report would show
nothing but blanks): skipped by default, an error when asked for by ``--template``."""

TREND_KEYS = (
    "mrr_start",
    "new",
    "expansion",
    "reactivation",
    "contraction",
    "churned",
    "mrr_end",
    "customers_start",
    "customers_new",
    "customers_lost",
    "customers_end",
    "crr",
    "logo_churn",
    "grr",
    "nrr",
    "arpa",
    "nps",
)
"""The ``trend_<key>`` columns of the monthly report's Trend sheet (12 months each)."""

TREND_MONTHS = 12
COHORT_TABLE_SIZE = 25
"""The ``cohort_table`` block is 25 x 25: a header row and column, then 24 x 24 shares."""

NUMBER_FORMATS = {
    PERCENT: "0.0%",
    MONEY: "#,##0.00",
    COUNT: "#,##0",
    DAYS: "0.0",
    MONTHS: "0.0",
    RATIO: "0.00",
    SCORE: "0.0",
}
"""The number format of a KPI cell, by ``Kpi.kind``."""

MONTH_FORMAT = "yyyy-mm"

__all__ = [
    "COHORT_TABLE_SIZE",
    "LANGUAGES",
    "MONTH_FORMAT",
    "NUMBER_FORMATS",
    "TABLE_COLUMNS",
    "TEMPLATE_KPIS",
    "TEMPLATE_NAMES",
    "TEMPLATE_NEEDS",
    "TEMPLATE_SECTIONS",
    "TEMPLATE_TABLES",
    "TREND_KEYS",
    "TREND_MONTHS",
    "template_path",
]


def template_path(name, lang="en"):
    """Path of the committed template ``name`` in language ``lang``.

    Examples
    --------
    >>> template_path("nps_survey", "fr").relative_to(Path(__file__).parent).as_posix()
    'fr/nps_survey.xlsx'
    """
    if name not in TEMPLATE_NAMES:
        raise KeyError(f"unknown template {name!r}: use one of {', '.join(TEMPLATE_NAMES)}")
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return Path(__file__).parent / lang / f"{name}.xlsx"
