"""Targets: the ``targets`` table as read and checked, the Target and Status columns of the
monthly KPI report as filled, and the status formula as LibreOffice recalculates it.

The statuses are worked by hand from the rule in the Definitions sheet: a KPI where up is
good (NRR) is on target when its value is at least the target, one where down is good
(logo churn) when it is at most the target; blank without a target or without a value.
"""

import dataclasses
import shutil

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import latest_month, sheet_of

from csmetrics import load_data, sample_data_path, validate_data
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.labels import label
from csmetrics.report.layout import TARGETS_NAME
from csmetrics.report.safe_io import ReportError
from csmetrics.tables.targets import target_values
from workbook_templates import template_path

UP, DOWN = ("nrr", "grr", "crr", "customers_end", "mrr_end"), (
    "logo_churn", "gross_mrr_churn", "net_mrr_churn", "churned", "customers_lost")
CASES = (  # (value, target, status key): on, off, equal, no target, no value
    (1.02, 1.00, "status_on"),
    (0.98, 1.00, "status_off"),
    (1.00, 1.00, "status_on"),
    (1.00, None, None),
    (None, 1.00, None),
)
DOWN_CASES = (
    (0.02, 0.03, "status_on"),
    (0.04, 0.03, "status_off"),
    (0.03, 0.03, "status_on"),
    (0.03, None, None),
    (None, 0.03, None),
)
SAMPLE_STATUSES = {  # 2025-12 of the sample: value, targets.csv, status
    "mrr_end": "status_on",  # 830,558.86 >= 800,000
    "nrr": "status_on",  # 100.54 % >= 100 %
    "logo_churn": "status_off",  # 3.49 % > 2.5 % (down is good)
    "nps": "status_off",  # 26.3 < 30
    "dso": "status_on",  # 30.8 days <= 35 (down is good)
}


def _write(folder, text):
    folder.mkdir(exist_ok=True)
    (folder / "targets.csv").write_text(text, encoding="utf-8")
    return folder


def test_targets_are_read_by_key_or_kpi_name_a_percent_sign_as_a_share(tmp_path):
    folder = _write(tmp_path, "metric;target\nKPI_Logo_Churn;2,5 %\nnrr;1,01\nnps;30\n")
    targets = load_data(folder, locale="fr").targets
    assert targets.to_dict("list") == {"metric": ["logo_churn", "nrr", "nps"],
                                       "target": [0.025, 1.01, 30.0]}


@pytest.mark.parametrize(("row", "expected"), [
    ("bogus,3", "table 'targets', row 3, column 'metric': unknown metric 'bogus'"),
    ("kpi_nrr,1.1", "table 'targets', row 3, column 'metric': 'kpi_nrr' already has a target "
                    "on row 2"),
    ("nps,high", "table 'targets', row 3, column 'target': cannot read 'high' as a number"),
    ("nps,", "table 'targets', row 3, column 'target': blank cell"),
])
def test_a_bad_target_row_is_named(tmp_path, row, expected):
    folder = _write(tmp_path, f"metric,target\nnrr,1\n{row}\n")
    problems = [str(problem) for problem in validate_data(folder)]
    assert len(problems) == 1
    assert problems[0].startswith(expected)


def _fill(tmp_path, dataset, lang="en", currency=None):
    results = EngineResults.compute(dataset)
    jobs = plan_jobs(["monthly_kpi_report"], [latest_month(dataset)], ["All"], tmp_path)
    outcomes = run_batch(results, jobs, template_path=template_path, lang=lang,
                         currency=currency)
    assert [outcome.status for outcome in outcomes] == [WRITTEN]
    return jobs[0].path


def _target(workbook, key):
    kpi = named_cells(workbook, f"kpi_{key}")[0]
    return kpi, kpi.parent.cell(kpi.row, 5), kpi.parent.cell(kpi.row, 6)


@pytest.fixture(scope="module")
def sample():
    return load_data(sample_data_path())


@pytest.fixture(scope="module")
def filled(sample, tmp_path_factory):
    """The sample's monthly report in English with EUR money, and in French."""
    folder = tmp_path_factory.mktemp("targets")
    (folder / "en").mkdir()
    (folder / "fr").mkdir()
    return {"en": _fill(folder / "en", sample, currency="EUR"),
            "fr": _fill(folder / "fr", sample, lang="fr")}


