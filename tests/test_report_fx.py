"""The fx_impact line of the monthly KPI report and its Audit, on the two-currency Stripe
fixture (tests/fixtures/billing: cus_E pays 100 USD, 90.00 EUR until March and 95.00 from
April, when the rate moves from 0.90 to 0.95: an fx_impact of +5.00 in 2024-04, see
``billing_fixture.BRIDGE``) and on the single-currency sample data (fx_impact 0).

Each month of the fixture goes through ``csmetrics report --from stripe`` (the billing
import, then the report); LibreOffice recalculates the reports, whose Audit splits the fx
part per customer from the Inputs' ``currency`` and ``mrr_native`` and reads PASS; copies
of April's report with one Inputs row changed read FAIL.
"""

import numpy as np
import openpyxl
import pytest
from billing_fixture import BRIDGE, FIXTURES, RATES
from libreoffice import recalculate, requires_libreoffice
from openpyxl.utils.cell import range_boundaries
from report_samples import audit_rows, audit_verdicts, sheet_of

from csmetrics import import_billing, mrr_movements, sample_data_path
from csmetrics.cli import main
from csmetrics.report.labels import label
from csmetrics.report.layout import TABLE_COLUMNS

MONTHS = tuple(BRIDGE["month"])
BRIDGE_KEYS = ("mrr_start", "new", "expansion", "reactivation", "contraction", "churned",
               "fx_impact", "mrr_end")


def _report_path(out, month, lang="en"):
    everyone = {"en": "All", "fr": "Tous", "ro": "Toate"}[lang]
    return out / f"monthly_kpi_report_{month}_{everyone}.xlsx"


def _kpi(workbook, key):
    [(sheet, ref)] = workbook.defined_names[f"kpi_{key}"].destinations
    return workbook[sheet][ref.replace("$", "")].value


