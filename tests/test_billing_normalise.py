"""The arithmetic of csmetrics.billing.normalise on its own, worked by hand."""

import numpy as np
import pytest
from billing_fixture import FIXTURES, RATES

from csmetrics.billing import Rules, chartmogul, stripe
from csmetrics.billing.checks import Finding
from csmetrics.billing.fx import read_rates
from csmetrics.billing.normalise import monthly_cents, months_between, normalise


def test_a_rate_at_the_edge_of_what_the_billed_cents_allow_is_taken():
    """10.10 a month for 7 of February 2023's 28 days (a quarter of a month) is 2.525,
    billed 2.53 (253 cents). 253 cents over 0.25 months fits any rate from 252.5 / 0.25 =
    1,010 to 253.5 / 0.25 = 1,014 cents (within half a cent of 253 over the period), ends
    included; the roundest is 1,010, at the low end: the plan's 10.10, not 253 / 0.25 =
    10.12. The same credited: -1,010."""
    assert monthly_cents(np.array([253, -253]), np.array([7 / 28, 7 / 28])).tolist() == \
        [1010, -1010]


def test_the_roundest_rate_may_be_above_the_exact_one():
    """A charge of 51.61 (5,161 cents) for 16 of March's 31 days: 5,161 x 31 / 16 =
    9,999.43 cents a month, and any rate from 5,160.5 x 31 / 16 = 9,998.47 to 5,161.5 x 31
    / 16 = 10,000.41 fits; the roundest is 10,000 (100.00), above the exact rate, not
    9,999."""
    assert monthly_cents(np.array([5161]), np.array([16 / 31])).tolist() == [10000]


def test_a_rate_no_whole_cent_fits_is_the_nearest_cent():
    """A year of 1,000.07 (100,007 cents over 12 months) is 8,333.917 cents a month; the
    rates within half a cent of 100,007 over the year run from 100,006.5 / 12 = 8,333.875
    to 100,007.5 / 12 = 8,333.958, and hold no whole cent: the nearest, 8,334 (83.34)."""
    assert monthly_cents(np.array([100007]), np.array([12.0])).tolist() == [8334]


def test_an_export_with_an_error_gives_no_tables_and_stops_there():
    """ChartMogul's fixture as read, with an error a reader found (a date that is none):
    no MRR and no invoices. The findings are the error and what was left out before it was
    seen (the void D1v, the uncollectible D2, D1's setup fee), nothing of the steps after
    it (sub_E's June period cut at its cancellation, which the import would say). The
    error's level is made at run time, as one read back from a file would be: a level is
    compared by its text."""
    level = bytes("error", "ascii").decode()  # equal to the literal "error", not the same
    error = Finding(level, "not a date: '31/02/2024'", "03_Invoices.csv", 7, "Invoiced date")
    export = chartmogul.read(FIXTURES / "chartmogul")._replace(findings=[error])
    mrr, invoices, findings = normalise(export, Rules(), currency="EUR",
                                        rates=read_rates(RATES))
    assert (mrr, invoices) == (None, None)
    assert [f.message for f in findings] == [
        "not a date: '31/02/2024'", "1 void invoice(s) left out of MRR",
        "1 uncollectible (written off) invoice(s) left out of MRR",
        "1 one-off charge(s) (setup fees and the like) kept out of MRR"]


def test_the_currency_and_rates_are_given_by_name():
    """normalise(export, rules, "EUR") is refused: the currency and the rates come by
    name, so neither is taken for the other."""
    with pytest.raises(TypeError):
        normalise(stripe.read(FIXTURES / "stripe"), Rules(), "EUR")


def test_a_credit_at_the_edge_over_a_period_no_float_holds_is_the_plans_rate():
    """A plan of 2,799.30 a month credited for 3 of February 2023's 28 days: 2,799.30 x 3 /
    28 = 299.925, credited as -299.93 (-29,993 cents). -29,993 over 3/28 of a month fits
    any rate from -29,993.5 x 28 / 3 = -279,939.33 to -29,992.5 x 28 / 3 = -279,930 cents,
    ends included (3/28 is no exact float, so the end comes out of a rounded division);
    the roundest is -279,930, at the end: the plan's -2,799.30, not -2,799.35."""
    assert monthly_cents(np.array([-29993]), np.array([3 / 28])).tolist() == [-279930]


def test_a_period_ending_later_in_the_month_than_it_starts():
    """1 January to 15 March 2024: 2 whole months (to 1 March), then 14 of March's 31
    days: 2 + 14/31 = 2.451613 months (the end's day, the 15th, after the start's, the
    1st)."""
    start, end = np.array(["2024-01-01"], dtype="M8[D]"), np.array(["2024-03-15"], dtype="M8[D]")
    assert months_between(start, end).round(6).tolist() == [2.451613]
