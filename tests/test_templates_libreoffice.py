"""LibreOffice recomputes the native variant of every template; its numbers equal the engine's.

The native variant (``build_template(..., native=True)``) holds SUMIFS / COUNTIFS /
SUMPRODUCT / INDEX-MATCH formulas where the committed templates call the add-in. The test
fills its Inputs tables with the known data set of ``template_data.py`` (and, separately,
with nothing), lets LibreOffice recalculate all the copies in one call, and compares every
named cell with ``csmetrics.monthly_metrics`` and ``csmetrics.cohort_retention`` on the same
rows, to 1e-9. Where the engine has no value (NaN), the spreadsheet must show an error.
"""

import datetime as dt
import math

import pandas as pd
import pytest
import template_data as td
from libreoffice import convert, recalculate, requires_libreoffice
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from csmetrics.kpis import KPI_BY_KEY
from csmetrics.report.labels import sheet_name
from csmetrics.tables.cohorts import cohort_retention
from workbook_templates import (
    LANGUAGES,
    REVENUE_COHORT_NAME,
    TABLE_COLUMNS,
    TEMPLATE_KPIS,
    TEMPLATE_NAMES,
    TEMPLATE_TABLES,
    TREND_KEYS,
    template_path,
)
from workbook_templates.build_templates import build_template
from workbook_templates.formulas import AGGREGATE_KEYS, MOVEMENT_KEYS

pytestmark = requires_libreoffice

SCENARIOS = ("data", "empty")
TRANSLATED = ("fr", "ro")
"""Languages whose native templates are also recalculated with the data: their sheets have
their own names (``'Données'``, ``'Calculs'``), which every formula must reach."""
TOLERANCE = 1e-9
PRIOR_MONTH = pd.Timestamp(td.REPORT_MONTH) - pd.DateOffset(months=1)
MONTHLY = "monthly_kpi_report"


def fill_inputs(wb, name, data, lang="en"):
    """Write the rows of each Inputs table and stretch the table over them."""
    ws = wb[sheet_name("inputs", lang)]
    for table_name in TEMPLATE_TABLES[name]:
        table = ws.tables[table_name]
        first = ws[table.ref.split(":")[0]].column
        rows = data.get(table_name, [])
        for r, row in enumerate(rows, start=2):
            for offset, value in enumerate(row):
                ws.cell(r, first + offset, value)
        last = get_column_letter(first + len(TABLE_COLUMNS[table_name]) - 1)
        table.ref = f"{get_column_letter(first)}1:{last}{max(2, len(rows) + 1)}"
    wb[sheet_name("report", lang)]["B2"] = td.REPORT_MONTH


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
    for lang in TRANSLATED:
        for name in TEMPLATE_NAMES:
            wb = build_template(name, lang, native=True)
            fill_inputs(wb, name, data, lang)
            paths[lang, name] = folder / f"{lang}_{name}.xlsx"
            wb.save(paths[lang, name])
    copies = recalculate(list(paths.values()), folder / "recalculated")
    return {
        key: load_workbook(copy, data_only=True)
        for key, copy in zip(paths, copies, strict=True)
    }


@pytest.fixture(scope="module")
def engine(data, tmp_path_factory):
    """The engine's monthly metrics and cohort table for the data set."""
    return td.engine_results(data, tmp_path_factory.mktemp("engine"))


