"""Amounts in a currency's smallest unit when that unit is not a cent: zero-decimal (JPY)
and three-decimal (BHD) currencies, read as each vendor documents them
(csmetrics/billing/maps/currency_decimals.toml has the lists and their sources).

Stripe (tests/fixtures/billing/stripe_jpy and stripe_bhd: the Dashboard invoices export in
major units joined with the invoice line items, whose ``amount`` is in the smallest unit).
https://docs.stripe.com/currencies#zero-decimal: "to charge 500 JPY, provide an amount
value of 500"; #three-decimal: amounts in thousandths, last digit 0 ("5.124 KWD must be
rounded to 5120 or 5130"). Expected MRR, in the invoice currency (one currency per folder,
so no conversion), by hand with the rules of docs/interpretation.md, "Billing exports":

- JPY. cus_J, Basic: line amount 1000 = 1,000 yen a month (tax 100 yen is never MRR) in
  January and February; on 1 March it moves to Pro, 2500 = 2,500 yen: Jan 1,000, Feb 1,000,
  Mar 2,500 (an expansion of 1,500). cus_L, a year paid up front, line amount 120000 =
  120,000 yen, the invoice's Total Discount Amount 12000 (major units: 12,000 yen, coupon
  SAVE10): (120,000 - 12,000) / 12 = 9,000 yen in January to March (MRR stops at the month
  of the latest invoice). Read as cents, as before this fix, cus_J would be 10 yen.
- BHD. cus_K, 12500 = 12.500 dinars a month, Jan-Mar (10 % VAT 1.250 is not MRR); cus_M, a
  quarter paid up front, 30000 = 30.000 dinars over 1 Jan - 1 Apr: 10.000 a month, Jan-Mar;
  cus_N, from February, 5500 = 5.500 a month (new in February). Read as cents, as before,
  cus_K would be 125 dinars. The Dashboard export writes 13.750 dinars with three decimals,
  which reads two ways (13.75 or 13,750) unless the locale says how: these files are read
  with locale "en".
"""

import json
import shutil

import pandas as pd
import pytest
from billing_fixture import FIXTURES, bridge_balances, expected_rows, rows_of

from csmetrics import import_billing, mrr_movements
from csmetrics.billing import BillingError

STRIPE = {
    "stripe_jpy": (None, {"cus_J": {"2024-01": 1000, "2024-02": 1000, "2024-03": 2500},
                          "cus_L": {f"2024-0{m}": 9000 for m in range(1, 4)}}),
    "stripe_bhd": ("en", {"cus_K": {f"2024-0{m}": 12.5 for m in range(1, 4)},
                          "cus_M": {f"2024-0{m}": 10 for m in range(1, 4)},
                          "cus_N": {"2024-02": 5.5, "2024-03": 5.5}}),
}


def stripe(folder, locale):
    return import_billing(folder, "stripe", locale=locale)


@pytest.mark.parametrize("name", STRIPE)
def test_stripe_mrr_is_the_hand_worked_one(name):
    locale, mrr = STRIPE[name]
    assert rows_of(stripe(FIXTURES / name, locale).mrr) == expected_rows(mrr)


@pytest.mark.parametrize("name", STRIPE)
def test_the_bridge_balances_to_the_cent_every_month(name):
    locale, _ = STRIPE[name]
    assert bridge_balances(stripe(FIXTURES / name, locale).mrr)


def test_the_jpy_bridge_is_the_hand_worked_one():
    bridge = mrr_movements(stripe(FIXTURES / "stripe_jpy", None).mrr)
    assert bridge["new"].tolist() == [10000.0, 0.0, 0.0]  # cus_J 1,000 + cus_L 9,000
    assert bridge["expansion"].tolist() == [0.0, 0.0, 1500.0]  # Basic to Pro
    assert bridge["mrr_end"].tolist() == [10000.0, 10000.0, 11500.0]


def test_stripe_invoices_in_major_units_are_unchanged():
    invoices = stripe(FIXTURES / "stripe_bhd", "en").invoices.set_index("invoice_id")
    assert invoices.loc["in_K1", "amount"] == 13.75  # "13.750" dinars, tax included
    yen = stripe(FIXTURES / "stripe_jpy", None).invoices.set_index("invoice_id")
    assert yen.loc["in_L1", "amount"] == 118800.0  # 120,000 - 12,000 + 10,800 tax


