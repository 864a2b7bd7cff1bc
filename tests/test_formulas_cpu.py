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

from csmetrics.report.audit import movement_words
from csmetrics.report.audit_checks import CHECKS, MOVEMENT_COLUMNS, MOVEMENT_FORMULAS
from csmetrics.report.layout import TEMPLATE_KPIS
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
    for structured, ref in sheet.columns.items():
        table, column = structured[:-1].split("[")
        refs.setdefault(table, {})[column] = ref
    refs["code"] = movement_words("en")
    refs["Movements"] = movements_block(sheet, data, month, refs)
    values = {}
    pending = list(CHECKS)
    while pending:
        check = pending.pop(0)
        try:
            formula = check.formula.format_map(refs)
        except KeyError:
            pending.append(check)
            continue
        values[check.key] = sheet.evaluate(formula)
        refs[check.key] = sheet.cell(values[check.key])
    return values


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
            formula = MOVEMENT_FORMULAS[name].format_map({**refs, "row": 1})
            formula = formula.replace("$A1", sheet.cell(cells["A"]))
            cells[letter] = sheet.evaluate(formula)
            columns[name].append(cells[letter])
        check = MOVEMENT_FORMULAS["check"].format_map({**refs, "row": 1})
        for letter in "AEF":
            check = check.replace(f"${letter}1", sheet.cell(cells[letter]))
        columns["check"].append(sheet.evaluate(check))
    return {name: sheet.block(values) for name, values in columns.items()}


@pytest.mark.parametrize("month", MONTHS[:2], ids=str)
def test_audit_formulas_equal_the_core(data, engine, month):
    values = audit_values(VirtualSheet(data), data, month)
    row = engine.loc[pd.Timestamp(month)]
    counts = td.nps_distribution(data, month)
    wrong = {}
    for check in CHECKS:
        if check.engine is None:
            expected = 0.0
        elif check.engine.startswith("nps_") and check.engine[4:].isdigit():
            expected = counts[int(check.engine[4:])]
        else:
            expected = row[check.engine]
        if not agrees(values[check.key], expected, check.tolerance):
            wrong[check.key] = (values[check.key], expected)
    assert not wrong