def values(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    block = wb[sheet][ref.replace("$", "")]
    if not isinstance(block, tuple):
        return block.value
    return [cell.value for row in block for cell in row]


def is_error(value):
    return isinstance(value, str) and value.startswith("#")


def same(got, expected):
    """Equal to 1e-9; an undefined engine value (NaN) must be a spreadsheet error."""
    if pd.isna(expected):
        return is_error(got)
    return isinstance(got, int | float) and math.isclose(
        got, expected, rel_tol=0, abs_tol=TOLERANCE
    )


def mismatches(got_by_key, metrics, month):
    row = metrics.loc[pd.Timestamp(month)]
    return {
        key: (got, row[key]) for key, got in got_by_key.items() if not same(got, row[key])
    }


# --- the data set ----------------------------------------------------------------------------


def test_the_data_set_exercises_every_movement_and_bucket(engine):
    metrics, _ = engine
    for month in (pd.Timestamp(td.REPORT_MONTH), PRIOR_MONTH):
        row = metrics.loc[month]
        for key in ("new", "expansion", "contraction", "churned", "reactivation",
                    "customers_new", "customers_lost", "ar_current", "ar_1_30", "ar_31_60",
                    "ar_61_90", "ar_over_90"):
            assert row[key] > 0, (month, key)
        shown = {key for keys in TEMPLATE_KPIS.values() for key in keys}
        assert not row[sorted(shown)].isna().any(), month
        assert 0 < row["repeat_purchase_rate"] < 1


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_kpi_cells_equal_the_engine(name, recalculated, engine):
    wb = recalculated["data", name]
    got = {key: values(wb, f"kpi_{key}") for key in TEMPLATE_KPIS[name]}
    assert not mismatches(got, engine[0], td.REPORT_MONTH)


def test_ageing_buckets_equal_a_count_with_the_limits_written_out(recalculated, data):
    """The receivables template's ageing buckets at 28 Feb 2025, against a plain loop over
    the invoices with the buckets' limits written here: owed (issued by the day, not paid
    by then) and 0 days late or less, 1-30, 31-60, 61-90, over 90. The data set holds an
    open invoice exactly 0, 1, 30, 31, 60, 61, 90 and 91 days late (its amount is 100 plus
    its days late), so moving any limit by a day moves one of them to another bucket.
    Both the template and the engine take their limits from one constant; this count does
    not."""
    end = dt.date(2025, 2, 28)
    cents = [0] * 5
    for _invoice, _customer, issued, due, paid, amount in data["InvoiceData"]:
        if issued <= end and (paid is None or paid > end):
            late = (end - due).days
            bucket = 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else (
                3 if late <= 90 else 4)
            cents[bucket] += round(amount * 100)
    boundaries = {(end - row[3]).days: row[5] for row in data["InvoiceData"]
                  if row[4] is None and row[5] == 100 + (end - row[3]).days}
    assert set(boundaries) >= {0, 1, 30, 31, 60, 61, 90, 91}
    wb = recalculated["data", "receivables_dso"]
    got = [values(wb, f"kpi_{key}") for key in
           ("ar_current", "ar_1_30", "ar_31_60", "ar_61_90", "ar_over_90")]
    assert [round(value * 100) for value in got] == cents


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_french_and_romanian_sheets_recalculate_to_the_same_figures(name, lang, recalculated):
    """Every formula of a translated template finds its localised sheets: the same values
    as the English one under every name, and an error value only where it has one."""
    english, translated = recalculated["data", name], recalculated[lang, name]
    assert translated.sheetnames == [sheet_name(k, lang) for k in
                                     ("report", *(("trend",) if name == MONTHLY else ()),
                                      "inputs", "definitions",
                                      *(("calc",) if "calc" in _sheet_keys(english) else ()))]
    for defined in english.defined_names:
        assert _figures(translated, defined) == _figures(english, defined), (lang, defined)
    for ours, theirs in zip(english.worksheets, translated.worksheets, strict=True):
        assert _errors(theirs) == _errors(ours), (lang, name, theirs.title)


def _figures(wb, name):
    """The numbers and error values under a name (its texts are in the workbook's language)."""
    got = values(wb, name)
    return [v for v in (got if isinstance(got, list) else [got])
            if not isinstance(v, str) or is_error(v)]


def _errors(sheet):
    return [(c.coordinate, c.value) for row in sheet.iter_rows() for c in row
            if is_error(c.value)]


def _sheet_keys(wb):
    """The sheet keys of an English workbook, in its order."""
    keys = {sheet_name(key): key for key in ("report", "trend", "inputs", "definitions", "calc")}
    return [keys[title] for title in wb.sheetnames]


def test_prior_month_and_trend_equal_the_engine(recalculated, engine):
    metrics, _ = engine
    wb = recalculated["data", MONTHLY]
    prior = {key: values(wb, f"prior_{key}") for key in TEMPLATE_KPIS[MONTHLY]}
    wrong = mismatches(prior, metrics, PRIOR_MONTH)
    months = values(wb, "trend_month")
    assert [pd.Timestamp(m) for m in months] == list(
        pd.date_range(end=td.REPORT_MONTH, periods=12, freq="MS")
    )
    columns = {key: values(wb, f"trend_{key}") for key in TREND_KEYS}
    for index, month in enumerate(months):
        trend = {key: column[index] for key, column in columns.items()}
        wrong |= {(month, k): v for k, v in mismatches(trend, metrics, month).items()}
    assert not wrong


@pytest.mark.parametrize("name", [MONTHLY, "nps_survey"])
def test_nps_distribution_counts_the_answers(name, recalculated, data):
    got = values(recalculated["data", name], "nps_distribution")
    expected = td.nps_distribution(data, td.REPORT_MONTH)
    assert got == expected and sum(expected) > 0


def test_nps_breakdown_sums_the_distribution(recalculated):
    wb = recalculated["data", "nps_survey"]
    ws = wb["Report"]
    counts = values(wb, "nps_distribution")
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    groups = ("Promoters (9-10)", "Passives (7-8)", "Detractors (0-6)")
    assert [ws.cell(rows[g], 2).value for g in groups] == [
        sum(counts[9:]), sum(counts[7:9]), sum(counts[:7])
    ]
    assert math.isclose(sum(ws.cell(rows[g], 3).value for g in groups), 1, abs_tol=TOLERANCE)


@pytest.mark.parametrize("name, mode", [("cohort_table", "logo"),
                                        (REVENUE_COHORT_NAME, "revenue")])
def test_cohort_tables_equal_the_engine(recalculated, data, name, mode):
    cells = values(recalculated["data", "cohort_retention"], name)
    grid = [cells[i * 25 : (i + 1) * 25] for i in range(25)]
    assert grid[0][1:] == list(range(24))
    mrr = pd.DataFrame(data["MrrData"], columns=TABLE_COLUMNS["MrrData"])
    mrr["month"] = pd.PeriodIndex(pd.to_datetime(mrr["month"]), freq="M")
    cohorts = cohort_retention(mrr, mode=mode)
    filled = 0
    for row, (cohort, shares) in zip(grid[1:], td.cohort_rows(cohorts, td.REPORT_MONTH),
                                     strict=True):
        assert pd.Timestamp(row[0]) == cohort
        for age, (got, share) in enumerate(zip(row[1:], shares, strict=True)):
            if share is None:
                assert got in (None, ""), (cohort, age, got)
            else:
                filled += 1
                assert same(got, share), (cohort, age, got, share)
    assert filled > 24


# --- no data: sums are 0, ratios are Excel errors --------------------------------------------

YEAR_RATIOS = {"mrr_growth_yoy", "nrr_12m", "grr_12m", "logo_retention_12m"}
ZERO_WITHOUT_DATA = (set(MOVEMENT_KEYS) | AGGREGATE_KEYS | {"dso_countback"}) - {
    "sales_marketing_cost", "logo_churn_12m", *YEAR_RATIOS
}
DIV0_WITHOUT_DATA = {
    "crr", "logo_churn", "gross_mrr_churn", "net_mrr_churn", "expansion_rate", "grr", "nrr",
    "revenue_growth", "quick_ratio", "arpa", "nps", "nps_moe", "csat", "ces", "fcr",
    "repeat_purchase_rate", "return_rate", "dso", *YEAR_RATIOS,
}


def expected_without_data(key, got):
    if key in ZERO_WITHOUT_DATA:
        return got == 0
    if key in DIV0_WITHOUT_DATA:
        return got == "#DIV/0!"
    if key in ("sales_marketing_cost", "logo_churn_12m"):
        return got == "#N/A"  # no spend row for the month; no month with customers
    return is_error(got)  # cac, ltv, clv_cac, payback: the first error of their inputs


def test_without_data_every_sum_is_zero_and_every_ratio_an_error(recalculated):
    """Every KPI cell of every template, empty: the monthly report's kpi_, prior_ and
    trend_ names, the other templates' kpi_ names. A name missing from a template fails
    (KeyError), and the count of cells checked is written out: kpi_ cells 46 (monthly) +
    3 (NPS) + 9 (receivables) + 14 (unit economics) + 6 (cohorts) = 78, prior_ 46, trend_
    19 columns x 12 months = 228; 352 in all."""
    assert ZERO_WITHOUT_DATA | DIV0_WITHOUT_DATA | {"sales_marketing_cost"} <= set(KPI_BY_KEY)
    wrong, checked = {}, 0
    for name in TEMPLATE_NAMES:
        wb = recalculated["empty", name]
        for prefix in ("kpi_", "prior_", "trend_") if name == MONTHLY else ("kpi_",):
            for key in TEMPLATE_KPIS[name] if prefix != "trend_" else TREND_KEYS:
                got = values(wb, f"{prefix}{key}")
                for value in got if isinstance(got, list) else [got]:
                    checked += 1
                    if not expected_without_data(key, value):
                        wrong[name, prefix + key] = value
    assert not wrong
    assert checked == 352
    for table in ("cohort_table", REVENUE_COHORT_NAME):
        cells = values(recalculated["empty", "cohort_retention"], table)
        shares = [v for row in range(1, 25) for v in cells[row * 25 + 1 : (row + 1) * 25]]
        assert len(shares) == 24 * 24 and all(v in (None, "") for v in shares), table
    assert values(recalculated["empty", MONTHLY], "nps_distribution") == [0] * 11


# --- the committed templates open -----------------------------------------------------------


def test_every_committed_template_converts_to_pdf(tmp_path):
    paths = [template_path(name, lang) for lang in LANGUAGES for name in TEMPLATE_NAMES]
    renamed = []
    for path in paths:
        copy = tmp_path / f"{path.parent.name}_{path.name}"
        copy.write_bytes(path.read_bytes())
        renamed.append(copy)
    pdfs = convert(renamed, tmp_path / "pdf", "pdf")
    assert all(pdf.read_bytes().startswith(b"%PDF") for pdf in pdfs)
