"""The billing fixtures of tests/fixtures/billing, and their MRR worked out by hand.

The same five customers are written as a Stripe export (Dashboard invoices + Sigma
invoice line items + credit notes) and as ChartMogul CSV import files. Reporting currency
EUR; USD at 0.90 EUR from 2024-01-01 and 0.95 from 2024-04-01 (fx_rates.csv). Amounts in
euros; each number with the rule it follows (docs/interpretation.md, "Billing exports"):

- cus_A, monthly Team at 100 + 20 % VAT from January; on 16 March upgrades to Business at
  200 (a proration credit of -51.61 and a charge of 103.23 for 16 Mar - 1 Apr); no invoice
  after May. Jan 100, Feb 100 (tax is never MRR); Mar 200 = 100 (March's line) - 100 (the
  credit at the full rate it implies: -51.61 over 16/31 of a month is -100.00) + 200 (the
  charge: 103.23 over 16/31 is 200.00); Apr 200, May 200; June churned (its May service
  ends on 1 June, exclusive).
- cus_B, annual Team at 1,200 paid up front on 1 January, 25 % coupon SAVE25 (300 off):
  (1,200 - 300) / 12 = 75.00 in every month of 2024 the export reaches (January-June: MRR
  stops at the month of the latest invoice).
- cus_C, a 0.00 trial invoice in January and nothing else: never billed above zero, not a
  customer (no row).
- cus_D, monthly Starter at 50 from February, with a 99.00 setup fee on its first invoice
  (one-off: not MRR) and a voided duplicate February invoice (void never counts: February
  is 50, not 100); March's invoice is uncollectible (written off 15 April): March 0, a
  churn; April, May, June 50 (a return: reactivation in April).
- cus_E, monthly at 100 USD, no VAT: 90.00 EUR in January-March (0.90 at the service
  start), 95.00 in April-June (0.95); the April change of +5.00 is fx_impact, not
  expansion. A 20 USD credit note / refund on February and a full refund of March leave
  MRR alone by default (refunds="ignore"). ChartMogul's export also cancels sub_E on 20
  June: with churn="cancellation" (the default) June's service ends that day, so cus_E has
  no MRR on 30 June (churned in June).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics import mrr_movements

FIXTURES = Path(__file__).parent / "fixtures" / "billing"
RATES = FIXTURES / "fx_rates.csv"

MRR = {  # customer: {month: MRR in EUR}
    "cus_A": {"2024-01": 100, "2024-02": 100, "2024-03": 200, "2024-04": 200, "2024-05": 200},
    "cus_B": {f"2024-0{m}": 75 for m in range(1, 7)},
    "cus_D": {"2024-02": 50, "2024-04": 50, "2024-05": 50, "2024-06": 50},
    "cus_E": {"2024-01": 90, "2024-02": 90, "2024-03": 90, "2024-04": 95, "2024-05": 95,
              "2024-06": 95},
}
CHARTMOGUL_MRR = {**MRR, "cus_E": {m: v for m, v in MRR["cus_E"].items() if m != "2024-06"}}

BRIDGE = pd.DataFrame(  # the Stripe fixture's bridge, by hand from MRR above
    {
        "month": ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"],
        "mrr_start": [0, 265, 315, 365, 420, 420],
        "new": [265, 50, 0, 0, 0, 0],  # A + B + E in January, D in February
        "expansion": [0, 0, 100, 0, 0, 0],  # A's upgrade
        "contraction": [0, 0, 0, 0, 0, 0],
        "churned": [0, 0, 50, 0, 0, 200],  # D's written-off March, A after May
        "reactivation": [0, 0, 0, 50, 0, 0],  # D back in April
        "mrr_end": [265, 315, 365, 420, 420, 220],
        "fx_impact": [0, 0, 0, 5, 0, 0],  # E: 100 USD x (0.95 - 0.90)
    }
)


def expected_rows(mrr):
    """The hand-worked MRR as sorted (customer_id, month, mrr) tuples."""
    return sorted((customer, month, float(value))
                  for customer, months in mrr.items() for month, value in months.items())


def rows_of(table):
    """An imported mrr table as sorted (customer_id, month, mrr) tuples."""
    return sorted(zip(table["customer_id"], table["month"].astype(str), table["mrr"],
                      strict=True))


def bridge_balances(mrr):
    """Whether the MRR bridge of ``mrr`` balances to the cent in every month: start + new +
    expansion + reactivation - contraction - churned + fx_impact = end, and each month
    starts where the previous one ended."""
    bridge = mrr_movements(mrr)
    cents = {name: np.rint(bridge[name].to_numpy() * 100).astype(np.int64)
             for name in ("mrr_start", "new", "expansion", "reactivation", "contraction",
                          "churned", "fx_impact", "mrr_end")}
    return bool(np.array_equal(
        cents["mrr_start"] + cents["new"] + cents["expansion"] + cents["reactivation"]
        - cents["contraction"] - cents["churned"] + cents["fx_impact"], cents["mrr_end"])
        and np.array_equal(cents["mrr_start"][1:], cents["mrr_end"][:-1]))
