"""The committed templates: generated, complete, and laid out as the report contract says
(:mod:`csmetrics.report.layout` and the KPI catalogue :mod:`csmetrics.kpis`).

The batch filler relies on these names and tables; LibreOffice checks of the numbers are in
``test_templates_libreoffice.py``.
"""

import datetime as dt
import math
import re

import pytest
from openpyxl import load_workbook
from openpyxl.formula import Tokenizer
from openpyxl.utils import FORMULAE, get_column_letter, quote_sheetname
from openpyxl.worksheet.formula import ArrayFormula
from workbook_fingerprint import fingerprint

from csmetrics.kpis import KPI_BY_KEY, KPIS
from csmetrics.report.labels import label, sheet_name
from csmetrics.report.printing import CM_PER_ROW
from udfs.registry import REGISTRY
from workbook_templates import (
    LANGUAGES,
    REVENUE_COHORT_NAME,
    TABLE_COLUMNS,
    TEMPLATE_KPIS,
    TEMPLATE_NAMES,
    TEMPLATE_TABLES,
    TOP_LISTS,
    TREND_KEYS,
    template_path,
)
from workbook_templates import formulas as fx
from workbook_templates.build_templates import build_template, save_stable

MONTH_FORMAT = "yyyy-mm"
"""The number format of every month cell (written out: the test does not take the
templates' own constant)."""
TREND_MONTHS = 12
COHORT_TABLE_SIZE = 25
"""The cohort grids: a header row and column, 24 cohorts by 24 months of age."""
ALL = [(name, lang) for lang in LANGUAGES for name in TEMPLATE_NAMES]
CONTRACT_TREND_KEYS = {
    "mrr_end", "new", "expansion", "contraction", "churned", "reactivation", "crr",
    "logo_churn", "nrr", "grr", "nps", "arpa", "arr", "net_new_mrr",
}
# Arity (least, most arguments) of every add-in function, from the UDF registry.
ARITY = {
    udf.excel_name: (sum(not a.optional for a in udf.args), len(udf.args)) for udf in REGISTRY
}
# The number format of each kind as the report contract states it (written out here, not
# read from the generator, so a changed format in the code fails).
UNIT_WORDS = {"en": ("days", "months"), "fr": ("jours", "mois"), "ro": ("zile", "luni")}
"""Days and months in each language (issue 11: DSO in days, CAC payback in months)."""
CONTRACT_FORMATS = {
    "percent": "0.0%", "money": "#,##0.00", "count": "#,##0", "days": '0.0" {days}"',
    "months": '0.0" {months}"', "ratio": '0.00"x"', "score": "0.0",
}
CONTRACT_CHANGE_FORMATS = {
    "percent": '+0.0" pp";-0.0" pp";0.0" pp"', "money": "+#,##0.00;-#,##0.00;0.00",
    "count": "+#,##0;-#,##0;0", "days": '+0.0" {days}";-0.0" {days}";0.0" {days}"',
    "months": '+0.0" {months}";-0.0" {months}";0.0" {months}"',
    "ratio": '+0.00"x";-0.00"x";0.00"x"', "score": "+0.0;-0.0;0.0",
}
"""Changes are signed; a rate's change is in percentage points; days, months and ratios
carry their unit in the template's language (money gets its currency when filled)."""


def contract_format(kind, lang, formats=CONTRACT_FORMATS):
    """The contract's format of ``kind`` with the unit words of ``lang``."""
    days, months = UNIT_WORDS[lang]
    return formats[kind].format(days=days, months=months)
HEADLINE = ("mrr_end", "arr", "net_new_mrr", "nrr_12m", "logo_churn", "nps")
"""The headline strip of the monthly report, as issue 11 asks for it."""
CS_FUNCTIONS = set(ARITY)
COHORT_TABLES = ("cohort_table", REVENUE_COHORT_NAME)
COHORT_TITLES = ("section_cohorts", "section_revenue_cohorts")
"""The logo and revenue triangles of the cohort report, both 25 x 25."""
FILLED_PREFIXES = ("kpi_", "prior_", "trend_", "nps_distribution", *COHORT_TABLES)


@pytest.fixture(scope="module")
def committed():
    return {key: load_workbook(template_path(*key)) for key in ALL}


