"""MRR movements, the monthly bridge and cohorts on the hand-checked fixture.

The expected numbers are worked out by hand in tests/table_fixture.py's docstring.
"""

import numpy as np
import pandas as pd
import pytest
from cents import in_cents
from table_fixture import BRIDGE, BRIDGE_COLUMNS, raw_tables

from csmetrics import DataError, cohort_retention, customer_movements, mrr_movements
from csmetrics.tables.cohorts import cohort_sizes


@pytest.fixture
def mrr():
    return raw_tables()["mrr"]


def test_bridge_matches_the_hand_computed_one(mrr):
    bridge = mrr_movements(mrr, on_duplicate="sum")
    assert bridge["month"].astype(str).tolist() == list(BRIDGE)
    for row, expected in zip(bridge.itertuples(), BRIDGE.values(), strict=True):
        got = tuple(getattr(row, column) for column in BRIDGE_COLUMNS)
        assert got == pytest.approx(expected, abs=1e-9), row.month


def test_reactivated_customers_are_counted_apart(mrr):
    bridge = mrr_movements(mrr, on_duplicate="sum")
    # Only E comes back (March); H is new that month, so customers_new = 2 of which 1 back.
    assert bridge["customers_reactivated"].tolist() == [0, 0, 1, 0]


def test_every_customer_month_has_the_hand_classified_movement(mrr):
    moves = customer_movements(mrr, on_duplicate="sum")
    found = {(r.customer_id, str(r.month)): r.movement for r in moves.itertuples()}
    expected = {
        # A: flat from February on
        ("A", "2024-01"): "new", ("A", "2024-02"): "flat", ("A", "2024-03"): "flat",
        ("A", "2024-04"): "flat",
        ("B", "2024-01"): "new", ("B", "2024-02"): "expansion", ("B", "2024-03"): "flat",
        ("B", "2024-04"): "expansion",
        ("C", "2024-01"): "new", ("C", "2024-02"): "contraction", ("C", "2024-03"): "flat",
        ("C", "2024-04"): "flat",
        # D churns in February; the months at zero after it are not listed
        ("D", "2024-01"): "new", ("D", "2024-02"): "churned",
        # E: out in February, back in March
        ("E", "2024-01"): "new", ("E", "2024-02"): "churned", ("E", "2024-03"): "reactivation",
        ("E", "2024-04"): "flat",
        # F: its zero row in March is a churn, nothing after
        ("F", "2024-01"): "new", ("F", "2024-02"): "flat", ("F", "2024-03"): "churned",
        ("G", "2024-02"): "new", ("G", "2024-03"): "flat", ("G", "2024-04"): "expansion",
        ("H", "2024-03"): "new", ("H", "2024-04"): "contraction",
        ("I", "2024-01"): "new", ("I", "2024-02"): "flat", ("I", "2024-03"): "flat",
        ("I", "2024-04"): "churned",
        # J: the two March rows (250 + 150) add up to an unchanged 400
        ("J", "2024-01"): "new", ("J", "2024-02"): "flat", ("J", "2024-03"): "flat",
        ("J", "2024-04"): "flat",
        ("K", "2024-04"): "new",
        ("L", "2024-01"): "new", ("L", "2024-02"): "expansion", ("L", "2024-03"): "expansion",
        ("L", "2024-04"): "contraction",
    }
    assert found == expected


def test_customer_movements_carry_amounts_to_the_cent(mrr):
    moves = customer_movements(mrr, on_duplicate="sum").set_index(["customer_id", "month"])
    # L loses 30 cents in April: 60.30 -> 60.00
    april = moves.loc[("L", pd.Period("2024-04", "M"))]
    assert (april["mrr_previous"], april["mrr"], april["change"]) == (60.30, 60.00, -0.30)
    # E's churn in February takes its January 120
    churn = moves.loc[("E", pd.Period("2024-02", "M"))]
    assert (churn["mrr_previous"], churn["mrr"], churn["change"]) == (120.0, 0.0, -120.0)


def test_customer_movements_add_up_to_the_bridge(mrr):
    moves = customer_movements(mrr, on_duplicate="sum")
    bridge = mrr_movements(mrr, on_duplicate="sum").set_index("month")
    by_kind = moves.pivot_table(index="month", columns="movement", values="change",
                                aggfunc="sum", observed=False, fill_value=0)
    assert in_cents(by_kind["new"]) == in_cents(bridge["new"])
    assert in_cents(by_kind["expansion"]) == in_cents(bridge["expansion"])
    assert in_cents(-by_kind["contraction"]) == in_cents(bridge["contraction"])
    assert in_cents(-by_kind["churned"]) == in_cents(bridge["churned"])
    assert in_cents(by_kind["reactivation"]) == in_cents(bridge["reactivation"])


