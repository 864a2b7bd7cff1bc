"""ChartMogul: the CSV files of its custom-source import.

Invoices give the customer, currency and dates; line items the amount (``Amount in
cents``: after discount, tax included), discount, tax and service period; transactions
the payments and refunds; cancellations the day a subscription ended. Column names:
``maps/chartmogul.toml``.
"""

import numpy as np
import pandas as pd

from csmetrics.billing.codes import invoice_currency
from csmetrics.billing.files import find_tables
from csmetrics.billing.model import Export, invoice_rows, line_items, no_cancellations

VOID = frozenset({"void", "voided"})
WRITTEN_OFF = frozenset({"written_off", "written off", "uncollectible"})


def read(folder, *, locale=None):
    """The ChartMogul files in ``folder`` as an :class:`~csmetrics.billing.model.Export`."""
    tables = find_tables(folder, "chartmogul", locale=locale)
    invoices, lines = tables["invoices"], tables["lines"]
    line = _lines(lines, invoices)
    invoice = _invoices(invoices, line, tables.get("transactions"))
    _check_customers(invoices, tables.get("customers"))
    line = line.assign(status=line["invoice_id"].map(
        invoice.drop_duplicates("invoice_id").set_index("invoice_id")["status"])
        .fillna("void").to_numpy(dtype=object))
    cancellations = no_cancellations()
    if "cancellations" in tables:
        cancelled = tables["cancellations"]
        cancellations = pd.DataFrame({"subscription_id": cancelled.required_text("subscription_id"),
                                      "date": cancelled.dates("date")})
    findings = [f for t in tables.values() for f in t.findings]
    headers = {"invoices": invoices.columns,
               "lines": {**lines.columns, "start": lines.columns["period_start"],
                         "end": lines.columns["period_end"]}}
    return Export(line, invoice, cancellations, findings, headers)


def _lines(table, invoices):
    invoice_id = table.required_text("invoice_id")
    owner = pd.Series(invoices.required_text("customer_id"),
                      index=invoices.required_text("invoice_id"))
    owner = owner[~owner.index.duplicated()]
    customer = pd.Series(invoice_id).map(owner)
    table.lost_invoices(invoice_id, customer.isna().to_numpy(), "ChartMogul")
    line_currency = pd.Series(invoice_currency(invoice_id, invoices.required_text("invoice_id"),
                                               invoices.required_text("currency"))).str.upper().array
    total, tax, discount = (table.cents(key, line_currency) for key in ("amount", "tax",
                                                                        "discount"))
    kind = pd.Series(table.required_text("type")).str.lower()
    prorated = table.flags("proration") if table.has("proration") else \
        np.zeros(len(total), dtype=bool)
    plain = np.where(kind.eq("subscription").to_numpy(), "recurring", "one_off")
    return line_items(
        line_id=table.text("line_id"),
        customer_id=customer.to_numpy(dtype=object),
        subscription_id=table.text("subscription_id"),
        invoice_id=invoice_id,
        status=np.full(len(total), "open", dtype=object),
        currency=line_currency,
        amount=total - tax + discount,
        discount=discount,
        tax=tax,
        start=table.period_bounds("period_start"),
        end=table.period_bounds("period_end"),
        kind=np.where(prorated & (plain == "recurring"), "proration",
                      np.where(total < 0, "credit", plain)).astype(object),
        file=table.file_column(),
        row=table.rows,
    )


def _invoices(table, lines, transactions):
    """Invoices with their status: void or written off as the file says, else paid when a
    payment succeeded, open otherwise."""
    ids = table.required_text("invoice_id")
    currency = pd.Series(table.required_text("currency")).str.upper().array
    owed = lines.groupby("invoice_id")["amount"].sum() + lines.groupby("invoice_id")["tax"].sum() \
        - lines.groupby("invoice_id")["discount"].sum()
    paid_date = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    paid = refunded = pd.Series(0, index=ids, dtype=np.int64)
    if transactions is not None:
        kind = pd.Series(transactions.required_text("type")).str.lower().to_numpy()
        done = pd.Series(transactions.required_text("result")).str.lower().eq("successful")
        invoice = transactions.required_text("invoice_id")
        amount = pd.Series(transactions.cents("amount", invoice_currency(invoice, ids, currency)))
        day = pd.Series(transactions.dates("date"))
        lost = ~pd.Series(invoice).isin(pd.Series(ids)).to_numpy() & pd.notna(invoice)
        if lost.any():
            transactions.problem(lost, "invoice_id", f"transaction of invoice "
                                 f"{invoice[lost][0]!r}, which is not in the ChartMogul "
                                 "invoices file")
        payment = done.to_numpy() & (kind == "payment")
        refund = done.to_numpy() & (kind == "refund")
        paid_date = pd.Series(ids).map(day[payment].groupby(invoice[payment]).max())
        paid = pd.Series(ids).map(amount[payment].groupby(invoice[payment]).sum()).fillna(0)
        refunded = pd.Series(ids).map(amount[refund].groupby(invoice[refund]).sum()).fillna(0)
    stated = pd.Series(table.text("status")).str.lower()
    status = np.where(stated.isin(VOID), "void", np.where(
        stated.isin(WRITTEN_OFF), "uncollectible",
        np.where(pd.Series(paid_date).notna().to_numpy(), "paid", "open")))
    issued = table.dates("issue_date")
    return invoice_rows(
        invoice_id=ids,
        customer_id=table.required_text("customer_id"),
        status=status.astype(object),
        currency=currency,
        issue_date=issued,
        due_date=table.dates("due_date"),
        paid_date=np.asarray(paid_date, dtype="datetime64[ns]"),
        written_off_date=np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[ns]"),
        amount_due=pd.Series(ids).map(owed).fillna(0).to_numpy(dtype=np.int64),
        refunded=np.asarray(refunded, dtype=np.int64),
        paid=np.asarray(paid, dtype=np.int64),
        file=table.file_column(),
        row=table.rows,
    )


def _check_customers(invoices, customers):
    """Every invoice's customer must be in the customers file, when there is one."""
    if customers is None:
        return
    known = set(customers.required_text("customer_id"))
    owner = invoices.required_text("customer_id")
    unknown = ~pd.Series(owner).isin(known).to_numpy()
    if unknown.any():
        invoices.problem(unknown, "customer_id",
                         f"customer {owner[unknown][0]!r} is not in {customers.path.name}")
