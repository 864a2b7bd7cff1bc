"""The native template formulas and the Audit formulas, evaluated on the CPU with the
``formulas`` package, equal the core's numbers on the template test data (answers right at
the NPS and CSAT cut-offs, a Trend month without NPS answers, the empty data set's zero
denominators). LibreOffice, in ``test_templates_libreoffice.py``, is the second and
independent spreadsheet; this check runs in seconds and needs no office suite.
"""

import datetime as dt
import math

import pandas as pd
import pytest
import template_data as td
from cpu_formulas import VirtualSheet, serial
from test_report_revenue_cohorts import HAND_WORKED as REVENUE_HAND_WORKED
from test_tables_annual import EXPECTED as HAND_WORKED
from test_tables_annual import tape

from csmetrics import monthly_metrics
from csmetrics.report.audit import movement_words
from csmetrics.report.audit_checks import (
    CHECKS,
    COHORT_FORMULAS,
    MOVEMENT_COLUMNS,
    MOVEMENT_FORMULAS,
    REVENUE_COHORT_CHECKS,
    REVENUE_COHORT_COLUMNS,
    YEAR_CHECKS,
    revenue_cohort_values,
)
from csmetrics.report.layout import TABLE_COLUMNS, TEMPLATE_KPIS
from csmetrics.report.selection import year_ago_cohort
from csmetrics.tables.cohorts import cohort_retention, cohort_sizes
from workbook_templates import formulas as fx

SHOWN = tuple(dict.fromkeys(key for keys in TEMPLATE_KPIS.values() for key in keys))
CALC_BLOCK_KEYS = {"dso_countback"}
"""Native formulas over a Calc helper block (the countback months): left to LibreOffice."""
MONTHS = (td.REPORT_MONTH, dt.date(2025, 1, 1), td.NO_NPS_MONTH)
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def data():
    return td.make_data()


@pytest.fixture(scope="module")
def engine(data, tmp_path_factory):
    return td.engine_results(data, tmp_path_factory.mktemp("engine"))[0]


def agrees(got, expected, tolerance=TOLERANCE):
    """Equal within ``tolerance``; an undefined engine value (NaN) must be an error."""
    if pd.isna(expected):
        return isinstance(got, float) and math.isnan(got)
    return isinstance(got, float) and abs(got - expected) <= tolerance


def native_values(sheet, month):
    """Every shown KPI's native formula evaluated for ``month``, dependencies first."""
    month_cell = sheet.cell(serial(month))
    cells, values = {}, {}

    def visit(key):
        if key in values:
            return
        for needed in fx.dependencies(key, fx.NATIVE):
            visit(needed)
        values[key] = sheet.evaluate(fx.formula(key, fx.NATIVE, month_cell, cells))
        cells[key] = sheet.cell(values[key])

    for key in SHOWN:
        if key not in CALC_BLOCK_KEYS:
            visit(key)
    return values


@pytest.mark.parametrize("month", MONTHS, ids=str)
def test_native_template_formulas_equal_the_core(data, engine, month):
    values = native_values(VirtualSheet(data), month)
    row = engine.loc[pd.Timestamp(month)]
    wrong = {k: (v, row[k]) for k, v in values.items() if not agrees(v, row[k])}
    assert not wrong


def test_the_data_has_answers_at_every_cut_off_and_a_month_without_nps(data, engine):
    for month in td.CUT_OFF_MONTHS:
        counts = td.nps_distribution(data, month)
        assert all(counts[score] > 0 for score in (6, 7, 8, 9)), month
    assert math.isnan(engine.loc[pd.Timestamp(td.NO_NPS_MONTH), "nps"])


def test_empty_inputs_give_errors_where_the_core_has_zero_denominators():
    values = native_values(VirtualSheet({}), td.REPORT_MONTH)
    ratios = {"crr", "logo_churn", "grr", "nrr", "arpa", "logo_quick_ratio", "nps", "csat",
              "fcr", "return_rate", "dso", "cac"}
    assert all(math.isnan(values[key]) for key in ratios), values
    assert values["mrr_end"] == 0 and values["customers_new"] == 0


# --- the Audit sheet ---------------------------------------------------------------------------


def audit_values(sheet, data, month):
    """Every Audit check's formula evaluated for ``month``, over a movements block."""
    first = pd.Timestamp(month)
    dates = {
        "month": first, "prior_month": first - pd.DateOffset(months=1),
        "next_month": first + pd.DateOffset(months=1),
    }
    refs = {name: sheet.cell(serial(day.date())) for name, day in dates.items()}
    refs["month_end"] = sheet.cell(serial((dates["next_month"] - pd.Timedelta(days=1)).date()))
    refs["days"] = sheet.cell(float((dates["next_month"] - first).days))
    refs["year_ago"] = sheet.cell(serial((first - pd.DateOffset(months=12)).date()))
    for structured, ref in sheet.columns.items():
        table, column = structured[:-1].split("[")
        refs.setdefault(table, {})[column] = ref
    refs["code"] = movement_words("en")
    refs["Movements"] = movements_block(sheet, data, month, refs)
    refs["Cohort"] = cohort_block(sheet, data, month, refs)
    values = {}
    pending = list(CHECKS)
    while pending:  # a check may refer to another's result: evaluate it after that one
        missing = {}
        for check in pending:
            try:
                formula = check.formula.format_map(refs)
            except KeyError as unknown:
                missing[check.key] = unknown.args[0]
                continue
            values[check.key] = sheet.evaluate(formula)
            refs[check.key] = sheet.cell(values[check.key])
        if len(missing) == len(pending):
            raise AssertionError(f"Audit checks refer to names nothing defines: {missing}")
        pending = [check for check in pending if check.key in missing]
    return values


