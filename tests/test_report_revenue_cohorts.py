"""The revenue-retention triangle of the cohort report, on the hand-worked tape of
``test_tables_annual.py`` (A flat; B churned in March 2024 and back lower in July; C
contracted in April, then expanded above its old MRR; D churned in June; F, the February
cohort, churned in 2025-02; E, the March cohort, flat).

The January 2024 cohort is A B C D, 650 of MRR in its first month. Its MRR each month
after, by hand (A + B + C + D):

    age  month    MRR                          share
    0    2024-01  100 + 200 + 300 + 50 = 650   1
    1    2024-02  650                          1
    2    2024-03  100 + 0 + 300 + 50 = 450     450 / 650
    3-4  Apr-May  100 + 0 + 100 + 50 = 250     250 / 650
    5    2024-06  100 + 0 + 100 + 0 = 200      200 / 650
    6-8  Jul-Sep  100 + 150 + 100 = 350        350 / 650
    9-11 Oct-Dec  100 + 150 + 400 = 650        1
    12   2025-01  100 + 150 + 450 = 700        700 / 650
    13   2025-02  700                          700 / 650

February's cohort is F alone (60): 1 up to age 11, 0 at age 12 (2025-02). March's is E (80):
1 for its 12 months.

The Audit's checks of the triangle (the cohort of 12 months before the report month):
2024-12 has no such cohort (not applicable); 2025-01's is January's (650, 650 / 650,
700 / 650); 2025-02's is February's: of the customers paying in 2024-02 (A B C D F) only F
has no paid month before, so 60, 60 / 60 and 0 / 60. A copy of 2025-01 with B's MRR of
2024-02 raised from 200 to 260 reads 710 / 650 one month later: that check alone FAILs.
"""

import numpy as np
import openpyxl
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import audit_verdicts, reports_of_tape, with_mrr_changed
from test_tables_annual import tape

from csmetrics.report.cells import named_cells
from csmetrics.report.labels import label
from csmetrics.tables.cohorts import cohort_retention
from workbook_templates import REVENUE_COHORT_NAME

JANUARY = np.array([650, 650, 450, 250, 250, 200, 350, 350, 350, 650, 650, 650, 700, 700]) / 650
FEBRUARY = [1.0] * 12 + [0.0]
MARCH = [1.0] * 12
MONTHS = ("2024-12", "2025-01", "2025-02")
CHECKS = ("revenue_cohort_start", "revenue_cohort_1", "revenue_cohort_12")
HAND_WORKED = {
    "2025-01": (650, 1.0, 700 / 650),
    "2025-02": (60, 1.0, 0.0),
}


def test_the_revenue_triangle_of_the_tape_is_the_hand_worked_one():
    table = cohort_retention(tape(), mode="revenue")
    assert table.index.astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    np.testing.assert_allclose(table.iloc[0], JANUARY, rtol=1e-12)
    np.testing.assert_allclose(table.iloc[1, :13], FEBRUARY, rtol=1e-12)
    np.testing.assert_allclose(table.iloc[2, :12], MARCH, rtol=1e-12)
    assert table.iloc[1, 13:].isna().all() and table.iloc[2, 12:].isna().all()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """``{month: path}`` of the cohort reports of the tape."""
    paths = reports_of_tape(tape(), tmp_path_factory.mktemp("revenue_tape"),
                            "cohort_retention", MONTHS)
    return dict(zip(MONTHS, paths, strict=True))


def test_the_report_shows_the_triangle_beside_the_logo_one(reports):
    cells = [c.value for c in named_cells(openpyxl.load_workbook(reports["2025-02"]),
                                          REVENUE_COHORT_NAME)]
    grid = [cells[i:i + 25] for i in range(0, len(cells), 25)]
    assert grid[0][1:] == list(range(24))
    assert [row[0].strftime("%Y-%m") for row in grid[1:4]] == ["2024-01", "2024-02", "2024-03"]
    np.testing.assert_allclose(grid[1][1:15], JANUARY, rtol=1e-12)
    np.testing.assert_allclose(grid[2][1:14], FEBRUARY, rtol=1e-12)
    assert grid[1][15:] == [None] * 10 and grid[2][14:] == [None] * 11
    assert grid[4:] == [[None] * 25] * 21


@pytest.fixture(scope="module")
def audits(reports, tmp_path_factory):
    """``{month or "altered": (audit_result, {check label: (native, status)})}``."""
    altered = with_mrr_changed(reports["2025-01"], tmp_path_factory.mktemp("revenue_altered"),
                               "B", "2024-02", 260.0)  # 200 before
    paths = [*(reports[m] for m in MONTHS), altered]
    copies = recalculate(paths, tmp_path_factory.mktemp("revenue_recalculated"))
    return audit_verdicts((*MONTHS, "altered"), copies)


@requires_libreoffice
@pytest.mark.parametrize("month", list(HAND_WORKED))
def test_the_audit_recomputes_the_hand_worked_cells(audits, month):
    result, checks = audits[month]
    assert result == "PASS"
    for key, expected in zip(CHECKS, HAND_WORKED[month], strict=True):
        native, status = checks[label(f"audit_{key}")]
        assert status == "OK", key
        assert native == pytest.approx(expected, rel=1e-12), key


@requires_libreoffice
def test_without_a_cohort_12_months_earlier_they_are_not_applicable(audits):
    result, checks = audits["2024-12"]
    assert result == "PASS"
    for key in CHECKS:
        assert checks[label(f"audit_{key}")] == (None, label("audit_not_applicable")), key


@requires_libreoffice
def test_a_changed_inputs_row_fails_the_cell_it_feeds(audits):
    result, checks = audits["altered"]
    assert result == "FAIL"
    failed = {name for name, (_native, status) in checks.items() if status == "FAIL"}
    assert failed == {label("audit_revenue_cohort_1")}
    assert checks[label("audit_revenue_cohort_1")][0] == pytest.approx(710 / 650)
