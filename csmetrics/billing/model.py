"""The normalised billing export every source maps its vendor's files onto.

One :class:`Export` holds three tables with fixed columns:

``lines``
    one row per invoice line: line_id (the vendor's, when it has one), customer_id,
    subscription_id, invoice_id, status (of the
    invoice), currency (ISO code, upper case), amount (whole cents, before discount,
    without tax; negative for a credit), discount (cents, >= 0), tax (cents), start and
    end (the service period ``[start, end)``: ``end`` is the first day no longer served),
    kind, on_invoice (False for a line that comes from a credit note or adjustment, not
    from the invoice itself), file and row (where the line was read).
``invoices``
    one row per invoice: invoice_id, customer_id, status, currency, issue_date, due_date,
    paid_date, written_off_date, amount_due (cents, tax included: what is owed), refunded
    (cents refunded or credited), paid (cents paid), and, where the file states them, the
    invoice's own figures for its lines: subtotal (their amounts added up) and total
    (amount - discount + tax added up), nullable cents checked against the lines; file, row.
``cancellations``
    subscription_id and the date its cancellation took effect (may be empty).
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

KINDS = ("recurring", "proration", "one_off", "credit")
"""Line kinds: a plan's regular charge, a mid-period change's charge or credit, a setup fee
or other one-off charge, and a credit or refund line. A trial is a recurring line at 0."""

STATUSES = ("paid", "open", "draft", "void", "uncollectible")
"""Invoice statuses, as Stripe names them; each source maps its own words onto these."""

LINE_COLUMNS = ("line_id", "customer_id", "subscription_id", "invoice_id", "status", "currency",
                "amount", "discount", "tax", "start", "end", "kind", "on_invoice", "file", "row")
INVOICE_COLUMNS = ("invoice_id", "customer_id", "status", "currency", "issue_date",
                   "due_date", "paid_date", "written_off_date", "amount_due", "refunded",
                   "paid", "subtotal", "total", "file", "row")
CENTS = ("amount", "discount", "tax", "amount_due", "refunded", "paid")
DAYS = ("start", "end", "issue_date", "due_date", "paid_date", "written_off_date")
STATED = ("subtotal", "total")
"""Cents an invoice states for its lines, when its file has them (nullable: <NA> when not)."""


class Export(NamedTuple):
    """A billing export in the normalised model, and what reading it found.

    ``headers`` names the vendor's header of a model column, per table
    (``{"lines": {"line_id": "id", ...}, "invoices": {...}}``), for the checks' messages.
    """

    lines: pd.DataFrame
    invoices: pd.DataFrame
    cancellations: pd.DataFrame
    findings: list
    headers: dict | None = None

    def header(self, table, column):
        """The vendor's header of our ``column`` of ``table`` (our name when unknown)."""
        return ((self.headers or {}).get(table) or {}).get(column, column)


def table(columns, **values):
    """A model table: the given columns in order, money as int64 cents, days as datetime64.

    >>> lines = table(("amount", "start"), amount=[1000], start=["2024-03-01"])
    >>> lines.dtypes.astype(str).tolist()
    ['int64', 'datetime64[ns]']
    """
    unknown = set(values) - set(columns)
    if unknown:
        raise ValueError(f"not columns of the model: {sorted(unknown)}")
    size = len(next(iter(values.values()))) if values else 0
    frame = {}
    for name in columns:
        value = values.get(name, [np.nan] * size)
        if name in CENTS:
            frame[name] = np.asarray(values.get(name, np.zeros(size)), dtype=np.int64)
        elif name in DAYS:
            frame[name] = pd.to_datetime(pd.Series(value)).astype("datetime64[ns]").to_numpy()
        elif name in STATED:
            frame[name] = pd.array(values[name], dtype="Int64") if name in values else \
                unstated(size)
        elif name == "on_invoice":
            frame[name] = np.asarray(values.get(name, np.ones(size)), dtype=bool)
        elif name == "row":
            frame[name] = np.asarray(values.get(name, np.zeros(size)), dtype=np.int64)
        elif isinstance(value, np.ndarray | pd.Series | pd.api.extensions.ExtensionArray):
            frame[name] = value
        else:
            frame[name] = np.asarray(value, dtype=object)
    return pd.DataFrame(frame)


def unstated(size):
    """A column of :data:`STATED` cents with nothing stated (all <NA>).

    >>> unstated(2).tolist()
    [<NA>, <NA>]
    """
    return pd.arrays.IntegerArray(np.zeros(size, dtype=np.int64), np.ones(size, dtype=bool))


def line_items(**values):
    """The ``lines`` table of an :class:`Export` from arrays named as :data:`LINE_COLUMNS`."""
    return table(LINE_COLUMNS, **values)


def invoice_rows(**values):
    """The ``invoices`` table of an :class:`Export` (:data:`INVOICE_COLUMNS`)."""
    return table(INVOICE_COLUMNS, **values)


def no_cancellations():
    """An empty ``cancellations`` table."""
    return pd.DataFrame({"subscription_id": np.array([], dtype=object),
                         "date": np.array([], dtype="datetime64[ns]")})