def test_segments_take_the_latest_segment_and_add_up(mrr):
    bridge = mrr_movements(mrr, segment_by="segment", on_duplicate="sum")
    # each month's segments in alphabetical order (the table's rows name SMB first)
    assert bridge["segment"].tolist() == ["Enterprise", "Mid-Market", "SMB"] * 4
    # B's latest row says Mid-Market, so all of B's months count there: new 200 in January
    mid = bridge[bridge["segment"] == "Mid-Market"]
    assert mid["new"].tolist() == [200, 0, 0, 0]
    assert mid["mrr_end"].tolist() == [200, 250, 250, 300]
    # Enterprise by hand: Jan F 1000 + J 400 new; Feb G 500 new; Mar H 800 new, F 1000
    # churned; Apr G +100, H -100.
    ent = bridge[bridge["segment"] == "Enterprise"]
    assert ent["new"].tolist() == [1400, 500, 800, 0]
    assert ent["churned"].tolist() == [0, 0, 1000, 0]
    assert ent["expansion"].tolist() == [0, 0, 0, 100]
    assert ent["contraction"].tolist() == [0, 0, 0, 100]
    assert ent["mrr_end"].tolist() == [1400, 1900, 1700, 1700]
    assert ent["customers_end"].tolist() == [2, 3, 3, 3]
    total = mrr_movements(mrr, on_duplicate="sum").set_index("month")
    summed = bridge.groupby("month").sum(numeric_only=True)
    assert in_cents(summed[list(total.columns)]) == in_cents(total)


def test_months_as_dates_text_and_excel_serials_give_the_same_bridge(mrr):
    as_text = mrr_movements(mrr, on_duplicate="sum")
    as_dates = mrr.assign(month=pd.to_datetime(mrr["month"]) + pd.Timedelta(days=14))
    # Excel serials: 2024-01-01 is 45292 in the 1900 date system
    as_serials = mrr.assign(
        month=(pd.to_datetime(mrr["month"]) - pd.Timestamp("1899-12-30")).dt.days
    )
    assert as_serials["month"].iloc[0] == 45292
    for variant in (as_dates, as_serials):
        pd.testing.assert_frame_equal(mrr_movements(variant, on_duplicate="sum"), as_text)


def test_three_equal_length_columns_will_do():
    ids = ["A", "A", "B"]
    months = [45292.0, 45323.0, 45323.0]  # Excel serials of 2024-01-01 and 2024-02-01
    amounts = [100.0, 150.0, 80.0]
    bridge = mrr_movements(pd.DataFrame({"customer_id": ids, "month": months, "mrr": amounts}))
    # Jan: A new 100. Feb: A +50, B new 80; end 230.
    assert bridge["new"].tolist() == [100, 80]
    assert bridge["expansion"].tolist() == [0, 50]
    assert bridge["mrr_end"].tolist() == [100, 230]


def test_a_duplicate_row_is_an_error_naming_both_rows(mrr):
    with pytest.raises(DataError) as raised:
        mrr_movements(mrr)
    # J's two March rows are the 30th and 31st data rows: rows 31 and 32 of a sheet whose
    # header is row 1.
    assert raised.value.row == 32
    assert raised.value.column == "month"
    assert "customer_id 'J' and month 2024-03 already appears on row 31" in str(raised.value)


@pytest.mark.parametrize("function", [mrr_movements, customer_movements, cohort_retention,
                                      cohort_sizes])
def test_the_table_comes_by_position_or_name_and_the_options_by_name(mrr, function):
    """mrr_movements(mrr=table) is the same call as mrr_movements(table); an option given
    by position, mrr_movements(table, "sum"), is refused, so that a value is never taken
    for another option."""
    assert function(mrr=mrr, on_duplicate="sum").equals(function(mrr, on_duplicate="sum"))
    with pytest.raises(TypeError):
        function(mrr, "sum")


@pytest.mark.parametrize("on_duplicate", ["error", "sum"])
def test_customer_movements_come_sorted_by_customer_then_month(on_duplicate):
    """Rows given as Zed's February, then Abe's January (in two rows, 60 + 40, added up
    where duplicates are summed): Abe's rows come first, then Zed's, each by month, whether
    or not rows were added up."""
    abe = [("Abe", "2024-01", 60.0), ("Abe", "2024-01", 40.0)] if on_duplicate == "sum" \
        else [("Abe", "2024-01", 100.0)]
    table = pd.DataFrame([("Zed", "2024-02", 50.0), *abe],
                         columns=["customer_id", "month", "mrr"])
    moves = customer_movements(table, on_duplicate=on_duplicate)
    rows = zip(moves["customer_id"], moves["month"].astype(str), moves["mrr"], strict=True)
    assert list(rows) == [
        ("Abe", "2024-01", 100.0), ("Abe", "2024-02", 0.0), ("Zed", "2024-02", 50.0)]


