"""The year figures of monthly_metrics (csmetrics.tables.annual) on a hand-worked tape.

Six customers over 14 months, 2024-01 to 2025-02 (- = no row):

    id  segment     MRR by month                                   what happens
    A   SMB         100 every month                                flat
    B   SMB         200 Jan-Feb 2024, - Mar-Jun, 150 from Jul      churned, back lower
    C   Enterprise  300 Jan-Mar 2024, 100 Apr-Sep, 400 Oct-Dec,    contracted, then above
                    450 from 2025-01                               its old 300
    D   Enterprise  50 Jan-May 2024, then -                        churned in June
    E   SMB         80 from Mar 2024                               new in March
    F   SMB         60 Feb 2024 to Jan 2025, then -                churned in 2025-02

Month-end MRR: 2024-01 100+200+300+50 = 650; 2024-02 650+60 = 710;
2024-12 100+150+400+80+60 = 790; 2025-01 100+150+450+80+60 = 840; 2025-02 840-60 = 780.

ARR 2025-01 = 12 x 840 = 10080; net new MRR 2025-01 = 840 - 790 = 50, 2025-02 = 780 - 840 =
-60. Year-on-year 2025-01 = (840 - 650) / 650 = 190 / 650; 2025-02 = (780 - 710) / 710.

12-month retention, 2025-01 (cohort: those paying in 2024-01, A B C D, 650 then):
    now A 100, B 150, C 450, D 0 = 700: NRR = 700 / 650
    capped at then: A 100, B 150 (below its 200), C 300 (450 capped), D 0 = 550: GRR 550 / 650
    paying now: A, B, C of 4: logo retention 3 / 4
2025-02 (cohort of 2024-02: A B C D F, 710 then): now 100 + 150 + 450 + 0 + 0 = 700:
    NRR 700 / 710; GRR (100 + 150 + 300) / 710 = 550 / 710; logo 3 / 5.
By segment, 2025-01: SMB A 100 + B 200 = 300 then, 250 now and capped: NRR = GRR = 250 / 300,
    logo 2 / 2; Enterprise C 300 + D 50 = 350 then, 450 now, 300 capped: NRR 450 / 350,
    GRR 300 / 350, logo 1 / 2. 2025-02: SMB adds F (60 then, 0 now): 250 / 360, 2 / 3.
Before 2025-01 there is no month 12 months earlier: blank.

Customers at the start and lost, month by month: 2024-02 4 (0 lost), 03 5 (B lost), 04 5,
05 5, 06 5 (D lost), 07 4 (B back), 08-12 5 each, 2025-01 5, 2025-02 5 (F lost).
Trailing 12-month logo churn, 2025-01 (2024-02 to 2025-01): lost 2 of 4+5+5+5+5+4+5+5+5+5+5+5
    = 58 at the start: 2 / 58; 2025-02 (2024-03 to 2025-02): 3 of 59. 2024-12's window starts in
    2024-01, which has no customers at its start: blank.
LTV (no spend table: a revenue LTV, margin 1.0): ARPA 2025-01 840 / 5 = 168, LTV 168 / (2 / 58)
    = 4872; 2025-02 ARPA 780 / 4 = 195, LTV 195 x 59 / 3 = 3835 where the month's own churn
    (1 of 5) gives 195 x 5 = 975.
"""

import numpy as np
import pandas as pd
import pytest

from csmetrics import load_data, monthly_metrics, sample_data_path

NAN = float("nan")
SEGMENTS = {"A": "SMB", "B": "SMB", "C": "Enterprise", "D": "Enterprise", "E": "SMB", "F": "SMB"}


def tape():
    months = pd.period_range("2024-01", "2025-02", freq="M")
    rows = []
    for month in months:
        index = months.get_loc(month)
        paid = {"A": 100, "C": 300 if index < 3 else 100 if index < 9 else 400 if index < 12
                else 450}
        if index < 2 or index >= 6:
            paid["B"] = 200 if index < 2 else 150
        if index < 5:
            paid["D"] = 50
        if index >= 2:
            paid["E"] = 80
        if 1 <= index < 13:
            paid["F"] = 60
        rows += [(c, str(month), mrr, SEGMENTS[c]) for c, mrr in paid.items()]
    return pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"])


