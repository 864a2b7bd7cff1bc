"""Identities and invariants the core metrics must satisfy for every valid input.

Each property is algebra the definitions imply (METRICS.md, the API table); hypothesis
draws the inputs from tests/strategies.py. Floats are compared with a tolerance of
1e-12, far below a cent or a tenth of a percentage point and far above float rounding.
"""

import math

import strategies as s
from hypothesis import assume, given
from hypothesis import strategies as st

import csmetrics as cs

TOL = 1e-12


def close(a, b, tol=TOL):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


# Revenue: churn, retention and the MRR bridge


@given(s.mrr_months())
def test_grr_is_one_minus_gross_mrr_churn(m):
    grr = cs.gross_revenue_retention(m.start, m.churned, m.contraction)
    assert close(grr, 1 - cs.gross_mrr_churn_rate(m.start, m.churned, m.contraction))


@given(s.mrr_months())
def test_nrr_without_reactivation_is_one_minus_net_mrr_churn(m):
    nrr = cs.net_revenue_retention(m.start, m.churned, m.contraction, m.expansion)
    net = cs.net_mrr_churn_rate(m.start, m.churned, m.contraction, m.expansion)
    assert close(nrr, 1 - net)


@given(s.mrr_months())
def test_reactivation_adds_its_share_of_the_starting_mrr_to_nrr(m):
    without = cs.net_revenue_retention(m.start, m.churned, m.contraction, m.expansion)
    with_back = cs.net_revenue_retention(
        m.start, m.churned, m.contraction, m.expansion, reactivation_mrr=m.reactivation
    )
    assert close(with_back, without + m.reactivation / m.start)


@given(s.mrr_months())
def test_source_mrr_churn_fed_the_mrr_kept_is_the_net_mrr_churn(m):
    # METRICS.md: seed 000's formula is right when mrr_end excludes upgrades and new MRR.
    source = cs.mrr_churn_rate(m.start, m.kept, m.expansion)
    assert close(source, cs.net_mrr_churn_rate(m.start, m.churned, m.contraction, m.expansion))


@given(s.mrr_months())
def test_expansion_rate_is_the_gap_between_nrr_and_grr(m):
    nrr = cs.net_revenue_retention(m.start, m.churned, m.contraction, m.expansion)
    grr = cs.gross_revenue_retention(m.start, m.churned, m.contraction)
    assert close(cs.expansion_mrr_rate(m.start, m.expansion), nrr - grr)


@given(s.mrr_months())
def test_revenue_growth_over_the_bridge_is_nrr_plus_new_business(m):
    # end = start + new + expansion + reactivation - contraction - churned
    growth = cs.revenue_growth_rate(m.start, m.end)
    nrr = cs.net_revenue_retention(
        m.start, m.churned, m.contraction, m.expansion, reactivation_mrr=m.reactivation
    )
    assert close(growth, nrr - 1 + m.new / m.start)


@given(s.mrr_months())
def test_quick_ratio_is_mrr_gained_over_mrr_lost(m):
    assume(m.churned + m.contraction > 0)
    ratio = cs.quick_ratio(m.new, m.expansion, m.reactivation, m.contraction, m.churned)
    gained = m.new + m.expansion + m.reactivation
    assert close(ratio * (m.contraction + m.churned), gained)


@given(s.mrr_months())
def test_grr_and_gross_churn_lie_between_zero_and_one(m):
    assert 0 <= cs.gross_revenue_retention(m.start, m.churned, m.contraction) <= 1
    assert 0 <= cs.gross_mrr_churn_rate(m.start, m.churned, m.contraction) <= 1


@given(s.cents(), s.cents(min_value=1))
def test_losing_all_the_mrr_in_cents_is_possible(churned, start):
    # 0.10 + 0.20 is 0.30000000000000004 > 0.30: rounding must not read as impossible.
    churned = min(churned, start)
    lost_all = (churned / 100, (start - churned) / 100)
    assert cs.gross_revenue_retention(start / 100, *lost_all) == 0
    assert cs.gross_mrr_churn_rate(start / 100, *lost_all) == 1


