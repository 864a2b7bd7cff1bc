"""Paddle Billing: the JSON of its List transactions and List adjustments API.

A folder holds the responses as saved (``{"data": [...], "meta": ...}``, one file per page,
any names); a file is recognised by its objects' fields (a transaction has ``details`` and
``billing_period``, an adjustment ``action`` and ``transaction_id``). Paddle writes money as
strings in the currency's lowest denomination (JPY in yen: ``maps/currency_decimals.toml``,
[paddle]) and dates as RFC 3339 times. Each
transaction line item gives its subtotal (before discount, without tax), discount and tax
(``details.line_items[].totals``) over the transaction's ``billing_period``, or over its
own ``proration.billing_period`` when prorated; its price's ``billing_cycle`` (in
``items[]``) says whether it recurs. Approved adjustments are credits: a proration credit
removes the old rate over its period, every approved adjustment counts as credited on its
transaction. Field names: PaddleHQ/paddle-python-sdk (docs/interpretation.md, "Billing
exports", Paddle). The dashboard's CSV reports are not read (their headers could not be
verified).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.billing.checks import BillingError, Finding
from csmetrics.billing.codes import first_positions
from csmetrics.billing.files import files_named
from csmetrics.billing.model import KINDS, Export, invoice_rows, line_items, no_cancellations
from csmetrics.billing.vendor_table import VendorTable

STATUSES = {"draft": "draft", "ready": "draft", "billed": "open", "past_due": "open",
            "paid": "paid", "completed": "paid", "canceled": "void"}
"""Paddle's transaction statuses onto ours: not yet billed is a draft, billed or past due
is open, paid or completed is paid, canceled is void (no longer due)."""

TRANSACTION = {"id": "id", "customer_id": "customer_id", "status": "status",
               "currency": "currency_code", "billed_at": "billed_at",
               "created_at": "created_at", "total": "details.totals.total",
               "subtotal": "details.totals.subtotal",
               "paid_date": "payments[].captured_at"}
LINE = {"invoice_id": "id", "line_id": "details.line_items[].id",
        "customer_id": "customer_id", "subscription_id": "subscription_id",
        "currency": "currency_code", "price_id": "details.line_items[].price_id",
        "amount": "details.line_items[].totals.subtotal",
        "discount": "details.line_items[].totals.discount",
        "tax": "details.line_items[].totals.tax",
        "start": "billing_period.starts_at", "end": "billing_period.ends_at",
        "proration_start": "details.line_items[].proration.billing_period.starts_at",
        "proration_end": "details.line_items[].proration.billing_period.ends_at"}
ADJUSTMENT = {"id": "id", "action": "action", "status": "status",
              "invoice_id": "transaction_id", "customer_id": "customer_id",
              "subscription_id": "subscription_id", "currency": "currency_code",
              "total": "totals.total", "item_type": "items[].type",
              "amount": "items[].totals.subtotal",
              "start": "items[].proration.billing_period.starts_at",
              "end": "items[].proration.billing_period.ends_at"}


def read(folder, *, locale=None):
    """The Paddle API responses in ``folder`` as an :class:`~csmetrics.billing.model.Export`."""
    folder = Path(folder)
    files, repeated = _read_once(_responses(folder))
    transactions = [(path, rows) for path, rows in files if _kind(rows) == "transactions"]
    adjustments = [(path, rows) for path, rows in files if _kind(rows) == "adjustments"]
    if not transactions:
        raise BillingError([Finding(
            "error", "no Paddle List transactions response (a JSON file whose \"data\" holds "
            "transactions with \"details\" and \"billing_period\") found", str(folder))])
    misshapen = _misshapen(transactions, TRANSACTION_SHAPE) + \
        _misshapen(adjustments, ADJUSTMENT_SHAPE)
    if misshapen:
        raise BillingError(misshapen)
    tables = [_table(path, rows, TRANSACTION, _transaction_row) for path, rows in transactions]
    line_tables = [_table(path, rows, LINE, _line_rows) for path, rows in transactions]
    credit_tables = [_table(path, rows, ADJUSTMENT, _adjustment_rows)
                     for path, rows in adjustments]
    cycles = _billing_cycles(transactions)
    credits = pd.concat([_credits(table) for table in credit_tables]) if credit_tables else \
        None
    invoice = pd.concat([_invoices(table) for table in tables], ignore_index=True)
    if credits is not None:
        credited = credits[credits["approved"]].groupby("invoice_id")["total"].sum()
        invoice = invoice.assign(refunded=invoice["invoice_id"].map(credited).fillna(0)
                                 .to_numpy(dtype=np.int64))
    lines = [_lines(table, invoice, cycles) for table in line_tables]
    if credits is not None:
        lines.append(_proration_credits(credits, invoice))
    lines = pd.concat(lines, ignore_index=True)
    findings = repeated + [f for table in tables + line_tables + credit_tables
                           for f in table.findings]
    headers = {"invoices": {"invoice_id": TRANSACTION["id"], **TRANSACTION}, "lines": LINE}
    return Export(_with_customers(lines, findings), invoice, no_cancellations(), findings,
                  headers)


def _with_customers(lines, findings):
    """The lines, a draft's lines without a customer (a checkout never completed) left
    out; any other line without a customer is an error."""
    unknown = lines["customer_id"].isna().to_numpy()
    draft = (lines["status"] == "draft").to_numpy()
    lost = unknown & ~draft
    if lost.any():
        first = lines[lost].iloc[0]
        findings.append(Finding("error", f"transaction {first['invoice_id']!r} has no "
                                "customer_id: its MRR belongs to no one", first["file"],
                                int(first["row"]), "customer_id"))
    return lines[~(unknown & draft)].reset_index(drop=True)


def _responses(folder):
    """``[(path, objects)]`` of the JSON files of ``folder``: each a response's ``data``."""
    if not folder.is_dir():
        raise BillingError([Finding("error", "no such folder (give the folder holding the "
                                    "Paddle API responses)", str(folder))])
    found = []
    for path in files_named(folder, ".json"):
        try:  # UTF-8 (a byte order mark allowed), UTF-16 or UTF-32, as RFC 8259 lets JSON be
            content = json.loads(path.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as problem:
            raise BillingError([Finding("error", f"not a JSON file: {problem}", path.name)]) \
                from None
        except RecursionError:
            raise BillingError([Finding("error", "not an API response: nested deeper than "
                                        "any JSON Paddle writes", path.name)]) from None
        data = content.get("data") if isinstance(content, dict) else content
        if isinstance(data, list) and all(isinstance(item, dict) for item in data):
            found.append((path, data))
    return found


TRANSACTION_SHAPE = {"details": dict, "details.totals": dict, "details.line_items": list,
                     "details.line_items[]": dict, "details.line_items[].totals": dict,
                     "billing_period": (dict, None), "payments": (list, None),
                     "payments[]": dict, "items": (list, None), "items[]": dict}
ADJUSTMENT_SHAPE = {"totals": (dict, None), "items": (list, None), "items[]": dict,
                    "items[].totals": (dict, None)}
"""What each JSON path read must hold: an object, a list (of objects, ``[]``) or null."""


def _misshapen(files, shape):
    """Error findings for objects whose fields are not of the JSON type :data:`TRANSACTION_
    SHAPE` or :data:`ADJUSTMENT_SHAPE` says (``"details": "x"``), naming file, object
    (row), JSON path (column) and value."""
    names = {dict: "an object", list: "a list", None: "null"}
    problems = []
    for path, rows in files:
        for position, item in enumerate(rows, start=1):
            for field, value in _fields(item, shape):
                wanted = shape[field] if isinstance(shape[field], tuple) else (shape[field],)
                if not any(value is None if kind is None else isinstance(value, kind)
                           for kind in wanted):
                    problems.append(Finding(
                        "error", f"{json.dumps(value)[:40]} where the Paddle API writes "
                        f"{' or '.join(names[k] for k in wanted)}", path.name, position, field))
                    break
    return problems[:10] + ([Finding("error", f"and {len(problems) - 10} more objects of this "
                                     "kind")] if len(problems) > 10 else [])


def _fields(item, shape):
    """``(path, value)`` of each path of ``shape`` found in the JSON object ``item``, a
    list's items under ``path[]``; parents before their children."""
    for field in shape:
        *parents, last = field.replace("[]", ".[]").split(".")
        values = [item] if isinstance(item, dict) else []
        for part in [*parents, last]:
            if part == "[]":
                values = [v for value in values if isinstance(value, list) for v in value]
            else:
                values = [value[part] for value in values
                          if isinstance(value, dict) and part in value]
        for value in values:
            yield field, value


def _read_once(files):
    """The responses with every object that repeats an earlier one field for field (the
    same page saved twice, in one folder) set to None, and an info finding saying so;
    objects that share an id but differ are kept, for the checks to report."""
    seen, repeated, kept = {}, [], []
    for path, rows in files:
        once = []
        for position, item in enumerate(rows, start=1):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                repeated.append((path.name, position, seen[key]))
                once.append(None)
            else:
                seen[key] = f"{path.name}, object {position}"
                once.append(item)
        kept.append((path, once))
    if not repeated:
        return kept, []
    name, position, origin = repeated[0]
    return kept, [Finding("info", f"{len(repeated)} object(s) repeat an earlier one field for "
                          f"field (first: object {position} of {name} repeats {origin}), as "
                          "a page saved twice does: each read once, never added up",
                          name, position)]


def _kind(rows):
    rows = [row for row in rows if row is not None]
    if rows and all("details" in row and "billing_period" in row for row in rows):
        return "transactions"
    if rows and all("action" in row and "transaction_id" in row for row in rows):
        return "adjustments"
    return None


def _get(item, path):
    """The value at a dotted ``path`` of a JSON object (None where a part is missing).

    >>> _get({"billing_period": {"starts_at": "2024-01-01T00:00:00Z"}},
    ...      "billing_period.starts_at")
    '2024-01-01T00:00:00Z'
    >>> _get({"billing_period": None}, "billing_period.starts_at") is None
    True
    """
    for part in path.split("."):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def _transaction_row(transaction):
    captured = [payment.get("captured_at") for payment in transaction.get("payments") or []
                if payment.get("status") == "captured" and payment.get("captured_at")]
    row = {path: _get(transaction, path) for path in TRANSACTION.values() if "[]" not in path}
    row["payments[].captured_at"] = max(captured) if captured else None
    return [row]


def _line_rows(transaction):
    fixed = {path: _get(transaction, path) for path in LINE.values() if "[]" not in path}
    prefix = "details.line_items[]."
    return [{**fixed, **{path: _get(item, path[len(prefix):]) for path in LINE.values()
                         if path.startswith(prefix)}}
            for item in _get(transaction, "details.line_items") or []]


def _adjustment_rows(adjustment):
    fixed = {path: _get(adjustment, path) for path in ADJUSTMENT.values() if "[]" not in path}
    return [{**fixed, **{path: _get(item, path[len("items[]."):]) for path in ADJUSTMENT.values()
                         if path.startswith("items[].")}}
            for item in adjustment.get("items") or []]


def _table(path, objects, columns, rows_of):
    """A :class:`VendorTable` of JSON objects: one row per object (or per item of one),
    the JSON path as the column, the object's position in ``data`` (from 1) as the row."""
    records, positions = [], []
    for position, item in enumerate(objects, start=1):
        if item is None:
            continue
        for record in rows_of(item):
            records.append({key: None if value is None else str(value)
                            for key, value in record.items()})
            positions.append(position)
    frame = pd.DataFrame.from_records(records, columns=list(dict.fromkeys(columns.values())))
    return VendorTable(path, frame, np.asarray(positions, dtype=np.int64), columns, "cents",
                       decimals="paddle")


def _billing_cycles(transactions):
    """``{(transaction id, price id): recurs}`` from each transaction's ``items[].price``."""
    return {(item.get("id"), _get(entry, "price.id")):
            _get(entry, "price.billing_cycle") is not None
            for _, rows in transactions for item in rows if item is not None
            for entry in item.get("items") or []}


def _days(table, start, end):
    """Service days ``[start, end)``: a start or end in the last minute of a day (23:59, as
    some periods are written) is the next midnight."""
    return tuple(table.dates(key) + np.where(
        pd.Series(table.text(key)).str.contains(r"T23:59", na=False).to_numpy(),
        np.timedelta64(1, "D"), np.timedelta64(0, "D")) for key in (start, end))


def _invoices(table):
    status = pd.Series(table.required_text("status"))
    unknown = (~status.isin(list(STATUSES)) & status.notna()).to_numpy()
    if unknown.any():
        table.problem(unknown, "status", f"unknown transaction status "
                      f"{status[unknown].iloc[0]!r}; Paddle's are {', '.join(STATUSES)}")
    ours = status.map(STATUSES).fillna("void").to_numpy(dtype=object)
    issued = pd.Series(table.dates("billed_at")).fillna(pd.Series(table.dates("created_at")))
    currency = pd.Series(table.required_text("currency")).str.upper().array
    total = table.cents("total", currency)
    return invoice_rows(
        invoice_id=table.required_text("id"), customer_id=table.text("customer_id"),
        status=ours, currency=currency,
        issue_date=issued.to_numpy(), paid_date=table.dates("paid_date"),
        amount_due=total, paid=np.where(ours == "paid", total, 0),
        subtotal=table.stated_cents("subtotal", currency),
        file=table.file_column(), row=table.rows,
    )


def _lines(table, invoices, cycles):
    invoice_id = table.required_text("invoice_id")
    at = first_positions(invoice_id, invoices["invoice_id"])
    prorated = pd.notna(table.text("proration_start"))
    start, end = _days(table, "start", "end")
    proration_start, proration_end = _days(table, "proration_start", "proration_end")
    recurs = np.array([cycles.get(key, False) for key in
                       zip(invoice_id, table.text("price_id"), strict=True)], dtype=bool)
    kind = np.select([~recurs, prorated], [KINDS.index("one_off"), KINDS.index("proration")],
                     KINDS.index("recurring"))
    currency = pd.Series(table.required_text("currency")).str.upper().array
    return line_items(
        line_id=table.text("line_id"),
        customer_id=table.text("customer_id"), subscription_id=table.text("subscription_id"),
        invoice_id=invoice_id, status=invoices["status"].to_numpy()[at],
        currency=currency, amount=table.cents("amount", currency),
        discount=table.cents("discount", currency), tax=table.cents("tax", currency),
        start=np.where(prorated, proration_start, start),
        end=np.where(prorated, proration_end, end),
        kind=pd.Categorical.from_codes(kind, KINDS), file=table.file_column(),
        row=table.rows,
    )


def _credits(table):
    """One row per adjustment item: its transaction, whether the adjustment is approved,
    the adjustment's total (once per adjustment) and its proration credit line."""
    start, end = _days(table, "start", "end")
    ids = pd.Series(table.required_text("id"))
    currency = pd.Series(table.text("currency")).str.upper().array
    return pd.DataFrame({
        "invoice_id": table.required_text("invoice_id"),
        "approved": pd.Series(table.text("status")).eq("approved").to_numpy(),
        "total": np.where(ids.duplicated().to_numpy(), 0, table.cents("total", currency)),
        "proration": pd.Series(table.text("item_type")).eq("proration").to_numpy(),
        "customer_id": table.text("customer_id"),
        "subscription_id": table.text("subscription_id"),
        "currency": currency,
        "amount": -table.cents("amount", currency), "start": start, "end": end,
        "file": table.file_column(), "row": table.rows,
    })


def _proration_credits(credits, invoices):
    """The approved proration credits as lines that remove the old rate over their period;
    a credit of a transaction not in the export counts as void."""
    kept = credits[credits["approved"] & credits["proration"]]
    status = kept["invoice_id"].map(
        invoices.drop_duplicates("invoice_id").set_index("invoice_id")["status"])
    return line_items(
        customer_id=kept["customer_id"].to_numpy(), subscription_id=kept["subscription_id"]
        .to_numpy(), invoice_id=kept["invoice_id"].to_numpy(),
        status=status.fillna("void").to_numpy(dtype=object),
        currency=kept["currency"].to_numpy(), amount=kept["amount"].to_numpy(),
        start=kept["start"].to_numpy(), end=kept["end"].to_numpy(),
        kind=np.full(len(kept), "proration", dtype=object),
        on_invoice=np.zeros(len(kept), dtype=bool), file=kept["file"].to_numpy(),
        row=kept["row"].to_numpy(),
    )
