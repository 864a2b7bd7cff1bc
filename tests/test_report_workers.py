"""Batch runs in several processes write the same reports as one process, and fail alike."""

import zipfile

import pytest

from csmetrics import load_data, sample_data_path
from csmetrics.report.batch import FAILED, WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.safe_io import protected_paths
from workbook_templates import TEMPLATE_NAMES, template_path

# docProps/core.xml holds the time of the save, the one part two runs may not share.
VARYING_PARTS = {"docProps/core.xml"}


@pytest.fixture(scope="module")
def results():
    return EngineResults.compute(load_data(sample_data_path()), "segment")


def months(results, count):
    return sorted(results.dataset.mrr["month"].unique())[-count:]


def parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name not in VARYING_PARTS}


def test_two_processes_write_every_part_of_every_report_as_one_does(results, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    jobs = {out: plan_jobs(TEMPLATE_NAMES, months(results, 1), results.segments(), out)
            for out in (one, two)}
    alone = run_batch(results, jobs[one], template_path=template_path, currency="EUR")
    seen = []
    shared = run_batch(results, jobs[two], template_path=template_path, currency="EUR",
                       workers=2, on_outcome=seen.append)
    assert [o.status for o in alone] == [WRITTEN] * len(jobs[one])
    assert [o.job for o in shared] == jobs[two]
    assert [o.status for o in shared] == [WRITTEN] * len(jobs[two])
    assert sorted(o.job.path.name for o in seen) == sorted(j.path.name for j in jobs[two])
    for job in jobs[one]:
        assert parts(job.path) == parts(two / job.path.name), job.path.name


def test_a_report_failing_in_a_process_fails_alone_with_its_reason(results, tmp_path):
    jobs = plan_jobs(TEMPLATE_NAMES, months(results, 1), results.segments(), tmp_path)
    kept = jobs[3].path
    kept.write_bytes(b"a report from last month")
    outcomes = run_batch(results, jobs, template_path=template_path, workers=2,
                         protected=protected_paths(kept))
    failed = [o for o in outcomes if o.status == FAILED]
    assert [o.job for o in failed] == [jobs[3]]
    assert "it is a template or an input file" in failed[0].message
    assert kept.read_bytes() == b"a report from last month"
    assert sum(o.status == WRITTEN for o in outcomes) == len(jobs) - 1
