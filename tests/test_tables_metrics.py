"""monthly_metrics on the hand-checked fixture of tests/table_fixture.py.

Hand computations (the bridge figures come from the fixture's docstring):

February: start 2380.10, new 500, expansion 50.10, contraction 100, churned 270, end
2560.20; customers 9 at start, 1 new, 2 lost, 8 at end.
    crr = (8 - 1) / 9 = 0.7778; logo churn = 2 / 9
    gross MRR churn = (270 + 100) / 2380.10; net = (370 - 50.10) / 2380.10 = 319.90 / 2380.10
    mrr_churn (fed end = start - churned - contraction) = net MRR churn
    GRR = 2010.10 / 2380.10; NRR = (2380.10 - 370 + 50.10) / 2380.10 = 2060.20 / 2380.10
    revenue growth of existing customers = (2060.20 - 2380.10) / 2380.10
    quick ratio = (500 + 50.10 + 0) / (100 + 270) = 550.10 / 370; ARPA = 2560.20 / 8
    NPS answers 10, 9, 6, 8: 2 promoters, 1 detractor of 4 = 25; margin
        z x 100 x sqrt((0.5 + 0.25 - 0.25^2) / 4) = 81.2558, z = 1.959963984540054 the 97.5 %
        normal quantile (two-sided 95 %)
    CSAT answers 5, 3: 1 of 2 at 4 or more = 0.5; CES answers 6, 4: mean 5
    FCR tickets yes, no, yes = 2 / 3; orders: A twice, B once: repeat 1 / 2; returns 1 / 20
    invoices at 29 Feb: INV2 200 (due 14 Feb, 15 days late), INV3 300 (not due), INV4 1000
        (due 10 Feb, 19 days late): receivables 1500, credit sales 1300 (INV3 + INV4),
        DSO = 1500 / 1300 x 29; countback = 29 days (February's 1300) + 200 / 300 x 31
        (January's INV1 + INV2 = 300) = 49.6667; ageing current 300, 1-30 1200
    spend 5000, margin 0.8: CAC = 5000 / 1 new; LTV = 320.025 x 0.8 / (2 / 9) = 1152.09;
        CLV/CAC = 1152.09 / 5000; payback = 5000 / (320.025 x 0.8) = 19.5297
January: the data's first month: no customers at the start, so the start-based ratios are
    NaN; ARPA 2380.10 / 9; CAC = 9000 / 9 = 1000; payback = 1000 / (264.4556 x 0.8);
    LTV NaN (no churn rate); invoices: INV1 paid 20 Jan, INV2 owed (not due): receivables
    200, credit sales 300, DSO 200 / 300 x 31 = 20.6667; no survey answers (0 responses).
March: crr = (9 - 2) / 8; quick = (800 + 0.10 + 130) / 1000; CAC = 6000 / 2 (H new, E back);
    margin blank: LTV, CLV/CAC and payback NaN; invoices at 31 March: INV3 300 29 days late,
    INV4 1000 50 days late; no sales: DSO NaN, countback 31 (March, no sales) + 29
    (February's 1300 covers the rest) = 60.
April: no spend row: cost and CAC NaN; quick = (90 + 150) / (100.30 + 50); GRR = (2490.30 -
    150.30) / 2490.30; invoices at 30 April: INV3 59 days late, INV4 80: countback
    30 + 31 + 29 = 90.
"""

import math

import numpy as np
import pandas as pd
import pytest
from cents import in_cents
from table_fixture import raw_tables, write_csv_folder

from csmetrics import load_data, monthly_metrics
from csmetrics.kpis import KPIS

NAN = float("nan")
Z_95 = 1.959963984540054
"""The normal quantile of 0.975 (a two-sided 95 % interval), to the last digit of a float."""

