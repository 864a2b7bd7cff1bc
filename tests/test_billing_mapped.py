"""Chargebee, Recurly and a user's own mapping file, read through the generic source.

Expected MRR worked by hand (amounts in euros), each with its rule
(docs/interpretation.md, "Billing exports"):

Chargebee (tests/fixtures/billing/chargebee/invoices.csv, one row per invoice, line items
in bracketed columns, amounts in cents):
- cus_A, 100 a month + 20 % tax (tax is never MRR); January's 50.00 setup fee is a one-off
  (not MRR); March's first invoice is voided (never counts) and reissued: Jan-Apr 100.
  April's invoice is payment_due: still billed, so April counts.
- cus_B, a year at 1,200 with 120 of item-level discount: (1,200 - 120) / 12 = 90 a month,
  January to April (MRR stops at the month of the latest invoice).
- cus_C, a 0 trial invoice in February: never billed above zero, not a customer.

Chargebee credit notes (tests/fixtures/billing/chargebee/credit_notes.csv, cents): cn_1
refunds cus_B's annual invoice inv_4 in full (1,080.00 of 1,080.00), cn_2 credits 20.00 of
cus_A's 120.00 February invoice, cn_3 (voided) the whole of January's. By default credit
notes leave MRR alone (the figures above); with refunds="full" only inv_4 is refunded in
full, so cus_B has no MRR at all and cus_A keeps its 100 a month.

Recurly (tests/fixtures/billing/recurly/line_items.csv, decimals):
- acct_A, 49 a month (subtotal, before tax); a 20 setup fee and a 5 service credit are
  left out: Jan-Mar 49.
- acct_B, a 14-day plan_trial at 0, then 99 from the 15th with a 9.90 coupon: every month
  end from 31 January falls in a paid period, 99 - 9.90 = 89.10.
- acct_C, 100 USD at 0.90 EUR (fx_rates.csv): 90.

Generic (tests/fixtures/billing/generic/factures.csv with tests/fixtures/billing/generic.toml:
French headers, inclusive end dates): C1 100 a month (a cancelled "annulée" invoice left
out), C2 a year at 1,200 less 120 = 90 a month, its 50 "frais" a one-off.
"""

import shutil

import pandas as pd
import pytest
from billing_fixture import FIXTURES, RATES, bridge_balances, rows_of

from csmetrics import import_billing
from csmetrics.billing import BillingError, Rules, run_import
from csmetrics.billing.files import tomllib
from csmetrics.errors import DataError

CASES = {
    "chargebee": ({}, [("cus_A", f"2024-0{m}", 100.0) for m in range(1, 5)]
                  + [("cus_B", f"2024-0{m}", 90.0) for m in range(1, 5)]),
    "recurly": ({"currency": "EUR", "fx_rates": RATES},
                [(c, f"2024-0{m}", v) for c, v in (("acct_A", 49.0), ("acct_B", 89.1),
                                                   ("acct_C", 90.0)) for m in range(1, 4)]),
    "generic": ({"mapping": FIXTURES / "generic.toml"},
                [(c, f"2024-0{m}", v) for c, v in (("C1", 100.0), ("C2", 90.0))
                 for m in range(1, 4)]),
}


@pytest.mark.parametrize("source", CASES)
def test_mrr_is_the_hand_worked_one(source):
    options, expected = CASES[source]
    assert rows_of(import_billing(FIXTURES / source, source, **options).mrr) == sorted(expected)


@pytest.mark.parametrize("source", CASES)
def test_the_bridge_balances_to_the_cent_every_month(source):
    options, _ = CASES[source]
    assert bridge_balances(import_billing(FIXTURES / source, source, **options).mrr)


def test_a_chargebee_invoice_refunded_in_full_by_credit_notes_can_be_left_out():
    full = import_billing(FIXTURES / "chargebee", "chargebee", rules=Rules(refunds="full"))
    assert rows_of(full.mrr) == [("cus_A", f"2024-0{m}", 100.0) for m in range(1, 5)]
    assert bridge_balances(full.mrr)
    invoices = full.invoices.set_index("invoice_id")
    assert invoices.loc["inv_4", "amount"] == 1080.0  # still owed and paid: a receivable


def test_a_chargebee_credit_note_of_an_unknown_invoice_is_an_error(tmp_path):
    folder = _edited_copy(tmp_path, "chargebee", "credit_notes.csv", "cn_2,cus_A,inv_2",
                          "cn_2,cus_A,inv_20")
    with pytest.raises(BillingError, match=r"credit_notes.csv, row 3, column "
                                           r"'credit_note\[reference_invoice_id\]': credit "
                                           r"note of invoice 'inv_20', which is not in the "
                                           r"chargebee invoices file"):
        import_billing(folder, "chargebee")


