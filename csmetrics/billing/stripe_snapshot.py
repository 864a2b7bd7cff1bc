"""Stripe's subscriptions export, the fallback when a folder holds no invoices export.

The export is a snapshot: each subscription's status, plan amount, quantity and billing
interval as they stand on the day it was downloaded, with no history and no discounts. It
gives the MRR of one month, the month of the latest current period start (the export's
month): each active or past-due subscription at its plan amount x quantity over the months
of its interval. Column names: ``maps/stripe_subscriptions.toml``; the rules are written in
docs/interpretation.md ("Billing exports", Stripe subscriptions export).
"""

import numpy as np
import pandas as pd

from csmetrics.billing.checks import Finding
from csmetrics.billing.model import Export, invoice_rows, line_items, no_cancellations
from csmetrics.billing.normalise import monthly_cents

COUNTED = ("active", "past_due")
"""Statuses whose subscription is MRR: paying, or billed and not yet paid (still a
customer until the subscription is cancelled)."""

LEFT_OUT = ("trialing", "canceled", "incomplete", "incomplete_expired", "unpaid", "paused")
"""Statuses that are not MRR: a trial, an ended subscription, a first payment never made,
one Stripe stopped retrying, or one paused."""

INTERVAL_MONTHS = {"month": 1, "year": 12}


def read_snapshot(table):
    """The subscriptions export read as a :class:`~csmetrics.billing.model.Export` of one
    month: a line per counted subscription over that month, at its monthly value in cents.

    Its findings say, first, that the export is a snapshot (a warning: ``--strict`` stops
    such an import), then which subscriptions were left out and why.
    """
    status = pd.Series(table.required_text("status")).str.lower()
    _check_words(table, "status", status, COUNTED + LEFT_OUT)
    interval = pd.Series(table.required_text("interval")).str.lower()
    _check_words(table, "interval", interval, tuple(INTERVAL_MONTHS))
    quantity = table.numbers("quantity", blank=1.0)
    seats = ~((quantity >= 0) & (quantity == np.floor(quantity))) & ~np.isnan(quantity)
    if seats.any():
        table.problem(seats, "quantity", f"{table.text('quantity')[seats][0]!r}: a quantity "
                      "is a whole number of seats, 0 or more")
    currency = pd.Series(table.required_text("currency")).str.upper().array
    price = table.cents("amount", currency)
    started = table.dates("period_start")
    table.problem(pd.isna(table.text("period_start")), "period_start",
                  "blank cell: every row needs a value")
    if table.findings:
        return Export(line_items(), invoice_rows(), no_cancellations(), table.findings)
    month = np.max(started).astype("M8[M]")
    months = interval.map(INTERVAL_MONTHS).fillna(1).to_numpy(dtype=float)
    monthly = monthly_cents(np.rint(price * quantity), months)
    counted = status.isin(COUNTED).to_numpy()
    size = int(counted.sum())
    ids = table.required_text("subscription_id")[counted]
    lines = line_items(
        customer_id=table.required_text("customer_id")[counted],
        subscription_id=ids,
        invoice_id=ids,
        status=np.full(size, "paid", dtype=object),
        currency=currency[counted],
        amount=monthly[counted],
        start=np.full(size, month.astype("M8[D]")),
        end=np.full(size, (month + 1).astype("M8[D]")),
        kind=np.full(size, "recurring", dtype=object),
        file=table.file_column()[counted],
        row=table.rows[counted],
    )
    return Export(lines, invoice_rows(), no_cancellations(),
                  _findings(table, status, pd.Period(month, "M")))


def _check_words(table, key, words, known):
    unknown = (~words.isin(known) & words.notna()).to_numpy()
    if unknown.any():
        table.problem(unknown, key, f"unknown {key} {words[unknown].iloc[0]!r}; the "
                      f"subscriptions export's are {', '.join(known)}")


def _findings(table, status, month):
    findings = [Finding(
        "warning", "this is Stripe's subscriptions export, a snapshot with no history and "
        f"no discounts: MRR is given for {month} only (the month of the latest current "
        "period start), at the plans' prices before any coupon; export Billing > Invoices "
        "and the invoice line items for MRR month by month", table.path.name)]
    for word in LEFT_OUT:
        count = int((status == word).sum())
        if count:
            findings.append(Finding("info", f"{count} {word} subscription(s) are not MRR",
                                    table.path.name))
    return findings
