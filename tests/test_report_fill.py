"""Filled reports, checked by reading them back and by LibreOffice as an independent reader.

One module-scoped run fills every template for the sample's latest month (with customer
C0001 renamed to a formula), the monthly report per segment and in French and Romanian,
plus two copies with one input row altered; LibreOffice then recalculates all of them in
one call and renders them to PDF in another.
"""

import math
import re
import shutil
import zipfile

import openpyxl
import pytest
from cents import in_cents
from libreoffice import convert, recalculate, requires_libreoffice
from openpyxl.utils.cell import range_boundaries
from report_samples import (
    INJECTION,
    audit_rows,
    error_cells,
    latest_month,
    sample_with_injection,
    stored_formula_values,
)

from csmetrics import cohort_retention
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.fill import trend_months
from csmetrics.report.labels import label, sheet_name, sheet_names
from workbook_templates import TEMPLATE_KPIS, TEMPLATE_NAMES, template_path

SEGMENTED = "monthly_kpi_report"
ALTERED = ("altered_mrr", "altered_nps", "altered_year_ago", "altered_mrr_fr", "altered_mrr_ro")


@pytest.fixture(scope="module")
def dataset():
    return sample_with_injection()


@pytest.fixture(scope="module")
def engine(dataset):
    return {None: EngineResults.compute(dataset), "segment": EngineResults.compute(
        dataset, "segment")}


@pytest.fixture(scope="module")
def filled(dataset, engine, tmp_path_factory):
    """``{name: (path, EngineResults, segment, lang)}`` of every filled report."""
    out = tmp_path_factory.mktemp("filled")
    month = latest_month(dataset)
    runs = [
        (engine[None], TEMPLATE_NAMES, ["All"], "en", out),
        (engine["segment"], [SEGMENTED], engine["segment"].segments(), "en", out),
    ]
    for lang in ("fr", "ro"):
        runs.append((engine[None], [SEGMENTED], ["All"], lang, out / lang))
    reports = {}
    for results, templates, segments, lang, folder in runs:
        folder.mkdir(exist_ok=True)
        jobs = plan_jobs(templates, [month], segments, folder)
        outcomes = run_batch(
            results, jobs, template_path=template_path, lang=lang
        )
        assert [o.message for o in outcomes if o.status != WRITTEN] == []
        for job in jobs:
            name = f"{job.template}_{job.segment}_{lang}"
            reports[name] = (job.path, results, job.segment, lang)
    _altered_copies(reports, out, month)
    return reports


def _altered_copies(reports, out, month):
    """Copies with one input row changed: an MRR amount of the month, an NPS answer."""
    first_day = month.start_time.to_pydatetime()
    year_ago = (month - 12).start_time.to_pydatetime()
    for name, template, table, column, where, change in (
        ("altered_mrr", "monthly_kpi_report_All_en", "MrrData", "mrr",
         lambda row: row["month"] == first_day, lambda value: value + 1.0),
        ("altered_nps", "nps_survey_All_en", "SurveyData", "score",
         lambda row: row["survey"] == "nps", lambda value: 0 if value >= 9 else 10),
        ("altered_year_ago", "monthly_kpi_report_All_en", "MrrData", "mrr",
         lambda row: row["month"] == year_ago and row["mrr"] > 0, lambda value: value + 1.0),
        *((f"altered_mrr_{lang}", f"monthly_kpi_report_All_{lang}", "MrrData", "mrr",
           lambda row: row["month"] == first_day, lambda value: value + 1.0)
          for lang in ("fr", "ro")),
    ):
        path, results, segment, lang = reports[template]
        workbook = openpyxl.load_workbook(path)
        _alter_first_row(workbook[sheet_name("inputs", lang)], table, column, where, change)
        workbook.save(out / f"{name}.xlsx")
        reports[name] = (out / f"{name}.xlsx", results, segment, lang)