def test_the_filled_report_holds_the_targets_in_the_kpi_format(filled):
    workbook = openpyxl.load_workbook(filled["en"])
    written = {key: _target(workbook, key)[1].value for key in SAMPLE_STATUSES}
    assert written == {"mrr_end": 800000.0, "nrr": 1.0, "logo_churn": 0.025, "nps": 30.0,
                       "dso": 35.0}
    for key in SAMPLE_STATUSES:
        kpi, target, _ = _target(workbook, key)
        assert target.number_format == kpi.number_format
    assert "EUR" in _target(workbook, "mrr_end")[1].number_format
    others = [cell.value for cell in named_cells(workbook, TARGETS_NAME)]
    assert sum(isinstance(value, int | float) for value in others) == len(SAMPLE_STATUSES)
    assert set(others) - {None} - set(written.values()) == {label("target")}  # the headers


def test_without_a_targets_table_the_target_column_is_empty(sample, tmp_path):
    path = _fill(tmp_path, dataclasses.replace(sample, targets=None))
    workbook = openpyxl.load_workbook(path)
    cells = named_cells(workbook, TARGETS_NAME)
    assert len(cells) > 30
    assert {cell.value for cell in cells} == {None, label("target")}  # the headers only


def _cases_copy(path, out):
    """A copy of a filled report whose NRR-like and churn-like rows hold the hand cases."""
    workbook = openpyxl.load_workbook(path)
    expected = {}
    for keys, cases in ((UP, CASES), (DOWN, DOWN_CASES)):
        for key, (value, target, status) in zip(keys, cases, strict=True):
            kpi, target_cell, _ = _target(workbook, key)
            kpi.value, target_cell.value = value, target
            expected[key] = status
    workbook.save(out)
    return expected


@pytest.fixture(scope="module")
def recalculated(filled, tmp_path_factory):
    staging = tmp_path_factory.mktemp("staging")
    expected = _cases_copy(filled["en"], staging / "cases.xlsx")
    shutil.copy(filled["fr"], staging / "sample_fr.xlsx")
    copies = recalculate([staging / "cases.xlsx", staging / "sample_fr.xlsx"],
                         tmp_path_factory.mktemp("recalculated"))
    return expected, dict(zip(("cases", "fr"), copies, strict=True))


def _statuses(path, keys):
    workbook = openpyxl.load_workbook(path, data_only=True)
    return {key: _target(workbook, key)[2].value for key in keys}


@requires_libreoffice
def test_libreoffice_gives_the_hand_worked_statuses(recalculated):
    expected, copies = recalculated
    words = {key: label(status, "en") if status else None for key, status in expected.items()}
    got = {key: value or None for key, value in _statuses(copies["cases"], expected).items()}
    assert got == words
    assert words["nrr"] == "on target" and words["logo_churn"] == "on target"
    assert words["grr"] == words["gross_mrr_churn"] == "off target"


@requires_libreoffice
def test_libreoffice_gives_the_sample_statuses_in_french(recalculated):
    _, copies = recalculated
    words = {key: label(status, "fr") for key, status in SAMPLE_STATUSES.items()}
    assert _statuses(copies["fr"], SAMPLE_STATUSES) == words
    assert set(words.values()) == {"objectif atteint", "objectif manqué"}


def test_status_words_are_coloured_green_and_red(filled):
    workbook = openpyxl.load_workbook(filled["fr"])
    _, _, status = _target(workbook, "logo_churn")
    sheet = sheet_of(workbook, "report")
    rules = [rule for ranges in sheet.conditional_formatting
             if status.coordinate in ranges.sqref for rule in ranges.rules]
    colours = {rule.formula[0]: rule.dxf.font.color.rgb for rule in rules}
    assert colours == {f'{status.coordinate}="objectif atteint"': "00007A33",
                       f'{status.coordinate}="objectif manqué"': "00C00000"}


def _headline_rows(workbook):
    """``{key: row}`` of the headline strip: the rows whose Target reads the KPI block's."""
    sheet = sheet_of(workbook, "report")
    block = {named_cells(workbook, f"kpi_{key}")[0].row: key for key in SAMPLE_STATUSES}
    block.update({named_cells(workbook, f"kpi_{key}")[0].row: key for key in ("arr",)})
    rows = {}
    for (cell,) in sheet.iter_rows(min_col=5, max_col=5, max_row=20):
        for row, key in block.items():
            if cell.value == f'=IF(E{row}="","",E{row})':
                rows[key] = cell.row
    return rows


@requires_libreoffice
def test_the_headline_strip_shows_the_block_targets_and_statuses(recalculated, filled):
    rows = _headline_rows(openpyxl.load_workbook(filled["fr"]))
    assert sorted(rows) == ["arr", "logo_churn", "mrr_end", "nps"]
    sheet = sheet_of(openpyxl.load_workbook(recalculated[1]["fr"], data_only=True), "report")
    got = {key: (sheet.cell(row, 5).value or None, sheet.cell(row, 6).value or None)
           for key, row in rows.items()}
    assert got == {"mrr_end": (800000, "objectif atteint"), "logo_churn": (0.025,
                   "objectif manqué"), "nps": (30, "objectif manqué"), "arr": (None, None)}


