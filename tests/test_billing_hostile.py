"""Damaged exports through ``csmetrics import``: each read to the right MRR or refused with an
error naming file, row, column and value; never a traceback, never a file written on an
error, never a different MRR without a word (issue 17's repros, and more per vendor).

The base export is issue 17's: two monthly Stripe invoices of 100.00 EUR for C1, January and
February; the right MRR is C1 = 100.00 in both months.
"""

import json
import shutil

import pandas as pd
import pytest
from billing_fixture import FIXTURES, RATES

from csmetrics.billing import Rules, stripe
from csmetrics.billing.consistency import check_export
from csmetrics.billing.normalise import normalise
from csmetrics.cli import main

INVOICES = """id,Customer,Status,Currency,Date (UTC),Amount Due
in_1,C1,paid,eur,2025-01-01,100.00
in_2,C1,paid,eur,2025-02-01,100.00
"""
LINES = """id,invoice_id,subscription,source_type,amount,currency,period_start,period_end
il_1,in_1,sub_1,subscription,10000,eur,2025-01-01,2025-02-01
il_2,in_2,sub_1,subscription,10000,eur,2025-02-01,2025-03-01
"""
RIGHT = [("C1", "2025-01", 100.0), ("C1", "2025-02", 100.0)]

MAPPING = """[tables.lines]
unit = "units"
end = "exclusive"

[tables.lines.columns]
customer_id = "client"
invoice_id = "facture"
currency = "devise"
amount = "montant"
start = "du"

[tables.lines.optional]
end = "au"
kind = "type"

[tables.lines.kinds]
abo = "recurring"
"""
GENERIC = """client,facture,devise,montant,du,au,type
C1,F1,EUR,100.00,2025-01-01,2025-02-01,abo
C1,F2,EUR,100.00,2025-02-01,2025-03-01,abo
"""


