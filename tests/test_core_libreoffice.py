"""The core metrics against LibreOffice Calc computing the same cases with native formulas.

One workbook, written by openpyxl: sheet ``cases`` holds a case per row (the formula in
column B, its scalar inputs from column C), sheet ``lists`` holds the answer lists and
sales histories in columns. LibreOffice recalculates it in one call; each formula's value
must equal the core function's to 1e-9 (relative). The formulas are written from the
definitions (METRICS.md), not from the Python code: NPS with COUNTIF, its margin of error
from the variance of the per-answer +1/0/-1, the discounted LTV as a sum of discounted
months, the countback DSO as days weighted by the share of each period's sales still open.

LibreOffice 7.4 reads ``NORM.S.INV`` from an xlsx only with Excel's ``_xlfn.`` prefix
(bare, it is ``#NAME?``); ``NORMSINV`` needs none. Both are used, and the bare name is
checked to stay ``#NAME?`` so the template code knows to write the prefix.
"""

import math
import random
from typing import NamedTuple

import pytest
from libreoffice import recalculate, requires_libreoffice
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

import csmetrics as cs

pytestmark = requires_libreoffice

NPS_SHARES = '(COUNTIF({scores},">=9")/COUNT({scores})-COUNTIF({scores},"<=6")/COUNT({scores}))'
NPS_POINT = '(({scores}>=9)-({scores}<=6))'  # +1 promoter, 0 passive, -1 detractor
NPS_VARIANCE = (
    f"(SUMPRODUCT({NPS_POINT}^2)/COUNT({{scores}})"
    f"-(SUMPRODUCT({NPS_POINT})/COUNT({{scores}}))^2)"
)


def nps_moe(inverse_normal):
    return f"={inverse_normal}((1+{{confidence}})/2)*100*SQRT({NPS_VARIANCE}/COUNT({{scores}}))"


FORMULAS = {
    cs.customer_retention_rate: "=({customers_end}-{customers_new})/{customers_start}",
    cs.customer_churn_rate: "={customers_lost}/{customers_start}",
    cs.logo_quick_ratio: "={customers_won}/{customers_lost}",
    cs.repeat_purchase_rate: "={returning_customers}/{total_customers}",
    cs.product_return_rate: "={units_returned}/{units_sold}",
    cs.mrr_churn_rate: "=(({mrr_start}-{mrr_end})-{expansion_mrr})/{mrr_start}",
    cs.gross_mrr_churn_rate: "=({churned_mrr}+{contraction_mrr})/{mrr_start}",
    cs.net_mrr_churn_rate: "=({churned_mrr}+{contraction_mrr}-{expansion_mrr})/{mrr_start}",
    cs.expansion_mrr_rate: "={expansion_mrr}/{mrr_start}",
    cs.gross_revenue_retention: "=({mrr_start}-{churned_mrr}-{contraction_mrr})/{mrr_start}",
    cs.net_revenue_retention: (
        "=({mrr_start}-{churned_mrr}-{contraction_mrr}+{expansion_mrr}+{reactivation_mrr})"
        "/{mrr_start}"
    ),
    cs.revenue_growth_rate: "=({mrr_end}-{mrr_start})/{mrr_start}",
    cs.quick_ratio: (
        "=({new_mrr}+{expansion_mrr}+{reactivation_mrr})/({contraction_mrr}+{churned_mrr})"
    ),
    cs.arpa: "={mrr}/{accounts}",
    cs.mrr: "={active_customers}*{arpa}",
    cs.net_promoter_score: f"=100*{NPS_SHARES}",
    cs.nps_margin_of_error: nps_moe("_xlfn.NORM.S.INV"),
    cs.csat_score: '=COUNTIF({scores},">="&{threshold})/COUNT({scores})',
    cs.customer_effort_score: "=AVERAGE({scores})",
    cs.first_contact_resolution_rate: "={resolved_first_contact}/{total_contacts}",
    cs.days_sales_outstanding: "={receivables}/{credit_sales}*{days}",
    cs.countback_dso: "=SUMPRODUCT({days_by_period},{open_share_by_period})",
    cs.customer_lifetime_value: "={revenue}-{acquisition_cost}-{service_cost}",
    cs.subscription_ltv: "={arpa}*{gross_margin}/{churn_rate}",
    cs.discounted_ltv: (
        "=SUMPRODUCT({arpa}*{gross_margin}"
        "*((1-{churn_rate})/(1+{discount_rate}))^(ROW($1:${months})-1))"
    ),
    cs.customer_acquisition_cost: "={sales_marketing_cost}/{new_customers}",
    cs.clv_cac_ratio: "={clv}/{cac}",
    cs.cac_payback_months: "={cac}/({arpa}*{gross_margin})",
}


