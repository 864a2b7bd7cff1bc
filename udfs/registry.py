"""The one registry of Excel functions: Excel name -> core function, help and arguments.

The UDFs (:mod:`udfs.factory`), the docs page (``tools/build_function_docs.py``), the live
template formulas (through :mod:`csmetrics.kpis` and ``workbook_templates/formulas.py``)
and the completeness tests are all derived from ``REGISTRY``. Adding an Excel function is
one core function, one entry here, its known values (``tests/known_values.py``), its valid
arguments and error cases (``tests/test_core_errors.py``), its native formula and worked
example for LibreOffice (``tests/test_core_libreoffice.py``) and ``make docs``: see
``CONTRIBUTING.md``.
"""

import csmetrics as cs
from csmetrics.satisfaction import DETRACTOR_MAX, NPS_SCALE, PROMOTER_MIN
from udfs.spec import Udf, column, number, numbers, optional, optional_text, record_table
from udfs.tables import frame_cells, mrr_rows

NPS_MIN, NPS_MAX = NPS_SCALE
MRR_START = number("mrr_start", "MRR at the start of the period (> 0).")
CHURNED = number("churned_mrr", "MRR lost to cancellations during the period.")
CONTRACTION = number("contraction_mrr", "MRR lost to downgrades of customers who stayed.")
EXPANSION = number("expansion_mrr", "MRR gained from upgrades of existing customers.")
REACTIVATION = "MRR of customers who came back after at least one month at zero."
ARPA = number("arpa", "Average revenue per account per month.")
MARGIN = number("gross_margin", "Gross margin as a fraction between 0 and 1 (80 % is 0.8).")
CHURN = number("churn_rate", "Monthly logo churn as a fraction (> 0; 2 % is 0.02).")
NPS_SCORES = numbers("scores", "Range of answers, whole numbers from 0 to 10.")
MRR_COLUMNS = (
    column("customer_ids", "Customer ids, one row per customer and month.", "customer_id"),
    column("months", "Month of each row: a date, YYYY-MM text or an Excel date.", "month"),
    column("mrr", "MRR of that customer in that month (>= 0)."),
)