def _alter_first_row(inputs, table, column, where, change):
    min_col, min_row, max_col, max_row = range_boundaries(inputs.tables[table].ref)
    header = [inputs.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    for row in range(min_row + 1, max_row + 1):
        values = {h: inputs.cell(row, min_col + i).value for i, h in enumerate(header)}
        if where(values):
            cell = inputs.cell(row, min_col + header.index(column))
            cell.value = change(cell.value)
            return
    raise AssertionError(f"no row of {table} to alter")


@pytest.fixture(scope="module")
def recalculated(filled, tmp_path_factory):
    """``{name: LibreOffice's recalculated copy}``; copies renamed so names never clash."""
    staging = tmp_path_factory.mktemp("staging")
    staged = {}
    for name, (path, *_rest) in filled.items():
        staged[name] = staging / f"{name}.xlsx"
        shutil.copy(path, staged[name])
    copies = recalculate(list(staged.values()), tmp_path_factory.mktemp("recalculated"))
    return dict(zip(staged, copies, strict=True))


@pytest.fixture(scope="module")
def pdfs(filled, tmp_path_factory):
    paths = [path for name, (path, *_r) in filled.items() if name not in ALTERED]
    return convert(paths, tmp_path_factory.mktemp("pdf"), "pdf")


def _reports(filled):
    return {n: v for n, v in filled.items() if n not in ALTERED}


def _expected(results, segment, key, month):
    """What a named cell must hold for the engine's value of ``key`` in ``month`` (empty
    where the engine has none: no data is not an error).

    openpyxl writes numbers with 16 significant digits (``"%.16g"`` in
    ``openpyxl.compat.strings.safe_string``), so a number read back is the engine's to
    one part in 1e16, not always to the last bit.
    """
    metrics = results.segment(segment).metrics
    if key not in metrics.columns or month not in metrics.index:
        return None
    value = float(metrics.at[month, key])
    return None if math.isnan(value) else pytest.approx(value, rel=1e-15, abs=1e-300)


@requires_libreoffice
def test_every_filled_report_converts_to_pdf(pdfs, filled):
    assert len(pdfs) == len(_reports(filled))
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf.name
        assert pdf.stat().st_size > 10_000, pdf.name


def test_kpi_names_read_back_give_the_engine_numbers(filled, dataset):
    month = latest_month(dataset)
    for name, (path, results, segment, _lang) in _reports(filled).items():
        workbook = openpyxl.load_workbook(path)
        template = name.split("_" + segment)[0]
        shown = {n[4:] for n in workbook.defined_names if n.startswith("kpi_")}
        assert set(TEMPLATE_KPIS[template]) <= shown, name
        for key in shown:
            cell = named_cells(workbook, f"kpi_{key}")[0]
            assert cell.value == _expected(results, segment, key, month), (name, key)
        for prior in (n for n in workbook.defined_names if n.startswith("prior_")):
            cell = named_cells(workbook, prior)[0]
            assert cell.value == _expected(results, segment, prior[6:], month - 1), prior


def test_the_trend_holds_the_engine_numbers_of_twelve_months(filled, dataset):
    path, results, segment, _lang = filled["monthly_kpi_report_All_en"]
    workbook = openpyxl.load_workbook(path)
    months = trend_months(latest_month(dataset))
    assert [c.value.date() for c in named_cells(workbook, "trend_month")] == [
        m.start_time.date() for m in months
    ]
    trends = [n for n in workbook.defined_names if n.startswith("trend_") and n != "trend_month"]
    assert {"trend_mrr_end", "trend_nrr", "trend_nps", "trend_arpa"} <= set(trends)
    for name in trends:
        values = [c.value for c in named_cells(workbook, name)]
        assert values == [_expected(results, segment, name[6:], m) for m in months], name


def test_nps_distribution_counts_the_month_answers(filled, dataset):
    path, results, segment, _lang = filled["nps_survey_All_en"]
    counts = [c.value for c in named_cells(openpyxl.load_workbook(path), "nps_distribution")]
    month = latest_month(dataset)
    assert sum(counts) == _expected(results, segment, "nps_responses", month)
    assert sum(counts) > 0
    promoters, detractors = sum(counts[9:]), sum(counts[:7])
    nps = 100 * (promoters - detractors) / sum(counts)
    assert nps == _expected(results, segment, "nps", month)


def test_the_cohort_table_is_the_engine_triangle(filled, dataset):
    path, *_rest = filled["cohort_retention_All_en"]
    cells = named_cells(openpyxl.load_workbook(path), "cohort_table")
    grid = [cells[i:i + 25] for i in range(0, len(cells), 25)]
    month = latest_month(dataset)
    expected = cohort_retention(dataset.mrr[dataset.mrr["month"] <= month]).iloc[-24:, :24]
    assert [c.value for c in grid[0][1:]] == list(range(24))
    for row, (cohort, shares) in zip(grid[1:], expected.iterrows(), strict=True):
        assert row[0].value.date() == cohort.start_time.date()
        written = [c.value for c in row[1:]]
        assert written == [None if math.isnan(s) else s for s in shares.tolist()]


_FORMULA_TEXT = re.compile(rb"<(?:f|formula|definedName)\b[^>]*>(.*?)</", re.DOTALL)


def test_no_cs_function_is_left_in_a_filled_report(filled):
    for name, (path, _results, _segment, lang) in _reports(filled).items():
        with zipfile.ZipFile(path) as archive:
            formulas = [
                text
                for part in archive.namelist() if part.endswith(".xml")
                for text in _FORMULA_TEXT.findall(archive.read(part))
            ]
        assert formulas, name
        assert [f for f in formulas if b"CS_" in f.upper()] == [], name
        workbook = openpyxl.load_workbook(path)
        assert not set(sheet_names("calc")) & set(workbook.sheetnames)
        assert not set(sheet_names("start")) & set(workbook.sheetnames)
        assert workbook.calculation.fullCalcOnLoad is True
        texts = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value != INJECTION]
        assert [t for t in texts if "CS_" in t] == [], name
        assert label("filled_note", lang) in texts, name