EXPECTED = {
    # key: January, February, March, April
    "crr": (NAN, 7 / 9, 7 / 8, 8 / 9),
    "logo_churn": (NAN, 2 / 9, 1 / 8, 1 / 9),
    "gross_mrr_churn": (NAN, 370 / 2380.10, 1000 / 2560.20, 150.30 / 2490.30),
    "net_mrr_churn": (NAN, 319.90 / 2380.10, 999.90 / 2560.20, 0.30 / 2490.30),
    "mrr_churn": (NAN, 319.90 / 2380.10, 999.90 / 2560.20, 0.30 / 2490.30),
    "expansion_rate": (NAN, 50.10 / 2380.10, 0.10 / 2560.20, 150 / 2490.30),
    "grr": (NAN, 2010.10 / 2380.10, 1560.20 / 2560.20, 2340 / 2490.30),
    "nrr": (NAN, 2060.20 / 2380.10, 1560.30 / 2560.20, 2490 / 2490.30),
    "revenue_growth": (NAN, -319.90 / 2380.10, -999.90 / 2560.20, -0.30 / 2490.30),
    "quick_ratio": (NAN, 550.10 / 370, 930.10 / 1000, 240 / 150.30),
    "arpa": (2380.10 / 9, 2560.20 / 8, 2490.30 / 9, 2580 / 9),
    "nps": (NAN, 25.0, NAN, NAN),
    "nps_moe": (NAN, Z_95 * 100 * math.sqrt((0.5 + 0.25 - 0.25**2) / 4), NAN, NAN),
    "nps_responses": (0, 4, 0, 0),
    "csat": (NAN, 0.5, NAN, NAN),
    "ces": (NAN, 5.0, NAN, NAN),
    "fcr": (NAN, 2 / 3, NAN, NAN),
    "repeat_purchase_rate": (NAN, 0.5, NAN, NAN),
    "return_rate": (NAN, 0.05, NAN, NAN),
    "credit_sales": (300, 1300, 0, 0),
    "receivables": (200, 1500, 1300, 1300),
    "dso": (200 / 300 * 31, 1500 / 1300 * 29, NAN, NAN),
    "dso_countback": (200 / 300 * 31, 29 + 200 / 300 * 31, 60, 90),
    "ar_current": (200, 300, 0, 0),
    "ar_1_30": (0, 1200, 300, 0),
    "ar_31_60": (0, 0, 1000, 300),
    "ar_61_90": (0, 0, 0, 1000),
    "ar_over_90": (0, 0, 0, 0),
    "sales_marketing_cost": (9000, 5000, 6000, NAN),
    "cac": (1000, 5000, 3000, NAN),
    "ltv": (NAN, 320.025 * 0.8 / (2 / 9), NAN, NAN),
    "clv_cac": (NAN, 320.025 * 0.8 / (2 / 9) / 5000, NAN, NAN),
    "cac_payback_months": (1000 / (2380.10 / 9 * 0.8), 5000 / (320.025 * 0.8), NAN, NAN),
}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load_data(write_csv_folder(tmp_path_factory.mktemp("fixture")), on_duplicate="sum")


@pytest.fixture(scope="module")
def metrics(data):
    return monthly_metrics(data).set_index("month")


def test_every_kpi_is_there_in_the_contract_order(metrics):
    assert metrics.columns.tolist() == [kpi.key for kpi in KPIS]
    assert metrics.index.astype(str).tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]


CENTS = "whole cents"
TOLERANCE = {
    # key: how close the engine must come to the hand value. Money in whole cents; a ratio
    # to 1e-12 (its hand value is the same division); days and months to 1e-9; the NPS
    # and its margin to 1e-9 points; counts exactly.
    **dict.fromkeys(("crr", "logo_churn", "gross_mrr_churn", "net_mrr_churn", "mrr_churn",
                     "expansion_rate", "grr", "nrr", "revenue_growth", "quick_ratio", "csat",
                     "fcr", "repeat_purchase_rate", "return_rate", "clv_cac"), 1e-12),
    **dict.fromkeys(("arpa", "credit_sales", "receivables", "ar_current", "ar_1_30",
                     "ar_31_60", "ar_61_90", "ar_over_90", "sales_marketing_cost", "cac",
                     "ltv"), CENTS),
    **dict.fromkeys(("dso", "dso_countback", "cac_payback_months", "nps", "nps_moe", "ces"),
                    1e-9),
    "nps_responses": 0,
}


