"""Bad input to every core metric: the right MetricError, naming the argument and the value.

One table, ``CASES``: (function, bad keyword arguments, error class, message fragment).
Each call starts from the valid arguments in ``VALID`` and replaces the bad ones. The
edge cases are named fixtures reused across all the metrics (empyrical's habit): NaN,
inf, a boolean, a text and a blank for every argument; zero denominators, negative
counts, more lost than at start, answers off the scale, empty samples for the metrics
they apply to. The error class decides the Excel error the face shows: #DIV/0!,
#NUM! or #VALUE!.
"""


import math

import pytest

import csmetrics as cs
from csmetrics.errors import ImpossibleValueError as Impossible
from csmetrics.errors import InvalidTypeError as Invalid
from csmetrics.errors import MetricError
from csmetrics.errors import ZeroDenominatorError as Zero

# Named edge-case fixtures
ZERO = 0
NEGATIVE = -1
NAN = float("nan")
INF = float("inf")
BOOL = True
TEXT = "12"
BLANK = None
EMPTY = []
OFF_NPS_SCALE = [9, 10, 11]
ONE_ANSWER = [9]

VALID = {
    cs.customer_retention_rate: dict(customers_start=70, customers_end=90, customers_new=30),
    cs.customer_churn_rate: dict(customers_start=200, customers_lost=6),
    cs.logo_quick_ratio: dict(customers_won=26, customers_lost=6),
    cs.repeat_purchase_rate: dict(returning_customers=92, total_customers=400),
    cs.product_return_rate: dict(units_returned=50, units_sold=1250),
    cs.mrr_churn_rate: dict(mrr_start=10_000, mrr_end=9_300, expansion_mrr=400),
    cs.gross_mrr_churn_rate: dict(mrr_start=10_000, churned_mrr=500, contraction_mrr=200),
    cs.net_mrr_churn_rate: dict(
        mrr_start=10_000, churned_mrr=500, contraction_mrr=200, expansion_mrr=900
    ),
    cs.expansion_mrr_rate: dict(mrr_start=10_000, expansion_mrr=900),
    cs.gross_revenue_retention: dict(mrr_start=10_000, churned_mrr=500, contraction_mrr=200),
    cs.net_revenue_retention: dict(
        mrr_start=10_000, churned_mrr=500, contraction_mrr=200, expansion_mrr=900,
        reactivation_mrr=100,
    ),
    cs.revenue_growth_rate: dict(mrr_start=10_000, mrr_end=10_450),
    cs.quick_ratio: dict(
        new_mrr=1_200, expansion_mrr=900, reactivation_mrr=100, contraction_mrr=200,
        churned_mrr=500,
    ),
    cs.arpa: dict(mrr=12_500, accounts=250),
    cs.mrr: dict(active_customers=250, arpa=50),
    cs.net_promoter_score: dict(scores=[10, 9, 8, 7, 6, 10, 9, 3, 0, 8]),
    cs.nps_breakdown: dict(scores=[10, 9, 8, 6, 3]),
    cs.nps_margin_of_error: dict(scores=[10, 7, 2], confidence=0.95),
    cs.csat_score: dict(scores=[5, 4, 3], threshold=4, scale_max=5, scale_min=1),
    cs.customer_effort_score: dict(scores=[7, 6, 5], scale_max=7),
    cs.first_contact_resolution_rate: dict(resolved_first_contact=312, total_contacts=400),
    cs.days_sales_outstanding: dict(receivables=150_000, credit_sales=1_200_000, days=365),
    cs.countback_dso: dict(
        receivables=150_000, credit_sales_by_period=[80_000, 90_000, 100_000],
        days_by_period=[31, 28, 31],
    ),
    cs.customer_lifetime_value: dict(revenue=5_400, acquisition_cost=900, service_cost=1_300),
    cs.subscription_ltv: dict(arpa=50, gross_margin=0.8, churn_rate=0.02),
    cs.discounted_ltv: dict(arpa=50, gross_margin=0.8, churn_rate=0.02, discount_rate=0.01),
    cs.customer_acquisition_cost: dict(sales_marketing_cost=30_000, new_customers=25),
    cs.clv_cac_ratio: dict(clv=3_600, cac=1_200),
    cs.cac_payback_months: dict(cac=1_200, arpa=50, gross_margin=0.8),
}