def test_chargebee_invoices_owe_tax_and_setup_fees_void_left_out():
    invoices = import_billing(FIXTURES / "chargebee", "chargebee").invoices.set_index(
        "invoice_id")
    assert "inv_3" not in invoices.index
    assert invoices.loc["inv_1", "amount"] == 180.0  # 100 + 50 setup + 20 % tax on both
    assert str(invoices.loc["inv_3b", "paid_date"].date()) == "2024-03-05"


def test_recurly_lines_without_payment_dates_are_a_warning():
    findings = run_import(FIXTURES / "recurly", "recurly", currency="EUR",
                          fx_rates=RATES).findings
    assert any(f.level == "warning" and "no payment date" in f.message for f in findings)


def test_an_inclusive_end_date_is_the_last_day_served():
    mapping = FIXTURES / "generic.toml"
    spec = mapping.read_text().replace('end = "inclusive"', 'end = "exclusive"')
    # read as exclusive, January's line 1-31 January does not cover 31 January
    mrr = import_billing(FIXTURES / "generic", "generic", mapping=_toml(spec)).mrr
    assert ("C1", "2024-01", 100.0) not in rows_of(mrr)


def test_the_generic_source_needs_a_mapping():
    with pytest.raises(BillingError, match="needs a mapping file"):
        import_billing(FIXTURES / "generic", "generic")


def test_an_unknown_word_in_a_mapped_column_is_an_error(tmp_path):
    folder = _edited_copy(tmp_path, "generic", "factures.csv", "C1,F-002,EUR,abonnement",
                          "C1,F-002,EUR,remise")
    with pytest.raises(BillingError, match=r"factures.csv, row 3, column 'Type': unknown kind "
                                           r"'remise'; the map knows abonnement, credit"):
        import_billing(folder, "generic", mapping=FIXTURES / "generic.toml")


def test_a_change_exported_without_its_credit_is_a_warning(tmp_path):
    folder = _with_changes_without_credit(tmp_path, ("inv_7", "2024-04-16"))
    findings = run_import(folder, "chargebee").findings
    assert any(f.level == "warning" and "counts twice" in f.message
               and "sub_A in 2024-04" in f.message for f in findings)


def test_two_changes_without_their_credit_are_counted_and_the_first_is_named(tmp_path):
    """cus_A's Team plan (sub_A, a regular line from the 1st of each month) changed on 16
    March and on 16 April, each change exported as a regular line to the 1st of the next
    month without the credit of the old rate: sub_A has two regular lines starting on
    different days at the end of March and of April, 2 subscription-months, the first
    (sorted by subscription, then month) sub_A in 2024-03."""
    folder = _with_changes_without_credit(tmp_path, ("inv_7", "2024-04-16"),
                                          ("inv_8", "2024-03-16"))
    [warning] = [f.message for f in run_import(folder, "chargebee").findings
                 if "counts twice" in f.message]
    assert warning.startswith("2 subscription-month(s) have two regular lines")
    assert "(first: sub_A in 2024-03)" in warning


@pytest.mark.parametrize("usd_first", [False, True])
def test_a_customer_billed_in_two_currencies_in_a_month_is_an_error_naming_the_first(
        tmp_path, usd_first):
    """C1, billed 100.00 EUR a month, also gets a 10.00 USD line for February and one for
    March: two customer-months in two currencies. One error, naming the first, C1 in
    2024-02 (by customer, then month), and its currencies in alphabetical order, EUR and
    USD, whether the USD lines come after the EUR ones in the file or before them."""
    folder = _generic_with(tmp_path, *(
        f"C1,F-10{n},USD,abonnement,payée,2024-0{n}-01,2024-0{n}-{last},10.00,0.00,0.00"
        for n, last in ((2, 29), (3, 31))))
    if usd_first:
        path = folder / "factures.csv"
        header, *lines = path.read_text().splitlines()
        path.write_text("\n".join([header, *lines[-2:], *lines[:-2]]) + "\n")
    findings = run_import(folder, "generic", mapping=FIXTURES / "generic.toml",
                          currency="EUR", fx_rates=RATES).findings
    assert [f.message for f in findings if f.level == "error"] == [
        "customer C1 is billed in EUR and USD in 2024-02: one currency per customer and month"]