@pytest.mark.parametrize(("currency", "monthly"), [
    ("jpy", 1000.0),  # zero-decimal: 1000 is 1,000 yen
    ("krw", 1000.0),  # zero-decimal
    ("isk", 10.0),  # zero-decimal in ISO 4217, but "an ISK amount of 100 will continue
    # to represent 1 krona" in Stripe's API (support.stripe.com, fractional ISK deprecation)
    ("huf", 10.0),  # two-decimal in charges ("zero-decimal for payouts" only)
    ("eur", 10.0),  # two-decimal: 1000 cents
])
def test_stripe_reads_each_currency_as_its_docs_say(tmp_path, currency, monthly):
    folder = _copy(tmp_path, "stripe_jpy")
    for name in ("invoices.csv", "invoice_line_items.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(",jpy,", f",{currency},"),
                        encoding="utf-8")
    invoices = folder / "invoices.csv"  # its Subtotal in yen would not add up in hundredths
    pd.read_csv(invoices, dtype=str).drop(columns="Subtotal").to_csv(invoices, index=False)
    mrr = stripe(folder, None).mrr.set_index(["customer_id", "month"])["mrr"]
    assert mrr[("cus_J", "2024-01")] == monthly


def test_a_three_decimal_amount_that_is_not_a_whole_cent_is_an_error(tmp_path):
    folder = _copy(tmp_path, "stripe_bhd")
    path = folder / "invoice_line_items.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",12500,bhd,", ",12505,bhd,", 1),
                    encoding="utf-8")
    with pytest.raises(BillingError, match=r"invoice_line_items.csv, row 2, column 'amount': "
                                           r"'12505' BHD is in 1/1000 of the currency \(its "
                                           r"smallest unit\): 12.505 BHD is not a whole "
                                           r"number of cents, and csmetrics does not round "
                                           r"money$"):
        stripe(folder, "en")


@pytest.mark.parametrize(("currency", "team", "annual"), [
    # https://apidocs.chargebee.com/docs/api/currencies: "to specify an amount of JPY 15,
    # set the amount as 15"; every other currency "up to two decimal places ... multiplying
    # it by 100", BHD included. cus_A's 10000 a month, cus_B's (120000 - 12000) / 12.
    ("JPY", 10000.0, 9000.0),
    ("BHD", 100.0, 90.0),
])
def test_chargebee_reads_zero_decimal_amounts_in_the_major_unit(tmp_path, currency, team,
                                                                annual):
    folder = _copy(tmp_path, "chargebee")
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(",EUR,", f",{currency},"),
                        encoding="utf-8")
    mrr = import_billing(folder, "chargebee").mrr.set_index(["customer_id", "month"])["mrr"]
    assert (mrr[("cus_A", "2024-01")], mrr[("cus_B", "2024-01")]) == (team, annual)


def test_paddle_reads_jpy_in_yen(tmp_path):
    # https://developer.paddle.com/api-reference/currencies: "100 JPY is "100"". ctm_a's
    # subtotal "10000" a month; ctm_b's year "120000" less "12000" of discount, over 12.
    folder = _paddle_in(tmp_path, "JPY")
    mrr = import_billing(folder, "paddle").mrr.set_index(["customer_id", "month"])["mrr"]
    assert (mrr[("ctm_a", "2024-01")], mrr[("ctm_b", "2024-01")]) == (10000.0, 9000.0)


def test_a_currency_whose_unit_the_vendor_does_not_document_is_an_error(tmp_path):
    with pytest.raises(BillingError, match=r"transactions.json, row 1, column "
                                           r"'details.totals.total': '12000' is in KRW, "
                                           r"whose smallest unit is not a hundredth, and "
                                           r"no documentation found says how paddle "
                                           r"writes such amounts"):
        import_billing(_paddle_in(tmp_path, "KRW"), "paddle")
    folder = _copy(tmp_path, "chartmogul")
    path = folder / "03_Invoices.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",EUR,", ",JPY,"),
                    encoding="utf-8")
    with pytest.raises(BillingError, match=r"04_Invoice_line_items.csv, row 2, column "
                                           r"'Amount in cents': '12000' is in JPY, whose "
                                           r"smallest unit is not a hundredth"):
        import_billing(folder, "chartmogul", currency="JPY")


def test_a_mapping_with_an_unknown_unit_or_decimals_is_an_error(tmp_path):
    folder = _copy(tmp_path, "generic")
    mapping = {"tables": {"lines": {"unit": "euros", "columns": {
        "customer_id": "Client", "invoice_id": "Facture", "currency": "Devise",
        "amount": "Montant HT", "start": "Du"}}}}
    with pytest.raises(BillingError, match="column 'tables.lines.unit': 'euros' is not allowed "
                                           "here; the allowed values are: cents, units"):
        import_billing(folder, "generic", mapping=mapping)
    mapping["tables"]["lines"]["unit"] = "cents"
    with pytest.raises(BillingError, match="column 'decimals': 'yen' is not allowed here; the "
                                           "allowed values are: iso4217, "):
        import_billing(folder, "generic", mapping={**mapping, "decimals": "yen"})


def _copy(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(FIXTURES / name, folder)
    return folder


def _paddle_in(tmp_path, currency):
    folder = _copy(tmp_path, "paddle")
    for path in folder.glob("*.json"):
        content = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(content).replace('"currency_code": "EUR"',
                                           f'"currency_code": "{currency}"')
        path.write_text(text, encoding="utf-8")
    return folder
