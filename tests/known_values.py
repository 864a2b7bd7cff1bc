"""Known values for every core metric, each with where its numbers come from.

One row: (csmetrics function name, keyword arguments, expected result, source). The same
table runs through the core (Python keywords) and through the Excel face (positional
Excel arguments in several cell shapes) in ``tests/test_udfs_known_values.py``.
"Worked by hand" means the inputs are ours and the result was computed by hand from the
formula the source states; a URL means the inputs and the result are the page's.
"""

import math
from statistics import NormalDist
from typing import Any, NamedTuple

from csmetrics import NpsBreakdown

SEEDS = "../shared/seeds/"
PROPROFS_NPS = "https://www.proprofssurvey.com/net-promoter-score-survey/"
METRICKIT_NRR = "https://metrickittools.com/glossary/nrr"
MHQ_LTV_CAC = "https://mhq-gatsby.pages.dev/difference/ltv-to-cac-vs-magic-number/"
ONE_STANDARD_ERROR = NormalDist().cdf(1) - NormalDist().cdf(-1)


class KnownValue(NamedTuple):
    function: str
    kwargs: dict
    expected: Any
    source: str


def _nps_answers(promoters, passives, detractors):
    """An answer list with these counts (scores 10, 7 and 3)."""
    return [10] * promoters + [7] * passives + [3] * detractors


