"""No data is not an error: a figure whose data is absent, or whose denominator is zero, is
an empty cell with a greyed note, and the Audit says "not applicable" for it.

Three data sets beside the sample (whose reports ``test_report_fill.py`` checks): the
sample without survey answers in its latest month, the sample with a segment of two
customers who never leave (no MRR lost: no quick ratio, no LTV), and the sample's mrr and
surveys tables alone. Every report the command line would write for them is filled,
LibreOffice recalculates them in one call, and no sheet a reader reads shows an error
value; every Audit reads PASS, and FAIL in a copy with one MRR input row changed.
"""

import dataclasses
import math

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from openpyxl.utils.cell import range_boundaries
from report_samples import audit_rows, error_cells, latest_month

from csmetrics import load_data, sample_data_path
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.charts import title_text
from csmetrics.report.labels import label
from csmetrics.report.layout import NOTES_NAME, TEMPLATE_NAMES, TEMPLATE_NEEDS
from csmetrics.report.needs import templates_to_write
from workbook_templates import template_path

PILOT = "Pilot"


def without_last_month_answers(dataset):
    month = latest_month(dataset)
    surveys = dataset.surveys
    kept = surveys[surveys["date"].dt.to_period("M") != month]
    return dataclasses.replace(dataset, surveys=kept)


def with_a_segment_that_never_loses(dataset):
    months = pd.period_range(dataset.mrr["month"].min(), dataset.mrr["month"].max(), freq="M")
    pilot = pd.DataFrame([(customer, month, 100.0, PILOT) for customer in ("P1", "P2")
                          for month in months], columns=["customer_id", "month", "mrr", "segment"])
    return dataclasses.replace(dataset, mrr=pd.concat([dataset.mrr, pilot], ignore_index=True))


def with_twelve_nps_answers_in_the_last_month(dataset):
    surveys = dataset.surveys
    last = (surveys["date"].dt.to_period("M") == latest_month(dataset)) & (
        surveys["survey"] == "nps")
    dropped = surveys.index[last][12:]
    return dataclasses.replace(dataset, surveys=surveys.drop(dropped))


def mrr_and_surveys_only(dataset):
    return type(dataset)(mrr=dataset.mrr, surveys=dataset.surveys)