BLOCK_LETTERS = {name: f"${letter}" for letter, (name, _) in zip("ABCDEFG", MOVEMENT_COLUMNS,
                                                                 strict=True)}
"""The block's column letters (``{at[previous]}``); single-currency data: no fx column."""


def row_formula(sheet, formula, refs, cells):
    """A block row's formula evaluated, its ``$A{row}``-style references to the row's
    cells (``{"A": value}``) replaced by cells holding their values."""
    text = formula.format_map({**refs, "row": 1, "at": BLOCK_LETTERS, "fx": "0"})
    for letter, value in cells.items():
        text = text.replace(f"${letter}1", sheet.cell(value))
    return sheet.evaluate(text)


def movements_block(sheet, data, month, refs):
    """The Audit's per-customer block: engine columns written, native columns evaluated."""
    movements = td.customer_movements(data, month)
    columns = {name: [] for name, _ in MOVEMENT_COLUMNS}
    for _, row in movements.iterrows():
        cells = {"A": row["customer_id"]}
        for name, source in MOVEMENT_COLUMNS:
            if source is not None:
                columns[name].append(row[source])
        for letter, name in zip("EF", ("previous", "current"), strict=True):
            cells[letter] = row_formula(sheet, MOVEMENT_FORMULAS[name], refs, cells)
            columns[name].append(cells[letter])
        columns["check"].append(row_formula(sheet, MOVEMENT_FORMULAS["check"], refs, cells))
    return {**{name: sheet.block(values) for name, values in columns.items()}, "fx": "0"}


def cohort_block(sheet, data, month, refs):
    """The Audit's block of the customers paying 12 months earlier, evaluated (with the
    columns of the cohort report's revenue checks)."""
    mrr = mrr_frame(data)
    cohort = year_ago_cohort(mrr, pd.Period(month, "M"))["customer_id"].tolist()
    columns = {"customer_id": cohort or [""]}
    for name, _source in REVENUE_COHORT_COLUMNS[1:]:
        columns[name] = [row_formula(sheet, COHORT_FORMULAS[name], refs, {"A": customer})
                         for customer in columns["customer_id"]]
    return {name: sheet.block(values) for name, values in columns.items()}


def mrr_frame(data):
    """The MrrData rows as the engine reads them (months as periods)."""
    mrr = pd.DataFrame(data.get("MrrData", []), columns=TABLE_COLUMNS["MrrData"])
    mrr["month"] = pd.PeriodIndex(pd.to_datetime(mrr["month"]), freq="M")
    return mrr


def revenue_values(data, month):
    """The engine's numbers of the revenue-triangle checks for a report of ``month``."""
    month = pd.Period(month, "M")
    mrr = mrr_frame(data)
    mrr = mrr.loc[mrr["month"] <= month]
    return revenue_cohort_values(cohort_retention(mrr, mode="revenue"), cohort_sizes(mrr),
                                 month)


@pytest.mark.parametrize("month", MONTHS[:2], ids=str)
def test_audit_formulas_equal_the_core(data, engine, month):
    values = audit_values(VirtualSheet(data), data, month)
    row = engine.loc[pd.Timestamp(month)]
    counts = td.nps_distribution(data, month)
    revenue = revenue_values(data, month)
    wrong = {}
    for check in CHECKS:
        if check.engine is None:
            expected = 0.0
        elif check.engine.startswith("nps_") and check.engine[4:].isdigit():
            expected = counts[int(check.engine[4:])]
        elif check.engine in revenue:
            expected = revenue[check.engine]
        else:
            expected = row[check.engine]
        if not agrees(values[check.key], expected, check.tolerance):
            wrong[check.key] = (values[check.key], expected)
    assert not wrong


# --- the 12-month checks on the hand-worked tape of test_tables_annual.py -----------------------


@pytest.fixture(scope="module")
def hand_tape():
    rows = tape()
    data = {"MrrData": [
        (customer, pd.Period(month, "M").start_time.date(), float(mrr), segment)
        for customer, month, mrr, segment in rows.itertuples(index=False)
    ]}
    return data, monthly_metrics(rows).set_index("month")


YEAR_KEYS = [c.key for c in YEAR_CHECKS if c.engine] + ["arr", "net_new_mrr"]


@pytest.mark.parametrize("position, month", list(enumerate(["2024-12", "2025-01", "2025-02"])))
def test_the_year_checks_give_the_hand_worked_figures(hand_tape, position, month):
    data, engine = hand_tape
    values = audit_values(VirtualSheet(data), data, pd.Period(month, "M").start_time.date())
    assert values["cohort_difference"] == 0
    revenue = REVENUE_HAND_WORKED.get(month, (math.nan,) * len(REVENUE_COHORT_CHECKS))
    for check, expected in zip(REVENUE_COHORT_CHECKS, revenue, strict=True):
        assert agrees(values[check.key], expected), check.key
    for key in YEAR_KEYS:
        assert agrees(values[key], HAND_WORKED[key][position]), key
        assert agrees(values[key], engine.loc[pd.Period(month, "M"), key]), key
