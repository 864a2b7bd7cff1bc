"""Paddle Billing's List transactions and List adjustments API responses to MRR.

tests/fixtures/billing/paddle holds the two responses as saved (``{"data": [...],
"meta": ...}``), objects with the fields of PaddleHQ/paddle-python-sdk's response fixtures
(tests/Functional/Resources/Transactions/_fixtures/response/list_default.json and
Adjustments/_fixtures/response/list_default.json), money as strings in cents, EUR, 20 %
tax. Expected MRR worked by hand (docs/interpretation.md, "Billing exports", Paddle):

- ctm_a, sub_a, Team at 100.00 a month (subtotal, before the 20.00 tax: tax is never MRR)
  for January to March; on 16 March upgrades to Business at 200.00: txn_a4's prorated line
  of 103.23 over 16 March - 1 April (its ``proration.billing_period``) counts at the rate
  it implies, 103.23 / (16/31 of a month) = 200.00, and the approved proration credit
  adj_a3 of 51.61 over the same days removes March's old rate, -51.61 / (16/31) = -100.00:
  March = 100 - 100 + 200 = 200.00; April's renewal 200.00. A rejected refund (adj_a1)
  changes nothing.
- ctm_b, a year at 1,200.00 with 120.00 of discount, billed 1 January, billing period to
  "2024-12-31T23:59:00Z" (the last minute of the year: a year of service): (1,200 - 120)
  / 12 = 90.00 in January to April, the month of the latest transaction.
- ctm_c, a one-time onboarding charge of 50.00 (its price has no billing_cycle): not MRR.
- ctm_d, Starter at 30.00 for February; March's transaction is canceled (void: never
  counts), so ctm_d churns in March. February is refunded in full (adj_d1, approved): with
  refunds="full" ctm_d has no MRR at all.
- txn_x1, a draft checkout with no customer: left out.
"""

import json
import shutil

import pytest
from billing_fixture import FIXTURES, bridge_balances, expected_rows, rows_of

from csmetrics import import_billing
from csmetrics.billing import BillingError, Rules, run_import

PADDLE = FIXTURES / "paddle"
MRR = {
    "ctm_a": {"2024-01": 100, "2024-02": 100, "2024-03": 200, "2024-04": 200},
    "ctm_b": {f"2024-0{m}": 90 for m in range(1, 5)},
    "ctm_d": {"2024-02": 30},
}


def test_mrr_is_the_hand_worked_one():
    assert rows_of(import_billing(PADDLE, "paddle").mrr) == expected_rows(MRR)


@pytest.mark.parametrize("refunds", ["ignore", "full"])
def test_the_bridge_balances_to_the_cent_every_month(refunds):
    assert bridge_balances(import_billing(PADDLE, "paddle", rules=Rules(refunds=refunds)).mrr)


def test_a_transaction_refunded_in_full_can_be_left_out():
    mrr = import_billing(PADDLE, "paddle", rules=Rules(refunds="full")).mrr
    assert rows_of(mrr) == expected_rows({k: v for k, v in MRR.items() if k != "ctm_d"})


def test_transactions_are_receivables_tax_included_canceled_and_drafts_left_out():
    invoices = import_billing(PADDLE, "paddle").invoices.set_index("invoice_id")
    assert "txn_d2" not in invoices.index and "txn_x1" not in invoices.index
    assert invoices.loc["txn_a1", "amount"] == 120.0  # 100 + 20 % tax
    assert invoices.loc["txn_b1", "amount"] == 1080.0
    assert str(invoices.loc["txn_a4", "paid_date"].date()) == "2024-03-16"  # captured_at


def test_findings_say_what_was_left_out():
    text = "\n".join(map(str, run_import(PADDLE, "paddle").findings))
    for words in ("1 void invoice(s)", "1 draft (not finalised)", "1 one-off charge(s)",
                  "1 annual (or longer) plan line(s)"):
        assert words in text


def test_an_amount_that_is_not_in_cents_names_file_row_column_and_value(tmp_path):
    folder = tmp_path / "paddle"
    shutil.copytree(PADDLE, folder)
    path = folder / "transactions.json"
    response = json.loads(path.read_text())
    response["data"][3]["details"]["line_items"][0]["totals"]["subtotal"] = "100.00 EUR"
    path.write_text(json.dumps(response))
    with pytest.raises(BillingError, match=r"transactions.json, row 4, column "
                                           r"'details.line_items\[\].totals.subtotal': "
                                           r"cannot read '100.00 EUR' as an amount"):
        import_billing(folder, "paddle")


def test_a_folder_without_transactions_is_an_error(tmp_path):
    shutil.copy(PADDLE / "adjustments.json", tmp_path)
    with pytest.raises(BillingError, match="no Paddle List transactions response"):
        import_billing(tmp_path, "paddle")


def test_a_file_that_is_not_json_is_an_error_naming_it(tmp_path):
    shutil.copy(PADDLE / "transactions.json", tmp_path)
    (tmp_path / "notes.json").write_text("{not json")
    with pytest.raises(BillingError, match=r"notes.json: not a JSON file"):
        import_billing(tmp_path, "paddle")