class Case(NamedTuple):
    label: str
    function: object
    kwargs: dict
    formula: str


def case(label, function, formula=None, **kwargs):
    return Case(label, function, kwargs, formula or FORMULAS[function])


NPS_TEN = [10, 9, 8, 7, 6, 10, 9, 3, 0, 8]  # net_promoter_score's docstring: NPS 10
NPS_200 = [10] * 100 + [7] * 60 + [2] * 40  # nps_margin_of_error's docstring: 10.82

WORKED_EXAMPLES = [
    case("CRR seed 002: 70 at start, 30 won, 90 at end", cs.customer_retention_rate,
         customers_start=70, customers_end=90, customers_new=30),
    case("logo churn 6 of 200", cs.customer_churn_rate, customers_start=200, customers_lost=6),
    case("logo quick ratio 26 won, 6 lost", cs.logo_quick_ratio, customers_won=26,
         customers_lost=6),
    case("repeat purchase 92 of 400", cs.repeat_purchase_rate,
         returning_customers=92, total_customers=400),
    case("returns 50 of 1250", cs.product_return_rate, units_returned=50, units_sold=1250),
    case("source MRR churn 10000/9300/400", cs.mrr_churn_rate,
         mrr_start=10_000, mrr_end=9_300, expansion_mrr=400),
    case("gross MRR churn", cs.gross_mrr_churn_rate,
         mrr_start=10_000, churned_mrr=500, contraction_mrr=200),
    case("net MRR churn, negative", cs.net_mrr_churn_rate,
         mrr_start=10_000, churned_mrr=500, contraction_mrr=200, expansion_mrr=900),
    case("expansion rate", cs.expansion_mrr_rate, mrr_start=10_000, expansion_mrr=900),
    case("GRR", cs.gross_revenue_retention,
         mrr_start=10_000, churned_mrr=500, contraction_mrr=200),
    case("NRR with reactivation", cs.net_revenue_retention, mrr_start=10_000,
         churned_mrr=500, contraction_mrr=200, expansion_mrr=900, reactivation_mrr=100),
    case("revenue growth", cs.revenue_growth_rate, mrr_start=10_000, mrr_end=10_450),
    case("quick ratio", cs.quick_ratio, new_mrr=1_200, expansion_mrr=900,
         reactivation_mrr=100, contraction_mrr=200, churned_mrr=500),
    case("ARPA 12500 / 250", cs.arpa, mrr=12_500, accounts=250),
    case("MRR 250 x 50", cs.mrr, active_customers=250, arpa=50),
    case("NPS of ten answers", cs.net_promoter_score, scores=NPS_TEN),
    case("NPS of 200 answers", cs.net_promoter_score, scores=NPS_200),
    case("NPS margin of 200 answers, NORM.S.INV", cs.nps_margin_of_error,
         scores=NPS_200, confidence=0.95),
    case("NPS margin of 200 answers, NORMSINV", cs.nps_margin_of_error,
         nps_moe("NORMSINV"), scores=NPS_200, confidence=0.95),
    case("NPS margin of one class", cs.nps_margin_of_error, scores=[9, 10, 10], confidence=0.9),
    case("CSAT 1-5", cs.csat_score, scores=[5, 4, 4, 3, 5, 2, 5, 4], threshold=4),
    case("CSS seed 003: 6 and above of 1-10", cs.csat_score, scores=[7, 6, 5, 9, 10],
         threshold=6, scale_max=10),
    case("CES 1-7", cs.customer_effort_score, scores=[7, 6, 5, 6, 3, 6]),
    case("FCR 312 of 400", cs.first_contact_resolution_rate,
         resolved_first_contact=312, total_contacts=400),
    case("DSO seed 000 annual", cs.days_sales_outstanding,
         receivables=150_000, credit_sales=1_200_000, days=365),
    case("DSO one month", cs.days_sales_outstanding,
         receivables=150_000, credit_sales=100_000, days=30),
    case("countback DSO Jan-Mar", cs.countback_dso, receivables=150_000,
         credit_sales_by_period=[80_000, 90_000, 100_000], days_by_period=[31, 28, 31]),
    case("CLV seed 001", cs.customer_lifetime_value,
         revenue=5_400, acquisition_cost=900, service_cost=1_300),
    case("LTV 50 x 0.8 / 0.02", cs.subscription_ltv, arpa=50, gross_margin=0.8, churn_rate=0.02),
    case("discounted LTV", cs.discounted_ltv,
         arpa=50, gross_margin=0.8, churn_rate=0.02, discount_rate=0.01),
    case("discounted LTV at rate 0", cs.discounted_ltv,
         arpa=50, gross_margin=0.8, churn_rate=0.02, discount_rate=0),
    case("CAC 30000 / 25", cs.customer_acquisition_cost,
         sales_marketing_cost=30_000, new_customers=25),
    case("CLV/CAC seed 003 healthy: 3600 / 1200", cs.clv_cac_ratio, clv=3_600, cac=1_200),
    case("CLV/CAC of a loss", cs.clv_cac_ratio, clv=-400, cac=1_200),
    case("CAC payback", cs.cac_payback_months, cac=1_200, arpa=50, gross_margin=0.8),
]