def assert_close(got, expected, tolerance):
    """``got`` equals ``expected`` within ``tolerance`` (an absolute one, or whole cents),
    NaN exactly where ``expected`` is NaN."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert np.array_equal(np.isnan(got), np.isnan(expected)), (got, expected)
    known = ~np.isnan(expected)
    if tolerance == CENTS:
        assert in_cents(got[known]) == in_cents(expected[known])
    else:
        assert np.abs(got[known] - expected[known]).max(initial=0) <= tolerance, (got, expected)


def test_every_hand_value_has_its_own_tolerance():
    assert set(TOLERANCE) == set(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_kpi_matches_the_hand_computation(metrics, key):
    assert_close(metrics[key].to_numpy(dtype=float), EXPECTED[key], TOLERANCE[key])


def test_the_bridge_columns_are_the_movements(metrics):
    # mrr_end by hand: 2380.10, 2560.20, 2490.30, 2580.00
    assert metrics["mrr_end"].tolist() == [2380.10, 2560.20, 2490.30, 2580.00]
    assert metrics["customers_new"].tolist() == [9, 1, 2, 1]


def test_a_zero_denominator_is_nan_not_a_crash(metrics):
    # January starts from zero customers and zero MRR: CRR's and GRR's denominators are 0
    assert np.isnan(metrics.loc[pd.Period("2024-01", "M"), "crr"])
    assert np.isnan(metrics.loc[pd.Period("2024-01", "M"), "grr"])


def test_only_the_tables_given_give_columns():
    mrr_only = monthly_metrics(raw_tables()["mrr"].drop_duplicates(["customer_id", "month"]))
    assert "nps" not in mrr_only.columns and "dso" not in mrr_only.columns
    assert "cac" not in mrr_only.columns and "sales_marketing_cost" not in mrr_only.columns
    # LTV needs no spend: without a gross margin it is a revenue LTV (margin 1.0)
    february = mrr_only.set_index("month").loc[pd.Period("2024-02", "M")]
    assert february["ltv"] == pytest.approx(february["arpa"] / february["logo_churn"])


def test_segment_rows_take_each_customers_latest_segment(data):
    table = monthly_metrics(data, segment_by="segment").set_index(["month", "segment"])
    for left_out in ("sales_marketing_cost", "cac", "clv_cac", "cac_payback_months"):
        assert left_out not in table.columns
    february = table.xs(pd.Period("2024-02", "M"))
    # NPS answers: A 10 and C 6 are SMB (NPS 0); B 9 counts in Mid-Market, B's latest
    # segment (NPS 100); G 8 is Enterprise (a passive: NPS 0).
    assert february["nps"].to_dict() == {"Enterprise": 0.0, "Mid-Market": 100.0, "SMB": 0.0}
    assert february["nps_responses"].sum() == 4
    # Receivables at 29 Feb: INV2 (B) 200 Mid-Market, INV3 (C) 300 SMB, INV4 (F) 1000
    # Enterprise
    assert february["receivables"].to_dict() == {
        "Enterprise": 1000.0, "Mid-Market": 200.0, "SMB": 300.0,
    }
    # LTV keeps the company-wide margin (0.8 in February). Enterprise lost nobody in
    # February (logo churn 0), so its LTV is undefined.
    assert np.isnan(february.loc["Enterprise", "ltv"])


def test_a_customer_who_never_paid_has_no_segment_and_no_answer_in_one(tmp_path):
    """Segments come from the rows with MRR. A pays 100 in February as SMB; Z's only row
    is 0 MRR, as "Startup" (a trial that never paid). Both answer February's NPS survey, A
    10 (a promoter), Z 0 (a detractor). Z has no segment, so its answer counts in none:
    SMB's NPS is A's alone, 100 from 1 answer, and Startup has no answer (NPS blank), not
    Z's 0 given to the first segment, SMB (NPS (1 - 1) / 2 = 0 from 2 answers)."""
    (tmp_path / "mrr.csv").write_text("customer_id,month,mrr,segment\n"
                                      "A,2024-02,100,SMB\nZ,2024-02,0,Startup\n")
    (tmp_path / "surveys.csv").write_text("customer_id,date,survey,score\n"
                                          "A,2024-02-03,nps,10\nZ,2024-02-05,nps,0\n")
    february = monthly_metrics(load_data(tmp_path), segment_by="segment").set_index(
        ["month", "segment"]).xs(pd.Period("2024-02", "M"))
    assert february.loc["SMB", ["nps", "nps_responses"]].tolist() == [100.0, 1]
    assert np.isnan(february.loc["Startup", "nps"])
    assert february.loc["Startup", "nps_responses"] == 0


def test_segment_money_adds_up_to_the_total(data, metrics):
    table = monthly_metrics(data, segment_by="segment")
    summed = table.groupby("month").sum(numeric_only=True)
    for key in ("mrr_start", "new", "churned", "mrr_end", "credit_sales", "receivables",
                "ar_current", "ar_1_30", "ar_31_60", "ar_61_90", "ar_over_90"):
        assert_close(summed[key], metrics[key], CENTS)
    for key in ("nps_responses", "customers_end"):
        assert summed[key].tolist() == metrics[key].tolist()


