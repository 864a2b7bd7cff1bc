"""The Audit's 12-month checks in LibreOffice on the hand-worked tape of
``test_tables_annual.py`` (B churned and came back lower, C contracted then rose above its
old MRR, D churned, F churned in the last month).

The tape is written as an ``mrr.csv``, read and reported on as a user's data would be;
LibreOffice recalculates the monthly KPI reports of 2024-12 (no month 12 months earlier:
the 12-month checks are not applicable), 2025-01 and 2025-02, whose native figures are the
hand-worked ones and read OK, and a copy of 2025-01 with B's MRR of 2024-01 changed, where
they read FAIL.
"""

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from openpyxl.utils.cell import range_boundaries
from report_samples import audit_rows
from test_tables_annual import EXPECTED as HAND_WORKED
from test_tables_annual import tape

from csmetrics import load_data
from csmetrics.report.audit_checks import YEAR_CHECKS
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.labels import label
from workbook_templates import template_path

pytestmark = requires_libreoffice

MONTHS = ("2024-12", "2025-01", "2025-02")
YEAR_KEYS = (*(c.key for c in YEAR_CHECKS if c.engine), "arr", "net_new_mrr")
TWELVE_MONTH_KEYS = ("mrr_growth_yoy", "nrr_12m", "grr_12m", "logo_retention_12m")


def _altered(path, folder):
    """A copy with B's MRR of 2024-01 (200) raised to 260: NRR, GRR and growth change."""
    workbook = openpyxl.load_workbook(path)
    inputs = workbook["Inputs"]
    min_col, min_row, max_col, max_row = range_boundaries(inputs.tables["MrrData"].ref)
    header = [inputs.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    for row in range(min_row + 1, max_row + 1):
        values = {h: inputs.cell(row, min_col + i).value for i, h in enumerate(header)}
        if values["customer_id"] == "B" and values["month"].strftime("%Y-%m") == "2024-01":
            inputs.cell(row, min_col + header.index("mrr")).value = 260.0
            break
    else:
        raise AssertionError("no row of B in 2024-01 on the Inputs sheet")
    copy = folder / f"altered_{path.name}"
    workbook.save(copy)
    return copy


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    """``{month or "altered": (audit_result, {check label: (native, status)})}``."""
    folder = tmp_path_factory.mktemp("tape")
    tape().to_csv(folder / "mrr.csv", index=False)
    results = EngineResults.compute(load_data(folder), None)
    out = folder / "reports"
    out.mkdir()
    jobs = plan_jobs(["monthly_kpi_report"], [pd.Period(m, "M") for m in MONTHS], ["All"], out)
    outcomes = run_batch(results, jobs, template_path=template_path)
    assert [o.message for o in outcomes if o.status != WRITTEN] == []
    paths = [job.path for job in jobs]
    paths.append(_altered(paths[1], folder))
    copies = recalculate(paths, tmp_path_factory.mktemp("tape_recalculated"))
    audits = {}
    for name, copy in zip((*MONTHS, "altered"), copies, strict=True):
        result, rows = audit_rows(copy)
        audits[name] = (result, {row[0]: (row[1], row[5]) for row in rows})
    return audits


@pytest.mark.parametrize("position, month", [(1, "2025-01"), (2, "2025-02")])
def test_the_year_checks_recompute_the_hand_worked_figures(audits, position, month):
    result, checks = audits[month]
    assert result == "PASS"
    for key in YEAR_KEYS:
        native, status = checks[label(key)]
        assert status == "OK", key
        assert native == pytest.approx(HAND_WORKED[key][position], rel=1e-12), key
    assert checks[label("audit_cohort_difference")] == (0, "OK")


def test_without_a_month_12_months_earlier_they_are_not_applicable(audits):
    result, checks = audits["2024-12"]
    assert result == "PASS"
    for key in TWELVE_MONTH_KEYS:
        assert checks[label(key)] == (None, label("audit_not_applicable")), key


def test_a_changed_row_of_a_year_earlier_fails_them(audits):
    result, checks = audits["altered"]
    assert result == "FAIL"
    failed = {name for name, (_native, status) in checks.items() if status == "FAIL"}
    assert failed == {label(key) for key in ("mrr_growth_yoy", "nrr_12m", "grr_12m")}
    assert checks[label("nrr_12m")][0] == pytest.approx(700 / 710)
