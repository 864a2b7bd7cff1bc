"""fx_impact in the MRR bridge: exchange-rate moves apart from expansion and contraction,
worked by hand (rates in EUR per USD; the reporting currency is EUR)."""

import warnings

import pandas as pd
import pytest
from cents import in_cents

from csmetrics import customer_movements, mrr_movements


def _mrr(rows):
    return pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "currency", "mrr_native"])


def test_a_rate_move_and_an_upgrade_in_one_month_are_split():
    # 100 USD at 0.90 = 90.00; then 120 USD at 0.95 = 114.00. The rate move on what was
    # there: 100 x (0.95 - 0.90) = 5.00; the upgrade at this month's rate: 20 x 0.95 = 19.00.
    bridge = mrr_movements(_mrr([("A", "2024-01", 90.0, "USD", 100.0),
                                 ("A", "2024-02", 114.0, "USD", 120.0)]))
    february = bridge.iloc[1]
    assert (february["fx_impact"], february["expansion"]) == (5.0, 19.0)
    assert february["mrr_start"] + february["expansion"] + february["fx_impact"] == 114.0


def test_a_rate_fall_on_an_unchanged_price_is_fx_not_contraction():
    # 200 USD at 0.95 = 190.00, then at 0.90 = 180.00: -10.00 of fx, the customer is flat.
    moves = customer_movements(_mrr([("A", "2024-01", 190.0, "USD", 200.0),
                                     ("A", "2024-02", 180.0, "USD", 200.0)]))
    assert moves["movement"].astype(str).tolist() == ["new", "flat"]
    assert moves["fx_impact"].tolist() == [0.0, -10.0]
    bridge = mrr_movements(_mrr([("A", "2024-01", 190.0, "USD", 200.0),
                                 ("A", "2024-02", 180.0, "USD", 200.0)]))
    assert bridge["contraction"].tolist() == [0.0, 0.0]


def test_rounding_at_one_rate_is_not_an_fx_impact():
    # 100.01 USD and 150.03 USD, both at 0.92: 92.01 and 138.03 (each rounded to the
    # cent). Their rates differ only by that rounding: expansion 46.02, fx_impact 0.
    bridge = mrr_movements(_mrr([("A", "2024-01", 92.01, "USD", 100.01),
                                 ("A", "2024-02", 138.03, "USD", 150.03)]))
    assert (bridge.iloc[1]["expansion"], bridge.iloc[1]["fx_impact"]) == (46.02, 0.0)


def test_new_churned_and_home_currency_customers_carry_no_fx_impact():
    bridge = mrr_movements(_mrr([("A", "2024-01", 90.0, "USD", 100.0),
                                 ("B", "2024-01", 50.0, "EUR", 50.0),
                                 ("B", "2024-02", 60.0, "EUR", 60.0)]))
    assert bridge["fx_impact"].tolist() == [0.0, 0.0]
    assert bridge.iloc[1][["expansion", "churned"]].tolist() == [10.0, 90.0]


def test_an_exact_half_cent_of_fx_rounds_away_from_zero_as_spreadsheet_round():
    # 1.03 USD at 1.00, then 2.00 USD at 1.50 (3.00): the prior 1.03 USD at this month's
    # rate is 1.545, an exact half cent. Spreadsheet ROUND (the Audit's) rounds it away from
    # zero to 1.55 (fx 0.52, expansion 1.45); half to even would give 1.54 and fx 0.51.
    bridge = mrr_movements(_mrr([("A", "2024-01", 1.03, "USD", 1.03),
                                 ("A", "2024-02", 3.00, "USD", 2.00)]))
    assert (bridge.iloc[1]["fx_impact"], bridge.iloc[1]["expansion"]) == (0.52, 1.45)


def test_a_customer_who_changes_currency_expands_or_contracts_without_fx_impact():
    """A rate compares two amounts in one currency, so a change of currency has no fx part.

    A pays 100 USD in January (at 0.90: 90.00 EUR), then 100 EUR in February (100.00 EUR).
    The native amounts are both 100, but they are not the same money: the change of
    100.00 - 90.00 = +10.00 is expansion, and fx_impact is 0 (read as one currency it
    would be "flat, 10.00 of fx"). B goes the other way: 100 EUR in January, then 100 USD
    at 0.90 in February: 90.00 - 100.00 = -10.00 of contraction, no fx.
    """
    rows = [("A", "2024-01", 90.0, "USD", 100.0), ("A", "2024-02", 100.0, "EUR", 100.0),
            ("B", "2024-01", 100.0, "EUR", 100.0), ("B", "2024-02", 90.0, "USD", 100.0)]
    moves = customer_movements(_mrr(rows))
    assert moves["movement"].astype(str).tolist() == ["new", "expansion", "new", "contraction"]
    assert moves["fx_impact"].tolist() == [0.0, 0.0, 0.0, 0.0]
    february = mrr_movements(_mrr(rows)).iloc[1]
    assert february[["mrr_start", "expansion", "contraction", "fx_impact", "mrr_end"]].tolist() == [
        190.0, 10.0, 10.0, 0.0, 190.0]