@pytest.fixture(scope="module")
def metrics():
    return monthly_metrics(tape()).set_index("month")


@pytest.fixture(scope="module")
def by_segment():
    return monthly_metrics(tape(), segment_by="segment").set_index(["month", "segment"])


def test_the_tape_is_the_one_worked_by_hand(metrics):
    mrr_end = metrics["mrr_end"]
    assert mrr_end.iloc[[0, 1, 11, 12, 13]].tolist() == [650, 710, 790, 840, 780]
    assert metrics["customers_start"].iloc[1:].tolist() == [4, 5, 5, 5, 5, 4, 5, 5, 5, 5, 5, 5, 5]
    assert metrics["customers_lost"].iloc[1:].tolist() == [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]


EXPECTED = {
    # key: 2024-12, 2025-01, 2025-02
    "arr": (12 * 790, 10_080, 12 * 780),
    "net_new_mrr": (790 - 790, 50, -60),  # December: C, B, E, F all flat
    "mrr_growth_yoy": (NAN, 190 / 650, 70 / 710),
    "nrr_12m": (NAN, 700 / 650, 700 / 710),
    "grr_12m": (NAN, 550 / 650, 550 / 710),
    "logo_retention_12m": (NAN, 3 / 4, 3 / 5),
    "logo_churn_12m": (NAN, 2 / 58, 3 / 59),
    "ltv_12m": (NAN, 4872, 3835),
    "ltv": (NAN, NAN, 975),  # the month's own churn: none lost in 2024-12 or 2025-01
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_year_figures_match_the_hand_computation(metrics, key):
    got = metrics.loc[pd.period_range("2024-12", "2025-02", freq="M"), key]
    np.testing.assert_allclose(got.to_numpy(dtype=float), EXPECTED[key], rtol=1e-12)


def test_without_a_month_12_months_earlier_the_figures_are_blank(metrics):
    first_year = metrics.loc[: pd.Period("2024-12", "M")]
    for key in ("mrr_growth_yoy", "nrr_12m", "grr_12m", "logo_retention_12m", "ltv_12m"):
        assert first_year[key].isna().all(), key


@pytest.mark.parametrize(
    "month, segment, nrr, grr, logos",
    [
        ("2025-01", "SMB", 250 / 300, 250 / 300, 1.0),
        ("2025-01", "Enterprise", 450 / 350, 300 / 350, 0.5),
        ("2025-02", "SMB", 250 / 360, 250 / 360, 2 / 3),
        ("2025-02", "Enterprise", 450 / 350, 300 / 350, 0.5),
    ],
)
def test_segments_have_their_own_cohorts(by_segment, month, segment, nrr, grr, logos):
    row = by_segment.loc[(pd.Period(month, "M"), segment)]
    assert row[["nrr_12m", "grr_12m", "logo_retention_12m"]].tolist() == pytest.approx(
        [nrr, grr, logos], rel=1e-12
    )


@pytest.fixture(scope="module")
def sample():
    data = load_data(sample_data_path())
    return (monthly_metrics(data).set_index("month"),
            monthly_metrics(data, segment_by="segment").set_index(["month", "segment"]))


def test_run_rate_figures_are_the_bridge_to_the_cent(sample):
    total, _ = sample
    cents = (total[["mrr_start", "new", "expansion", "reactivation", "contraction", "churned",
                    "mrr_end", "arr", "net_new_mrr"]] * 100).round().astype("int64")
    moved = cents["new"] + cents["expansion"] + cents["reactivation"]
    moved -= cents["contraction"] + cents["churned"]
    assert (cents["net_new_mrr"] == moved).all()
    assert (cents["net_new_mrr"] == cents["mrr_end"] - cents["mrr_start"]).all()
    assert (cents["arr"] == 12 * cents["mrr_end"]).all()


@pytest.mark.parametrize(
    "ratio, weight",
    [("nrr_12m", "mrr_end"), ("grr_12m", "mrr_end"), ("logo_retention_12m", "customers_end")],
)
def test_segment_cohorts_add_up_to_the_whole(sample, ratio, weight):
    # Each customer stays in one segment, so a segment's cohort is its customers paying 12
    # months earlier: ratio x (that month's MRR or customers) adds up over the segments.
    total, segmented = sample
    then_total = total[weight].shift(12)
    then_segment = segmented[weight].groupby(level="segment").shift(12)
    summed = (segmented[ratio] * then_segment).groupby(level="month").sum(min_count=1)
    np.testing.assert_allclose(summed.iloc[12:], (total[ratio] * then_total).iloc[12:],
                               rtol=1e-12)
    assert total[ratio].iloc[:12].isna().all()


def test_grr_is_capped_and_retention_is_a_share(sample):
    total, segmented = sample
    for table in (total, segmented):
        known = table.dropna(subset=["nrr_12m"])
        assert (known["grr_12m"] <= 1).all() and (known["grr_12m"] <= known["nrr_12m"]).all()
        assert known["logo_retention_12m"].between(0, 1).all()


def test_a_customer_at_zero_a_year_earlier_is_not_in_the_cohort():
    # A pays 100 in both months; Z has a row holding 0 in 2024-01 and pays 50 in 2025-01:
    # the cohort is A alone, so NRR = GRR = 100 / 100 and logo retention 1 / 1.
    mrr = pd.DataFrame({"customer_id": ["A", "Z", "A", "Z"],
                        "month": ["2024-01", "2024-01", "2025-01", "2025-01"],
                        "mrr": [100, 0, 100, 50]})
    row = monthly_metrics(mrr).set_index("month").loc[pd.Period("2025-01", "M")]
    assert row[["nrr_12m", "grr_12m", "logo_retention_12m"]].tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "month, segment, churn",
    [
        # Enterprise (C, D) at the start: 2 a month 2024-02 to 06 (D lost in June), then 1;
        # SMB (A, B, E, F): 2 in 2024-02, 3 from March (B lost) to July, 4 from August.
        ("2025-01", "Enterprise", 1 / (5 * 2 + 7 * 1)),  # 2024-02 to 2025-01: 1 of 17
        ("2025-02", "Enterprise", 1 / (4 * 2 + 8 * 1)),  # 2024-03 to 2025-02: 1 of 16
        ("2025-01", "SMB", 1 / (2 + 5 * 3 + 6 * 4)),  # 1 of 41 (17 + 41 = the total's 58)
        ("2025-02", "SMB", 2 / (5 * 3 + 7 * 4)),  # B and F of 43 (16 + 43 = 59)
    ],
)
def test_segments_have_their_own_trailing_churn(by_segment, month, segment, churn):
    assert by_segment.at[(pd.Period(month, "M"), segment), "logo_churn_12m"] == pytest.approx(
        churn, rel=1e-12
    )
    assert np.isnan(by_segment.at[(pd.Period("2024-12", "M"), segment), "logo_churn_12m"])


