"""Money with its currency and values with their units in the filled reports (issue 11,
item 4): the formats, where the currency comes from, and the filled workbooks read back.

Number format codes: a quoted string is shown as written, after the number, in every
section of the code (ECMA-376 Part 1, 18.8.31 numFmts; Excel "Number format codes"; the
LibreOffice help "Number Format Codes": "Text in quotes"). Both show ``"EUR"`` the same
whatever the reader's locale, where a currency *symbol* code (``[$€-40C]``) depends on it.
"""

import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
from billing_fixture import FIXTURES, RATES
from libreoffice import requires_libreoffice, with_spaces

from csmetrics import sample_data_path
from csmetrics.cli import main
from csmetrics.kpis import KPI_BY_KEY, KPIS, MONEY, NUMBER_FORMATS
from csmetrics.report.labels import LANGUAGES, label, sheet_name
from csmetrics.report.units import (
    change_format,
    currency_formats,
    number_format,
    reporting_currency,
    unit_text,
    whole_change_format,
    whole_format,
)

MONTH = "2025-12"
KPI_REPORT = f"monthly_kpi_report_{MONTH}_All.xlsx"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_kpi_name_leaves_its_unit_to_its_number_format(lang):
    # "CAC payback (months)" shown as "5.9 months" read the unit twice
    for kpi in KPIS:
        unit = unit_text(kpi.kind, lang, currency="EUR")
        if unit is not None:
            assert unit not in re.findall(r"\w+", label(kpi.key, lang)), (kpi.key, unit)


@pytest.mark.parametrize("kind, lang, currency, expected", [
    ("money", "en", None, "#,##0.00"),
    ("money", "fr", "EUR", '#,##0.00" EUR"'),
    ("money", "ro", "RON", '#,##0.00" RON"'),
    ("days", "en", None, '0.0" days"'),
    ("days", "fr", "EUR", '0.0" jours"'),
    ("days", "ro", None, '0.0" zile"'),
    ("months", "en", None, '0.0" months"'),
    ("months", "fr", None, '0.0" mois"'),
    ("months", "ro", None, '0.0" luni"'),
    ("ratio", "fr", "EUR", '0.00"x"'),
    ("percent", "fr", "EUR", "0.0%"),
    ("count", "en", "EUR", "#,##0"),
    ("score", "ro", "RON", "0.0"),
])
def test_number_formats_carry_the_unit_of_the_language(kind, lang, currency, expected):
    assert number_format(kind, lang, currency) == expected


@pytest.mark.parametrize("kind, lang, currency, expected", [
    ("money", "en", "EUR", '+#,##0.00" EUR";-#,##0.00" EUR";0.00" EUR"'),
    ("days", "ro", None, '+0.0" zile";-0.0" zile";0.0" zile"'),
    ("ratio", "en", None, '+0.00"x";-0.00"x";0.00"x"'),
    ("percent", "fr", "EUR", '+0.0" pp";-0.0" pp";0.0" pp"'),  # rates change in pp
])
def test_changes_are_signed_with_the_same_unit(kind, lang, currency, expected):
    assert change_format(kind, lang, currency) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_currency_only_reaches_money_formats(lang):
    """The filler finds money cells by their format: none of the money formats may be the
    format of another kind (a count's ``#,##0`` must never get a currency)."""
    others = {
        build(kind, lang)
        for kind in NUMBER_FORMATS if kind != MONEY
        for build in (number_format, change_format, whole_format, whole_change_format)
    }
    formats = currency_formats(lang, "EUR")
    assert len(formats) == 4
    assert not set(formats) & others
    assert all(new.count("EUR") >= 1 for new in formats.values())


