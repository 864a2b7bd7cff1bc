"""Batch runs: one report's failure, even a crash in the middle of saving, loses no other."""

import openpyxl
import pytest
from report_samples import latest_month

from csmetrics import load_data, sample_data_path
from csmetrics.report import safe_io
from csmetrics.report.batch import FAILED, WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.safe_io import ReportError
from workbook_templates import TEMPLATE_NAMES, template_path


@pytest.fixture(scope="module")
def results():
    return EngineResults.compute(load_data(sample_data_path()))


@pytest.fixture
def jobs(results, tmp_path):
    month = latest_month(results.dataset)
    return plan_jobs(TEMPLATE_NAMES, [month], results.segments(), tmp_path)


def test_a_crash_mid_save_leaves_no_half_file_and_keeps_the_other_reports(
    results, jobs, tmp_path, monkeypatch
):
    """The save of the NPS report dies after writing the first bytes of its file."""
    save = safe_io.save_with_values

    def crash_on_nps(workbook, filename):
        if "nps_survey" in str(filename):
            with open(filename, "wb") as partial:
                partial.write(b"PK\x03\x04 half a workbook")
            raise OSError("simulated crash while saving")
        return save(workbook, filename)

    monkeypatch.setattr(safe_io, "save_with_values", crash_on_nps)
    outcomes = run_batch(results, jobs, template_path=template_path)
    status = {o.job.template: (o.status, o.message) for o in outcomes}
    assert status["nps_survey"] == (FAILED, "simulated crash while saving")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(j.path.name for j in jobs if j.template != "nps_survey")
    for name in written:
        assert openpyxl.load_workbook(tmp_path / name)["Audit"]["A1"].value


def test_a_crash_while_replacing_keeps_the_previous_report(results, jobs, monkeypatch):
    first = run_batch(results, jobs, template_path=template_path)
    assert {o.status for o in first} == {WRITTEN}
    nps = next(j.path for j in jobs if j.template == "nps_survey")
    before = nps.read_bytes()

    def crash(workbook, filename):
        with open(filename, "wb") as partial:
            partial.write(b"PK\x03\x04")
        raise OSError("simulated crash while saving")

    monkeypatch.setattr(safe_io, "save_with_values", crash)
    again = run_batch(results, jobs, template_path=template_path, overwrite=True)
    assert {o.status for o in again} == {FAILED}
    assert nps.read_bytes() == before
    assert sorted(p.name for p in nps.parent.iterdir()) == sorted(j.path.name for j in jobs)


def test_a_broken_template_fails_its_reports_only(results, jobs, tmp_path):
    broken = tmp_path / "broken" / "receivables_dso.xlsx"
    broken.parent.mkdir()
    broken.write_text("not a workbook")

    def paths(name, lang):
        return broken if name == "receivables_dso" else template_path(name, lang)

    outcomes = run_batch(results, jobs, template_path=paths)
    failed = [o for o in outcomes if o.status == FAILED]
    assert [o.job.template for o in failed] == ["receivables_dso"]
    assert "receivables_dso.xlsx is not an Excel workbook" in failed[0].message
    assert sum(o.status == WRITTEN for o in outcomes) == len(TEMPLATE_NAMES) - 1


def test_segments_that_would_share_a_file_name_are_refused(tmp_path):
    with pytest.raises(ReportError, match="'A/B' and 'A-B' would both be written"):
        plan_jobs(["nps_survey"], ["2025-01"], ["A/B", "A-B"], tmp_path)


def test_an_unknown_segment_column_is_named(results):
    with pytest.raises(ReportError, match="--segment-by region: the MRR table has no such"):
        EngineResults.compute(results.dataset, "region")


def test_a_replace_check_that_raises_fails_its_report_only(results, jobs):
    def allowed(path):
        if "nps_survey" in path.name:
            raise OSError(f"{path.name}: cannot read the file in its place")
        return False

    outcomes = run_batch(results, jobs, template_path=template_path, overwrite=allowed)
    failed = [(o.job.template, o.message) for o in outcomes if o.status == FAILED]
    nps = next(job for job in jobs if job.template == "nps_survey")
    assert failed == [("nps_survey", f"{nps.path.name}: cannot read the file in its place")]
    assert [o.job for o in outcomes] == jobs
    assert sum(o.status == WRITTEN for o in outcomes) == len(jobs) - 1