def export(tmp_path, invoices=INVOICES, lines=LINES, **more):
    """The export folder of the given files (Stripe's two by default)."""
    folder = tmp_path / "export"
    folder.mkdir()
    files = {"invoices.csv": invoices, "lines.csv": lines, **more}
    for name, text in files.items():
        if text is not None:
            (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def run(capsys, tmp_path, folder, *options, source="stripe"):
    out = tmp_path / "out"
    status = main(["import", "--from", source, "--data", str(folder), "--out", str(out),
                   *map(str, options)])
    stdout, stderr = capsys.readouterr()
    assert "Traceback" not in stdout + stderr
    return status, stdout, stderr, out


def refused(capsys, tmp_path, folder, *options, where, value, says, source="stripe"):
    """The import fails (exit 1), names the file, row, column and value, and writes nothing."""
    status, _, stderr, out = run(capsys, tmp_path, folder, *options, source=source)
    assert status == 1, stderr
    assert where in stderr, stderr
    assert repr(value) in stderr or f"'{value}'" in stderr or f": {value} " in stderr, stderr
    assert says in stderr, stderr
    assert "nothing was written" in stderr
    assert not out.exists()
    return stderr


def accepted(capsys, tmp_path, folder, *options, source="stripe"):
    """The import succeeds; returns its MRR rows and what it printed."""
    status, stdout, stderr, out = run(capsys, tmp_path, folder, *options, source=source)
    assert status == 0, stderr
    mrr = pd.read_csv(out / "mrr.csv", dtype={"month": str})
    return list(zip(mrr["customer_id"], mrr["month"], mrr["mrr"], strict=True)), stdout


def test_the_base_export_reads_to_100_in_january_and_february(tmp_path, capsys):
    assert accepted(capsys, tmp_path, export(tmp_path))[0] == RIGHT


def test_an_invoice_row_pasted_twice_is_read_once_and_said(tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES + "in_1,C1,paid,eur,2025-01-01,100.00\n")
    rows, stdout = accepted(capsys, tmp_path, folder)
    assert rows == RIGHT
    assert "info: invoices.csv, row 4: 1 row(s) repeat an earlier row cell for cell (first: " \
           "row 4 repeats row 2)" in stdout


def test_one_invoice_id_on_two_different_rows_is_an_error(tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES + "in_1,C1,paid,eur,2025-01-01,200.00\n")
    refused(capsys, tmp_path, folder, where="invoices.csv, row 4, column 'id'", value="in_1",
            says="is given twice, the rows differing (first at invoices.csv, row 2)")


def test_a_line_pasted_twice_is_read_once_not_added_up(tmp_path, capsys):
    folder = export(tmp_path, lines=LINES + "il_2,in_2,sub_1,subscription,10000,eur,"
                    "2025-02-01,2025-03-01\n")
    rows, stdout = accepted(capsys, tmp_path, folder)
    assert rows == RIGHT  # not 200.00 in February
    assert "lines.csv, row 4: 1 row(s) repeat an earlier row" in stdout


def test_one_line_id_on_two_different_rows_is_an_error(tmp_path, capsys):
    folder = export(tmp_path, lines=LINES + "il_2,in_2,sub_1,subscription,10000,eur,"
                    "2025-02-02,2025-03-01\n")
    refused(capsys, tmp_path, folder, where="lines.csv, row 4, column 'id'", value="il_2",
            says="line id 'il_2' is given twice")


def test_a_cents_column_with_a_decimal_point_is_an_error_not_one_euro(tmp_path, capsys):
    folder = export(tmp_path, lines=LINES.replace("subscription,10000,eur,2025-01-01",
                                                  "subscription,100.00,eur,2025-01-01"))
    refused(capsys, tmp_path, folder, where="lines.csv, row 2, column 'amount'", value="100.00",
            says="has a decimal point")


def test_the_decimal_point_message_names_its_row_once(tmp_path, capsys):
    folder = export(tmp_path, lines=LINES.replace("subscription,10000,eur,2025-01-01",
                                                  "subscription,100.00,eur,2025-01-01"))
    _, _, stderr, _ = run(capsys, tmp_path, folder)
    assert "error: lines.csv, row 2, column 'amount': '100.00' has a decimal point (or " \
           "exponent), but this column holds amounts in the currency's smallest unit " \
           "(cents), which are whole numbers: the column looks re-saved in currency units; " \
           "csmetrics does not guess which\n" in stderr


def test_a_long_list_of_values_in_a_message_is_cut_to_ten_and_a_count(tmp_path, capsys):
    codes = ["aud", "cad", "chf", "czk", "dkk", "eur", "gbp", "huf", "nok", "pln", "sek",
             "usd"]
    invoices = "".join(f"in_{n},C{n},paid,{code},2025-01-01,100.00\n"
                       for n, code in enumerate(codes))
    lines = "".join(f"il_{n},in_{n},sub_{n},subscription,10000,{code},2025-01-01,2025-02-01\n"
                    for n, code in enumerate(codes))
    folder = export(tmp_path, invoices=INVOICES.splitlines()[0] + "\n" + invoices,
                    lines=LINES.splitlines()[0] + "\n" + lines)
    status, _, stderr, out = run(capsys, tmp_path, folder)
    assert status == 1 and not out.exists()
    assert "the export holds several currencies (AUD, CAD, CHF, CZK, DKK, EUR, GBP, HUF, " \
           "NOK, PLN ... and 2 more): give the reporting currency (--currency)" in stderr


def test_several_currencies_are_refused_by_the_checks_not_the_normaliser(tmp_path):
    lines = LINES.replace("10000,eur,2025-02-01", "10000,usd,2025-02-01")
    invoices = INVOICES.replace("in_2,C1,paid,eur", "in_2,C1,paid,usd")
    read = stripe.read(export(tmp_path, invoices=invoices, lines=lines))
    found = check_export(read)
    assert [f.message for f in found] == [
        "the export holds several currencies (EUR, USD): give the reporting currency "
        "(--currency) and the exchange rates (--fx-rates)"]
    assert check_export(read, currency="EUR") == []
    with pytest.raises(ValueError, match="check_export refuses it"):
        normalise(read, Rules())


def test_period_ends_in_the_last_second_of_the_day_are_that_day_included(tmp_path, capsys):
    lines = LINES.replace("2025-01-01,2025-02-01", "2025-01-01,2025-01-31 23:59:59").replace(
        "2025-02-01,2025-03-01", "2025-02-01,2025-02-28T23:59:59.999Z")
    rows, stdout = accepted(capsys, tmp_path, export(tmp_path, lines=lines))
    assert rows == RIGHT
    assert "lines.csv, row 2, column 'period_end': 2 service period date(s) written in the " \
           "last second of a day (first '2025-01-31 23:59:59') read as the next midnight" \
        in stdout


def test_an_amount_finer_than_a_cent_is_an_error_never_rounded(tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES.replace("2025-01-01,100.00",
                                                        "2025-01-01,100.0051"))
    refused(capsys, tmp_path, folder, where="invoices.csv, row 2, column 'Amount Due'",
            value="100.0051", says="not a whole number of cents")


def _in_gbp(tmp_path):
    return export(tmp_path, invoices=INVOICES.replace(",eur,", ",gbp,"),
                  lines=LINES.replace(",eur,", ",gbp,"))


@pytest.mark.parametrize("rates", [
    "date,currency,rate\n2025-01-01,GBP,1.10\n2025-01-01,GBP,1.20\n",
    "date,currency,rate\n2025-01-01,GBP,1.20\n2025-01-01,GBP,1.10\n",
])
def test_two_rates_for_one_day_and_currency_are_an_error_whatever_their_order(
        tmp_path, capsys, rates):
    path = tmp_path / "fx.csv"
    path.write_text(rates)
    refused(capsys, tmp_path, _in_gbp(tmp_path), "--currency", "EUR", "--fx-rates", path,
            where="fx.csv, row 3, column 'rate'", value=rates.split(",")[-1].strip(),
            says="two different rates for GBP on 2025-01-01")


def test_one_rate_given_twice_is_that_rate(tmp_path, capsys):
    path = tmp_path / "fx.csv"
    path.write_text("date,currency,rate\n2025-01-01,GBP,1.10\n2025-01-01,GBP,1.10\n")
    rows, _ = accepted(capsys, tmp_path, _in_gbp(tmp_path), "--currency", "EUR", "--fx-rates",
                       path)
    assert rows == [("C1", "2025-01", 110.0), ("C1", "2025-02", 110.0)]


@pytest.mark.parametrize("line, value, says", [
    ("2025-01-01,GBP,1e300", "1e300", "a rate above 0 and at most 1e+09"),
    ("01/02/2025,GBP,1.10", "01/02/2025", "a date that reads one way"),
])
def test_a_rate_that_overflows_or_a_date_that_reads_two_ways_is_an_error(
        tmp_path, capsys, line, value, says):
    path = tmp_path / "fx.csv"
    path.write_text(f"date,currency,rate\n{line}\n")
    column = "rate" if "e300" in line else "date"
    refused(capsys, tmp_path, _in_gbp(tmp_path), "--currency", "EUR", "--fx-rates", path,
            where=f"fx.csv, row 2, column '{column}'", value=value, says=says)


def test_the_rates_file_is_read_with_the_locale(tmp_path, capsys):
    path = tmp_path / "fx.csv"
    path.write_text("date;currency;rate\n01/01/2025;GBP;1,10\n")
    french = INVOICES.replace(",", ";").replace("100.00", "100,00").replace("eur", "gbp")
    rows, _ = accepted(capsys, tmp_path, export(tmp_path, invoices=french,
                                                lines=LINES.replace(",eur,", ",gbp,")),
                       "--currency", "EUR", "--fx-rates", path, "--locale", "fr")
    assert rows == [("C1", "2025-01", 110.0), ("C1", "2025-02", 110.0)]


def _generic(tmp_path, mapping=MAPPING, lines=GENERIC):
    folder = export(tmp_path, invoices=None, lines=None, **{"factures.csv": lines})
    path = tmp_path / "mapping.toml"
    path.write_bytes(mapping if isinstance(mapping, bytes) else mapping.encode())
    return folder, ("--mapping", path)


def test_the_generic_base_export_reads_to_100_in_january_and_february(tmp_path, capsys):
    folder, options = _generic(tmp_path)
    assert accepted(capsys, tmp_path, folder, *options, source="generic")[0] == RIGHT


@pytest.mark.parametrize("change, where, value, says", [
    (('abo = "recurring"', 'abo = "recuring"'), "row 17, column 'tables.lines.kinds.abo'",
     "recuring", "the allowed values are: recurring, proration, one_off, credit"),
    (('end = "exclusive"', 'end = "inclusiv"'), "row 3, column 'tables.lines.end'",
     "inclusiv", "the allowed values are: exclusive, inclusive"),
    (('[tables.lines]\n', '[tables.lines]\nstatuses = { annulee = "voided" }\n'),
     "column 'tables.lines.statuses.annulee'", "voided",
     "the allowed values are: paid, open, draft, void, uncollectible"),
    (('[tables.lines]', 'locale = "es"\n[tables.lines]'), "row 1, column 'locale'", "es",
     "the allowed values are: en, fr, ro, de"),
    (('start = "du"', 'start = 3'), "row 10, column 'tables.lines.columns.start'", 3,
     "is not text"),
    (('unit = "units"', 'unit = "units"\nunits = "cents"'),
     "row 3, column 'tables.lines.units'", "units", "unknown key 'units'; the allowed keys"),
])
def test_a_mapping_value_the_schema_does_not_allow_is_an_error(
        tmp_path, capsys, change, where, value, says):
    folder, options = _generic(tmp_path, MAPPING.replace(*change))
    refused(capsys, tmp_path, folder, *options, source="generic",
            where=f"mapping.toml, {where}", value=value, says=says)


def test_a_mapping_file_not_saved_as_utf8_says_how_to_save_it(tmp_path, capsys):
    mapping = MAPPING.replace('"client"', '"société"').encode("cp1252")
    folder, options = _generic(tmp_path, mapping, GENERIC.replace("client", "société"))
    status, _, stderr, out = run(capsys, tmp_path, folder, *options, source="generic")
    assert status == 1 and not out.exists()
    assert "mapping.toml: the mapping file is not UTF-8 text: line 6, column 20 holds the " \
           "byte 0xE9 (é in cp1252); save it as UTF-8" in stderr


def _paddle_page():
    return json.loads((FIXTURES / "paddle" / "transactions.json").read_text("utf-8"))


def test_the_same_paddle_page_saved_twice_is_read_once(tmp_path, capsys):
    page = (FIXTURES / "paddle" / "transactions.json").read_text("utf-8")
    once = export(tmp_path, invoices=None, lines=None, **{"transactions.json": page})
    first, _ = accepted(capsys, tmp_path, once, source="paddle")
    (tmp_path / "out").rename(tmp_path / "out_once")
    (once / "transactions (1).json").write_text(page, "utf-8")
    twice, stdout = accepted(capsys, tmp_path, once, source="paddle")
    assert twice == first
    assert "transactions.json, row 1: " in stdout and "repeat an earlier one field for field" \
        in stdout


def test_one_paddle_transaction_in_two_versions_is_an_error(tmp_path, capsys):
    page = _paddle_page()
    changed = json.loads(json.dumps(page))
    changed["data"][0]["status"] = "past_due"
    folder = export(tmp_path, invoices=None, lines=None,
                    **{"a.json": json.dumps(page), "b.json": json.dumps(changed)})
    refused(capsys, tmp_path, folder, source="paddle", where="b.json, row 1, column 'id'",
            value=page["data"][0]["id"], says="is given twice, the rows differing")


def _fixture_copy(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(FIXTURES / name, folder)
    return folder


def _replace(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_stripe_lines_that_do_not_add_up_to_the_subtotal_are_an_error(tmp_path, capsys):
    folder = _fixture_copy(tmp_path, "stripe")
    _replace(folder / "invoice_line_items.csv", "il_A1,in_A1,sub_A,subscription,10000,",
             "il_A1,in_A1,sub_A,subscription,100,")
    refused(capsys, tmp_path, folder, "--currency", "EUR", "--fx-rates", RATES,
            where="invoices.csv, row 2, column 'Subtotal'", value="in_A1",
            says="states a subtotal of 100.00 EUR, but its lines' amounts added up (before "
                 "discount and tax) is 1.00 EUR: the lines look written in currency units "
                 "where cents are expected")


def test_a_line_in_another_currency_than_its_invoice_is_an_error(tmp_path, capsys):
    folder = export(tmp_path, lines=LINES.replace("10000,eur,2025-02", "10000,usd,2025-02"))
    refused(capsys, tmp_path, folder, "--currency", "EUR", "--fx-rates", RATES,
            where="lines.csv, row 3, column 'currency'", value="in_2",
            says="is in USD, its invoice in EUR")


def test_chargebee_lines_that_do_not_add_up_to_the_invoice_total_are_an_error(tmp_path, capsys):
    folder = _fixture_copy(tmp_path, "chargebee")
    _replace(folder / "invoices.csv", "Setup fee,2024-01-01,2024-01-01,1,5000,5000,",
             "Setup fee,2024-01-01,2024-01-01,1,5000,4000,")
    refused(capsys, tmp_path, folder, source="chargebee",
            where="invoices.csv, row 2, column 'invoice[total]'", value="inv_1",
            says="states a total of 180.00 EUR, but its lines' amount - discount + tax added "
                 "up is 170.00 EUR")


def test_a_chargebee_invoice_row_repeated_is_read_once(tmp_path, capsys):
    folder = _fixture_copy(tmp_path, "chargebee")
    first, _ = accepted(capsys, tmp_path, folder, source="chargebee")
    (tmp_path / "out").rename(tmp_path / "out_once")
    path = folder / "invoices.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3] + lines[2:]), "utf-8")
    again, stdout = accepted(capsys, tmp_path, folder, source="chargebee")
    assert again == first
    assert "invoices.csv, row 4: 1 row(s) repeat an earlier row cell for cell" in stdout


def test_paddle_line_items_that_do_not_add_up_to_the_subtotal_are_an_error(tmp_path, capsys):
    page = _paddle_page()
    page["data"][0]["details"]["line_items"][0]["totals"]["subtotal"] = "1000"
    folder = export(tmp_path, invoices=None, lines=None,
                    **{"transactions.json": json.dumps(page)})
    refused(capsys, tmp_path, folder, source="paddle",
            where="transactions.json, row 1, column 'details.totals.subtotal'",
            value=page["data"][0]["id"], says="states a subtotal of 100.00 EUR, but its lines' "
            "amounts added up (before discount and tax) is 10.00 EUR")


@pytest.mark.parametrize("source, file, old, new, column, value", [
    ("chartmogul", "04_Invoice_line_items.csv", "inv_A2,li_A2,", "inv_A2,li_A1,",
     "External ID", "li_A1"),
    ("chartmogul", "03_Invoices.csv", "cus_A,inv_A2,2024-02-01", "cus_A,inv_A1,2024-02-01",
     "Invoice external ID", "inv_A1"),
    ("recurly", "line_items.csv", "li_A1s,", "li_A1,", "id", "li_A1"),
])
def test_an_id_given_to_two_different_rows_is_an_error_for_every_vendor(
        tmp_path, capsys, source, file, old, new, column, value):
    folder = _fixture_copy(tmp_path, source)
    _replace(folder / file, old, new)
    options = ("--currency", "EUR", "--fx-rates", RATES) if source == "chartmogul" \
        else ()
    refused(capsys, tmp_path, folder, *options, source=source, where=f"{file}, row 3, column "
            f"'{column}'", value=value, says="is given twice, the rows differing")


@pytest.mark.parametrize("period, says", [
    ("2025-01-01,2025-01-31", "covers no month end gives no MRR in any month"),
    ("2025-01-28,2025-02-02", "shorter than a week"),
])
def test_a_recurring_line_with_a_suspect_period_is_a_warning_and_strict_stops(
        tmp_path, capsys, period, says):
    folder = export(tmp_path, lines=LINES.replace("2025-01-01,2025-02-01", period))
    _, stdout = accepted(capsys, tmp_path, folder)
    assert f"warning: lines.csv, row 2, column 'period_end': a recurring line {says}" \
        in stdout or f"warning: lines.csv, row 2, column 'period_end': a recurring line " \
        f"whose service period {says}" in stdout
    assert "line of invoice 'in_1', " + period.replace(",", " to ") in stdout
    shutil.rmtree(tmp_path / "out")
    refused(capsys, tmp_path, folder, "--strict", where="lines.csv, row 2, column 'period_end'",
            value="in_1", says=says)


@pytest.mark.parametrize("period", ["2025-01-01,", "2025-02-01,2025-01-01"])
def test_a_recurring_line_without_a_period_after_its_start_is_an_error(
        tmp_path, capsys, period):
    folder = export(tmp_path, lines=LINES.replace("2025-01-01,2025-02-01", period))
    refused(capsys, tmp_path, folder, where="lines.csv, row 2, column 'period_end'",
            value="in_1", says="a recurring line needs a service period with its end after "
                               "its start")


def test_an_invoice_dated_years_after_the_rest_is_a_warning(tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES.replace("2025-02-01,100.00",
                                                        "2052-02-01,100.00"))
    status, stdout, _, _ = run(capsys, tmp_path, folder)
    assert status == 0
    assert "warning: invoices.csv, row 3, column 'Date (UTC)': invoice 'in_2' is dated " \
           "2052-02-01, more than a year after every other invoice" in stdout
    shutil.rmtree(tmp_path / "out")
    refused(capsys, tmp_path, folder, "--strict", where="invoices.csv, row 3, column "
            "'Date (UTC)'", value="in_2", says="is its date mistyped?")


@pytest.mark.parametrize("name, content, says", [
    ("wide.csv", ",".join(["c"] * 300_000) + "\n1\n",
     "its header has 300,000 columns, more than the 10,000 any export has"),
    ("long.csv", "x" * 10_000_000 + "\n1\n", "its header line is longer than 1 MiB"),
])
def test_a_huge_header_beside_the_export_is_skipped_unread(tmp_path, capsys, name, content,
                                                           says):
    # Measured by hand (not timed here): each is skipped in well under a second and 200 MB.
    folder = export(tmp_path, **{name: content})
    rows, stdout = accepted(capsys, tmp_path, folder)
    assert rows == RIGHT
    assert f"warning: {name}, row 1: skipped unread: {says}" in stdout


def test_a_zip_renamed_csv_is_called_what_it_is(tmp_path, capsys):
    import zipfile
    folder = export(tmp_path)
    with zipfile.ZipFile(folder / "more.csv", "w") as archive:
        archive.writestr("Invoices.csv", INVOICES)
    status, _, stderr, out = run(capsys, tmp_path, folder)
    assert status == 1 and not out.exists()
    assert "more.csv: this is a zip archive (unzip it first), not a CSV file" in stderr


def test_files_named_in_upper_case_are_read(tmp_path, capsys):
    folder = export(tmp_path)
    for path in folder.iterdir():
        path.rename(path.with_name(path.stem.upper() + ".CSV"))
    assert accepted(capsys, tmp_path, folder)[0] == RIGHT


@pytest.mark.parametrize("lines, says", [
    (LINES.splitlines()[0] + "\n", "lines.csv, row 1: this is the stripe lines export, but "
                                   "it has its header and no row"),
    ("", "lines.csv, row 1: no file is the stripe lines export (its columns are 'id', "
         "'invoice_id', 'amount', 'currency', 'period_start', 'period_end'), and lines.csv "
         "is empty"),
])
def test_a_lines_file_with_no_line_is_an_error_not_an_empty_import(tmp_path, capsys, lines,
                                                                   says):
    status, _, stderr, out = run(capsys, tmp_path, export(tmp_path, lines=lines))
    assert status == 1 and not out.exists()
    assert says in stderr and "nothing was written" in stderr


def test_chargebee_repeat_indexes_with_a_gap_are_all_read(tmp_path, capsys):
    folder = _fixture_copy(tmp_path, "chargebee")
    first, _ = accepted(capsys, tmp_path, folder, source="chargebee")
    (tmp_path / "out").rename(tmp_path / "out_once")
    path = folder / "invoices.csv"
    header, rest = path.read_text("utf-8").split("\n", 1)
    assert "][1]" in header
    path.write_text(header.replace("][1]", "][2]") + "\n" + rest, "utf-8")
    assert accepted(capsys, tmp_path, folder, source="chargebee")[0] == first


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    lambda text: text.encode("utf-16"),
], ids=["utf-8 with BOM", "utf-16"])
def test_paddle_json_with_a_bom_or_in_utf16_is_read(tmp_path, capsys, encode):
    page = (FIXTURES / "paddle" / "transactions.json").read_text("utf-8")
    plain, _ = accepted(capsys, tmp_path, export(tmp_path, invoices=None, lines=None, **{
        "transactions.json": page}), source="paddle")
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(tmp_path / "export")
    folder = export(tmp_path, invoices=None, lines=None, **{"transactions.json": encode(page)})
    assert accepted(capsys, tmp_path, folder, source="paddle")[0] == plain


@pytest.mark.parametrize("damage, where, value", [
    (lambda page: page["data"][0].update(details="x"), "row 1, column 'details'", '"x"'),
    (lambda page: page["data"][1]["details"].update(line_items={"id": 1}),
     "row 2, column 'details.line_items'", '{"id": 1}'),
    (lambda page: page["data"][0].update(payments=[3]), "row 1, column 'payments[]'", "3"),
])
def test_paddle_fields_of_the_wrong_json_type_are_errors(tmp_path, capsys, damage, where,
                                                         value):
    page = _paddle_page()
    damage(page)
    folder = export(tmp_path, invoices=None, lines=None,
                    **{"transactions.json": json.dumps(page)})
    refused(capsys, tmp_path, folder, source="paddle", where=f"transactions.json, {where}",
            value=value, says="where the Paddle API writes")


def test_paddle_json_nested_past_any_plausible_depth_is_an_error(tmp_path, capsys):
    folder = export(tmp_path, invoices=None, lines=None,
                    **{"transactions.json": '{"data": ' + "[" * 200_000 + "]" * 200_000 + "}"})
    status, _, stderr, out = run(capsys, tmp_path, folder, source="paddle")
    assert status == 1 and not out.exists()
    assert "transactions.json: not an API response: nested deeper than any JSON" in stderr


def test_an_amount_that_reads_two_ways_names_the_locale_of_each(tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES.replace(
        "id,Customer,Status,Currency,Date (UTC),Amount Due", "id;Customer;Status;Currency;"
        "Date (UTC);Amount Due").replace(",", ";").replace(";100.00", ";1.250"))
    refused(capsys, tmp_path, folder, where="invoices.csv, row 2, column 'Amount Due'",
            value="1.250", says="reads two ways: 1.25 with --locale en, 1250 with --locale ro "
                                "or de; pass --locale")


@pytest.mark.parametrize("amount", ["1" + "0" * 300, "-" + "9" * 20])
def test_an_amount_too_large_for_cents_is_an_error_without_a_numpy_warning(
        tmp_path, capsys, amount):
    import warnings
    folder = export(tmp_path, lines=LINES.replace("subscription,10000,eur,2025-01-01",
                                                  f"subscription,{amount},eur,2025-01-01"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        refused(capsys, tmp_path, folder, where="lines.csv, row 2, column 'amount'",
                value=amount, says="is too large for an invoice amount")


def test_a_chartmogul_payment_of_an_unknown_invoice_is_an_error(tmp_path, capsys):
    folder = _fixture_copy(tmp_path, "chartmogul")
    _replace(folder / "05_Transactions.csv", "inv_A2,tr_A2,", "inv_ZZ,tr_A2,")
    refused(capsys, tmp_path, folder, "--currency", "EUR", "--fx-rates", RATES,
            source="chartmogul", where="05_Transactions.csv, row 3, column 'Invoice external "
            "ID'", value="inv_ZZ", says="which is not in the ChartMogul invoices file")


@pytest.mark.parametrize("quantity", ["-1", "1.5"])
def test_a_stripe_snapshot_quantity_negative_or_fractional_is_an_error(
        tmp_path, capsys, quantity):
    folder = _fixture_copy(tmp_path, "stripe_subscriptions")
    _replace(folder / "subscriptions.csv", "price_team_m,2,eur", f"price_team_m,{quantity},eur")
    refused(capsys, tmp_path, folder, where="subscriptions.csv, row 2, column 'Quantity'",
            value=quantity, says="a quantity is a whole number of seats, 0 or more")


def test_customer_ids_that_differ_only_in_case_on_one_subscription_are_a_warning(
        tmp_path, capsys):
    folder = export(tmp_path, invoices=INVOICES.replace("in_2,C1,", "in_2,c1,"))
    status, stdout, _, _ = run(capsys, tmp_path, folder)
    assert status == 0
    assert "warning: lines.csv, row 3, column 'customer_id': subscription 'sub_1' is billed " \
           "to customer ids that differ only in case ('C1', 'c1')" in stdout


EXPORT_DATA_LINES = (  # Chargebee "Export Data": LineItems.csv, columns as a public QA
    # script reads them (GitHub muneendravipparthi/dv, utils/invoicecsvtoourformat.py)
    "Invoice Number,Line Item Id,Customer Id,Subscription Id,Entity Type,Entity Id,Date From,"
    "Date To,Description,Unit Amount,Amount,Quantity,Tax\n"
    "1001,li_1,C1,sub_1,plan_item_price,team-EUR-monthly,2025-01-01,2025-01-31,Team,100.00,"
    "100.00,1,20.00\n")


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip in the folder"])
def test_chargebee_export_data_is_recognised_and_refused_with_its_columns(
        tmp_path, capsys, zipped):
    import zipfile
    folder = export(tmp_path, invoices=None, lines=None)
    if zipped:
        with zipfile.ZipFile(folder / "invoices_acme_11_May_2022_06_16_54.zip", "w") as archive:
            archive.writestr("Invoices.csv", "Invoice Number,Customer Id\n1001,C1\n")
            archive.writestr("LineItems.csv", EXPORT_DATA_LINES)
    else:
        (folder / "LineItems.csv").write_text(EXPORT_DATA_LINES)
    status, _, stderr, out = run(capsys, tmp_path, folder, source="chargebee")
    assert status == 1 and not out.exists()
    assert "this is Chargebee's \"Export Data\" download (columns: Invoice Number, Line Item " \
           "Id, Customer Id, Subscription Id, Entity Type, Entity Id, Date From, Date To, " \
           "Description, Unit Amount, Amount, Quantity, Tax): it is recognised but not read" \
           in stderr
    assert "nothing was written" in stderr


def test_the_chargebee_export_data_zip_given_itself_is_recognised(tmp_path, capsys):
    import zipfile
    path = tmp_path / "invoices_acme.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("LineItems.csv", EXPORT_DATA_LINES)
    status, _, stderr, out = run(capsys, tmp_path, path, source="chargebee")
    assert status == 1 and not out.exists()
    assert "invoices_acme.zip, row 1: this is Chargebee's \"Export Data\" download" in stderr


def test_times_with_an_offset_are_read_as_instants_and_dated_in_utc(tmp_path, capsys):
    # 2025-01-01T00:30:00+01:00 is 2024-12-31 23:30 UTC: the service runs from 31 December
    # to 31 January (as Stripe, which keeps UTC instants, dates it), so it covers the end of
    # December and not that of January.
    lines = LINES.replace("2025-01-01,2025-02-01",
                          "2025-01-01T01:30:00+01:00,2025-02-01T01:00:00+01:00")
    rows, _ = accepted(capsys, tmp_path, export(tmp_path, lines=lines))
    assert rows == RIGHT
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(tmp_path / "export")
    lines = LINES.replace("2025-01-01,2025-02-01",
                          "2025-01-01T00:30:00+01:00,2025-02-01T00:30:00+01:00")
    rows, _ = accepted(capsys, tmp_path, export(tmp_path, lines=lines))
    assert rows == [("C1", "2024-12", 100.0), ("C1", "2025-02", 100.0)]


def test_a_file_read_in_a_code_page_says_which_locales_read_it(tmp_path, capsys):
    french = INVOICES.replace(",", ";").replace("100.00", "100,00").replace("C1", "Société")
    folder = export(tmp_path, invoices=french.encode("cp1252"))
    _, stdout = accepted(capsys, tmp_path, folder, "--locale", "fr")
    assert "info: invoices.csv: not UTF-8: read as Windows code page cp1252, the code page " \
           "of --locale en, fr, de" in stdout