LIST_ARGUMENTS = {"scores", "credit_sales_by_period", "days_by_period"}
NPS_SURVEYS = [cs.net_promoter_score, cs.nps_breakdown, cs.nps_margin_of_error]
SURVEYS = [*NPS_SURVEYS, cs.csat_score, cs.customer_effort_score]


def case(function, error, fragment, **bad):
    label = "-".join(f"{k}={v!r}" for k, v in bad.items())
    return pytest.param(function, bad, error, fragment, id=f"{function.__name__}-{label}")


def for_every_argument(value, error, fragment):
    """The same fixture in every argument of every metric (inside the list for lists)."""
    return [
        case(f, error, f"{name} {fragment}",
             **{name: [value] if name in LIST_ARGUMENTS else value})
        for f, kwargs in VALID.items()
        for name in kwargs
    ]


CASES = [
    *for_every_argument(NAN, Impossible, "must be a finite number, got nan"),
    *for_every_argument(INF, Impossible, "must be a finite number, got inf"),
    *for_every_argument(-INF, Impossible, "must be a finite number, got -inf"),
    *for_every_argument(BOOL, Invalid, "must be a number, got True"),
    *for_every_argument(TEXT, Invalid, "must be a number, got '12'"),
    *for_every_argument(BLANK, Invalid, "must be a number, got None"),
    # zero denominators: #DIV/0!
    case(cs.customer_retention_rate, Zero, "customers_start must be > 0, got 0",
         customers_start=ZERO, customers_end=0, customers_new=0),
    case(cs.customer_churn_rate, Zero, "customers_start must be > 0, got 0",
         customers_start=ZERO, customers_lost=0),
    case(cs.logo_quick_ratio, Zero, "customers_lost must be > 0, got 0",
         customers_lost=ZERO),
    case(cs.repeat_purchase_rate, Zero, "total_customers must be > 0, got 0",
         total_customers=ZERO, returning_customers=0),
    case(cs.product_return_rate, Zero, "units_sold must be > 0, got 0", units_sold=ZERO),
    *[case(f, Zero, "mrr_start must be > 0, got 0", mrr_start=ZERO)
      for f in VALID if "mrr_start" in VALID[f]],
    case(cs.quick_ratio, Zero, "contraction_mrr + churned_mrr must be > 0, got 0",
         contraction_mrr=ZERO, churned_mrr=ZERO),
    case(cs.arpa, Zero, "accounts must be > 0, got 0", accounts=ZERO),
    case(cs.first_contact_resolution_rate, Zero, "total_contacts must be > 0, got 0",
         total_contacts=ZERO, resolved_first_contact=0),
    case(cs.days_sales_outstanding, Zero, "credit_sales must be > 0, got 0",
         credit_sales=ZERO),
    case(cs.subscription_ltv, Zero, "churn_rate must be > 0, got 0", churn_rate=ZERO),
    case(cs.discounted_ltv, Zero, "discount_rate + churn_rate must be > 0, got 0",
         churn_rate=ZERO, discount_rate=ZERO),
    case(cs.customer_acquisition_cost, Zero, "new_customers must be > 0, got 0",
         new_customers=ZERO),
    case(cs.clv_cac_ratio, Zero, "cac must be > 0, got 0", cac=ZERO),
    case(cs.cac_payback_months, Zero, "arpa x gross_margin must be > 0, got 0", arpa=ZERO),
    case(cs.cac_payback_months, Zero, "arpa x gross_margin must be > 0, got 0",
         gross_margin=ZERO),
    # empty samples: #DIV/0!, like Excel's AVERAGE of nothing
    *[case(f, Zero, "scores holds no answers", scores=EMPTY) for f in SURVEYS],
    case(cs.countback_dso, Zero, "credit_sales_by_period holds no periods",
         credit_sales_by_period=EMPTY, days_by_period=EMPTY),
    # negative counts and amounts: #NUM!
    *[case(f, Impossible, f"{name} must be >= 0, got -1", **{name: NEGATIVE})
      for f, kwargs in VALID.items() for name in kwargs
      if name not in LIST_ARGUMENTS
      and name not in {"clv", "confidence", "threshold", "scale_max", "scale_min"}],
    case(cs.countback_dso, Impossible, "credit_sales_by_period must be >= 0, got -1",
         credit_sales_by_period=[80_000, NEGATIVE, 100_000]),
    case(cs.countback_dso, Impossible, "days_by_period must be >= 0, got -1",
         days_by_period=[31, NEGATIVE, 31]),
    # more lost (kept, resolved ...) than there were: #NUM!
    case(cs.customer_retention_rate, Impossible,
         "customers_end - customers_new (75) cannot exceed customers_start (70)",
         customers_end=105),
    case(cs.customer_retention_rate, Impossible,
         "customers_new (30) cannot exceed customers_end (20)", customers_end=20),
    case(cs.customer_churn_rate, Impossible,
         "customers_lost (201) cannot exceed customers_start (200)", customers_lost=201),
    case(cs.repeat_purchase_rate, Impossible,
         "returning_customers (401) cannot exceed total_customers (400)",
         returning_customers=401),
    *[case(f, Impossible,
           "churned_mrr + contraction_mrr (10001) cannot exceed mrr_start (10000)",
           churned_mrr=9_801)
      for f in (cs.gross_mrr_churn_rate, cs.net_mrr_churn_rate, cs.gross_revenue_retention,
                cs.net_revenue_retention)],
    case(cs.first_contact_resolution_rate, Impossible,
         "resolved_first_contact (401) cannot exceed total_contacts (400)",
         resolved_first_contact=401),
    case(cs.countback_dso, Impossible,
         "receivables (270001) exceed the credit sales of all 3 periods given (270000)",
         receivables=270_001),
    case(cs.countback_dso, Impossible,
         "credit_sales_by_period has 3 values but days_by_period has 2",
         days_by_period=[28, 31]),
    case(cs.countback_dso, Impossible,
         "credit_sales_by_period has 2 values but days_by_period has 3",
         credit_sales_by_period=[90_000, 100_000]),
    # every period covered, each as long as the largest float: days add up past it
    case(cs.countback_dso, Impossible, "is too large for a float, got inf",
         receivables=2, credit_sales_by_period=[1, 1], days_by_period=[1e308, 1e308]),
    # days in a period multiply: zero days is impossible, not a division by zero
    case(cs.days_sales_outstanding, Impossible, "days must be > 0, got 0", days=ZERO),
    case(cs.countback_dso, Impossible, "days_by_period must be > 0, got 0",
         days_by_period=[31, ZERO, 31]),
    # scores off their scale: #NUM!
    *[case(f, Impossible, "scores must lie between 0 and 10, got 11",
           scores=OFF_NPS_SCALE)
      for f in NPS_SURVEYS],
    *[case(f, Impossible, "scores must lie between 0 and 10, got -1", scores=[NEGATIVE])
      for f in NPS_SURVEYS],
    *[case(f, Impossible, "scores must be whole numbers, got 9.5", scores=[9.5])
      for f in NPS_SURVEYS],
    case(cs.csat_score, Impossible, "scores must lie between 1 and 5, got 6", scores=[5, 6]),
    case(cs.csat_score, Impossible, "scores must lie between 1 and 5, got 0", scores=[0]),
    case(cs.customer_effort_score, Impossible, "scores must lie between 1 and 7, got 8",
         scores=[[7, 8]]),
    case(cs.csat_score, Impossible, "threshold must lie on the scale 1-5, got 6",
         threshold=6),
    case(cs.csat_score, Impossible, "threshold must lie on the scale 1-5, got 0",
         threshold=ZERO),
    case(cs.csat_score, Impossible, "scale_max (1) must be above scale_min (1)",
         scale_max=1),
    case(cs.customer_effort_score, Impossible,
         "scale_max (-1) must be above the bottom of the scale (1)", scale_max=NEGATIVE),
    *[case(cs.nps_margin_of_error, Impossible,
           f"confidence must be between 0 and 1 (95 % is 0.95), got {c:g}", confidence=c)
      for c in (ZERO, 1, 95, NEGATIVE)],
    # fractions above 1: #NUM!
    *[case(f, Impossible,
           f"{name} must be a fraction between 0 and 1 (25 % is 0.25), got 80",
           **{name: 80})
      for f, kwargs in VALID.items() for name in kwargs
      if name in {"gross_margin", "churn_rate"}],
    # a result too large for a float: #NUM!, like Excel's overflow
    case(cs.arpa, Impossible, "arpa(mrr=1e+308, accounts=0.5) is too large for a float",
         mrr=1e308, accounts=0.5),
    case(cs.mrr, Impossible, "is too large for a float, got inf",
         active_customers=1e200, arpa=1e200),
    case(cs.days_sales_outstanding, Impossible, "is too large for a float, got inf",
         credit_sales=1e-320),
    case(cs.customer_lifetime_value, Impossible, "is too large for a float, got -inf",
         revenue=ZERO, acquisition_cost=1e308, service_cost=1e308),
    case(cs.net_mrr_churn_rate, Impossible, "is too large for a float, got -inf",
         mrr_start=1e-10, churned_mrr=ZERO, contraction_mrr=ZERO, expansion_mrr=1e308),
    case(cs.mrr_churn_rate, Impossible, "is too large for a float, got -inf",
         mrr_start=1e-10, mrr_end=ZERO, expansion_mrr=1e308),
    case(cs.expansion_mrr_rate, Impossible, "is too large for a float, got inf",
         mrr_start=1e-10, expansion_mrr=1e308),
    case(cs.net_revenue_retention, Impossible, "is too large for a float, got inf",
         mrr_start=1e-10, churned_mrr=ZERO, contraction_mrr=ZERO, expansion_mrr=1e308),
    case(cs.quick_ratio, Impossible, "is too large for a float, got inf",
         new_mrr=1e308, contraction_mrr=1e-10, churned_mrr=ZERO),
    case(cs.revenue_growth_rate, Impossible, "is too large for a float, got inf",
         mrr_start=1e-10, mrr_end=1e308),
    case(cs.subscription_ltv, Impossible, "is too large for a float, got inf",
         arpa=1e308, gross_margin=1, churn_rate=1e-10),
    case(cs.discounted_ltv, Impossible, "is too large for a float, got inf",
         arpa=1e308, gross_margin=1, churn_rate=0.5, discount_rate=1),
    case(cs.customer_acquisition_cost, Impossible, "is too large for a float, got inf",
         sales_marketing_cost=1e308, new_customers=1e-10),
    case(cs.clv_cac_ratio, Impossible, "is too large for a float, got inf",
         clv=1e308, cac=1e-10),
    case(cs.cac_payback_months, Impossible, "is too large for a float, got inf",
         cac=1e308, arpa=1e-10, gross_margin=1),
    case(cs.logo_quick_ratio, Impossible, "is too large for a float, got inf",
         customers_won=1e308, customers_lost=1e-10),
    # units_returned is not bounded by units_sold
    case(cs.product_return_rate, Impossible, "is too large for a float, got inf",
         units_returned=1e308, units_sold=1e-10),
    # on a scale that reaches 1e308 two top answers add up past the largest float
    pytest.param(cs.customer_effort_score, dict(scores=[1e308, 1e308], scale_max=1e308),
                 Impossible, "is too large for a float, got inf",
                 id="customer_effort_score-overflow",  # numpy warns as its sum overflows
                 marks=pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")),
]


@pytest.mark.parametrize("function, bad, error, fragment", CASES)
def test_bad_input_raises_the_right_error_naming_argument_and_value(
    function, bad, error, fragment
):
    with pytest.raises(MetricError) as raised:
        function(**{**VALID[function], **bad})
    assert type(raised.value) is error
    assert fragment in str(raised.value)


def test_every_public_metric_has_valid_arguments_and_error_cases():
    assert set(cs.SCALAR_METRICS) == set(VALID)
    assert {p.values[0] for p in CASES} == set(VALID)


@pytest.mark.parametrize("function", VALID, ids=lambda f: f.__name__)
def test_the_valid_arguments_give_a_finite_float(function):
    result = function(**VALID[function])
    value = result.nps if function is cs.nps_breakdown else result
    assert type(value) is float


@pytest.mark.parametrize(
    "function, scores, expected",
    [
        (cs.net_promoter_score, ONE_ANSWER, 100.0),
        (cs.nps_margin_of_error, ONE_ANSWER, 0.0),  # no spread to estimate from one answer
        (cs.csat_score, [5], 1.0),
        (cs.customer_effort_score, [7], 7.0),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_one_answer_is_a_sample_not_an_error(function, scores, expected):
    assert function(scores) == expected


@pytest.mark.parametrize("error, excel", [(Zero, "#DIV/0!"), (Impossible, "#NUM!"),
                                          (Invalid, "#VALUE!")])
def test_each_error_class_carries_its_excel_error(error, excel):
    assert error.excel_error == excel
    assert issubclass(error, ValueError)


def test_the_default_scales_and_cut_offs_are_the_usual_ones():
    """Called without their optional arguments, the survey metrics use CSAT 1-5 (4 and 5
    satisfied), CES 1-7, NPS 0-10 and a 95 % margin of error: written out here, not taken
    from the module's constants. [5, 4, 3]: 2 of 3 satisfied. [10, 7, 2]: p = d = 1/3,
    margin 1.959963984540054 x 100 x sqrt((1/3 + 1/3 - 0) / 3) = 92.39."""
    assert cs.csat_score([5, 4, 3]) == 2 / 3
    assert cs.customer_effort_score([7, 1]) == 4.0
    assert cs.nps_margin_of_error([10, 7, 2]) == pytest.approx(
        1.959963984540054 * 100 * math.sqrt((1 / 3 + 1 / 3) / 3), rel=0, abs=1e-9)
    for function, scores, message in [
        (cs.csat_score, [6], "scores must lie between 1 and 5, got 6"),
        (cs.csat_score, [0], "scores must lie between 1 and 5, got 0"),
        (cs.customer_effort_score, [8], "scores must lie between 1 and 7, got 8"),
        (cs.customer_effort_score, [0], "scores must lie between 1 and 7, got 0"),
        (cs.net_promoter_score, [11], "scores must lie between 0 and 10, got 11"),
    ]:
        with pytest.raises(Impossible, match=message):
            function(scores)
    assert list(cs.satisfaction.NPS_SCORES) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]


def test_countback_receivables_above_the_sales_by_float_rounding_only_are_the_sales():
    """Receivables 0.1 + 0.2 (0.30000000000000004 in floats) against sales of 0.3 in one
    31-day month: above the sales by one part in 10^16, float rounding, not more owed than
    sold (a part in 10^12 is allowed): the month is covered, 31 days."""
    assert cs.countback_dso(0.1 + 0.2, [0.3], [31]) == 31.0
    with pytest.raises(Impossible, match="exceed the credit sales"):
        cs.countback_dso(0.3 * (1 + 1e-11), [0.3], [31])


def test_countback_over_many_periods_of_equal_length_is_no_error():
    """300 months of sales of 1 each (more than 256: lengths compared as numbers, not as
    objects): receivables of 1 are the last month's sales, its 30 days."""
    assert cs.countback_dso(1, [1] * 300, [30] * 300) == 30.0