YEAR_FIGURES = ("arr", "net_new_mrr", "mrr_growth_yoy", "nrr_12m", "grr_12m",
                "logo_retention_12m")
_BRIDGE = ("mrr_start", "new", "expansion", "contraction", "churned", "reactivation",
           "mrr_end", "customers_start", "customers_end", "crr", "logo_churn", "grr", "nrr")
AUDITED = {
    "monthly_kpi_report": (*_BRIDGE, "gross_mrr_churn", "net_mrr_churn", "quick_ratio",
                           "arpa", "nps", "csat", "ces", "fcr", "return_rate", "dso",
                           "ar_over_90", "ltv", *YEAR_FIGURES),
    "nps_survey": ("nps", "nps_moe", "nps_responses", "csat", "ces"),
    "receivables_dso": ("credit_sales", "receivables", "dso", "ar_current", "ar_1_30",
                        "ar_31_60", "ar_61_90", "ar_over_90"),
    "unit_economics": ("arpa", "logo_churn", "ltv", "cac", "clv_cac", "cac_payback_months"),
    "cohort_retention": _BRIDGE,
}
"""The headline numbers each template's Audit sheet must recompute (spend-based ones, cac
and after, only when not segmented: the engine does not split spend by segment)."""


@requires_libreoffice
def test_audit_reads_pass_after_libreoffice_recalculates(recalculated, filled):
    for name, (_path, _results, segment, lang) in _reports(filled).items():
        result, rows = audit_rows(recalculated[name])
        assert [r for r in rows if r[5] == label("audit_fail", lang)] == [], name
        assert rows and {r[5] for r in rows} <= {label("audit_ok", lang),
                                                 label("audit_not_applicable", lang)}, name
        assert result == label("audit_pass", lang), name
        template = next(t for t in AUDITED if name.startswith(t))
        checked = {r[0] for r in rows}
        keys = AUDITED[template]
        if segment != "All":
            keys = [k for k in keys if k not in ("cac", "clv_cac", "cac_payback_months")]
        assert [k for k in keys if label(k, lang) not in checked] == [], name


@requires_libreoffice
def test_no_error_value_in_any_report_trend_or_audit_sheet(recalculated, filled):
    wrong = {name: error_cells(recalculated[name]) for name in _reports(filled)}
    assert {name: cells for name, cells in wrong.items() if cells} == {}


@requires_libreoffice
@pytest.mark.parametrize("name", ALTERED)
def test_audit_reads_fail_when_one_input_row_is_altered(recalculated, filled, name):
    lang = filled[name][3]
    result, rows = audit_rows(recalculated[name])
    assert result == label("audit_fail", lang)
    assert [r[0] for r in rows if r[5] == label("audit_fail", lang)]


@requires_libreoffice
def test_the_year_checks_read_fail_when_a_row_of_a_year_earlier_is_altered(recalculated):
    _, rows = audit_rows(recalculated["altered_year_ago"])
    failed = {r[0] for r in rows if r[5] == "FAIL"}
    assert failed == {label(k) for k in ("mrr_growth_yoy", "nrr_12m", "grr_12m")}, failed
    _, rows = audit_rows(recalculated["monthly_kpi_report_All_en"])
    status = {r[0]: r[5] for r in rows}
    assert status[label("audit_cohort_difference")] == "OK"


@requires_libreoffice
def test_a_customer_named_like_a_formula_stays_text(filled, recalculated):
    path, *_rest = filled["monthly_kpi_report_All_en"]
    for reader in (openpyxl.load_workbook(path),
                   openpyxl.load_workbook(recalculated["monthly_kpi_report_All_en"])):
        sheets = (reader[sheet_name("inputs")], reader[sheet_name("audit")])
        cells = [c for ws in sheets for row in ws.iter_rows()
                 for c in row if c.value == INJECTION]
        assert len(cells) >= 3
        assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(path) as archive:
        assert b"HYPERLINK" not in b"".join(
            _FORMULA_TEXT.findall(archive.read("xl/worksheets/sheet3.xml"))
        )


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_french_and_romanian_reports_speak_their_language(filled, lang):
    path, *_rest = filled[f"monthly_kpi_report_All_{lang}"]
    workbook = openpyxl.load_workbook(path)
    audit = workbook[sheet_name("audit", lang)]
    assert audit["A1"].value == label("audit_title", lang)
    assert audit["A1"].value != label("audit_title", "en")
    texts = {c.value for row in workbook[sheet_name("report", lang)].iter_rows() for c in row}
    assert label("title_monthly_kpi_report", lang) in texts
    assert label("crr", lang) in texts
    assert workbook.sheetnames == [sheet_name(key, lang) for key in
                                   ("report", "trend", "inputs", "definitions", "audit")]
    [segment] = named_cells(workbook, "report_segment")
    assert segment.value == label("all_segments", lang) != label("all_segments", "en")
    assert workbook[sheet_name("report", lang)].oddHeader.right.text.endswith(segment.value)
    audit_texts = {c.value for row in audit.iter_rows() for c in row}
    words = {label(f"movement_{code}", lang) for code in ("new", "churned", "expansion")}
    assert words <= audit_texts, "the movements block shows the movements in the language"
    assert not {"new", "churned", "PASS", "FAIL", "OK"} & audit_texts