def test_segmented_countback_walks_back_each_segments_own_sales(data):
    """Countback DSO per segment, from that segment's own sales and receivables.

    Invoices by the customer's latest segment (test fixture): Mid-Market INV2 (B) 200
    issued 15 Jan, paid 10 Mar; SMB INV1 (A) 100 issued 1 Jan, paid 20 Jan, and INV3 (C)
    300 issued 1 Feb, never paid; Enterprise INV4 (F) 1000 issued 10 Feb, paid 20 May.

    Enterprise: sales 0, 1000, 0, 0; owed 0, 1000, 1000, 1000.
        Jan 0 (nothing owed); Feb 1000 of Feb's 1000: 29; Mar: March sold nothing (31
        days), then Feb's 1000 covers it: 31 + 29 = 60; Apr: 30 + 31 + 29 = 90.
    Mid-Market: sales 200, 0, 0, 0; owed 200, 200, 0, 0.
        Jan 200 of 200: 31; Feb: 29 (no sales) + 31 = 60; Mar and Apr nothing owed: 0.
    SMB: sales 100, 300, 0, 0; owed 0, 300, 300, 300.
        Jan 0; Feb 300 of Feb's 300: 29; Mar 31 + 29 = 60; Apr 30 + 31 + 29 = 90.
    Read against the company's sales instead, Enterprise's April would walk back through
    March and April (no sales) into February's 1300: 30 + 31 + 1000 / 1300 x 29.
    """
    table = monthly_metrics(data, segment_by="segment").set_index(["segment", "month"])
    expected = {
        "Enterprise": ([0, 1000, 0, 0], [0, 1000, 1000, 1000], [0, 29, 60, 90]),
        "Mid-Market": ([200, 0, 0, 0], [200, 200, 0, 0], [31, 60, 0, 0]),
        "SMB": ([100, 300, 0, 0], [0, 300, 300, 300], [0, 29, 60, 90]),
    }
    for segment, (sales, owed, countback) in expected.items():
        rows = table.loc[segment]
        assert_close(rows["credit_sales"], sales, CENTS)
        assert_close(rows["receivables"], owed, CENTS)
        assert_close(rows["dso_countback"], countback, 1e-9)


BOUNDARY_DAYS_LATE = (0, 1, 30, 31, 60, 61, 90, 91)


def test_invoices_on_each_ageing_boundary_fall_in_the_right_bucket(tmp_path):
    """Invoices exactly 0, 1, 30, 31, 60, 61, 90 and 91 days late at 30 April 2024.

    All issued 1 Jan 2024, never paid, due 30 Apr (0 days late: due today, not yet past
    due), 29 Apr (1), 31 Mar (30), 30 Mar (31), 1 Mar (60), 29 Feb (61), 31 Jan (90) and
    30 Jan (91). Amounts 1, 2, 4, ... 128 tell the buckets apart: not yet due 1; 1-30 days
    2 + 4 = 6; 31-60 days 8 + 16 = 24; 61-90 days 32 + 64 = 96; over 90 days 128.
    """
    end = pd.Timestamp("2024-04-30")
    invoices = pd.DataFrame({
        "invoice_id": [f"B{days}" for days in BOUNDARY_DAYS_LATE],
        "customer_id": "A",
        "issue_date": "2024-01-01",
        "due_date": [(end - pd.Timedelta(days=days)).date().isoformat()
                     for days in BOUNDARY_DAYS_LATE],
        "amount": [2.0**power for power in range(8)],
        "paid_date": None,
    })
    assert invoices["due_date"].tolist() == ["2024-04-30", "2024-04-29", "2024-03-31",
                                             "2024-03-30", "2024-03-01", "2024-02-29",
                                             "2024-01-31", "2024-01-30"]
    tables = {name: table for name, table in raw_tables().items()
              if name in ("mrr", "invoices")} | {"invoices": invoices}
    data = load_data(write_csv_folder(tmp_path, tables), on_duplicate="sum")
    april = monthly_metrics(data).set_index("month").loc[pd.Period("2024-04", "M")]
    buckets = ["ar_current", "ar_1_30", "ar_31_60", "ar_61_90", "ar_over_90"]
    assert_close(april[buckets], [1, 6, 24, 96, 128], CENTS)
    assert_close(april["receivables"], 255, CENTS)