def drawn_cases(rng, count=5):
    """Cases drawn with a fixed seed: customer periods, MRR months, surveys, histories."""
    cases = []
    for i in range(count):
        tag = f"drawn {i}"
        start = rng.randint(1, 5_000)
        lost, new = rng.randint(0, start), rng.randint(0, 3_000)
        cases += [
            case(f"CRR {tag}", cs.customer_retention_rate, customers_start=start,
                 customers_end=start - lost + new, customers_new=new),
            case(f"churn {tag}", cs.customer_churn_rate, customers_start=start,
                 customers_lost=lost),
            case(f"logo quick ratio {tag}", cs.logo_quick_ratio, customers_won=new,
                 customers_lost=max(lost, 1)),
        ]
        mrr_start = rng.randint(100, 10**8) / 100
        churned = round(rng.uniform(0, mrr_start / 2), 2)
        contraction = round(rng.uniform(0, mrr_start / 2), 2)
        expansion, new_mrr, back = (round(rng.uniform(0, mrr_start), 2) for _ in range(3))
        movements = dict(mrr_start=mrr_start, churned_mrr=churned, contraction_mrr=contraction)
        cases += [
            case(f"source MRR churn {tag}", cs.mrr_churn_rate, mrr_start=mrr_start,
                 mrr_end=round(mrr_start - churned - contraction, 2), expansion_mrr=expansion),
            case(f"gross MRR churn {tag}", cs.gross_mrr_churn_rate, **movements),
            case(f"net MRR churn {tag}", cs.net_mrr_churn_rate, **movements,
                 expansion_mrr=expansion),
            case(f"GRR {tag}", cs.gross_revenue_retention, **movements),
            case(f"NRR {tag}", cs.net_revenue_retention, **movements, expansion_mrr=expansion,
                 reactivation_mrr=back),
            case(f"quick ratio {tag}", cs.quick_ratio, new_mrr=new_mrr, expansion_mrr=expansion,
                 reactivation_mrr=back, contraction_mrr=contraction, churned_mrr=churned),
            case(f"ARPA {tag}", cs.arpa, mrr=mrr_start, accounts=start),
        ]
        nps = [rng.randint(0, 10) for _ in range(rng.randint(1, 400))]
        csat = [rng.randint(1, 10) for _ in range(rng.randint(1, 300))]
        ces = [rng.choice([1, 2, 3, 4, 5, 6, 7, 5.5]) for _ in range(rng.randint(1, 300))]
        cases += [
            case(f"NPS {tag}", cs.net_promoter_score, scores=nps),
            case(f"NPS margin {tag}", cs.nps_margin_of_error, scores=nps,
                 confidence=rng.choice([0.8, 0.9, 0.95, 0.99])),
            case(f"CSAT {tag}", cs.csat_score, scores=csat, threshold=rng.randint(1, 10),
                 scale_max=10),
            case(f"CES {tag}", cs.customer_effort_score, scores=ces),
        ]
        periods = rng.randint(1, 12)
        sales = [rng.randint(1, 10**7) / 100 for _ in range(periods)]
        days = [rng.choice([28, 30, 31, 91]) for _ in range(periods)]
        cases += [
            case(f"countback DSO {tag}", cs.countback_dso,
                 receivables=round(rng.uniform(0, sum(sales)), 2),
                 credit_sales_by_period=sales, days_by_period=days),
            case(f"DSO {tag}", cs.days_sales_outstanding, receivables=round(sales[-1] / 3, 2),
                 credit_sales=sales[-1], days=days[-1]),
        ]
        arpa, margin = rng.randint(100, 100_000) / 100, rng.uniform(0.2, 1)
        churn, discount = rng.uniform(0.01, 0.2), rng.uniform(0, 0.02)
        cac = rng.randint(100, 10**6) / 100
        cases += [
            case(f"LTV {tag}", cs.subscription_ltv, arpa=arpa, gross_margin=margin,
                 churn_rate=churn),
            case(f"discounted LTV {tag}", cs.discounted_ltv, arpa=arpa, gross_margin=margin,
                 churn_rate=churn, discount_rate=discount),
            case(f"CLV/CAC {tag}", cs.clv_cac_ratio,
                 clv=cs.subscription_ltv(arpa, margin, churn), cac=cac),
            case(f"CAC payback {tag}", cs.cac_payback_months, cac=cac, arpa=arpa,
                 gross_margin=margin),
        ]
    return cases


