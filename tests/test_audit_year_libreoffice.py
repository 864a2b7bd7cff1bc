"""The Audit's 12-month checks in LibreOffice on the hand-worked tape of
``test_tables_annual.py`` (B churned and came back lower, C contracted then rose above its
old MRR, D churned, F churned in the last month).

The tape is written as an ``mrr.csv``, read and reported on as a user's data would be;
LibreOffice recalculates the monthly KPI reports of 2024-12 (no month 12 months earlier:
the 12-month checks are not applicable), 2025-01 and 2025-02, whose native figures are the
hand-worked ones and read OK, and a copy of 2025-01 with B's MRR of 2024-01 changed, where
they read FAIL.
"""

import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import audit_verdicts, reports_of_tape, with_mrr_changed
from test_tables_annual import EXPECTED as HAND_WORKED
from test_tables_annual import tape

from csmetrics.report.audit_checks import YEAR_CHECKS
from csmetrics.report.labels import label

pytestmark = requires_libreoffice

MONTHS = ("2024-12", "2025-01", "2025-02")
YEAR_KEYS = (*(c.key for c in YEAR_CHECKS if c.engine), "arr", "net_new_mrr")
TWELVE_MONTH_KEYS = ("mrr_growth_yoy", "nrr_12m", "grr_12m", "logo_retention_12m")


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    """``{month or "altered": (audit_result, {check label: (native, status)})}``."""
    folder = tmp_path_factory.mktemp("tape")
    paths = reports_of_tape(tape(), folder, "monthly_kpi_report", MONTHS)
    paths.append(with_mrr_changed(paths[1], folder, "B", "2024-01", 260.0))  # 200 before
    copies = recalculate(paths, tmp_path_factory.mktemp("tape_recalculated"))
    return audit_verdicts((*MONTHS, "altered"), copies)


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