def test_the_data_currency_and_the_asked_one():
    single = pd.DataFrame({"customer_id": ["a", "b"], "mrr": [10.0, 20.0],
                           "currency": ["RON", "ron "]})
    several = single.assign(currency=["RON", "EUR"])
    assert reporting_currency(single) == "RON"
    assert reporting_currency(single, "ron") == "RON"
    assert reporting_currency(several) is None
    assert reporting_currency(several, "EUR") == "EUR"
    assert reporting_currency(single.drop(columns="currency")) is None
    with pytest.raises(ValueError, match="--currency EUR: .* are in RON"):
        reporting_currency(single, "EUR")
    with pytest.raises(ValueError, match="'EURO' is not a three-letter currency code"):
        reporting_currency(None, "EURO")


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _report(capsys, out, *extra, data=None):
    status, stdout, stderr = _run(
        capsys, "report", "--data", data or sample_data_path(), "--month", MONTH,
        "--template", "monthly_kpi_report", "--out", out, "--quiet", *extra)
    assert status == 0, stdout + stderr
    return openpyxl.load_workbook(out / KPI_REPORT)


def _named(workbook, name):
    [(sheet, ref)] = workbook.defined_names[name].destinations
    return workbook[sheet][ref.replace("$", "")]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The KPI report of the sample data without its currency column (nothing says the
    currency) and with ``--currency EUR``."""
    plain = tmp_path_factory.mktemp("no_currency")
    shutil.copytree(sample_data_path(), plain, ignore=shutil.ignore_patterns("*.py", "__*"),
                    dirs_exist_ok=True)
    mrr = pd.read_csv(plain / "mrr.csv", dtype=str)
    mrr.drop(columns="currency").to_csv(plain / "mrr.csv", index=False)
    books = {}
    for currency in (None, "EUR"):
        out = tmp_path_factory.mktemp(f"currency_{currency}")
        argv = ["report", "--data", str(plain), "--month", MONTH, "--template",
                "monthly_kpi_report", "--out", str(out), "--quiet"]
        assert main(argv + (["--currency", currency] if currency else [])) == 0
        books[currency] = openpyxl.load_workbook(out / KPI_REPORT)
    return books


def test_money_cells_show_the_currency_and_keep_their_values_and_names(filled):
    plain, eur = filled[None], filled["EUR"]
    assert set(plain.defined_names) == set(eur.defined_names)
    for name in plain.defined_names:
        if name.startswith(("kpi_", "prior_")):
            key = name.split("_", 1)[1]
            before, after = _named(plain, name), _named(eur, name)
            assert after.value == before.value, name
            money = KPI_BY_KEY[key].kind == MONEY
            assert after.number_format == (
                number_format(MONEY, "en", "EUR") if money else before.number_format), name
    assert _named(plain, "kpi_mrr_end").number_format == "#,##0.00"  # no currency: as before
    assert _named(eur, "kpi_mrr_end").number_format == '#,##0.00" EUR"'
    assert _named(eur, "kpi_customers_end").number_format == "#,##0"
    assert _named(eur, "kpi_dso").number_format == '0.0" days"'
    assert _named(eur, "kpi_cac_payback_months").number_format == '0.0" months"'
    assert _named(eur, "kpi_clv_cac").number_format == '0.00"x"'


def test_changes_headline_trend_charts_and_audit_show_the_currency(filled):
    eur = filled["EUR"]
    mrr_end = _named(eur, "kpi_mrr_end")
    report = mrr_end.parent
    assert report.cell(mrr_end.row, mrr_end.column + 2).number_format == (
        '+#,##0.00" EUR";-#,##0.00" EUR";0.00" EUR"')
    headline = [row[1] for row in report.iter_rows(max_col=2)
                if row[1].value == '=IF(kpi_mrr_end="","",kpi_mrr_end)']
    assert [cell.number_format for cell in headline] == ['#,##0" EUR";-#,##0" EUR"']
    trend = eur.defined_names["trend_mrr_end"].destinations
    [(sheet, ref)] = trend
    column = eur[sheet][ref.replace("$", "")]
    assert {row[0].number_format for row in column} == {"#,##0;-#,##0"}  # whole, narrow
    assert eur[sheet].cell(column[0][0].row - 1, column[0][0].column).value == (
        "MRR at end of month (EUR)")
    axes = [chart.y_axis.numFmt.formatCode for chart in report._charts
            if chart.y_axis.numFmt is not None]
    assert axes == ['#,##0" EUR";-#,##0" EUR"'] * 2  # MRR trend and MRR bridge
    audit = eur[sheet_name("audit")]
    audit_formats = {cell.number_format for row in audit.iter_rows() for cell in row}
    assert '#,##0.00" EUR"' in audit_formats and "#,##0.00" not in audit_formats


def test_a_currency_column_of_the_data_is_shown_and_a_different_currency_refused(
        tmp_path, capsys):
    data = tmp_path / "exports"
    shutil.copytree(sample_data_path(), data, ignore=shutil.ignore_patterns("*.py", "__*"))
    mrr = pd.read_csv(data / "mrr.csv")
    mrr.assign(currency="RON").to_csv(data / "mrr.csv", index=False)
    book = _report(capsys, tmp_path / "ron", data=data)
    assert _named(book, "kpi_arr").number_format == '#,##0.00" RON"'
    status, _, stderr = _run(capsys, "report", "--data", data, "--month", MONTH, "--out",
                             tmp_path / "eur", "--currency", "EUR")
    assert status == 1
    assert "--currency EUR: the mrr table's currency column says its amounts are in RON" in (
        stderr)
    assert not (tmp_path / "eur").exists()


def test_a_malformed_currency_is_refused(tmp_path, capsys):
    status, _, stderr = _run(capsys, "report", "--data", sample_data_path(), "--month", MONTH,
                             "--out", tmp_path / "out", "--currency", "€")
    assert status == 1
    assert "--currency: '€' is not a three-letter currency code" in stderr


def test_an_import_shows_its_reporting_currency(tmp_path, capsys):
    """The two-currency Stripe fixture, imported in EUR with its rates."""
    status, stdout, stderr = _run(
        capsys, "report", "--from", "stripe", "--data", FIXTURES / "stripe", "--currency",
        "eur", "--fx-rates", RATES, "--month", "2024-06", "--template", "monthly_kpi_report",
        "--out", tmp_path, "--quiet")
    assert status == 0, stdout + stderr
    book = openpyxl.load_workbook(tmp_path / "monthly_kpi_report_2024-06_All.xlsx")
    assert _named(book, "kpi_mrr_end").number_format == '#,##0.00" EUR"'


def test_the_sample_data_says_its_currency_so_reports_show_it_unasked(tmp_path, capsys):
    book = _report(capsys, tmp_path, data=sample_data_path())
    assert _named(book, "kpi_mrr_end").number_format == '#,##0.00" EUR"'


def test_the_demo_shows_the_sample_currency(tmp_path, capsys):
    status, _, _ = _run(capsys, "demo", "--out", tmp_path, "--quiet")
    assert status == 0
    book = openpyxl.load_workbook(tmp_path / "unit_economics_2025-12_All.xlsx")
    assert _named(book, "kpi_cac").number_format == '#,##0.00" EUR"'
    assert [kpi.key for kpi in KPIS if kpi.kind == MONEY and f"kpi_{kpi.key}" in
            book.defined_names and "EUR" not in _named(book, kpi.name).number_format] == []


@requires_libreoffice
@pytest.mark.parametrize("lang, words", [
    ("en", ("830,558.86 EUR", "830,559 EUR", "30.8 days", "5.9 months", "4.84x", "12/25")),
    ("fr", ("830 558,86 EUR", "+284 032 EUR", "30,8 jours", "5,9 mois", "3,45x", "01/25")),
])
def test_libreoffice_prints_the_units_in_full(tmp_path, capsys, lang, words):
    """The sample's December 2025 through LibreOffice: every money amount with its currency
    (none too wide for its column: no ``###``), the units, month labels of the MRR trend,
    the numbers with the separators of the report's language (any kind of space)."""
    status, stdout, stderr = _run(
        capsys, "report", "--data", sample_data_path(), "--month", MONTH, "--template",
        "monthly_kpi_report", "--lang", lang, "--currency", "EUR", "--pdf", "--out", tmp_path,
        "--quiet")
    assert status == 0, stdout + stderr
    [pdf] = tmp_path.glob("*.pdf")
    shown = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                           check=True).stdout
    for word in words:
        assert word in with_spaces(shown), word
    assert "###" not in shown
