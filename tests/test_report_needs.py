"""Templates whose tables are missing: skipped by default, an error when asked for."""

import shutil
from pathlib import Path

import pytest

from csmetrics import sample_data_path
from csmetrics.cli import main

MONTH = "2025-12"


@pytest.fixture
def mrr_and_surveys(tmp_path):
    """The sample's mrr and surveys tables alone."""
    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("mrr.csv", "surveys.csv"):
        shutil.copy(sample_data_path() / name, folder / name)
    return folder


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_templates_without_their_tables_are_skipped_and_said_so(mrr_and_surveys, tmp_path,
                                                                capsys):
    out = tmp_path / "reports"
    status, stdout, _ = _run(capsys, "report", "--data", mrr_and_surveys, "--month", MONTH,
                             "--out", out)
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{name}_{MONTH}_All.xlsx"
        for name in ("cohort_retention", "monthly_kpi_report", "nps_survey")
    ]
    lines = stdout.splitlines()
    assert "receivables_dso: skipped: no invoices table" in lines
    assert "unit_economics: skipped: no spend table" in lines
    assert lines[-1] == "3 of 3 reports written; 2 templates skipped"


@pytest.mark.parametrize(
    "templates, message",
    [
        (["receivables_dso"],
         "--template receivables_dso cannot be written: the data has no invoices table"),
        (["nps_survey", "unit_economics"],
         "--template unit_economics cannot be written: the data has no spend table"),
    ],
)
def test_a_template_asked_for_without_its_tables_is_an_error(mrr_and_surveys, tmp_path,
                                                             capsys, templates, message):
    out = tmp_path / "reports"
    asked = [arg for name in templates for arg in ("--template", name)]
    status, stdout, stderr = _run(capsys, "report", "--data", mrr_and_surveys, "--month",
                                  MONTH, "--out", out, *asked)
    assert status == 1
    assert stderr == f"csmetrics: error: {message}\n"
    assert not Path(out).exists()