SCENARIOS = {
    "no_answers": (without_last_month_answers, None),
    "no_losses": (with_a_segment_that_never_loses, "segment"),
    "mrr_surveys": (mrr_and_surveys_only, None),
    "few_answers": (with_twelve_nps_answers_in_the_last_month, None),
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """``{(scenario, template, segment): path}`` of every report written."""
    sample = load_data(sample_data_path())
    month = latest_month(sample)
    out = tmp_path_factory.mktemp("no_data")
    paths = {}
    for scenario, (make, segment_by) in SCENARIOS.items():
        dataset = make(sample)
        results = EngineResults.compute(dataset, segment_by)
        templates, _skipped = templates_to_write(TEMPLATE_NAMES, TEMPLATE_NEEDS, dataset,
                                                 asked=False)
        segments = [PILOT] if segment_by else ["All"]
        if segment_by:
            templates = ["monthly_kpi_report"]
        jobs = plan_jobs(templates, [month], segments, out / scenario)
        (out / scenario).mkdir()
        outcomes = run_batch(results, jobs, template_path=template_path)
        assert [o.message for o in outcomes if o.status != WRITTEN] == []
        paths.update(((scenario, job.template, job.segment), job.path) for job in jobs)
    return paths


def _altered(path, folder):
    """A copy with the first MRR input row raised by 1."""
    workbook = openpyxl.load_workbook(path)
    inputs = workbook["Inputs"]
    min_col, min_row, max_col, _ = range_boundaries(inputs.tables["MrrData"].ref)
    header = [inputs.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    cell = inputs.cell(min_row + 1, min_col + header.index("mrr"))
    cell.value += 1.0
    copy = folder / f"altered_{path.name}"
    workbook.save(copy)
    return copy


@pytest.fixture(scope="module")
def recalculated(filled, tmp_path_factory):
    staging = tmp_path_factory.mktemp("staging")
    staged = {}
    for key, path in filled.items():
        staged[key] = staging / ("_".join(key) + ".xlsx")
        staged[key].write_bytes(path.read_bytes())
    altered = {("altered", *key): _altered(staged[key], staging)
               for key in filled if key[1] == "monthly_kpi_report"}
    staged.update(altered)
    copies = recalculate(list(staged.values()), tmp_path_factory.mktemp("recalculated"))
    return dict(zip(staged, copies, strict=True))


def test_only_the_templates_the_tables_allow_are_written(filled):
    written = {template for scenario, template, _ in filled if scenario == "mrr_surveys"}
    assert {template for scenario, template, _ in filled if scenario == "few_answers"} == set(
        TEMPLATE_NAMES)
    assert written == {"monthly_kpi_report", "nps_survey", "cohort_retention"}


def _note_of(path, key):
    workbook = openpyxl.load_workbook(path)
    [cell] = named_cells(workbook, f"kpi_{key}")
    notes = {c.row: c for c in named_cells(workbook, NOTES_NAME)}
    return cell.value, notes[cell.row]


@pytest.mark.parametrize("scenario, template, key, note", [
    ("no_answers", "monthly_kpi_report", "csat", "no CSAT answers in {month}"),
    ("no_answers", "nps_survey", "nps", "no NPS answers in {month}"),
    ("no_losses", "monthly_kpi_report", "quick_ratio", "no MRR lost in {month}"),
    ("no_losses", "monthly_kpi_report", "ltv", "no customers lost in {month}"),
    ("mrr_surveys", "monthly_kpi_report", "dso", "not in the data given (its table is missing)"),
])
def test_a_blank_figure_is_an_empty_cell_with_a_greyed_note(filled, scenario, template, key,
                                                            note):
    month = latest_month(load_data(sample_data_path()))
    path = next(p for (s, t, _), p in filled.items() if (s, t) == (scenario, template))
    value, note_cell = _note_of(path, key)
    assert value is None
    assert note_cell.value == note.format(month=month)
    assert note_cell.font.color.rgb.endswith("808080")  # grey


def test_an_nps_from_few_answers_notes_its_margin_of_error(filled):
    """The twelve NPS answers of the sample's last month, counted here: NPS = 100 x (p - d)
    and its margin z x 100 x sqrt((p + d - (p - d)^2) / 12), z = 1.959963984540054 (95 %),
    with p and d the shares of answers 9-10 and 0-6. Both templates show that NPS and the
    note with both figures to one decimal; the monthly report's CSAT (the share of the
    month's answers at 4 or 5) is not blanked by the note."""
    sample = load_data(sample_data_path())
    month = latest_month(sample)
    surveys = with_twelve_nps_answers_in_the_last_month(sample).surveys
    in_month = surveys[surveys["date"].dt.to_period("M") == month]
    scores = in_month.loc[in_month["survey"] == "nps", "score"].tolist()
    assert len(scores) == 12
    p = sum(score >= 9 for score in scores) / 12
    d = sum(score <= 6 for score in scores) / 12
    nps = 100 * (p - d)
    moe = 1.959963984540054 * 100 * math.sqrt((p + d - (p - d) ** 2) / 12)
    assert moe > 0
    for template in ("monthly_kpi_report", "nps_survey"):
        path = filled["few_answers", template, "All"]
        value, note = _note_of(path, "nps")
        assert value == pytest.approx(nps, abs=1e-9)
        assert note.value == (f"only 12 answers: NPS {nps:.1f} ± {moe:.1f} (95 %); "
                              "read it with care below 30 answers")
    csat_scores = in_month.loc[in_month["survey"] == "csat", "score"]
    csat, _ = _note_of(filled["few_answers", "monthly_kpi_report", "All"], "csat")
    assert len(csat_scores) > 0
    assert csat == pytest.approx((csat_scores >= 4).mean(), abs=1e-12)


@requires_libreoffice
def test_no_error_value_and_the_audit_passes(filled, recalculated):
    for key in filled:
        assert error_cells(recalculated[key]) == [], key
        result, rows = audit_rows(recalculated[key])
        assert result == "PASS", (key, [r for r in rows if r[5] == "FAIL"])
        assert rows, key
    _, rows = audit_rows(recalculated["no_answers", "monthly_kpi_report", "All"])
    status = {row[0]: row[5] for row in rows}
    assert status[label("csat")] == label("audit_not_applicable")
    assert status[label("mrr_end")] == "OK"


@requires_libreoffice
def test_the_audit_fails_when_one_mrr_row_is_changed(recalculated):
    altered = [key for key in recalculated if key[0] == "altered"]
    assert len(altered) == len(SCENARIOS)
    for key in altered:
        result, rows = audit_rows(recalculated[key])
        assert result == "FAIL", key
        assert [r for r in rows if r[5] == "FAIL"], key


def _titles(path):
    workbook = openpyxl.load_workbook(path)
    return {title_text(chart) for ws in workbook.worksheets for chart in ws._charts}


def test_a_chart_with_nothing_to_show_says_so(filled):
    month = latest_month(load_data(sample_data_path()))

    def empty(key):
        return label("chart_nothing_to_show").format(title=label(key), month=month)

    never_loses = _titles(filled["no_losses", "monthly_kpi_report", PILOT])
    assert empty("chart_mrr_bridge") in never_loses  # two customers paying 100 each month
    no_answers = _titles(filled["no_answers", "monthly_kpi_report", "All"])
    assert empty("chart_nps_distribution") in no_answers
    assert label("chart_mrr_bridge") in no_answers  # the sample's movements are shown
    assert empty("chart_nps_distribution") in _titles(filled["no_answers", "nps_survey", "All"])


@pytest.mark.parametrize("template", ["monthly_kpi_report", "nps_survey"])
def test_a_long_note_wraps_in_its_column_in_a_row_tall_enough(filled, template):
    """The note of an NPS from 12 answers (about 80 characters) runs neither under the
    chart beside it nor off the printed page."""
    workbook = openpyxl.load_workbook(filled["few_answers", template, "All"])
    [nps] = named_cells(workbook, "kpi_nps")
    [note] = [cell for cell in named_cells(workbook, NOTES_NAME) if cell.row == nps.row]
    assert note.value.startswith("only 12 answers") and len(note.value) > 60
    assert note.alignment.wrap_text
    width = note.parent.column_dimensions[note.column_letter].width
    lines = -(-len(note.value) // int(width * 1.3))
    assert lines >= 2 and note.parent.row_dimensions[note.row].height >= 12 * lines