def test_targets_may_name_a_segment_one_target_per_kpi_and_segment(tmp_path):
    folder = _write(tmp_path, "metric,target,segment\nnps,30,\nnps,40, SMB \nnps,45,Enterprise\n")
    assert target_values(load_data(folder).targets) == {
        None: {"nps": 30.0}, "SMB": {"nps": 40.0}, "Enterprise": {"nps": 45.0}}
    folder = _write(tmp_path / "twice", "metric,target,segment\nnps,30,SMB\nkpi_nps,35,SMB\n")
    [problem] = validate_data(folder)
    assert str(problem).startswith(
        "table 'targets', row 3, column 'metric': 'kpi_nps' already has a target for segment "
        "'SMB' on row 2; give each KPI one target per segment")


SEGMENT_CASES = {  # 2025-12 of the sample by segment, targets.csv: (target, status key)
    ("Enterprise", "mrr_end"): (450_000.0, "status_on"),  # 486,990.13 >= 450,000
    ("Mid-Market", "mrr_end"): (300_000.0, "status_off"),  # 288,071.40 < 300,000
    ("SMB", "mrr_end"): (60_000.0, "status_off"),  # 55,497.33 < 60,000
}
"""The sample's segment targets; the company's 800,000 MRR target judges no segment."""


@pytest.fixture(scope="module")
def by_segment(sample, tmp_path_factory):
    """The sample's monthly report of each segment, in English and in Romanian."""
    results = EngineResults.compute(sample, "segment")
    paths = {}
    for lang in ("en", "ro"):
        folder = tmp_path_factory.mktemp(f"segments_{lang}")
        jobs = plan_jobs(["monthly_kpi_report"], [latest_month(sample)], results.segments(),
                         folder)
        outcomes = run_batch(results, jobs, template_path=template_path, lang=lang)
        assert [outcome.message for outcome in outcomes] == [""] * len(jobs)
        paths.update({(job.segment, lang): job.path for job in jobs})
    return paths


@pytest.mark.parametrize("lang", ["en", "ro"])
def test_a_segment_report_is_judged_against_its_segments_target_only(by_segment, lang):
    """The statuses are the values the report saves with its formulas (the LibreOffice
    tests of test_report_fill hold those to the recalculated ones)."""
    for segment in ("Enterprise", "Mid-Market", "SMB"):
        path = by_segment[segment, lang]
        workbook = openpyxl.load_workbook(path, data_only=True)
        notes = {cell.row: cell.value for cell in named_cells(workbook, "report_notes")}
        for key in ("mrr_end", "nrr", "logo_churn", "nps", "dso"):
            kpi, target, status = _target(workbook, key)
            if (segment, key) in SEGMENT_CASES:
                value, word = SEGMENT_CASES[segment, key]
                assert (target.value, status.value) == (value, label(word, lang)), segment
            elif (segment, key) == ("SMB", "logo_churn"):
                assert target.value == 0.03, segment
            else:
                assert (target.value, status.value) == (None, None), (segment, key)
                if key != "nps":  # from few answers: the margin of error is noted first
                    assert notes[kpi.row] == label("no_segment_target", lang), (segment, key)
        assert notes[_target(workbook, "arr")[0].row] is None, "arr has no target anywhere"


def test_the_report_over_all_customers_keeps_the_company_targets(filled):
    workbook = openpyxl.load_workbook(filled["fr"])
    notes = [cell.value for cell in named_cells(workbook, "report_notes")]
    assert label("no_segment_target", "fr") not in notes
    assert _target(workbook, "mrr_end")[1].value == 800_000.0


def test_a_target_for_a_segment_the_data_lacks_is_refused(sample, tmp_path):
    targets = pd.DataFrame({"metric": ["nps"], "target": [30.0], "segment": ["Entreprise"]})
    results = EngineResults.compute(dataclasses.replace(sample, targets=targets), "segment")
    jobs = plan_jobs(["monthly_kpi_report"], [latest_month(sample)], results.segments(),
                     tmp_path)
    with pytest.raises(ReportError, match=(
            r"table 'targets', column 'segment': 'Entreprise' is no segment of --segment-by "
            r"segment \(its segments: 'Enterprise', 'Mid-Market', 'SMB'\)")):
        run_batch(results, jobs, template_path=template_path)
    assert list(tmp_path.iterdir()) == []
