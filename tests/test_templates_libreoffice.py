"""LibreOffice recomputes the native variant of every template; its numbers equal Python's.

The native variant (``build_template(..., native=True)``) holds SUMIFS / COUNTIFS /
SUMPRODUCT / INDEX-MATCH formulas where the committed templates call the add-in. The test
fills its Inputs tables with the known data set of ``template_data.py`` (and, separately,
with nothing), lets LibreOffice recalculate all the copies in one call, and compares every
named cell with the value the csmetrics core functions give on pandas aggregates, to 1e-9.
Undefined metrics must show the same Excel error (``#DIV/0!``, ``#N/A``) on both sides.
"""

import math

import pandas as pd
import pytest
import template_data as td
from libreoffice import convert, recalculate, requires_libreoffice
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from workbook_templates import (
    LANGUAGES,
    TABLE_COLUMNS,
    TEMPLATE_KPIS,
    TEMPLATE_NAMES,
    TEMPLATE_TABLES,
    TREND_KEYS,
    template_path,
)
from workbook_templates.build_templates import build_template

pytestmark = requires_libreoffice

SCENARIOS = ("data", "empty")
TOLERANCE = 1e-9


def fill_inputs(wb, name, data):
    """Write the rows of each Inputs table and stretch the table over them."""
    ws = wb["Inputs"]
    for table_name in TEMPLATE_TABLES[name]:
        table = ws.tables[table_name]
        first = ws[table.ref.split(":")[0]].column
        rows = data.get(table_name, [])
        for r, row in enumerate(rows, start=2):
            for offset, value in enumerate(row):
                ws.cell(r, first + offset, value)
        last = get_column_letter(first + len(TABLE_COLUMNS[table_name]) - 1)
        table.ref = f"{get_column_letter(first)}1:{last}{max(2, len(rows) + 1)}"
    wb["Report"]["B2"] = td.REPORT_MONTH


@pytest.fixture(scope="module")
def data():
    return td.make_data()


@pytest.fixture(scope="module")
def recalculated(data, tmp_path_factory):
    """{(scenario, template): workbook with LibreOffice's values}, from one soffice call."""
    folder = tmp_path_factory.mktemp("native")
    paths = {}
    for scenario in SCENARIOS:
        for name in TEMPLATE_NAMES:
            wb = build_template(name, "en", native=True)
            fill_inputs(wb, name, data if scenario == "data" else {})
            paths[scenario, name] = folder / f"{scenario}_{name}.xlsx"
            wb.save(paths[scenario, name])
    copies = recalculate(list(paths.values()), folder / "recalculated")
    return {key: load_workbook(copy, data_only=True) for key, copy in zip(paths, copies,
                                                                          strict=True)}


@pytest.fixture(scope="module")
def tables(data):
    return {scenario: td.frames(data if scenario == "data" else {t: [] for t in data})
            for scenario in SCENARIOS}