@given(s.money(), s.positive_counts)
def test_mrr_of_the_arpa_round_trips_to_the_mrr(mrr, accounts):
    assert close(cs.mrr(accounts, cs.arpa(mrr, accounts)), mrr)


@given(s.money(), s.positive_counts)
def test_arpa_of_the_mrr_round_trips_to_the_arpa(arpa, accounts):
    assert close(cs.arpa(cs.mrr(accounts, arpa), accounts), arpa)


# Customers: retention and churn


@given(s.customer_periods())
def test_crr_plus_logo_churn_is_one(p):
    crr = cs.customer_retention_rate(p.start, p.end, p.new)
    assert close(crr + cs.customer_churn_rate(p.start, p.lost), 1)


@given(s.customer_periods())
def test_crr_and_logo_churn_lie_between_zero_and_one(p):
    assert 0 <= cs.customer_retention_rate(p.start, p.end, p.new) <= 1
    assert 0 <= cs.customer_churn_rate(p.start, p.lost) <= 1


@given(s.counts, s.positive_counts)
def test_fcr_and_repeat_purchase_lie_between_zero_and_one(part, whole):
    part = min(part, whole)
    assert 0 <= cs.first_contact_resolution_rate(part, whole) <= 1
    assert 0 <= cs.repeat_purchase_rate(part, whole) <= 1


# Surveys: NPS, its margin of error, CSAT, CES


def shares(scores):
    n = len(scores)
    return sum(x >= 9 for x in scores) / n, sum(x <= 6 for x in scores) / n


@given(s.nps_answers)
def test_nps_is_promoter_share_minus_detractor_share_in_points(scores):
    promoters, detractors = shares(scores)
    nps = cs.net_promoter_score(scores)
    assert -100 <= nps <= 100
    assert close(nps, 100 * (promoters - detractors))


@given(s.nps_answers)
def test_nps_breakdown_counts_every_answer_once(scores):
    b = cs.nps_breakdown(scores)
    assert b.promoters + b.passives + b.detractors == b.responses == len(scores)
    assert close(b.promoter_share + b.passive_share + b.detractor_share, 1)
    assert (b.promoter_share, b.detractor_share) == shares(scores)
    assert close(b.nps, 100 * (b.promoter_share - b.detractor_share))


@given(s.nps_answers.flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))),
       st.integers(min_value=2, max_value=5))
def test_nps_ignores_the_order_and_duplication_of_the_answers(pair, copies):
    scores, shuffled = pair
    nps = cs.net_promoter_score(scores)
    assert cs.net_promoter_score(shuffled) == nps
    assert close(cs.net_promoter_score(scores * copies), nps)


@given(s.nps_answers, s.confidences)
def test_four_times_the_answers_halve_the_nps_margin_of_error(scores, confidence):
    moe = cs.nps_margin_of_error(scores, confidence=confidence)
    assert moe >= 0
    assert close(cs.nps_margin_of_error(scores * 4, confidence=confidence), moe / 2, 1e-9)


@given(s.nps_answers)
def test_nps_margin_of_error_widens_with_the_confidence(scores):
    moes = [cs.nps_margin_of_error(scores, confidence=c) for c in (0.8, 0.9, 0.95, 0.99)]
    assert moes == sorted(moes)


@given(s.one_class_answers())
def test_nps_margin_of_error_is_zero_when_all_answers_are_one_class(scores):
    assert cs.nps_margin_of_error(scores) == 0


@given(s.csat_surveys())
def test_csat_is_the_share_at_or_above_the_threshold(survey):
    scores, threshold, low, high = survey
    csat = cs.csat_score(scores, threshold=threshold, scale_max=high, scale_min=low)
    assert 0 <= csat <= 1
    assert close(csat, sum(x >= threshold for x in scores) / len(scores))