REGISTRY = (
    Udf("CS_CRR", cs.customer_retention_rate,
        "Customer retention rate: (customers_end - customers_new) / customers_start, "
        "as a fraction.",
        (number("customers_start", "Customers at the start of the period (> 0)."),
         number("customers_end", "Customers at the end of the period, new ones included."),
         number("customers_new", "Customers won during the period."))),
    Udf("CS_CHURN_RATE", cs.customer_churn_rate,
        "Logo churn: customers lost / customers at the start, new customers excluded.",
        (number("customers_start", "Customers at the start of the period (> 0)."),
         number("customers_lost", "Customers among them who left during the period."))),
    Udf("CS_MRR_CHURN", cs.mrr_churn_rate,
        "Revenue churn as the source writes it: ((mrr_start - mrr_end) - expansion_mrr) / "
        "mrr_start; negative when upgrades outweigh losses.",
        (MRR_START,
         number("mrr_end", "End MRR of the customers present at the start, before upgrades."),
         EXPANSION)),
    Udf("CS_GROSS_MRR_CHURN", cs.gross_mrr_churn_rate,
        "Gross MRR churn: (churned_mrr + contraction_mrr) / mrr_start.",
        (MRR_START, CHURNED, CONTRACTION)),
    Udf("CS_NET_MRR_CHURN", cs.net_mrr_churn_rate,
        "Net MRR churn: (churned + contraction - expansion) / mrr_start; negative is net "
        "negative churn.",
        (MRR_START, CHURNED, CONTRACTION, EXPANSION)),
    Udf("CS_EXPANSION_RATE", cs.expansion_mrr_rate,
        "Expansion MRR rate: expansion_mrr / mrr_start.",
        (MRR_START, EXPANSION)),
    Udf("CS_GRR", cs.gross_revenue_retention,
        "Gross revenue retention: (mrr_start - churned - contraction) / mrr_start.",
        (MRR_START, CHURNED, CONTRACTION)),
    Udf("CS_NRR", cs.net_revenue_retention,
        "Net revenue retention: (mrr_start - churned - contraction + expansion + "
        "reactivation) / mrr_start.",
        (MRR_START, CHURNED, CONTRACTION, EXPANSION,
         optional("reactivation_mrr", f"{REACTIVATION} Optional, default 0.", 0))),
    Udf("CS_REVENUE_GROWTH", cs.revenue_growth_rate,
        "MRR growth over the period: (mrr_end - mrr_start) / mrr_start.",
        (MRR_START, number("mrr_end", "MRR at the end of the period."))),
    Udf("CS_QUICK_RATIO", cs.quick_ratio,
        "SaaS quick ratio: (new + expansion + reactivation) / (contraction + churned) MRR.",
        (number("new_mrr", "MRR from new customers."),
         EXPANSION,
         number("reactivation_mrr", REACTIVATION),
         CONTRACTION, CHURNED)),
    Udf("CS_LOGO_QUICK_RATIO", cs.logo_quick_ratio,
        "Logo quick ratio: customers won (reactivated ones included) / customers lost.",
        (number("customers_won", "Customers won in the period, reactivated ones included."),
         number("customers_lost", "Customers lost in the period (> 0)."))),
    Udf("CS_REPEAT_PURCHASE_RATE", cs.repeat_purchase_rate,
        "Repeat purchase rate: returning_customers / total_customers.",
        (number("returning_customers", "Customers with more than one purchase."),
         number("total_customers", "All customers who bought in the period (> 0)."))),
    Udf("CS_RETURN_RATE", cs.product_return_rate,
        "Product return rate: units_returned / units_sold in the same period.",
        (number("units_returned", "Units returned during the period."),
         number("units_sold", "Units sold during the period (> 0)."))),
    Udf("CS_DSO", cs.days_sales_outstanding,
        "Days sales outstanding: receivables / credit_sales x days.",
        (number("receivables", "Accounts receivable at the end of the period."),
         number("credit_sales", "Credit sales of the period (> 0)."),
         optional("days", "Days in the period: 365 a year, 30 a month. Optional, default "
                  "365.", 365))),
    Udf("CS_DSO_COUNTBACK", cs.countback_dso,
        "DSO by the countback method: receivables matched against the latest periods' "
        "credit sales first.",
        (number("receivables", "Accounts receivable at the end of the latest period."),
         numbers("credit_sales_by_period", "Credit sales of each period, oldest first."),
         numbers("days_by_period", "Days in each of those periods, same order."))),
    Udf("CS_NPS", cs.net_promoter_score,
        f"Net Promoter Score, -100..+100: % promoters ({PROMOTER_MIN}-{NPS_MAX}) minus % "
        f"detractors ({NPS_MIN}-{DETRACTOR_MAX}).",
        (NPS_SCORES,)),
    Udf("CS_NPS_MOE", cs.nps_margin_of_error,
        "Margin of error of the NPS, in NPS points: half-width of its confidence interval.",
        (NPS_SCORES,
         optional("confidence", "Confidence level between 0 and 1. Optional, default 0.95.",
                  0.95))),
    Udf("CS_NPS_BREAKDOWN", cs.nps_breakdown,
        "Spills the NPS table: promoters, passives, detractors, responses, their shares "
        "and the NPS, under a header row.",
        (NPS_SCORES,),
        table=record_table),
    Udf("CS_CSAT", cs.csat_score,
        "Customer satisfaction: share of answers at or above the threshold (scale 1 to "
        "scale_max).",
        (numbers("scores", "Range of satisfaction answers."),
         optional("threshold", "Lowest answer counted as satisfied. Optional, default 4.", 4),
         optional("scale_max", "Top of the scale. Optional, default 5.", 5))),
    Udf("CS_CES", cs.customer_effort_score,
        "Customer effort score: the mean answer on a 1 to scale_max scale.",
        (numbers("scores", "Range of answers from 1 to scale_max."),
         optional("scale_max", "Top of the scale. Optional, default 7.", 7))),
    Udf("CS_FCR", cs.first_contact_resolution_rate,
        "First contact resolution: resolved_first_contact / total_contacts.",
        (number("resolved_first_contact", "Issues resolved in the first contact."),
         number("total_contacts", "All issues opened (> 0)."))),
    Udf("CS_ARPA", cs.arpa,
        "Average revenue per account: mrr / accounts.",
        (number("mrr", "Monthly recurring revenue."),
         number("accounts", "Paying accounts (> 0)."))),
    Udf("CS_MRR", cs.mrr,
        "Monthly recurring revenue: active_customers x arpa.",
        (number("active_customers", "Paying customers."), ARPA)),
    Udf("CS_CLV", cs.customer_lifetime_value,
        "Customer lifetime value as the source writes it: revenue - acquisition_cost - "
        "service_cost.",
        (number("revenue", "Revenue from the customer over the relationship."),
         number("acquisition_cost", "What winning the customer cost."),
         number("service_cost", "What serving the customer cost."))),
    Udf("CS_LTV", cs.subscription_ltv,
        "Subscription lifetime value: arpa x gross_margin / churn_rate.",
        (ARPA, MARGIN, CHURN)),
    Udf("CS_LTV_DISCOUNTED", cs.discounted_ltv,
        "Discounted lifetime value: arpa x gross_margin x (1 + d) / (d + churn_rate).",
        (ARPA, MARGIN, CHURN,
         number("discount_rate", "Monthly discount rate as a fraction (0.008 for ~10 %/yr)."))),
    Udf("CS_CAC", cs.customer_acquisition_cost,
        "Customer acquisition cost: sales_marketing_cost / new_customers.",
        (number("sales_marketing_cost", "Sales and marketing cost of the period."),
         number("new_customers", "Customers won in the period (> 0)."))),
    Udf("CS_CLV_CAC", cs.clv_cac_ratio,
        "CLV / CAC ratio: 3 or more is healthy, about 2 thin, 1 or less a loss.",
        (number("clv", "Customer lifetime value."),
         number("cac", "Customer acquisition cost (> 0)."))),
    Udf("CS_CAC_PAYBACK", cs.cac_payback_months,
        "CAC payback in months: cac / (arpa x gross_margin).",
        (number("cac", "Customer acquisition cost."), ARPA, MARGIN)),
    Udf("CS_MRR_MOVEMENTS", cs.mrr_movements,
        "Spills the monthly MRR bridge from a billing export: MRR at start, new, expansion, "
        "contraction, churned, reactivation, MRR at end and customer counts per month.",
        MRR_COLUMNS, inputs=mrr_rows, table=frame_cells),
    Udf("CS_COHORT_RETENTION", cs.cohort_retention,
        "Spills cohort retention: one row per month of first payment, one column per month "
        "since, the share of customers (logo) or of MRR (revenue) retained.",
        (*MRR_COLUMNS,
         optional_text("mode", "logo (share of customers) or revenue (share of MRR). "
                       "Optional, default logo.", "logo")),
        inputs=mrr_rows, table=frame_cells),
)