CASES = WORKED_EXAMPLES + drawn_cases(random.Random(20240601))
BARE_NORM_S_INV = "=NORM.S.INV(0.975)"


def write_workbook(path):
    """Write every case (inputs and native formula) and return {label: formula row}."""
    book = Workbook()
    sheet = book.active
    sheet.title = "cases"
    lists = book.create_sheet("lists")
    sheet.append(["case", "LibreOffice", "inputs"])
    rows = {}
    for case_ in CASES:
        row = sheet.max_row + 1
        cells, columns = {}, {}
        for offset, (name, value) in enumerate(case_.kwargs.items()):
            if isinstance(value, list):
                columns[name] = write_column(lists, value)
                cells[name] = column_range(columns[name], len(value))
            else:
                cells[name] = sheet.cell(row, 3 + offset, value).coordinate
        if case_.function is cs.discounted_ltv:
            cells["months"] = months_that_count(**case_.kwargs)
        if case_.function is cs.countback_dso:
            periods = len(case_.kwargs["credit_sales_by_period"])
            shares = open_shares(cells["receivables"], columns["credit_sales_by_period"], periods)
            cells["open_share_by_period"] = column_range(write_column(lists, shares), periods)
        sheet.cell(row, 1, case_.label)
        sheet.cell(row, 2, case_.formula.format(**cells))
        rows[case_.label] = row
    sheet.append(["NORM.S.INV without _xlfn.", BARE_NORM_S_INV])
    rows[BARE_NORM_S_INV] = sheet.max_row
    book.save(path)
    return rows


def months_that_count(churn_rate, discount_rate, **_):
    """Months of a discounted LTV until a month weighs less than 1e-15 of the first.

    Later months change the sum by less than the 1e-9 compared; cutting there also keeps
    the weights away from underflow, which LibreOffice's ``^`` answers with ``#NUM!``.
    """
    ratio = (1 - churn_rate) / (1 + discount_rate)
    return math.ceil(math.log(1e-15) / math.log(ratio))


def write_column(lists, values):
    """Write ``values`` down the next free column of ``lists``; return its letter."""
    column = get_column_letter(lists.max_column + 1 if lists["A1"].value is not None else 1)
    for i, value in enumerate(values, start=1):
        lists[f"{column}{i}"] = value
    return column


def column_range(column, length):
    return f"lists!${column}$1:${column}${length}"


def open_shares(receivables, c, periods):
    """Countback: the share of each period's sales still open, oldest period first.

    Receivables are matched against the latest sales first, so period i (in column ``c``
    of ``lists``) is open for ``(receivables - sales after it) / its sales``, kept
    between 0 and 1.
    """
    return [
        f"=MIN(1,MAX(0,(cases!{receivables}-(SUM({c}{i}:{c}{periods})-{c}{i}))/{c}{i}))"
        for i in range(1, periods + 1)
    ]


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    """LibreOffice's value of each case's formula, recalculated in one soffice call."""
    folder = tmp_path_factory.mktemp("core_libreoffice")
    rows = write_workbook(folder / "core_metrics.xlsx")
    (copy,) = recalculate([folder / "core_metrics.xlsx"], folder / "recalculated")
    sheet = load_workbook(copy, data_only=True)["cases"]
    return {label: sheet.cell(row, 2).value for label, row in rows.items()}


@pytest.mark.parametrize("case_", CASES, ids=[c.label for c in CASES])
def test_libreoffice_native_formula_equals_the_core(calc, case_):
    value = calc[case_.label]
    assert isinstance(value, (int, float)), f"LibreOffice gave {value!r} for {case_.formula}"
    expected = case_.function(**case_.kwargs)
    assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12), (value, expected)


def test_bare_norm_s_inv_is_unknown_to_libreoffice_without_the_xlfn_prefix(calc):
    assert calc[BARE_NORM_S_INV] == "#NAME?"


def test_every_scalar_metric_has_a_native_formula_and_a_worked_example():
    metrics = set(cs.SCALAR_METRICS) - {cs.nps_breakdown}
    assert set(FORMULAS) == metrics
    assert {c.function for c in WORKED_EXAMPLES} == metrics
    assert not any("CS_" in c.formula for c in CASES)