def test_a_paid_credit_invoice_is_no_full_refund(tmp_path):
    """C3's invoice F-100 is a credit of -50.00 (-60.00 with tax), marked paid: paid -60.00
    and refunded 0.00. A full refund needs a payment above zero refunded in full, so with
    refunds="full" no invoice is left out as refunded."""
    folder = _generic_with(
        tmp_path, "C3,F-100,EUR,abonnement,payée,2024-02-01,2024-02-29,-50.00,0.00,-10.00")
    findings = run_import(folder, "generic", mapping=FIXTURES / "generic.toml",
                          rules=Rules(refunds="full")).findings
    assert not any("refunded" in f.message for f in findings)


def test_each_currency_without_a_rate_is_an_error_naming_its_own_lines(tmp_path):
    """C5 billed 10.00 GBP for February (row 8 of factures.csv), C6 10.00 USD for March
    (row 9), reported in EUR with no rates: one error per currency, each at its own line,
    dated its own service start."""
    folder = _generic_with(
        tmp_path, "C5,F-300,GBP,abonnement,payée,2024-02-01,2024-02-29,10.00,0.00,0.00",
        "C6,F-301,USD,abonnement,payée,2024-03-01,2024-03-31,10.00,0.00,0.00")
    findings = run_import(folder, "generic", mapping=FIXTURES / "generic.toml",
                          currency="EUR").findings
    assert [(f.message, f.file, f.row) for f in findings if f.level == "error"] == [
        ("no GBP to EUR rate in force on 2024-02-01 (give one in --fx-rates; row 8)",
         "factures.csv", 8),
        ("no USD to EUR rate in force on 2024-03-01 (give one in --fx-rates; row 9)",
         "factures.csv", 9)]


def test_each_currency_converted_shows_its_own_rates(tmp_path):
    """C5 billed 10.00 GBP for February, C6 10.00 USD for March, reported in EUR with GBP
    at 1.15 and USD at 0.90: one line of each converted, each at its own rate."""
    folder = _generic_with(
        tmp_path, "C5,F-300,GBP,abonnement,payée,2024-02-01,2024-02-29,10.00,0.00,0.00",
        "C6,F-301,USD,abonnement,payée,2024-03-01,2024-03-31,10.00,0.00,0.00")
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2024-01-01,GBP,1.15\n2024-01-01,USD,0.90\n")
    findings = run_import(folder, "generic", mapping=FIXTURES / "generic.toml",
                          currency="EUR", fx_rates=rates).findings
    assert [f.message for f in findings if "converted" in f.message] == [
        "1 GBP line(s) converted to EUR at the rate of their service period's start (1.15)",
        "1 USD line(s) converted to EUR at the rate of their service period's start (0.9)"]


def test_a_customer_only_ever_credited_is_not_a_customer_and_its_credit_no_charge(tmp_path):
    """C3 has one line, a credit of -50.00 (read as a credit: never MRR) and nothing
    else: billed at most -50.00, never above zero, so not a customer, as C1 and C2 (billed
    100.00 and 1,200.00) are. The findings count C3's line among the credits, and C2's
    50.00 "frais" alone among the one-off charges."""
    folder = _generic_with(
        tmp_path, "C3,F-100,EUR,abonnement,payée,2024-02-01,2024-02-29,-50.00,0.00,-10.00")
    said = [str(f) for f in run_import(folder, "generic",
                                       mapping=FIXTURES / "generic.toml").findings]
    for words in ("info: factures.csv: 1 customer(s) never billed above zero (trials) are not "
                  "customers",
                  "info: factures.csv: 1 credit or refund line(s) left out of MRR",
                  "info: factures.csv: 1 one-off charge(s) (setup fees and the like) kept out "
                  "of MRR"):
        assert words in said


@pytest.mark.parametrize(("last_day", "annual"), [
    ("2024-06-14", 1),  # 11 months and 14 of June's 30 days: 11.47, not annual
    ("2024-06-15", 2),  # 11 months and 15 of June's 30 days: 11.5, annual
])
def test_a_plan_of_eleven_and_a_half_months_or_more_is_an_annual_one(tmp_path, last_day,
                                                                     annual):
    """A service period of 11.5 months or more is an annual plan: C2's year (1 January -
    31 December, 12 months) is one. C4's period from 1 July 2023 has 11 whole months to 1
    June 2024, then 14 or 15 of June's 30 days (its last day included): 11.47 months is not
    one, 11.5 is."""
    folder = _generic_with(tmp_path, f"C4,F-101,EUR,abonnement,payée,2023-07-01,{last_day},"
                                     "1150.00,0.00,230.00")
    said = [str(f) for f in run_import(folder, "generic",
                                       mapping=FIXTURES / "generic.toml").findings]
    assert f"info: factures.csv: {annual} annual (or longer) plan line(s) spread over their " \
        "months" in said


