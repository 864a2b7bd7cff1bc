"""Stripe: the Dashboard invoices export joined with its invoice line items.

The invoice gives each line its customer, status and discount; the line gives its amount
(in the currency's smallest unit, Stripe's zero- and three-decimal currencies as
``maps/currency_decimals.toml`` lists them; before discount, without tax), its service
period ``[period_start, period_end)`` and whether it is a proration. Column names:
``maps/stripe.toml``.
"""


import numpy as np
import pandas as pd

from csmetrics.billing.checks import BillingError, Finding
from csmetrics.billing.codes import first_positions, invoice_currency
from csmetrics.billing.files import csv_files, find_tables, load_map, read_vendor_csv
from csmetrics.billing.model import KINDS, Export, invoice_rows, line_items, no_cancellations
from csmetrics.billing.stripe_snapshot import read_snapshot

STATUSES = {"draft": "draft", "open": "open", "paid": "paid", "void": "void",
            "uncollectible": "uncollectible"}


def read(folder, *, locale=None):
    """The Stripe export in ``folder`` as an :class:`~csmetrics.billing.model.Export`; a
    folder with no invoices export but the subscriptions export is read as a snapshot
    (:mod:`~csmetrics.billing.stripe_snapshot`)."""
    try:
        tables = find_tables(folder, "stripe", locale=locale)
    except BillingError as error:
        try:
            snapshot = find_tables(folder, "stripe_subscriptions", locale=locale)
        except BillingError:
            raise _with_subscriptions_hint(folder, error, locale) from None
        return read_snapshot(snapshot["subscriptions"])
    invoices, lines = tables["invoices"], tables["lines"]
    invoice = _invoices(invoices, tables.get("credit_notes"))
    line = _lines(lines, invoice, invoices.cents("discount", invoice["currency"].to_numpy())
                  if invoices.has("discount") else np.zeros(len(invoice), dtype=np.int64))
    findings = invoices.findings + lines.findings
    if "credit_notes" in tables:
        findings += tables["credit_notes"].findings
    headers = {"invoices": invoices.columns,
               "lines": {**lines.columns, "start": lines.columns["period_start"],
                         "end": lines.columns["period_end"]}}
    return Export(line, invoice, no_cancellations(), findings, headers)


def _invoices(table, credit_notes):
    status = pd.Series(table.required_text("status")).str.lower()
    unknown = ~status.isin(list(STATUSES)).to_numpy() & status.notna().to_numpy()
    if unknown.any():
        table.problem(unknown, "status", f"unknown invoice status {status[unknown].iloc[0]!r}; "
                      f"Stripe's are {', '.join(STATUSES)}")
    ids = table.required_text("invoice_id")
    currency = pd.Series(table.required_text("currency")).str.upper().array
    refunded = np.zeros(len(ids), dtype=np.int64)
    if credit_notes is not None:
        amount = pd.Series(credit_notes.cents("amount", invoice_currency(
            credit_notes.text("invoice_id"), ids, currency)))
        live = pd.Series(credit_notes.text("status")).str.lower().ne("void").to_numpy()
        by_invoice = amount[live].groupby(credit_notes.text("invoice_id")[live]).sum()
        refunded = pd.Series(ids).map(by_invoice).fillna(0).to_numpy(dtype=np.int64)
    return invoice_rows(
        invoice_id=ids,
        customer_id=table.required_text("customer_id"),
        status=status.map(STATUSES).to_numpy(dtype=object),
        currency=currency,
        issue_date=table.dates("issue_date"),
        due_date=table.dates("due_date"),
        paid_date=table.dates("paid_date"),
        written_off_date=table.dates("written_off_date"),
        amount_due=table.cents("amount_due", currency),
        refunded=refunded,
        paid=table.cents("paid", currency),
        subtotal=table.stated_cents("subtotal", currency),
        file=table.file_column(),
        row=table.rows,
    )


def _lines(table, invoices, invoice_discount):
    invoice_id = table.required_text("invoice_id")
    found = first_positions(invoice_id, invoices["invoice_id"])
    lost = found < 0
    table.lost_invoices(invoice_id, lost, "Stripe")
    at = np.where(lost, 0, found)
    currency = pd.Series(table.required_text("currency")).str.upper().array
    amount = table.cents("amount", currency)
    prorated = table.flags("proration") if table.has("proration") else np.zeros(len(at), bool)
    discountable = table.flags("discountable") if table.has("discountable") else \
        np.ones(len(at), dtype=bool)
    return line_items(
        line_id=table.required_text("line_id"),
        customer_id=invoices["customer_id"].array.take(at),
        subscription_id=table.text("subscription_id"),
        invoice_id=invoice_id,
        status=pd.Series(invoices["status"].array.take(at)).where(~lost, "void").array,
        currency=currency,
        amount=amount,
        discount=shared_discount(at, amount * (discountable & (amount > 0)),
                                 invoice_discount, len(invoices)),
        start=table.period_bounds("period_start"),
        end=table.period_bounds("period_end"),
        kind=_kinds(table, amount, prorated),
        file=table.file_column(),
        row=table.rows,
    )


def _kinds(table, amount, prorated):
    """recurring, proration, one_off or credit, from ``source_type`` and ``proration``."""
    if table.has("source_type"):
        from_plan = pd.Series(table.text("source_type")).str.lower().eq("subscription")
    else:
        from_plan = pd.Series(table.text("subscription_id")).notna()
    code = np.select([prorated, amount < 0, from_plan.to_numpy()],
                     [KINDS.index("proration"), KINDS.index("credit"), KINDS.index("recurring")],
                     KINDS.index("one_off"))
    return pd.Categorical.from_codes(code, KINDS)


def shared_discount(invoice, weight, discount, n_invoices):
    """Each invoice's discount (cents) shared among its lines in proportion to ``weight``,
    whole cents by largest remainder so the shares add up to the invoice's discount.

    >>> shared_discount(np.array([0, 0, 0, 1]), np.array([100, 200, 0, 50]),
    ...                 np.array([100, 10]), 2).tolist()
    [33, 67, 0, 10]
    """
    total = np.bincount(invoice, weights=weight, minlength=n_invoices)
    exact = np.divide(discount[invoice] * weight, total[invoice],
                      out=np.zeros(len(invoice)), where=total[invoice] > 0)
    share = np.floor(exact).astype(np.int64)
    left = discount - np.bincount(invoice, weights=share, minlength=n_invoices).astype(np.int64)
    left[total == 0] = 0
    order = np.lexsort((-(exact - share), invoice))
    rank = np.arange(len(order)) - np.searchsorted(invoice[order], invoice[order])
    extra = np.zeros(len(invoice), dtype=np.int64)
    extra[order] = rank < left[invoice[order]]
    return share + extra


def _with_subscriptions_hint(folder, error, locale):
    """The error of a folder without invoices, saying so when it holds the subscriptions
    export instead (a snapshot: no history, no discounts)."""
    wanted = set(load_map("stripe")["subscriptions_export"]["columns"])
    for path in csv_files(folder)[0]:
        header = {str(c).strip() for c in read_vendor_csv(path, locale=locale).frame.columns}
        if wanted <= header:
            return BillingError([Finding(
                "error", "this is Stripe's subscriptions export: a snapshot with no history "
                "and no discounts, from which MRR cannot be followed month by month; export "
                "Billing > Invoices and the invoice line items instead (a subscriptions "
                "export with the columns Amount, Interval and Currency gives one month's "
                "MRR)", path.name, 1),
                *error.findings])
    return error