def cells_of(wb, name):
    """The cells a defined name points to, row by row."""
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    block = wb[sheet][ref.replace("$", "")]
    return [[block]] if not isinstance(block, tuple) else [list(r) for r in block]


def formula_text(cell):
    value = cell.value
    return value.text if isinstance(value, ArrayFormula) else value


def all_formulas(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = formula_text(cell)
                if isinstance(text, str) and text.startswith("="):
                    yield ws.title, cell, text


# --- generated, not hand-edited --------------------------------------------------------------


@pytest.mark.parametrize("name, lang", ALL)
def test_committed_template_is_what_the_generator_makes(name, lang, committed, tmp_path):
    fresh = tmp_path / "fresh.xlsx"
    build_template(name, lang).save(fresh)
    assert fingerprint(committed[name, lang]) == fingerprint(load_workbook(fresh)), (
        f"{template_path(name, lang)} differs from build_templates.py: run `make templates`"
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda wb: wb["Report"].cell(9, 2, 0),
        lambda wb: setattr(wb["Report"]["B9"], "number_format", "0.00"),
        lambda wb: setattr(wb["Inputs"].tables["MrrData"], "ref", "A1:D3"),
        lambda wb: wb.defined_names.pop("kpi_crr"),
        lambda wb: wb["Report"]._charts.pop(),
        lambda wb: setattr(wb["Definitions"]["C9"], "value", "edited by hand"),
        lambda wb: setattr(wb["Report"].page_setup, "orientation", "portrait"),
    ],
    ids=["value", "format", "table", "name", "chart", "definition", "print"],
)
def test_fingerprint_sees_a_hand_edit(edit):
    path = template_path("monthly_kpi_report", "en")
    edited = load_workbook(path)
    edit(edited)
    assert fingerprint(edited) != fingerprint(load_workbook(path))


# --- the contract: sheets, names, tables, formats --------------------------------------------


@pytest.mark.parametrize("name, lang", ALL)
def test_sheets(name, lang, committed):
    wb = committed[name, lang]
    start, report, calc = (sheet_name(key, lang) for key in ("start", "report", "calc"))
    assert wb.sheetnames[:2] == [start, report] and wb.active.title == start
    expected = {start, report, sheet_name("inputs", lang), sheet_name("definitions", lang)} | (
        {sheet_name("trend", lang)} if name == "monthly_kpi_report" else set())
    assert expected <= set(wb.sheetnames) <= expected | {calc}
    if calc in wb.sheetnames:
        assert wb[calc].sheet_state == "hidden"
    start = [row[0] for row in wb[start].iter_rows(values_only=True) if row[0]]
    assert start[0] == label("start_title", lang)
    assert any("#NAME?" in text for text in start)
    assert any("csmetrics report" in text for text in start)
    assert any("xlwings addin install" in text for text in start)
    assert any("20000" in text and "--max-input-rows N" in text for text in start)
    assert label(f"title_{name}", lang) in start[1]


@pytest.mark.parametrize("name, lang", ALL)
def test_report_month_and_segment(name, lang, committed):
    wb = committed[name, lang]
    [[month]] = cells_of(wb, "report_month")
    [[segment]] = cells_of(wb, "report_segment")
    assert month.parent.title == segment.parent.title == sheet_name("report", lang)
    assert isinstance(month.value, dt.datetime) and month.value.day == 1
    assert month.number_format == MONTH_FORMAT
    assert isinstance(segment.value, str)


@pytest.mark.parametrize("name, lang", ALL)
def test_each_kpi_is_one_named_cell_formatted_by_kind(name, lang, committed):
    wb = committed[name, lang]
    kpi_names = {n for n in wb.defined_names if n.startswith("kpi_")}
    assert kpi_names == {f"kpi_{key}" for key in TEMPLATE_KPIS[name]}
    for key in TEMPLATE_KPIS[name]:
        [[cell]] = cells_of(wb, f"kpi_{key}")
        assert cell.parent.title == sheet_name("report", lang)
        assert cell.number_format == contract_format(KPI_BY_KEY[key].kind, lang), key


def test_every_formula_is_shown_by_a_template_and_so_checked_by_libreoffice():
    shown = {key for keys in TEMPLATE_KPIS.values() for key in keys}
    assert set(fx.NATIVE_FORMULAS) == set(fx.LIVE_FORMULAS) == shown
    with pytest.raises(KeyError, match="no template formula for KPI 'mrr_churn'"):
        fx.formula("mrr_churn", fx.LIVE, "report_month", {})


