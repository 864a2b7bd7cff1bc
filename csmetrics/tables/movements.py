"""MRR movements: what each customer's MRR did each month, and the monthly bridge.

Money is handled in integer cents, so the bridge
``mrr_start + new + expansion + reactivation - contraction - churned = mrr_end`` holds
exactly. A customer absent from a month's rows has zero MRR that month. Everything is done
with whole-array operations: no Python loop over customers or rows.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from csmetrics.errors import DataError
from csmetrics.tables.validate import check_table

MOVEMENTS = ("new", "expansion", "contraction", "churned", "reactivation", "flat")
NEW, EXPANSION, CONTRACTION, CHURNED, REACTIVATION, FLAT = range(len(MOVEMENTS))
NO_SEGMENT = "(none)"
MONEY_COLUMNS = ("mrr_start", "new", "expansion", "contraction", "churned", "reactivation",
                 "mrr_end")
COUNT_COLUMNS = ("customers_start", "customers_new", "customers_reactivated", "customers_lost",
                 "customers_end")


class Ledger(NamedTuple):
    """The months with MRR (> 0) of every customer, as arrays sorted by customer and month.

    ``customer`` indexes ``customers`` (the ids); ``month`` counts months from
    ``first_month``; ``cents`` is the MRR in whole cents. ``segment`` gives each
    customer's segment as an index into ``segments`` (-1 for a customer that never paid;
    None when not segmented).
    """

    customers: np.ndarray
    first_month: pd.Period
    n_months: int
    customer: np.ndarray
    month: np.ndarray
    cents: np.ndarray
    segments: np.ndarray | None
    segment: np.ndarray | None


class Moves(NamedTuple):
    """One movement per customer and month, as arrays (see :func:`customer_movements`)."""

    customer: np.ndarray
    month: np.ndarray
    previous: np.ndarray
    current: np.ndarray
    kind: np.ndarray


def mrr_table(mrr, *, on_duplicate="error"):
    """The ``mrr`` table checked and normalised, or the first problem raised as DataError.

    Accepts the table as read or typed by hand: months as dates, ``YYYY-MM`` text or Excel
    date serials; subscription periods (start_date, end_date) are spread into months.
    """
    if not isinstance(mrr, pd.DataFrame):
        raise TypeError(f"mrr must be a pandas DataFrame, got {type(mrr).__name__}")
    clean, problems = check_table("mrr", mrr, on_duplicate=on_duplicate, limit=1)
    if problems:
        raise problems[0]
    return clean


def ledger(mrr, *, segment_by=None, on_duplicate="error"):
    """Build the :class:`Ledger` of an ``mrr`` table (raw or normalised)."""
    frame = mrr_table(mrr, on_duplicate=on_duplicate)
    ordinals = frame["month"].array.asi8
    first, last = ordinals.min(), ordinals.max()
    cents = np.rint(frame["mrr"].to_numpy(dtype=float) * 100).astype(np.int64)
    codes, customers = pd.factorize(frame["customer_id"], sort=True)
    paying = cents > 0
    n_months = int(last - first + 1)
    customer, month = codes[paying], (ordinals - first)[paying]
    order = np.argsort(customer.astype(np.int64) * n_months + month, kind="stable")
    segments = segment = None
    if segment_by is not None:
        segments, segment = _customer_segments(
            frame, segment_by, paying, order, customer[order], len(customers)
        )
    return Ledger(
        customers=np.asarray(customers, dtype=object),
        first_month=pd.Period(ordinal=first, freq="M"),
        n_months=n_months,
        customer=customer[order],
        month=month[order],
        cents=cents[paying][order],
        segments=segments,
        segment=segment,
    )


def moves(book):
    """Every movement of a :class:`Ledger`: its MRR months, then a churn the month after
    each run of MRR that stops before the data ends."""
    customer, month, cents = book.customer, book.month, book.cents
    first_seen = first_of_each(customer)
    follows = ~first_seen & (month == np.concatenate([[-2], month[:-1]]) + 1)
    previous = np.where(follows, np.concatenate([[0], cents[:-1]]), 0)
    kind = np.select(
        [first_seen, ~follows, cents > previous, cents < previous],
        [NEW, REACTIVATION, EXPANSION, CONTRACTION],
        FLAT,
    ).astype(np.int8)
    stops = ~np.concatenate([follows[1:], [False]])[: follows.size] & (month < book.n_months - 1)
    n_churned = int(stops.sum())
    return Moves(
        customer=np.concatenate([customer, customer[stops]]),
        month=np.concatenate([month, month[stops] + 1]),
        previous=np.concatenate([previous, cents[stops]]),
        current=np.concatenate([cents, np.zeros(n_churned, dtype=np.int64)]),
        kind=np.concatenate([kind, np.full(n_churned, CHURNED, dtype=np.int8)]),
    )


def customer_movements(mrr, *, segment_by=None, on_duplicate="error"):
    """What each customer's MRR did each month.

    Parameters
    ----------
    mrr : pandas.DataFrame
        customer_id, month, mrr (one row per customer and month; months as dates,
        ``YYYY-MM`` text or Excel date serials), or subscription periods.
    segment_by : str, optional
        A column of ``mrr`` (``"segment"``): each customer gets the value on its latest
        row with MRR, shown in a ``segment`` column.
    on_duplicate : {"error", "sum"}, default "error"
        Two rows for one customer and month: an error, or amounts to add up.

    Returns
    -------
    pandas.DataFrame
        One row per customer and month, from the customer's first month with MRR to the
        last month of the data, leaving out the months at zero after a churn:
        customer_id, month, [segment], mrr_previous, mrr, change, movement (``new``,
        ``expansion``, ``contraction``, ``churned``, ``reactivation`` or ``flat``).

    Notes
    -----
    ``new`` is a customer's first month with MRR; ``reactivation`` a month with MRR after
    one or more months at zero; ``churned`` the first month at zero after a month with
    MRR; ``flat`` an unchanged MRR above zero.

    Examples
    --------
    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                     "month": ["2024-01", "2024-02", "2024-04", "2024-02"],
    ...                     "mrr": [100, 120, 90, 50]})
    >>> customer_movements(mrr)
      customer_id    month  mrr_previous    mrr  change      movement
    0           A  2024-01           0.0  100.0   100.0           new
    1           A  2024-02         100.0  120.0    20.0     expansion
    2           A  2024-03         120.0    0.0  -120.0       churned
    3           A  2024-04           0.0   90.0    90.0  reactivation
    4           B  2024-02           0.0   50.0    50.0           new
    5           B  2024-03          50.0    0.0   -50.0       churned
    """
    book = ledger(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    found = moves(book)
    order = np.argsort(found.customer.astype(np.int64) * book.n_months + found.month)
    found = Moves(*(array[order] for array in found))
    columns = {
        "customer_id": book.customers[found.customer],
        "month": _months(book, found.month),
    }
    if book.segments is not None:
        columns["segment"] = book.segments[book.segment[found.customer]]
    columns.update(
        mrr_previous=found.previous / 100,
        mrr=found.current / 100,
        change=(found.current - found.previous) / 100,
        movement=pd.Categorical.from_codes(found.kind, MOVEMENTS),
    )
    return pd.DataFrame(columns).infer_objects()


def mrr_movements(mrr, *, segment_by=None, on_duplicate="error"):
    """The monthly MRR bridge: where each month's MRR came from and went.

    Parameters
    ----------
    mrr : pandas.DataFrame
        As for :func:`customer_movements`. Months may be dates, ``YYYY-MM`` text or Excel
        date serials, so three equal-length columns taken from a sheet will do.
    segment_by : str, optional
        A column of ``mrr``; each customer counts in the segment of its latest row with
        MRR, in every month, so the segments add up to the total and each segment's
        bridge holds.
    on_duplicate : {"error", "sum"}, default "error"
        Two rows for one customer and month: an error, or amounts to add up.

    Returns
    -------
    pandas.DataFrame
        One row per month from the first to the last month of the data (per segment when
        ``segment_by`` is given): month, [segment], mrr_start, new, expansion, contraction,
        churned, reactivation, mrr_end, customers_start, customers_new (reactivated
        customers included: they were not customers at the start), customers_reactivated,
        customers_lost, customers_end.

    Notes
    -----
    Sums are taken in integer cents:
    ``mrr_start + new + expansion + reactivation - contraction - churned = mrr_end`` and
    ``customers_start + customers_new - customers_lost = customers_end`` hold exactly, and
    each month's ``mrr_start`` is the previous month's ``mrr_end``. The first month of the
    data starts from zero: all its customers are new.

    Examples
    --------
    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                     "month": ["2024-01", "2024-02", "2024-04", "2024-02"],
    ...                     "mrr": [100, 120, 90, 50]})
    >>> bridge = mrr_movements(mrr)
    >>> bridge[["month", "mrr_start", "new", "expansion", "churned", "reactivation", "mrr_end"]]
         month  mrr_start    new  expansion  churned  reactivation  mrr_end
    0  2024-01        0.0  100.0        0.0      0.0           0.0    100.0
    1  2024-02      100.0   50.0       20.0      0.0           0.0    170.0
    2  2024-03      170.0    0.0        0.0    170.0           0.0      0.0
    3  2024-04        0.0    0.0        0.0      0.0          90.0     90.0
    >>> bridge["customers_end"].tolist()
    [1, 2, 0, 1]
    """
    book = ledger(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    return bridge_table(book)


def bridge_table(book):
    """:func:`mrr_movements` of a :class:`Ledger`."""
    found = moves(book)
    n_segments = 1 if book.segments is None else len(book.segments)
    group = found.month * n_segments
    if book.segments is not None:
        group = group + book.segment[found.customer]
    size = book.n_months * n_segments
    kind, previous, current = found.kind, found.previous, found.current
    change = current - previous
    money = {
        "mrr_start": previous,
        "new": np.where(kind == NEW, current, 0),
        "expansion": np.where(kind == EXPANSION, change, 0),
        "contraction": np.where(kind == CONTRACTION, -change, 0),
        "churned": np.where(kind == CHURNED, previous, 0),
        "reactivation": np.where(kind == REACTIVATION, current, 0),
        "mrr_end": current,
    }
    counts = {
        "customers_start": previous > 0,
        "customers_new": (kind == NEW) | (kind == REACTIVATION),
        "customers_reactivated": kind == REACTIVATION,
        "customers_lost": kind == CHURNED,
        "customers_end": current > 0,
    }
    columns = {"month": _months(book, np.repeat(np.arange(book.n_months), n_segments))}
    if book.segments is not None:
        columns["segment"] = np.tile(book.segments, book.n_months)
    columns.update({name: _summed(group, values, size) / 100 for name, values in money.items()})
    columns.update({name: _summed(group, flags, size) for name, flags in counts.items()})
    return pd.DataFrame(columns).infer_objects()


def _summed(group, values, size):
    """Exact integer sums of ``values`` by ``group`` (0 .. size - 1)."""
    totals = np.zeros(size, dtype=np.int64)
    np.add.at(totals, group, values.astype(np.int64))
    return totals


def first_of_each(customer):
    """Boolean array: the rows that open a run of equal ``customer`` values.

    >>> first_of_each(np.array([3, 3, 5, 7, 7])).tolist()
    [True, False, True, True, False]
    """
    return np.concatenate([[True], customer[1:] != customer[:-1]])[: customer.size]


def customer_segments(book):
    """Series: the segment of each customer that paid, indexed by customer_id."""
    paid = book.segment >= 0
    return pd.Series(book.segments[book.segment[paid]], index=book.customers[paid])


def _months(book, month):
    return pd.PeriodIndex.from_ordinals(book.first_month.ordinal + month, freq="M")


def _customer_segments(frame, segment_by, paying, order, customer, n_customers):
    """Each customer's segment: the value on its latest row with MRR, sorted labels."""
    column = segment_by.strip().lower()
    if column not in frame.columns:
        raise DataError("no such column to segment by", table="mrr", column=segment_by)
    values = frame[column].astype(object).where(frame[column].notna(), NO_SEGMENT)
    labels = values.to_numpy()[paying][order]
    codes, segments = pd.factorize(labels, sort=True)
    last = first_of_each(customer[::-1])[::-1]
    segment = np.full(n_customers, -1, dtype=np.int64)
    segment[customer[last]] = codes[last]
    return np.asarray(segments, dtype=object), segment