def test_inputs_tables_are_resized_to_the_rows_written(filled):
    path, *_rest = filled["monthly_kpi_report_All_en"]
    inputs = openpyxl.load_workbook(path)[sheet_name("inputs")]
    for table in inputs.tables.values():
        first, last = table.ref.split(":")
        last_row = int(re.sub(r"\D", "", last))
        column = re.sub(r"\d", "", first)
        assert inputs[f"{column}{last_row}"].value is not None, table.displayName
        assert inputs[f"{column}{last_row + 1}"].value is None, table.displayName
        assert last_row > 2, table.displayName


@requires_libreoffice
def test_the_headline_shows_the_month_the_prior_and_the_change_in_points(recalculated,
                                                                         filled, dataset):
    _path, results, segment, _lang = filled["monthly_kpi_report_All_en"]
    workbook = openpyxl.load_workbook(recalculated["monthly_kpi_report_All_en"],
                                      data_only=True)
    ws = workbook[sheet_name("report")]
    month = latest_month(dataset)
    metrics = results.segment(segment).metrics
    rows = {}
    for row in ws.iter_rows(max_col=4):
        rows.setdefault(row[0].value, row)  # the headline comes before the KPI block
    for key, scale in (("logo_churn", 100), ("nps", 1)):  # a share in points; NPS points
        _label, now, prior, change = rows[label(key)]
        expected_now, expected_prior = metrics.at[month, key], metrics.at[month - 1, key]
        assert now.value == pytest.approx(expected_now, rel=0, abs=1e-12), key
        assert prior.value == pytest.approx(expected_prior, rel=0, abs=1e-12), key
        assert change.value == pytest.approx((expected_now - expected_prior) * scale, rel=0,
                                             abs=1e-9), key
    _label, now, prior, change = rows[label("mrr_end")]  # money: to the cent
    expected_now, expected_prior = metrics.at[month, "mrr_end"], metrics.at[month - 1, "mrr_end"]
    assert in_cents([now.value, prior.value, change.value]) == in_cents(
        [expected_now, expected_prior, expected_now - expected_prior])


def test_a_segment_report_says_spend_is_not_split_by_segment(filled, engine):
    segment = engine["segment"].segments()[0]
    path, *_rest = filled[f"monthly_kpi_report_{segment}_en"]
    workbook = openpyxl.load_workbook(path)
    notes = {cell.row: cell.value for cell in named_cells(workbook, "report_notes")}
    for key in ("cac", "clv_cac", "cac_payback_months", "sales_marketing_cost"):
        [cell] = named_cells(workbook, f"kpi_{key}")
        assert cell.value is None and notes[cell.row] == label("no_spend_by_segment"), key


def test_every_formula_a_reader_sees_is_saved_with_its_value(filled):
    counted = 0
    for name, (path, *_rest) in _reports(filled).items():
        stored = stored_formula_values(path)
        assert [place for place, value in stored.items() if value is None] == [], name
        counted += len(stored)
    assert counted > 100
    path, *_rest = filled["monthly_kpi_report_All_en"]
    report = openpyxl.load_workbook(path, data_only=True)[sheet_name("report")]
    headline = [report.cell(row, column).value for row in range(7, 13) for column in (2, 3, 4)]
    assert None not in headline and all(isinstance(value, float) for value in headline)


@requires_libreoffice
def test_libreoffice_recalculates_the_values_that_were_saved(filled, recalculated):
    for name, (path, *_rest) in _reports(filled).items():
        saved = openpyxl.load_workbook(path, data_only=True)
        again = openpyxl.load_workbook(recalculated[name], data_only=True)
        places = stored_formula_values(path)
        for sheet, cell in places:
            value, expected = saved[sheet][cell].value, again[sheet][cell].value
            if isinstance(expected, float | int) and not isinstance(expected, bool):
                expected = pytest.approx(expected, rel=1e-12, abs=1e-9)
            assert value == expected, (name, sheet, cell)