def test_the_input_frame_is_left_unchanged(mrr):
    before = pd.util.hash_pandas_object(mrr).sum(), list(mrr.columns), mrr.dtypes.tolist()
    mrr_movements(mrr, segment_by="segment", on_duplicate="sum")
    customer_movements(mrr, on_duplicate="sum")
    cohort_retention(mrr, on_duplicate="sum")
    assert (pd.util.hash_pandas_object(mrr).sum(), list(mrr.columns),
            mrr.dtypes.tolist()) == before


def test_logo_cohorts_by_hand(mrr):
    table = cohort_retention(mrr, on_duplicate="sum")
    # January cohort: A B C D E F I J L (9). Still paying: Feb 7 (D, E gone), Mar 7 (E back,
    # F gone), Apr 6 (I gone).
    assert table.loc[pd.Period("2024-01", "M")].tolist()[:4] == pytest.approx(
        [1, 7 / 9, 7 / 9, 6 / 9]
    )
    # February cohort: G only; March: H only; April: K only.
    assert table.loc[pd.Period("2024-02", "M")].tolist()[:3] == [1, 1, 1]
    assert np.isnan(table.loc[pd.Period("2024-02", "M")].iloc[3])
    assert table.index.astype(str).tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    # blank exactly where the data ends first: cohort c (from 0) in month s since, c + s > 3
    assert table.isna().to_numpy().tolist() == [[c + s > 3 for s in range(4)]
                                                for c in range(4)]


def test_revenue_cohorts_by_hand(mrr):
    table = cohort_retention(mrr, mode="revenue", on_duplicate="sum")
    # January cohort MRR: 2380.10 in Jan; 2060.20 in Feb (2560.20 less G's 500);
    # 1190.30 in Mar (2490.30 less G 500 and H 800); 1190.00 in Apr (2580 less G 600,
    # H 700 and K 90).
    january = table.loc[pd.Period("2024-01", "M")].tolist()
    assert january == pytest.approx([1, 2060.20 / 2380.10, 1190.30 / 2380.10, 1190 / 2380.10])
    # G's cohort grows to 600 / 500 in April
    assert table.loc[pd.Period("2024-02", "M")].tolist()[:3] == pytest.approx([1, 1, 1.2])


def test_a_mode_given_at_run_time_is_the_same_mode(mrr):
    """A mode typed by a user (or read from a file) is equal to "revenue" without being
    the same string object as the literal: it is the revenue triangle all the same."""
    typed = "".join(["rev", "enue"])
    assert cohort_retention(mrr, mode=typed, on_duplicate="sum").equals(
        cohort_retention(mrr, mode="revenue", on_duplicate="sum"))


def test_cohort_sizes_list_only_the_months_someone_first_paid():
    """A pays from January, B first pays in March: no one starts in February, so the
    sizes are January's (1 customer, 100.00) and March's (1, 40.00), no February of 0."""
    table = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
                          "month": ["2024-01", "2024-02", "2024-03", "2024-03"],
                          "mrr": [100.0, 100.0, 100.0, 40.0]})
    sizes = cohort_sizes(table)
    assert sizes.index.astype(str).tolist() == ["2024-01", "2024-03"]
    assert sizes.values.tolist() == [[1, 100.0], [1, 40.0]]


def test_an_unknown_cohort_mode_is_refused(mrr):
    with pytest.raises(ValueError, match="mode must be 'logo' or 'revenue'"):
        cohort_retention(mrr, mode="logos", on_duplicate="sum")


def test_a_bridge_over_twenty_years_has_a_row_for_every_month():
    """A pays 100.00 from January 1990, B 50.00 in January 2010 only: 1990-01 to 2010-01 is
    20 x 12 + 1 = 241 months, A's 100.00 flat throughout (10,000 cents at every month end
    until B adds 5,000 in the last). Months are counted from 1970 (1990-01 is month 240,
    2010-01 month 480), so the count must be last - first + 1, not anything that only
    agrees with it over a short span."""
    months = pd.period_range("1990-01", "2010-01", freq="M")
    mrr = pd.DataFrame({"customer_id": ["A"] * len(months) + ["B"],
                        "month": [str(m) for m in months] + ["2010-01"],
                        "mrr": [100.0] * len(months) + [50.0]})
    bridge = mrr_movements(mrr)
    assert len(bridge) == 241
    assert in_cents(bridge["mrr_end"].iloc[[0, 239, 240]]) == [10_000, 10_000, 15_000]