def _import_report(out, month, lang="en"):
    argv = ["report", "--from", "stripe", "--data", str(FIXTURES / "stripe"), "--currency",
            "EUR", "--fx-rates", str(RATES), "--month", month, "--template",
            "monthly_kpi_report", "--lang", lang, "--out", str(out), "--quiet"]
    assert main(argv) == 0
    return _report_path(out, month, lang)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The KPI report of each month of the Stripe fixture, imported in EUR."""
    out = tmp_path_factory.mktemp("fx_reports")
    return {month: _import_report(out, month) for month in MONTHS}


def _mrr_table(workbook):
    """The Inputs sheet's MrrData header and rows (as dicts)."""
    inputs = sheet_of(workbook, "inputs")
    min_col, min_row, max_col, max_row = range_boundaries(inputs.tables["MrrData"].ref)
    header = [inputs.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    return inputs, min_col, min_row, header, max_row


def _altered(path, folder, customer, column, value):
    """A copy of ``path`` with ``customer``'s April row of the Inputs set to ``value`` in
    ``column``."""
    workbook = openpyxl.load_workbook(path)
    inputs, min_col, min_row, header, max_row = _mrr_table(workbook)
    for row in range(min_row + 1, max_row + 1):
        cells = {h: inputs.cell(row, min_col + i) for i, h in enumerate(header)}
        if (cells["customer_id"].value == customer
                and cells["month"].value.strftime("%Y-%m") == "2024-04"):
            cells[column].value = value
            break
    else:
        raise AssertionError(f"no row of {customer} in 2024-04 on the Inputs sheet")
    copy = folder / f"altered_{column}_{path.name}"
    workbook.save(copy)
    return copy


def test_the_fx_line_is_the_engines_and_the_bridge_balances_on_the_report(reports):
    engine = mrr_movements(import_billing(FIXTURES / "stripe", "stripe", currency="EUR",
                                          fx_rates=RATES).mrr)
    assert engine["fx_impact"].tolist() == BRIDGE["fx_impact"].tolist()
    for position, month in enumerate(MONTHS):
        workbook = openpyxl.load_workbook(reports[month])
        shown = {key: _kpi(workbook, key) for key in BRIDGE_KEYS}
        assert shown["fx_impact"] == engine["fx_impact"].iloc[position], month
        assert shown == {key: BRIDGE[key].iloc[position] for key in BRIDGE_KEYS}, month
        cents = {key: round(value * 100) for key, value in shown.items()}
        assert (cents["mrr_start"] + cents["new"] + cents["expansion"]
                + cents["reactivation"] - cents["contraction"] - cents["churned"]
                + cents["fx_impact"]) == cents["mrr_end"], month


def test_the_inputs_carry_currency_and_native_mrr_of_several_currencies(reports):
    workbook = openpyxl.load_workbook(reports["2024-04"])
    inputs, min_col, min_row, header, max_row = _mrr_table(workbook)
    assert header == [*TABLE_COLUMNS["MrrData"], "currency", "mrr_native"]
    rows = {(inputs.cell(r, min_col).value, inputs.cell(r, min_col + 1).value.strftime("%Y-%m")):
            tuple(inputs.cell(r, min_col + header.index(c)).value
                  for c in ("mrr", "currency", "mrr_native"))
            for r in range(min_row + 1, max_row + 1)}
    assert rows["cus_E", "2024-03"] == (90, "USD", 100)
    assert rows["cus_E", "2024-04"] == (95, "USD", 100)
    assert rows["cus_A", "2024-04"] == (200, "EUR", 200)
    tables = sorted((t.displayName, t.ref) for t in inputs.tables.values())
    starts = sorted(range_boundaries(ref)[0] for _, ref in tables)
    ends = sorted(range_boundaries(ref)[2] for _, ref in tables)
    assert all(end < start for end, start in zip(ends, starts[1:], strict=False)), tables


def test_single_currency_data_keeps_its_inputs_and_a_zero_fx_line(tmp_path):
    argv = ["report", "--data", str(sample_data_path()), "--month", "2025-12", "--template",
            "monthly_kpi_report", "--out", str(tmp_path), "--quiet"]
    assert main(argv) == 0
    workbook = openpyxl.load_workbook(_report_path(tmp_path, "2025-12"))
    assert _kpi(workbook, "fx_impact") == 0
    assert _mrr_table(workbook)[3] == list(TABLE_COLUMNS["MrrData"])
    audit = sheet_of(workbook, "audit")
    [row] = [r for r in audit.iter_rows(values_only=True) if r[0] == label("fx_impact")]
    assert row[1] == '=IFERROR(SUM(0),"")'


@pytest.fixture(scope="module")
def audits(reports, tmp_path_factory):
    """``{month, "native" or "mrr": (audit_result, {check label: (native, status)})}``
    after LibreOffice recalculates: each month's report, then April's with cus_E's native
    MRR raised from 100 to 110 USD, then with its MRR raised from 95.00 to 96.00, and
    April's report in French (the movement words and statuses in French)."""
    folder = tmp_path_factory.mktemp("fx_altered")
    paths = [reports[month] for month in MONTHS]
    paths.append(_altered(reports["2024-04"], folder, "cus_E", "mrr_native", 110.0))
    paths.append(_altered(reports["2024-04"], folder, "cus_E", "mrr", 96.0))
    french = _import_report(tmp_path_factory.mktemp("fx_fr"), "2024-04", "fr")
    paths.append(french.rename(folder / f"fr_{french.name}"))
    copies = recalculate(paths, tmp_path_factory.mktemp("fx_recalculated"))
    return audit_verdicts((*MONTHS, "native", "mrr", "fr"), copies)


@requires_libreoffice
@pytest.mark.parametrize("position, month", list(enumerate(MONTHS)))
def test_the_audit_splits_the_fx_part_and_passes_every_month(audits, position, month):
    result, checks = audits[month]
    assert result == label("audit_pass"), checks
    for key in ("fx_impact", "expansion", "contraction"):
        native, status = checks[label(key)]
        assert status == label("audit_ok"), key
        assert native == pytest.approx(BRIDGE[key].iloc[position], abs=1e-9), key
    assert checks[label("audit_bridge_difference")][1] == label("audit_ok")


@requires_libreoffice
@pytest.mark.parametrize("altered, fx", [("native", np.round(100 * 95 / 110, 2) - 90),
                                         ("mrr", 6.0)])
def test_one_changed_input_row_fails_the_audit(audits, altered, fx):
    """Native 110 USD: the rate read is 95 / 110, the prior 100 USD at it is 86.36, so the
    fx part is -3.64 (not the engine's +5.00); MRR 96.00: 100 USD at 0.96 gives +6.00."""
    result, checks = audits[altered]
    assert result == label("audit_fail")
    assert checks[label("fx_impact")] == (pytest.approx(fx, abs=1e-9), label("audit_fail"))


@requires_libreoffice
def test_the_french_audit_splits_the_fx_part_too(audits):
    result, checks = audits["fr"]
    assert result == label("audit_pass", "fr")
    assert checks[label("fx_impact", "fr")] == (5, label("audit_ok", "fr"))


@requires_libreoffice
def test_an_exact_half_cent_of_fx_is_split_alike_by_the_engine_and_the_audit(tmp_path):
    """Customer A: 1.03 USD at 1.00, then 2.00 USD at 1.50 (3.00 EUR): the prior 1.03 USD
    at this month's rate is 1.545, an exact half cent, which the Audit's ROUND takes away
    from zero to 1.55 (fx 0.52, expansion 1.45). B pays 50.00 EUR both months."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "mrr.csv").write_text("customer_id,month,mrr,currency,mrr_native\n"
                                  "A,2024-01,1.03,USD,1.03\nA,2024-02,3.00,USD,2.00\n"
                                  "B,2024-01,50.00,EUR,50.00\nB,2024-02,50.00,EUR,50.00\n")
    out = tmp_path / "reports"
    assert main(["report", "--data", str(data), "--month", "2024-02", "--template",
                 "monthly_kpi_report", "--currency", "EUR", "--out", str(out), "--quiet"]) == 0
    [copy] = recalculate([_report_path(out, "2024-02")], tmp_path / "recalculated")
    result, rows = audit_rows(copy)
    checks = {row[0]: (row[1], row[5]) for row in rows}
    assert checks[label("fx_impact")] == (pytest.approx(0.52, abs=1e-9), label("audit_ok"))
    assert checks[label("expansion")] == (pytest.approx(1.45, abs=1e-9), label("audit_ok"))
    assert result == label("audit_pass"), checks