@given(s.csat_answers)
def test_csat_falls_as_the_threshold_rises(scores):
    levels = [cs.csat_score(scores, threshold=t) for t in range(1, 6)]
    assert levels == sorted(levels, reverse=True)
    assert levels[0] == 1


@given(s.answers(1, 7, whole=False))
def test_ces_is_the_mean_answer_and_stays_on_the_scale(scores):
    ces = cs.customer_effort_score(scores)
    assert 1 <= ces <= 7
    assert close(ces, math.fsum(scores) / len(scores), 1e-9)


# Receivables


@given(s.sales_histories(within_last_period=True))
def test_countback_dso_within_the_last_period_is_its_simple_dso(h):
    simple = cs.days_sales_outstanding(h.receivables, h.credit_sales[-1], days=h.days[-1])
    assert close(cs.countback_dso(h.receivables, h.credit_sales, h.days), simple)


@given(s.sales_histories())
def test_countback_dso_never_exceeds_the_days_given(h):
    dso = cs.countback_dso(h.receivables, h.credit_sales, h.days)
    assert 0 <= dso <= sum(h.days) * (1 + TOL)


@given(s.money(), s.positive_money, st.sampled_from([30, 31, 90, 91, 365]))
def test_dso_is_proportional_to_the_days_of_the_period(receivables, sales, days):
    yearly = cs.days_sales_outstanding(receivables, sales)
    assert close(cs.days_sales_outstanding(receivables, sales, days=days), yearly / 365 * days)


# Unit economics


@given(s.positive_money, s.margins, s.churn_rates, s.positive_money)
def test_ltv_over_cac_is_the_clv_cac_ratio(arpa, margin, churn, cac):
    ltv = cs.subscription_ltv(arpa, margin, churn)
    assert close(cs.clv_cac_ratio(ltv, cac), ltv / cac)


@given(s.positive_money, s.margins, s.churn_rates, s.discount_rates)
def test_discounting_lowers_the_ltv(arpa, margin, churn, discount):
    undiscounted = cs.subscription_ltv(arpa, margin, churn)
    discounted = cs.discounted_ltv(arpa, margin, churn, discount)
    assert discounted <= undiscounted * (1 + TOL)
    # (1 + d) / (d + c) < 1 / c exactly when c < 1; the gap, d (1 - c) / (d + c), is lost
    # in rounding as c nears 1.
    if churn <= 0.999:
        assert discounted < undiscounted


@given(s.positive_money, s.margins, s.churn_rates)
def test_discounted_ltv_at_a_zero_rate_is_the_subscription_ltv(arpa, margin, churn):
    # arpa x margin x (1 + 0) / (0 + churn) = arpa x margin / churn
    undiscounted = cs.subscription_ltv(arpa, margin, churn)
    assert close(cs.discounted_ltv(arpa, margin, churn, 0), undiscounted)


@given(s.positive_money, s.margins, st.floats(min_value=0.01, max_value=0.5),
       st.floats(min_value=0, max_value=0.05))
def test_discounted_ltv_is_the_sum_of_the_discounted_months(arpa, margin, churn, discount):
    ratio = (1 - churn) / (1 + discount)
    months = math.fsum(arpa * margin * ratio**t for t in range(5_000))
    assert close(cs.discounted_ltv(arpa, margin, churn, discount), months, 1e-9)


@given(s.money(), s.positive_money, s.margins)
def test_cac_payback_months_of_margin_earn_back_the_cac(cac, arpa, margin):
    months = cs.cac_payback_months(cac, arpa, margin)
    assert close(months * arpa * margin, cac, 1e-9)


@given(s.money(), s.positive_counts)
def test_cac_times_the_customers_won_is_the_spend(cost, won):
    assert close(cs.customer_acquisition_cost(cost, won) * won, cost, 1e-9)