def test_a_cohort_losing_most_of_its_mrr_with_its_last_customer_still_paying():
    """A pays 100 in 2024-01 and 60 in 2025-01, B 200 then nothing, C 50 then 280; C, last
    in the book (customers sorted, months within), pays in the last month.

    Cohort of 2025-01: then 100 + 200 + 50 = 350; now 60 + 0 + 280 = 340; each capped at
    its MRR then: 60 + 0 + 50 = 110. Churned: B's 200. Contraction 350 - 110 - 200 = 40
    (A's fall), expansion 340 - 110 = 230 (C's rise). NRR = (350 - 200 - 40 + 230) / 350 =
    340 / 350; GRR = (350 - 200 - 40) / 350 = 110 / 350; logo retention 2 / 3.

    Then (350) and now (340) are each over twice the capped 110, which tells ``then -
    kept`` from ``then % kept`` (350 % 110 = 20, not 240) and ``now - kept`` from ``now %
    kept`` (10, not 230); and C's row is the very last of the book, which the search for
    each cohort member's row a year later must still find."""
    mrr = pd.DataFrame({"customer_id": ["A", "B", "C", "A", "C"],
                        "month": ["2024-01", "2024-01", "2024-01", "2025-01", "2025-01"],
                        "mrr": [100, 200, 50, 60, 280]})
    row = monthly_metrics(mrr).set_index("month").loc[pd.Period("2025-01", "M")]
    assert row[["nrr_12m", "grr_12m", "logo_retention_12m"]].tolist() == pytest.approx(
        [340 / 350, 110 / 350, 2 / 3], rel=1e-12)