def values(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    block = wb[sheet][ref.replace("$", "")]
    if not isinstance(block, tuple):
        return block.value
    return [cell.value for row in block for cell in row]


def same(got, expected):
    """Equal to 1e-9, or the same Excel error (one of them, when several are possible)."""
    if isinstance(expected, frozenset):
        return got in expected
    if isinstance(expected, str) or isinstance(got, str):
        return got == expected
    return got is not None and math.isclose(got, expected, rel_tol=0, abs_tol=TOLERANCE)


def test_the_data_set_exercises_every_movement_and_bucket(tables):
    for month in (td.REPORT_MONTH, pd.Timestamp(td.REPORT_MONTH) - pd.DateOffset(months=1)):
        kpis = td.expected_kpis(tables["data"], month)
        for key in ("new", "expansion", "contraction", "churned", "reactivation",
                    "customers_new", "customers_lost", "ar_current", "ar_1_30", "ar_31_60",
                    "ar_61_90", "ar_over_90"):
            assert kpis[key] > 0, (month, key)
        assert not any(isinstance(v, str) for v in kpis.values()), month
        assert 0 < kpis["repeat_purchase_rate"] < 1


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_kpi_cells_equal_python(name, scenario, recalculated, tables):
    wb = recalculated[scenario, name]
    expected = td.expected_kpis(tables[scenario], td.REPORT_MONTH)
    wrong = {
        key: (values(wb, f"kpi_{key}"), expected[key])
        for key in TEMPLATE_KPIS[name]
        if not same(values(wb, f"kpi_{key}"), expected[key])
    }
    assert not wrong


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_prior_month_and_trend_equal_python(scenario, recalculated, tables):
    wb = recalculated[scenario, "monthly_kpi_report"]
    prior_month = pd.Timestamp(td.REPORT_MONTH) - pd.DateOffset(months=1)
    prior = td.expected_kpis(tables[scenario], prior_month)
    wrong = {
        key: (values(wb, f"prior_{key}"), prior[key])
        for key in TEMPLATE_KPIS["monthly_kpi_report"]
        if not same(values(wb, f"prior_{key}"), prior[key])
    }
    months = values(wb, "trend_month")
    assert [pd.Timestamp(m) for m in months] == list(
        pd.date_range(end=td.REPORT_MONTH, periods=12, freq="MS")
    )
    for month, row in zip(months, zip(*(values(wb, f"trend_{k}") for k in TREND_KEYS),
                                      strict=True), strict=True):
        expected = td.expected_kpis(tables[scenario], month)
        for key, got in zip(TREND_KEYS, row, strict=True):
            if not same(got, expected[key]):
                wrong[f"trend {month:%Y-%m} {key}"] = (got, expected[key])
    assert not wrong


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", ["monthly_kpi_report", "nps_survey"])
def test_nps_distribution_equals_python(name, scenario, recalculated, tables):
    got = values(recalculated[scenario, name], "nps_distribution")
    assert got == td.expected_nps_distribution(tables[scenario], td.REPORT_MONTH)


def test_nps_breakdown_sums_the_distribution(recalculated):
    ws = recalculated["data", "nps_survey"]["Report"]
    counts = values(recalculated["data", "nps_survey"], "nps_distribution")
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    assert ws.cell(rows["Promoters (9-10)"], 2).value == sum(counts[9:])
    assert ws.cell(rows["Detractors (0-6)"], 2).value == sum(counts[:7])
    shares = [ws.cell(rows[k], 3).value for k in ("Promoters (9-10)", "Passives (7-8)",
                                                 "Detractors (0-6)")]
    assert math.isclose(sum(shares), 1, abs_tol=TOLERANCE)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cohort_table_equals_python(scenario, recalculated, tables):
    cells = values(recalculated[scenario, "cohort_retention"], "cohort_table")
    grid = [cells[i * 25 : (i + 1) * 25] for i in range(25)]
    assert grid[0][1:] == list(range(24))
    expected = td.expected_cohorts(tables[scenario], td.REPORT_MONTH)
    filled = 0
    for row, (cohort, shares) in zip(grid[1:], expected, strict=True):
        assert pd.Timestamp(row[0]) == cohort
        for age, (got, share) in enumerate(zip(row[1:], shares, strict=True)):
            if share is None:
                assert got in (None, ""), (cohort, age, got)
            else:
                filled += 1
                assert same(got, share), (cohort, age, got, share)
    assert filled > 0 if scenario == "data" else filled == 0


def test_every_committed_template_converts_to_pdf(tmp_path):
    paths = [template_path(name, lang) for lang in LANGUAGES for name in TEMPLATE_NAMES]
    renamed = []
    for path in paths:
        copy = tmp_path / f"{path.parent.name}_{path.name}"
        copy.write_bytes(path.read_bytes())
        renamed.append(copy)
    pdfs = convert(renamed, tmp_path / "pdf", "pdf")
    assert all(pdf.read_bytes().startswith(b"%PDF") for pdf in pdfs)
