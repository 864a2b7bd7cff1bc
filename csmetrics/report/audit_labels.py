"""English words of the Audit sheet, until ``csmetrics.report.labels`` holds them."""

from csmetrics.kpis import KPI_BY_KEY

AUDIT_LABELS = {
    "audit_title": "Audit: the headline numbers recomputed by the spreadsheet",
    "audit_intro": (
        "Native formulas recompute each number from the rows on the Inputs sheet and "
        "compare it with the value csmetrics computed. PASS when every row agrees."
    ),
    "audit_result": "Result",
    "audit_month": "Report month",
    "audit_prior_month": "Prior month",
    "audit_next_month": "Next month",
    "audit_days": "Days in month",
    "audit_check": "Number",
    "audit_recomputed": "Recomputed here",
    "audit_engine": "csmetrics",
    "audit_difference": "Difference",
    "audit_tolerance": "Tolerance",
    "audit_status": "Status",
    "audit_movements": "MRR movements by customer",
    "bridge_difference": "MRR bridge: start + movements - end",
    "movements_start_total": "MRR at start, summed by customer",
    "movements_end_total": "MRR at end, summed by customer",
    "movement_mismatches": "Customers whose movement differs",
    "customer_id": "Customer",
    "mrr_previous": "MRR prior month",
    "mrr": "MRR",
    "movement": "Movement",
    "previous": "MRR prior month, recomputed",
    "current": "MRR, recomputed",
    "check": "Movement, recomputed",
    **{f"nps_{score}": f"NPS answers scoring {score}" for score in range(11)},
}


def label(key, lang="en"):
    """The English label of ``key`` (a KPI key or an Audit word)."""
    return KPI_BY_KEY[key].label if key in KPI_BY_KEY else AUDIT_LABELS[key]