KNOWN_VALUES = (
    KnownValue(
        "customer_retention_rate",
        {"customers_start": 70, "customers_end": 90, "customers_new": 30},
        60 / 70,
        f"seed 002 ({SEEDS}002_c0f48d21e5ca0e40.txt, lines 21-22): 70 at the start, 30 won, "
        "10 lost, 90 at the end, ((90 - 30) / 70) x 100, rounded there to 86 %",
    ),
    KnownValue(
        "customer_churn_rate",
        {"customers_start": 250, "customers_lost": 10},
        0.04,
        "https://askai.glarity.app/search/How-can-I-calculate-churn-rate-for-my-business: "
        "250 customers at the start of the month, 10 lost, churn 4 %",
    ),
    KnownValue(
        "mrr_churn_rate",
        {"mrr_start": 100_000, "mrr_end": 85_000, "expansion_mrr": 15_000},
        0.0,
        f"worked by hand with seed 000's revenue churn formula on {METRICKIT_NRR}'s cohort "
        "(start 100k, churn 10k, contraction 5k, expansion 15k: end before upgrades 85k)",
    ),
    KnownValue(
        "gross_mrr_churn_rate",
        {"mrr_start": 100_000, "churned_mrr": 10_000, "contraction_mrr": 5_000},
        0.15,
        f"worked by hand from the figures of {METRICKIT_NRR}: (10k + 5k) / 100k",
    ),
    KnownValue(
        "net_mrr_churn_rate",
        {"mrr_start": 100_000, "churned_mrr": 10_000, "contraction_mrr": 5_000,
         "expansion_mrr": 15_000},
        0.0,
        f"worked by hand from the figures of {METRICKIT_NRR}: (10k + 5k - 15k) / 100k, "
        "so NRR = 1 - 0 = 100 % as the page says",
    ),
    KnownValue(
        "expansion_mrr_rate",
        {"mrr_start": 100_000, "expansion_mrr": 15_000},
        0.15,
        f"worked by hand from the figures of {METRICKIT_NRR}: 15k / 100k",
    ),
    KnownValue(
        "gross_revenue_retention",
        {"mrr_start": 100_000, "churned_mrr": 10_000, "contraction_mrr": 5_000},
        0.85,
        f"worked by hand from the figures of {METRICKIT_NRR}: (100k - 10k - 5k) / 100k",
    ),
    KnownValue(
        "net_revenue_retention",
        {"mrr_start": 100_000, "churned_mrr": 10_000, "contraction_mrr": 5_000,
         "expansion_mrr": 15_000},
        1.0,
        f"{METRICKIT_NRR}: starting MRR 100k, expansion 15k, contraction 5k, churn 10k, "
        "NRR = 100 %",
    ),
    KnownValue(
        "net_revenue_retention",
        {"mrr_start": 200_000, "churned_mrr": 6_000, "contraction_mrr": 4_000,
         "expansion_mrr": 20_000, "reactivation_mrr": 0},
        1.05,
        "https://dnoise.online/en/metrics/nrr-ndr: (200,000 - 6,000 - 4,000 + 20,000) / "
        "200,000 = 105 %",
    ),
    KnownValue(
        "revenue_growth_rate",
        {"mrr_start": 200_000, "mrr_end": 210_000},
        0.05,
        "worked by hand with seed 000's growth formula on https://dnoise.online/en/metrics/"
        "nrr-ndr's base: end MRR 200,000 - 6,000 - 4,000 + 20,000 = 210,000",
    ),
    KnownValue(
        "logo_quick_ratio",
        {"customers_won": 26, "customers_lost": 6},
        26 / 6,
        "worked by hand: 25 new and 1 reactivated customer won against 6 lost, (25 + 1) / 6",
    ),
    KnownValue(
        "logo_quick_ratio",
        {"customers_won": 30, "customers_lost": 10},
        3.0,
        f"worked by hand on seed 002 ({SEEDS}002_c0f48d21e5ca0e40.txt, lines 21-22): 30 "
        "customers won and 10 lost in the month, 30 / 10",
    ),
    KnownValue(
        "quick_ratio",
        {"new_mrr": 20_000, "expansion_mrr": 8_000, "reactivation_mrr": 0,
         "contraction_mrr": 3_000, "churned_mrr": 5_000},
        3.5,
        "https://pitchkit.net/resources/glossary/quick-ratio: new 20k, expansion 8k, churn "
        "5k, contraction 3k, (20 + 8) / (5 + 3) = 3.5",
    ),
    KnownValue(
        "quick_ratio",
        {"new_mrr": 5_000, "expansion_mrr": 1_000, "reactivation_mrr": 0,
         "contraction_mrr": 500, "churned_mrr": 1_500},
        3.0,
        "https://abracalc.com/calculator/saas-quick-ratio/: gained 5,000 + 1,000, lost "
        "1,500 + 500, quick ratio 3x",
    ),
    KnownValue(
        "repeat_purchase_rate",
        {"returning_customers": 92, "total_customers": 400},
        0.23,
        "worked by hand with seed 000's formula (returning / total): 92 / 400",
    ),
    KnownValue(
        "product_return_rate",
        {"units_returned": 50, "units_sold": 1_250},
        0.04,
        "worked by hand with seed 000's formula (returned / sold): 50 / 1,250",
    ),
    KnownValue(
        "days_sales_outstanding",
        {"receivables": 18_000, "credit_sales": 20_000, "days": 30},
        27.0,
        f"seed 000's formula ({SEEDS}000_0c79c2fa2999ceec.txt, line 96) on "
        "https://www.fool.com/terms/d/days-sales-outstanding: April, AR 18,000, credit "
        "sales 20,000, (18,000 / 20,000) x 30 = 27 days",
    ),
    KnownValue(
        "days_sales_outstanding",
        {"receivables": 150_000, "credit_sales": 1_800_000},
        150_000 / 1_800_000 * 365,
        f"seed 000's annual formula ({SEEDS}000_0c79c2fa2999ceec.txt, line 98) on "
        "https://trymesha.com/blog/the-2-dso-calculation-formulas-simple-vs-countback-"
        "method-explained/: AR 150,000, annual credit sales 1,800,000, 30.4 days",
    ),
    KnownValue(
        "countback_dso",
        {"receivables": 212_000, "credit_sales_by_period": [70_000, 80_000, 100_000],
         "days_by_period": [30, 30, 30]},
        60 + 32_000 / 70_000 * 30,
        "https://support.benjipays.com/support/solutions/articles/150000179580: AR "
        "212,000; month 3 (100k) and month 2 (80k) wholly, 60 days; 32k of month 1's 70k; "
        "73.7 days on trymesha.com's copy of the example",
    ),
    KnownValue(
        "net_promoter_score",
        {"scores": [10, 9, 8, 7, 6, 10, 9, 3, 0, 8]},
        10.0,
        "worked by hand: promoters 10, 9, 10, 9 (4 of 10), detractors 6, 3, 0 (3 of 10), "
        "40 % - 30 % = 10",
    ),
    KnownValue(
        "net_promoter_score",
        {"scores": _nps_answers(100, 90, 60)},
        16.0,
        f"{PROPROFS_NPS}: 250 responses, 100 promoters, 90 passives, 60 detractors, "
        "40 % - 24 % = 16",
    ),
    KnownValue(
        "nps_breakdown",
        {"scores": _nps_answers(100, 90, 60)},
        NpsBreakdown(100, 90, 60, 250, 0.4, 0.36, 0.24, 16.0),
        f"{PROPROFS_NPS}: 250 responses, 100 promoters (40 %), 90 passives, 60 detractors "
        "(24 %), NPS 16",
    ),
    KnownValue(
        "nps_margin_of_error",
        {"scores": _nps_answers(162, 108, 54), "confidence": ONE_STANDARD_ERROR},
        100 * math.sqrt(5 / 9 / 324),
        "https://stats.stackexchange.com/a/18609 (whuber): 1/2 promoters, 1/3 passives, "
        "1/6 detractors, variance 5/9, n = 324: NPS about 33 with a standard error of "
        "about 4.1 points; one standard error is the half-width at confidence 68.27 %",
    ),
    KnownValue(
        "csat_score",
        {"scores": [5] * 42 + [4] * 32 + [3] * 10 + [2] * 9 + [1] * 14},
        74 / 107,
        "https://help.delighted.com/article/240-how-is-csat-calculated: 42 fives, 32 "
        "fours, 10 threes, 9 twos, 14 ones; 74 / 107 = 69.16 %",
    ),
    KnownValue(
        "csat_score",
        {"scores": [5] * 10 + [4] * 20 + [3] * 10 + [2] * 5 + [1] * 5, "threshold": 4,
         "scale_max": 5},
        0.6,
        "https://intercom.help/voc-metrics/en/articles/9647540: 50 answers, 10 fives and "
        "20 fours, (10 + 20) / 50 = 60 %",
    ),
    KnownValue(
        "customer_effort_score",
        {"scores": [7, 6, 5, 6, 3, 6]},
        5.5,
        "worked by hand with the mean of seeds 003 and 004: 33 / 6",
    ),
    KnownValue(
        "first_contact_resolution_rate",
        {"resolved_first_contact": 246, "total_contacts": 354},
        246 / 354,
        "https://www.mindmesh.com/glossary/what-is-first-contact-resolution-rate: 246 of "
        "354 requests resolved on first contact, 69.5 %",
    ),
    KnownValue(
        "arpa",
        {"mrr": 12_500, "accounts": 250},
        50.0,
        "worked by hand with seed 001's formula (MRR / accounts): 12,500 / 250",
    ),
    KnownValue(
        "mrr",
        {"active_customers": 250, "arpa": 50},
        12_500.0,
        "worked by hand with the formula of seeds 001 and 003 (customers x ARPA): 250 x 50",
    ),
    KnownValue(
        "customer_lifetime_value",
        {"revenue": 5_400, "acquisition_cost": 900, "service_cost": 1_300},
        3_200.0,
        "worked by hand with seed 001's CLV (revenue - acquisition - service cost)",
    ),
    KnownValue(
        "subscription_ltv",
        {"arpa": 100, "gross_margin": 0.8, "churn_rate": 0.05},
        1_600.0,
        "https://abracalc.com/calculator/customer-lifetime-value-calculator/"
        "100-arpa-80-margin-5-churn/: ARPA 100, margin 80 %, churn 5 %, LTV 1,600",
    ),
    KnownValue(
        "subscription_ltv",
        {"arpa": 500, "gross_margin": 0.75, "churn_rate": 0.025},
        15_000.0,
        f"{MHQ_LTV_CAC}: (500 x 0.75) / 0.025 = 15,000",
    ),
    KnownValue(
        "discounted_ltv",
        {"arpa": 100, "gross_margin": 0.8, "churn_rate": 0.05, "discount_rate": 0},
        1_600.0,
        "with no discounting the discounted LTV is the plain one: abracalc.com's "
        "ARPA 100, margin 80 %, churn 5 %, LTV 1,600",
    ),
    KnownValue(
        "discounted_ltv",
        {"arpa": 100, "gross_margin": 0.8, "churn_rate": 0.05, "discount_rate": 0.01},
        80 * 1.01 / 0.06,
        "worked by hand: the geometric series 80 x sum over t of (0.95 / 1.01)^t "
        "= 80 / (1 - 0.95 / 1.01) = 80 x 1.01 / 0.06",
    ),
    KnownValue(
        "customer_acquisition_cost",
        {"sales_marketing_cost": 30_000, "new_customers": 25},
        1_200.0,
        "worked by hand with seed 003's formula (sales and marketing cost / customers won)",
    ),
    KnownValue(
        "clv_cac_ratio",
        {"clv": 3_600, "cac": 1_200},
        3.0,
        f"seed 003 ({SEEDS}003_db9470315dd3107c.txt, line 43): the healthy case, a ratio of "
        "at least 3:1",
    ),
    KnownValue(
        "clv_cac_ratio",
        {"clv": 15_000, "cac": 6_000},
        2.5,
        f"{MHQ_LTV_CAC}: LTV 15,000, CAC 6,000, LTV/CAC 2.5",
    ),
    KnownValue(
        "cac_payback_months",
        {"cac": 6_000, "arpa": 500, "gross_margin": 0.75},
        16.0,
        f"worked by hand from the figures of {MHQ_LTV_CAC} with the formula of "
        "https://help.finmark.com/en/articles/5525177: 6,000 / (500 x 0.75)",
    ),
)