def test_template_kpis_are_contract_keys():
    known = {kpi.key for kpi in KPIS}
    for name, keys in TEMPLATE_KPIS.items():
        assert set(keys) <= known, name
        assert len(set(keys)) == len(keys), name
        for mode in fx.MODES:
            for key in keys:
                assert set(fx.dependencies(key, mode)) <= set(keys), (name, key, mode)


SHOWN_DECIMALS = {"percent": 1, "money": 2, "count": 0, "days": 1, "months": 1, "ratio": 2,
                  "score": 1}
"""Decimals a change of each kind shows: one that rounds to zero there is written 0 (never
a negative zero, "-0.0 months")."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_monthly_report_prior_change_and_trend(lang, committed):
    wb = committed["monthly_kpi_report", lang]
    for key in TEMPLATE_KPIS["monthly_kpi_report"]:
        [[current]] = cells_of(wb, f"kpi_{key}")
        [[prior]] = cells_of(wb, f"prior_{key}")
        assert prior.row == current.row and prior.column == current.column + 1
        assert prior.number_format == current.number_format
        change = prior.parent.cell(prior.row, prior.column + 1)
        c, p = current.coordinate, prior.coordinate
        points = "*100" if KPI_BY_KEY[key].kind == "percent" else ""
        change_of = f"({c}-{p}){points}"
        decimals = SHOWN_DECIMALS[KPI_BY_KEY[key].kind]
        assert change.value == (f'=IF(OR({c}="",{p}=""),"",'
                                f'IF(ROUND({change_of},{decimals})=0,0,{change_of}))')
        assert change.number_format == contract_format(KPI_BY_KEY[key].kind, lang,
                                                       CONTRACT_CHANGE_FORMATS)
    months = cells_of(wb, "trend_month")
    assert len(months) == TREND_MONTHS and all(len(row) == 1 for row in months)
    assert all(row[0].number_format == MONTH_FORMAT for row in months)
    assert CONTRACT_TREND_KEYS <= set(TREND_KEYS)
    for key in TREND_KEYS:
        column = cells_of(wb, f"trend_{key}")
        assert [row[0].row for row in column] == [row[0].row for row in months], key
        kind = KPI_BY_KEY[key].kind  # a 12-month table: money in whole units
        assert {row[0].number_format for row in column} == {
            "#,##0;-#,##0" if kind == "money" else contract_format(kind, lang)
        }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_headline_strip_reads_the_kpi_cells_and_colours_changes_by_direction(lang,
                                                                                 committed):
    ws = committed["monthly_kpi_report", lang][sheet_name("report", lang)]
    [first] = [cell.row for cell in ws["A"] if cell.value == label("section_headline", lang)]
    rows = range(first + 1, first + 1 + len(HEADLINE))
    assert [ws[f"B{r}"].value for r in rows] == [f'=IF(kpi_{k}="","",kpi_{k})' for k in HEADLINE]
    assert [ws[f"C{r}"].value for r in rows] == [
        f'=IF(prior_{k}="","",prior_{k})' for k in HEADLINE
    ]
    colours = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.formula and "ISNUMBER" in rule.formula[0]:
                sign = rule.formula[0].rsplit("*", 1)[1]
                colours[str(cf.sqref), sign] = rule.dxf.font.color.rgb
    churn = rows[HEADLINE.index("logo_churn")]
    mrr = rows[HEADLINE.index("mrr_end")]
    assert colours[f"D{churn}", "-1>0)"] == colours[f"D{mrr}", "1>0)"]  # good news: green
    assert colours[f"D{churn}", "1>0)"].endswith("C00000")  # churn up: red
    assert ws[f"D{churn}"].number_format == CONTRACT_CHANGE_FORMATS["percent"]
    # money in whole units: "9,966,706 EUR" fits the strip's large font once filled
    assert (ws[f"B{mrr}"].number_format, ws[f"D{mrr}"].number_format) == (
        "#,##0;-#,##0", "+#,##0;-#,##0;0;@")


@pytest.mark.parametrize("name, lang", [(name, lang) for name in (
    "monthly_kpi_report", "receivables_dso", "unit_economics") for lang in LANGUAGES])
def test_chart_value_axes_have_no_cents_and_months_fit_on_one_line(name, lang, committed):
    charts = committed[name, lang][sheet_name("report", lang)]._charts
    value_axes = {chart.title.tx.rich.p[0].r[0].t: chart.y_axis.numFmt.formatCode
                  for chart in charts if chart.y_axis.numFmt is not None}
    expected = {"monthly_kpi_report": {"chart_mrr_trend": "#,##0;-#,##0",
                                       "chart_mrr_bridge": "#,##0;-#,##0"},
                "receivables_dso": {"chart_ageing": "#,##0;-#,##0"},
                "unit_economics": {"chart_clv_cac": '0.0"x"'}}[name]
    assert value_axes == {label(key, lang): code for key, code in expected.items()}
    if name == "monthly_kpi_report":
        [trend] = [chart for chart in charts if chart.x_axis.numFmt is not None]
        assert trend.x_axis.numFmt.formatCode == "mm/yy"
        assert trend.x_axis.txPr.bodyPr.rot == 0


@pytest.mark.parametrize("name", ["monthly_kpi_report", "nps_survey"])
def test_nps_distribution_is_eleven_counts(name, committed):
    for lang in LANGUAGES:
        cells = cells_of(committed[name, lang], "nps_distribution")
        assert len(cells) == 11 and all(len(row) == 1 for row in cells)
        scores = [row[0].offset(column=-1).value for row in cells]
        assert scores == list(range(11))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cohort_table_blocks_and_colour_scales(lang, committed):
    wb = committed["cohort_retention", lang]
    ranges = []
    for name in COHORT_TABLES:
        block = cells_of(wb, name)
        assert len(block) == COHORT_TABLE_SIZE
        assert all(len(r) == COHORT_TABLE_SIZE for r in block)
        assert [cell.value for cell in block[0][1:]] == list(range(COHORT_TABLE_SIZE - 1))
        assert all(row[0].number_format == MONTH_FORMAT for row in block[1:])
        assert all(c.number_format == "0.0%" for row in block[1:] for c in row[1:])
        ranges.append(f"{block[1][1].coordinate}:{block[-1][-1].coordinate}")
    report = wb[sheet_name("report", lang)]
    assert [str(cf.sqref) for cf in report.conditional_formatting] == ranges
    assert [r.type for cf in report.conditional_formatting for r in cf.rules] == [
        "colorScale", "colorScale"
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_cohort_triangle_prints_on_two_pages_under_its_title(lang, committed):
    """The revenue triangle beside the customer triangle and its sizes, on the same rows,
    and one print range a page, left to right: the customer triangle's ages 0-12 under the
    title and the KPI block, its ages 13-23 and the cohort sizes, then the revenue
    triangle's two halves. Column A, repeated on the last three pages, holds the cohort
    months of both triangles' rows (the KPI labels above them are left out); each page's
    title is written over its own columns, not in the month column (on the right-hand
    page a title there was cut at column A's width)."""
    report = committed["cohort_retention", lang][sheet_name("report", lang)]
    logo, revenue = (cells_of(committed["cohort_retention", lang], n) for n in COHORT_TABLES)
    assert [row[0].row for row in revenue] == [row[0].row for row in logo]
    assert [row[0].column_letter for row in (logo[0], revenue[0])] == ["A", "AC"]
    assert list(report.row_breaks.brk) == []
    sheet, title, last = quote_sheetname(report.title), logo[0][0].row - 1, logo[-1][0].row
    assert report.print_area.split(",") == [
        f"{sheet}!$A$1:$N${last}", f"{sheet}!$O${title}:$AA${last}",
        f"{sheet}!$AD${title}:$AP${last}", f"{sheet}!$AQ${title}:$BA${last}"]
    merged = {str(cells) for cells in report.merged_cells.ranges}
    for key, (months, left, split, right, end) in zip(
            COHORT_TITLES, (("A", "B", "N", "O", "AA"), ("AC", "AD", "AP", "AQ", "BA")),
            strict=True):
        assert report[f"{months}{title}"].value is None
        assert report[f"{left}{title}"].value == report[f"{right}{title}"].value == label(
            key, lang)
        assert {f"{left}{title}:{split}{title}", f"{right}{title}:{end}{title}"} <= merged
        assert report[f"{left}{title}"].alignment.wrap_text
    assert report.row_dimensions[title].height >= 30  # the revenue title on two lines


@pytest.mark.parametrize("name, lang", ALL)
def test_inputs_tables(name, lang, committed):
    ws = committed[name, lang][sheet_name("inputs", lang)]
    assert list(ws.tables) == list(TEMPLATE_TABLES[name])
    previous_last = None
    for table_name in TEMPLATE_TABLES[name]:
        table = ws.tables[table_name]
        first, last = table.ref.split(":")
        assert ws[first].row == 1 and ws[last].row == 2, "header and one empty row"
        assert [c.name for c in table.tableColumns] == list(TABLE_COLUMNS[table_name])
        assert [ws.cell(1, ws[first].column + i).value for i in range(len(table.tableColumns))] \
            == list(TABLE_COLUMNS[table_name])
        if previous_last is not None:
            assert ws[first].column >= previous_last + 2, "an empty column between tables"
        previous_last = ws[last].column


@pytest.mark.parametrize("name, lang", ALL)
def test_definitions_name_every_kpi(name, lang, committed):
    ws = committed[name, lang][sheet_name("definitions", lang)]
    named = {ws.cell(row, 2).value for row in range(1, ws.max_row + 1)}
    assert {f"kpi_{key}" for key in TEMPLATE_KPIS[name]} <= named
    texts = [ws.cell(row, 3).value for row in range(5, ws.max_row + 1)]
    assert all(texts[: len(TEMPLATE_KPIS[name])])


@pytest.mark.parametrize("name, lang", ALL)
def test_print_setup_and_frozen_panes(name, lang, committed):
    for ws in committed[name, lang].worksheets:
        assert ws.page_setup.orientation == "landscape"
        if ws.title == sheet_name("trend", lang):  # two pages wide, the months on each
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.print_title_cols == "$A:$A" and ws["A1"].value is None
            assert [b.id for b in ws.col_breaks.brk] == [11]
            assert all(chart.anchor._from.col >= 1 for chart in ws._charts)
            for chart in ws._charts:  # over five columns of one page, its size theirs
                first, after = chart.anchor._from.col, chart.anchor.to.col
                assert after - first == 5 and (after <= 11 or first >= 12), (first, after)
        elif name == "cohort_retention" and ws.title == sheet_name("report", lang):
            # each triangle on two pages (ages 0-12, then 13-23) at 70 %: within A4 and Letter
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.page_setup.scale == 70
            assert ws.print_title_cols == "$A:$A"
        else:
            assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.paperSize == 9  # A4 until the filler is told --paper letter
        assert ws.print_area, ws.title
        # the Report sheet repeats no rows: the page header names report, month, segment
        assert bool(ws.print_title_rows) == (ws.title != sheet_name("report", lang)), ws.title
        assert ws.oddHeader.left.text == label(f"title_{name}", lang)
        assert ws.oddFooter.right.text == "&P / &N"
    assert committed[name, lang][sheet_name("report", lang)].freeze_panes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_chart_helper_table_is_not_printed(lang, committed):
    ws = committed["unit_economics", lang][sheet_name("report", lang)]
    [helper] = [cell.row for cell in ws["A"] if cell.value == label("chart_data", lang)]
    last_printed = int(ws.print_area.rsplit("$", 1)[1])
    assert last_printed < helper
    [clv_cac] = cells_of(committed["unit_economics", lang], "kpi_clv_cac")
    assert clv_cac[0].row <= last_printed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_monthly_report_breaks_its_pages_above_a_header(lang, committed):
    """Page 1 is the board summary; each later part starts a page under its header."""
    ws = committed["monthly_kpi_report", lang][sheet_name("report", lang)]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 3  # the KPI block on two pages, then three lists of accounts
    for row in breaks:
        assert ws.cell(row + 1, 1).value in {label("indicator", lang)} | {
            label(f"section_{name}", lang) for name in TOP_LISTS["monthly_kpi_report"]}, row
    [summary] = [cell.row for cell in ws["A"] if cell.value == label("section_summary", lang)]
    assert summary < breaks[0]


# --- live formulas ---------------------------------------------------------------------------


def named_formula_cells(wb):
    """(name, cell) of every cell under a name the filler fills (kpi_, prior_, trend_ ...)."""
    for name in wb.defined_names:
        if name.startswith(FILLED_PREFIXES):
            for row in cells_of(wb, name):
                for cell in row:
                    yield name, cell


@pytest.mark.parametrize("name, lang", ALL)
def test_live_kpi_cells_use_the_add_in(name, lang, committed):
    wb = committed[name, lang]
    calc = fx.calc_sheet(lang) + "!"
    for defined, cell in named_formula_cells(wb):
        key = defined.split("_", 1)[1]
        if defined.startswith(("kpi_", "prior_", "trend_")) and key in KPI_BY_KEY:
            text = formula_text(cell)
            assert text.startswith("="), defined
            if key in fx.AGGREGATE_KEYS:
                assert "CS_" not in text, defined
            else:
                assert "CS_" in text or calc in text, (defined, text)
    for table, column in zip(COHORT_TABLES, fx.CALC_COHORT_COLUMNS.values(), strict=True):
        cohort_values = [c for row in cells_of(wb, table)[1:] for c in row[1:]] \
            if table in wb.defined_names else []
        block = f"{calc}${get_column_letter(column + 1)}$2:"
        assert all(block in formula_text(c) for c in cohort_values), table


@pytest.mark.parametrize("name, lang", ALL)
def test_every_add_in_formula_is_in_a_filled_cell_or_on_calc(name, lang, committed):
    """The filler writes values into the named cells and deletes Calc: no CS_ survives."""
    wb = committed[name, lang]
    filled = {(cell.parent.title, cell.coordinate) for _, cell in named_formula_cells(wb)}
    calc = sheet_name("calc", lang)
    for sheet, cell, text in all_formulas(wb):
        if sheet != calc and ("CS_" in text or fx.calc_sheet(lang) + "!" in text):
            assert (sheet, cell.coordinate) in filled, (sheet, cell.coordinate, text)


@pytest.mark.parametrize("name, lang", ALL)
def test_formulas_are_well_formed_and_reference_what_exists(name, lang, committed):
    wb = committed[name, lang]
    tables = set(TEMPLATE_TABLES[name])
    for sheet, cell, text in all_formulas(wb):
        Tokenizer(text)
        assert text.count("(") == text.count(")"), (sheet, cell.coordinate)
        for table, column in re.findall(r"(\w+)\[(\w+)\]", text):
            assert table in tables and column in TABLE_COLUMNS[table], (sheet, text)
        assert set(re.findall(r"\bCS_\w+", text)) <= CS_FUNCTIONS, text
        functions = set(re.findall(r"\b([A-Z][A-Z0-9.]*)\(", text))
        assert functions - CS_FUNCTIONS <= FORMULAE, (text, functions - FORMULAE)
        if 'IF((SurveyData' in text:
            assert isinstance(cell.value, ArrayFormula), (sheet, cell.coordinate)
        for used in re.findall(r"\b(report_month|report_segment)\b", text):
            assert used in wb.defined_names


def add_in_calls(text):
    """(function name, number of arguments) of every CS_ call in a formula."""
    calls, stack = [], []
    for token in Tokenizer(text).items:
        if token.type == "FUNC" and token.subtype == "OPEN":
            if stack:
                stack[-1][2] = True
            stack.append([token.value[:-1], 0, False])
        elif token.type == "FUNC" and token.subtype == "CLOSE":
            name, separators, has_argument = stack.pop()
            if name.startswith("CS_"):
                calls.append((name, separators + 1 if has_argument else 0))
        elif stack and token.type == "SEP" and token.subtype == "ARG":
            stack[-1][1] += 1
        elif stack:
            stack[-1][2] = True
    return calls


@pytest.mark.parametrize("name, lang", ALL)
def test_add_in_calls_have_the_registry_arity(name, lang, committed):
    calls = [call for _, _, text in all_formulas(committed[name, lang])
             for call in add_in_calls(text)]
    assert calls
    for function, count in calls:
        least, most = ARITY[function]
        assert least <= count <= most, (function, count)


def test_add_in_calls_are_parsed():
    assert add_in_calls("=CS_NRR(B1,B2,SUM(B3,B4),B5)+CS_ARPA(B1,B2)") == [
        ("CS_NRR", 4), ("CS_ARPA", 2)
    ]
    assert add_in_calls("=CS_NPS(IF(A1:A3>0,A1:A3,\"\"))") == [("CS_NPS", 1)]


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_native_variant_has_no_add_in_and_no_new_functions(name):
    wb = build_template(name, "en", native=True)
    for sheet, cell, text in all_formulas(wb):
        assert not re.search(r"CS_|XLOOKUP|LET\(|LAMBDA|FILTER|_xlfn", text), (sheet, text)
        assert not isinstance(cell.value, ArrayFormula), (sheet, cell.coordinate)


def test_template_path_rejects_unknown_names():
    with pytest.raises(KeyError, match="unknown template 'sales'"):
        template_path("sales")
    with pytest.raises(KeyError, match="unknown language 'de'"):
        template_path("nps_survey", "de")
    with pytest.raises(KeyError, match="unknown template"):
        build_template("sales", "en")


def test_generation_is_byte_stable(tmp_path):
    """Building a template twice gives the same bytes: `make templates` changes no file
    whose content did not change."""
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    save_stable(build_template("unit_economics", "ro"), first)
    save_stable(build_template("unit_economics", "ro"), second)
    assert first.read_bytes() == second.read_bytes()


CHARACTERS_PER_WIDTH = 1.1
"""Characters of 11-point text a unit of column width holds, about (bold: one less in
ten): the estimate the printed pages were checked against, by eye and by pdftotext."""


def _fits(text, width, lines=1, bold=False):
    per_line = width * CHARACTERS_PER_WIDTH * (0.9 if bold else 1.0)
    return (max(len(word) for word in text.split()) <= per_line
            and len(text) <= per_line * lines)


@pytest.mark.parametrize("name, lang", ALL)
def test_every_header_and_row_label_fits_its_column(name, lang, committed):
    """A table header shows whole in its column (a wrapped header gets no taller row), and
    a row label beside a value fits its column or wraps in a row tall enough."""
    workbook = committed[name, lang]
    for key in ("report", "trend"):
        if sheet_name(key, lang) not in workbook.sheetnames:
            continue
        ws = workbook[sheet_name(key, lang)]
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or cell.value.startswith("="):
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                height = ws.row_dimensions[cell.row].height or 15
                lines = max(1, int(height // 15))
                overflows = (not cell.alignment.wrap_text and cell.alignment.horizontal == "left"
                             and ws.cell(cell.row, cell.column + 1).value is None)
                if cell.fill.fgColor.rgb == "001F3864" and not overflows:  # a header
                    assert _fits(cell.value, width, lines, bold=True), (
                        ws.title, cell.coordinate, cell.value, width)
                elif cell.column == 1 and ws.cell(cell.row, 2).value is not None:
                    assert _fits(cell.value, width, lines if cell.alignment.wrap_text else 1,
                                 bold=bool(cell.font.b)), (ws.title, cell.coordinate,
                                                           cell.value, width)


EMU_PER_CM = 360_000


@pytest.mark.parametrize("name, lang", ALL)
def test_no_chart_covers_the_notes_or_a_table(name, lang, committed):
    """Each chart of the Report sheet lies beside or below the cells a reader reads: no
    note, KPI or list cell under it (the notes ran under the NPS chart)."""
    ws = committed[name, lang][sheet_name("report", lang)]
    for chart in ws._charts:
        row, column = chart.anchor._from.row + 1, chart.anchor._from.col + 1
        last_row = row + math.ceil(chart.anchor.ext.height / EMU_PER_CM / CM_PER_ROW) - 1
        covered = [cell.coordinate for line in ws.iter_rows(min_row=row, max_row=last_row,
                                                            min_col=column)
                   for cell in line if cell.value is not None or cell.fill.fgColor.rgb not in (
                       "00000000", None)]
        assert covered == [], (row, column, covered[:5])
        chart_left = _left_edge(ws, column)
        running_under = [
            cell.coordinate for line in ws.iter_rows(min_row=row, max_row=last_row,
                                                     max_col=column - 1)
            for cell in line if isinstance(cell.value, str) and not cell.value.startswith("=")
            and not cell.alignment.wrap_text
            and _left_edge(ws, cell.column) + len(cell.value) / CHARACTERS_PER_WIDTH > chart_left]
        assert running_under == [], (row, column, running_under[:5])


def _left_edge(ws, column):
    """Units of column width left of ``column``."""
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
               for c in range(1, column))