def test_the_mrr_table_comes_by_customer_then_month_whatever_the_files_order(tmp_path):
    """A0's January line (30.00) written last in factures.csv: the MRR table still starts
    with A0, then C1's and C2's months, by customer id, then month."""
    folder = _generic_with(
        tmp_path, "A0,F-200,EUR,abonnement,payée,2024-01-01,2024-01-31,30.00,0.00,6.00")
    mrr = import_billing(folder, "generic", mapping=FIXTURES / "generic.toml").mrr
    assert list(zip(mrr["customer_id"], mrr["month"].astype(str), strict=True)) == [
        ("A0", "2024-01"), ("C1", "2024-01"), ("C1", "2024-02"), ("C1", "2024-03"),
        ("C2", "2024-01"), ("C2", "2024-02"), ("C2", "2024-03")]


def _generic_with(tmp_path, *rows):
    """A copy of the generic source's fixture with ``rows`` (CSV lines) added to
    factures.csv."""
    folder = tmp_path / "generic"
    shutil.copytree(FIXTURES / "generic", folder)
    path = folder / "factures.csv"
    path.write_text(path.read_text() + "".join(row + "\n" for row in rows))
    return folder


def _with_changes_without_credit(tmp_path, *changes):
    """The Chargebee fixture with, for each (invoice, day) of ``changes``, a paid invoice
    of cus_A's sub_A on that day: a regular line of 103.23 from the day to the 1st of the
    next month (a change to Business at 200 a month, prorated), with no credit."""
    folder = tmp_path / "chargebee"
    shutil.copytree(FIXTURES / "chargebee", folder)
    path = folder / "invoices.csv"
    rows = []
    for invoice, day in changes:
        end = (pd.Period(day, "M") + 1).start_time.date().isoformat()
        rows.append(f"{invoice},cus_A,sub_A,paid,{day},{day},EUR,10323,li_{invoice},"
                    f"plan_item_price,sub_A,Business (prorated),{day},{end},1,10323,10323,0,0"
                    + "," * 13 + "\n")
    path.write_text(path.read_text() + "".join(rows))
    return folder


def _edited_copy(tmp_path, source, name, old, new):
    """A copy of a source's fixture folder with ``old`` replaced by ``new`` in one file."""
    folder = tmp_path / source
    shutil.copytree(FIXTURES / source, folder)
    path = folder / name
    path.write_text(path.read_text().replace(old, new))
    return folder


def _toml(text):
    return tomllib.loads(text)


def french_excel_copy(folder, encoding="cp1252"):
    """factures.csv as French Excel saves it: cp1252 (or "CSV UTF-8": utf-8-sig), ';',
    decimal comma, a no-break space between thousands, dd/mm/yyyy dates, CRLF
    (../shared/BILLING.md, last section)."""
    lines = (FIXTURES / "generic" / "factures.csv").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        if cells[0] != "Client":
            cells[5:7] = ["/".join(reversed(day.split("-"))) for day in cells[5:7]]
            cells[7:] = [f"{float(v):,.2f}".replace(",", "\u00a0").replace(".", ",")
                         for v in cells[7:]]
        out.append(";".join(cells))
    folder.mkdir()
    (folder / "factures.csv").write_bytes("\r\n".join(out).encode(encoding) + b"\r\n")
    return folder


def test_a_mapping_with_a_locale_reads_french_excel_files(tmp_path):
    mapping = tmp_path / "generic_fr.toml"
    mapping.write_text('locale = "fr"\n' + (FIXTURES / "generic.toml").read_text("utf-8"),
                       encoding="utf-8")
    data = import_billing(french_excel_copy(tmp_path / "export"), "generic", mapping=mapping)
    assert rows_of(data.mrr) == sorted(CASES["generic"][1])


def test_a_french_file_without_a_locale_is_refused_naming_what_to_pass(tmp_path):
    with pytest.raises(DataError, match=r"not UTF-8 text.*--locale en, fr or de for cp1252"):
        import_billing(french_excel_copy(tmp_path / "export"), "generic",
                       mapping=FIXTURES / "generic.toml")
    with pytest.raises(BillingError, match=r"01/02/2024"):
        import_billing(french_excel_copy(tmp_path / "utf8", "utf-8-sig"), "generic",
                       mapping=FIXTURES / "generic.toml")