def test_a_rate_off_by_less_than_the_cents_can_tell_is_no_fx_impact_even_if_it_rounds():
    """100.00 USD valued 110.00 (rate 1.1), then 200.00 USD valued 220.01 (rate 1.10005).
    Each month's rate is known only to a cent of its amounts: the rates differ by 0.00005,
    less than 1 / 20000 + 1 / 10000 = 0.00015, so they are one rate and the whole change,
    22001 - 11000 = 11001 cents, is expansion. Revaluing the prior 100.00 USD at this
    month's rate would give 10000 x 22001 / 20000 = 11000.5 cents, 11001 rounded: a cent
    of "fx" that only the rounding makes."""
    bridge = mrr_movements(_mrr([("A", "2024-01", 110.00, "USD", 100.00),
                                 ("A", "2024-02", 220.01, "USD", 200.00)]))
    assert in_cents(bridge.iloc[1][["expansion", "fx_impact"]]) == [11_001, 0]


@pytest.mark.parametrize("blank", ["2024-01", "2024-02"])
def test_a_month_without_its_native_amount_carries_no_fx_impact(blank):
    """A's January is 90.00 EUR (100 USD at 0.90), February 95.00 (100 USD at 0.95), with
    no native amount given (a blank mrr_native) in one of the two months. Without both
    native amounts no rate move can be told: the whole +5.00 is expansion and fx_impact is
    0, and the bridge says so without a Python warning (no rate is taken of a native 0:
    numpy would warn "divide by zero")."""
    rows = [("A", month, mrr, "USD", None if month == blank else 100.0)
            for month, mrr in (("2024-01", 90.0), ("2024-02", 95.0))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bridge = mrr_movements(_mrr(rows))
    assert (bridge.iloc[1]["expansion"], bridge.iloc[1]["fx_impact"]) == (5.0, 0.0)


def test_a_one_cent_native_amount_has_its_rate_move_too():
    """0.01 USD a month (a price in the smallest unit) at 1.00, then at 2.00: 0.01, then
    0.02 EUR. The native amount is unchanged, so the whole +0.01 is fx_impact and the
    customer is flat, as for any amount."""
    moves = customer_movements(_mrr([("A", "2024-01", 0.01, "USD", 0.01),
                                     ("A", "2024-02", 0.02, "USD", 0.01)]))
    assert moves["movement"].astype(str).tolist() == ["new", "flat"]
    assert in_cents(moves["fx_impact"]) == [0, 1]


def test_rates_closer_than_both_months_cents_can_tell_are_one_rate():
    """1.00 USD billed 0.92 EUR (a rate of 0.92), then 1,000.00 USD billed 928.00 EUR (a
    rate of 0.928). The rates differ by 0.008, less than 1 / 100 + 1 / 100,000 = 0.01001
    (the cents of each month: 1 / native cents): the same rate, so no fx impact and the
    whole +927.08 is expansion; the previous 1.00 USD at this month's rate would have
    made 0.01 of fx impact (0.928 rounds to 0.93)."""
    bridge = mrr_movements(_mrr([("A", "2024-01", 0.92, "USD", 1.00),
                                 ("A", "2024-02", 928.00, "USD", 1000.00)]))
    assert in_cents(bridge.iloc[1][["expansion", "fx_impact"]]) == [92708, 0]


def test_rates_exactly_as_far_apart_as_the_cents_can_tell_are_one_rate():
    """0.04 USD billed 0.05 EUR (a rate of 1.25), then 0.02 USD billed 0.04 EUR (2.00):
    binary fractions, so the test sits exactly on the boundary. The rates differ by 0.75,
    exactly 1 / 2 + 1 / 4 (1 / native cents of each month): not further apart than the
    cents can tell, so one rate; fx_impact 0, the -0.01 all contraction. A rate move
    would have revalued the 0.04 USD at 2.00 to 0.08: +0.03 of fx impact."""
    bridge = mrr_movements(_mrr([("A", "2024-01", 0.05, "USD", 0.04),
                                 ("A", "2024-02", 0.04, "USD", 0.02)]))
    assert in_cents(bridge.iloc[1][["contraction", "fx_impact"]]) == [1, 0]


def test_rates_just_further_apart_than_the_cents_can_tell_are_two_rates():
    """0.04 USD billed 0.04 EUR (a rate of 1.00), then 0.02 USD billed 0.04 EUR (2.00):
    binary fractions, exact in floats. The rates differ by 1.00, more than 1 / 2 + 1 / 4 =
    0.75 (1 / native cents of each month): the rate moved. The 0.04 USD at 2.00 is 0.08:
    +0.04 of fx impact, and the native amount halved at this month's rate is a contraction
    of 0.04 (0.04 + 0.04 - 0.04 = 0.04)."""
    bridge = mrr_movements(_mrr([("A", "2024-01", 0.04, "USD", 0.04),
                                 ("A", "2024-02", 0.04, "USD", 0.02)]))
    assert in_cents(bridge.iloc[1][["contraction", "fx_impact"]]) == [4, 4]
