"""Spend split by segment: each segment's cost, CAC, payback and CLV/CAC from its own rows.

Hand-worked tape (mrr.csv and spend.csv below):

January: A 100 and B 200 (SMB), C 1000 (Ent), all new. Spend SMB 3000, Ent 5000.
    All: cost 8000, 3 new, CAC 8000 / 3. SMB: CAC 3000 / 2 = 1500. Ent: 5000 / 1 = 5000.
February: B (SMB) churns; D 150 (SMB), E 900 and F 1100 (Ent) are new. Spend SMB 1200,
    Ent 9000, gross margin 0.75 on both rows.
    SMB: 2 at start, 1 lost: logo churn 0.5; ARPA (100 + 150) / 2 = 125; CAC 1200 / 1 =
        1200; LTV 125 x 0.75 / 0.5 = 187.5; CLV/CAC 187.5 / 1200 = 0.15625; payback
        1200 / (125 x 0.75) = 12.8.
    Ent: nobody lost (LTV and CLV/CAC undefined); ARPA 3000 / 3 = 1000; CAC 9000 / 2 =
        4500; payback 4500 / (1000 x 0.75) = 6.
    All: 3 at start, 1 lost: churn 1/3; ARPA 3250 / 5 = 650; cost 10200, 3 new: CAC 3400;
        LTV 650 x 0.75 x 3 = 1462.5; CLV/CAC 1462.5 / 3400; payback 3400 / 487.5.
"""

import numpy as np
import pytest

from csmetrics import load_data, monthly_metrics, validate_data
from csmetrics.errors import DataError

MRR = """customer_id,month,mrr,segment,region
A,2024-01,100,SMB,North
B,2024-01,200,SMB,South
C,2024-01,1000,Ent,North
A,2024-02,100,SMB,North
C,2024-02,1000,Ent,North
D,2024-02,150,SMB,South
E,2024-02,900,Ent,South
F,2024-02,1100,Ent,North
"""
SPEND = """month,sales_marketing_cost,gross_margin,segment
2024-01,3000,0.8,SMB
2024-01,5000,0.8,Ent
2024-02,1200,0.75,SMB
2024-02,9000,0.75,Ent
"""
NAN = float("nan")
EXPECTED = {
    # (month, segment): sales_marketing_cost, cac, clv_cac, cac_payback_months
    ("2024-01", "SMB"): (3000, 1500, NAN, 1500 / (150 * 0.8)),
    ("2024-01", "Ent"): (5000, 5000, NAN, 5000 / (1000 * 0.8)),
    ("2024-02", "SMB"): (1200, 1200, 0.15625, 12.8),
    ("2024-02", "Ent"): (9000, 4500, NAN, 6.0),
    ("2024-01", None): (8000, 8000 / 3, NAN, 8000 / 3 / (1300 / 3 * 0.8)),
    ("2024-02", None): (10200, 3400, 1462.5 / 3400, 3400 / 487.5),
}
SPEND_COLUMNS = ["sales_marketing_cost", "cac", "clv_cac", "cac_payback_months"]


def folder(tmp_path, mrr=MRR, spend=SPEND):
    (tmp_path / "mrr.csv").write_text(mrr, encoding="utf-8")
    (tmp_path / "spend.csv").write_text(spend, encoding="utf-8")
    return tmp_path


@pytest.fixture
def data(tmp_path):
    return load_data(folder(tmp_path))


@pytest.mark.parametrize(("month", "segment"), list(EXPECTED))
def test_spend_metrics_match_the_hand_computation(data, month, segment):
    table = monthly_metrics(data, segment_by=None if segment is None else "segment")
    rows = table.loc[table["month"].astype(str) == month]
    if segment is not None:
        rows = rows.loc[rows["segment"] == segment]
    [row] = rows[SPEND_COLUMNS].to_numpy(dtype=float)
    np.testing.assert_allclose(row, EXPECTED[month, segment], rtol=1e-9)


def test_the_segments_costs_add_up_to_the_months_cost(data):
    segments = monthly_metrics(data, segment_by="segment").groupby("month")
    total = monthly_metrics(data).set_index("month")["sales_marketing_cost"]
    assert segments["sales_marketing_cost"].sum().to_dict() == total.to_dict()


def test_segmenting_by_a_column_spend_lacks_leaves_spend_out(data):
    # Spend is split by segment, not by region: the region rows have no spend figures
    # (the report then notes that spend is not split by segment).
    table = monthly_metrics(data, segment_by="region")
    assert not set(SPEND_COLUMNS) & set(table.columns)
    assert table["ltv"].notna().any()


def test_spend_without_segment_leaves_segment_rows_without_spend(tmp_path):
    unsplit = "month,sales_marketing_cost\n2024-01,8000\n2024-02,10200\n"
    table = monthly_metrics(load_data(folder(tmp_path, spend=unsplit)), segment_by="segment")
    assert not set(SPEND_COLUMNS) & set(table.columns)


@pytest.mark.parametrize(("row", "column", "wrong", "message"), [
    (3, "segment", "Entreprise", "'Entreprise' is no segment of the mrr table ('Ent', 'SMB')"),
    (3, "segment", "", "blank"),
    (3, "segment", "SMB", "month 2024-01 and segment 'SMB' already appears on row 2"),
    (3, "gross_margin", "0.7", "0.7 differs from the month's other spend rows"),
])
def test_a_bad_spend_row_is_named(tmp_path, row, column, wrong, message):
    lines = SPEND.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = wrong
    lines[row - 1] = ",".join(cells)
    source = folder(tmp_path, spend="\n".join(lines) + "\n")
    [problem] = validate_data(source)
    assert (problem.table, problem.row, problem.column) == ("spend", row, column)
    assert message in str(problem)
    with pytest.raises(DataError):
        load_data(source)


def test_split_spend_reads_cleanly(tmp_path):
    assert validate_data(folder(tmp_path)) == []
