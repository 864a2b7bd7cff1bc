"""MRR movements: what each customer's MRR did each month, and the monthly bridge.

Money is handled in integer cents, so the bridge
``mrr_start + new + expansion + reactivation - contraction - churned + fx_impact = mrr_end``
holds exactly (``fx_impact`` is 0 unless the table carries ``currency`` and ``mrr_native``).
A customer absent from a month's rows has zero MRR that month. Everything is done with
whole-array operations: no Python loop over customers or rows.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from csmetrics.errors import DataError
from csmetrics.tables.backends import is_ibis_table
from csmetrics.tables.money import round_half_away, to_cents
from csmetrics.tables.validate import check_mrr

MOVEMENTS = ("new", "expansion", "contraction", "churned", "reactivation", "flat")
NEW, EXPANSION, CONTRACTION, CHURNED, REACTIVATION, FLAT = range(len(MOVEMENTS))
NO_SEGMENT = "(none)"
BY_SIGN = np.array([CONTRACTION, FLAT, EXPANSION], dtype=np.int8)
"""The movement of a month that follows a month with MRR, by the sign of its change + 1."""
MONEY_COLUMNS = ("mrr_start", "new", "expansion", "contraction", "churned", "reactivation",
                 "mrr_end")


class Ledger(NamedTuple):
    """The months with MRR (> 0) of every customer, as arrays sorted by customer and month.

    ``customer`` indexes ``customers`` (the ids); ``month`` counts months from
    ``first_month``; ``cents`` is the MRR in whole cents. ``segment`` gives each
    customer's segment as an index into ``segments`` (-1 for a customer that never paid;
    None when not segmented). ``native`` (MRR in the customer's own currency, whole
    cents) and ``currency`` (a code per row) are None unless the table has ``mrr_native``.
    """

    customers: np.ndarray
    first_month: pd.Period
    n_months: int
    customer: np.ndarray
    month: np.ndarray
    cents: np.ndarray
    segments: np.ndarray | None
    segment: np.ndarray | None
    native: np.ndarray | None = None
    currency: np.ndarray | None = None


class Moves(NamedTuple):
    """One movement per customer and month, as arrays (see :func:`customer_movements`)."""

    customer: np.ndarray
    month: np.ndarray
    previous: np.ndarray
    current: np.ndarray
    kind: np.ndarray
    fx: np.ndarray


def ledger(mrr, *, segment_by=None, on_duplicate="error"):
    """Build the :class:`Ledger` of an ``mrr`` table (raw or normalised)."""
    frame, customers_found = _checked_mrr(mrr, on_duplicate)
    ordinals = frame["month"].array.asi8
    first, last = ordinals.min(), ordinals.max()
    n_months = int(last - first + 1)
    cents = to_cents(frame["mrr"]).astype(np.int64)
    codes, customers = customers_found or pd.factorize(frame["customer_id"], sort=True)
    paying = np.flatnonzero(cents > 0)
    customer, month = codes[paying], ordinals[paying] - first
    key = customer * n_months + month
    if np.any(key[1:] < key[:-1]):
        order = np.argsort(key)
        paying, customer, month = paying[order], customer[order], month[order]
    segments = segment = None
    if segment_by is not None:
        segments, segment = _customer_segments(frame, segment_by, paying, customer,
                                               len(customers))
    native, currency = _native(frame, paying)
    return Ledger(
        customers=np.asarray(customers, dtype=object),
        first_month=pd.Period(ordinal=first, freq="M"),
        n_months=n_months,
        customer=customer,
        month=month,
        cents=cents[paying],
        segments=segments,
        segment=segment,
        native=native,
        currency=currency,
    )


def _native(frame, paying):
    """Whole cents of ``mrr_native`` and currency codes of the paying rows, or Nones."""
    if "mrr_native" not in frame.columns:
        return None, None
    native = to_cents(frame["mrr_native"])[paying]
    native = np.where(np.isnan(native), 0, native).astype(np.int64)
    currency = frame["currency"] if "currency" in frame.columns else pd.Series("", frame.index)
    return native, pd.factorize(currency.fillna(""))[0][paying]


def _checked_mrr(mrr, on_duplicate):
    """The ``mrr`` table checked and normalised (months as dates, ``YYYY-MM`` text or Excel
    serials; periods spread into months) and its customer codes, or the first problem
    raised as a DataError."""
    if not isinstance(mrr, pd.DataFrame):
        raise TypeError(f"mrr must be a pandas DataFrame, got {type(mrr).__name__}")
    clean, problems, customers = check_mrr(mrr, on_duplicate=on_duplicate, limit=1)
    if problems:
        raise problems[0]
    return clean, customers


def moves(book):
    """Every movement of a :class:`Ledger`, as two :class:`Moves`: one for its months with
    MRR, one for the churn the month after each run of MRR that stops before the data
    ends."""
    customer, month, cents = book.customer, book.month, book.cents
    first_seen = first_of_each(customer)
    follows = ~first_seen
    follows[1:] &= month[1:] == month[:-1] + 1
    previous = np.empty_like(cents)
    previous[:1] = 0
    np.multiply(cents[:-1], follows[1:], out=previous[1:])  # 0 where no month before
    fx = fx_impact(book, follows, previous)
    kind = BY_SIGN[np.sign(cents - previous - fx) + 1]
    kind[~follows] = REACTIVATION
    kind[first_seen] = NEW
    stops = month < book.n_months - 1
    stops[:-1] &= ~follows[1:]
    paid = Moves(customer, month, previous, cents, kind, fx)
    stops = np.flatnonzero(stops)
    lost = Moves(customer[stops], month[stops] + 1, cents[stops],
                 np.zeros(stops.size, dtype=np.int64),
                 np.full(stops.size, CHURNED, dtype=np.int8), np.zeros(stops.size, dtype=np.int64))
    return paid, lost


def fx_impact(book, follows, previous):
    """Cents of each month's change that come from exchange rates alone.

    A customer paying in the same currency two months running: its previous native MRR
    valued at this month's rate (``mrr / mrr_native``), to the cent (an exact half away
    from zero, as the Audit sheet's ``ROUND``), minus its previous MRR. What is
    left of the change (the native change at this month's rate) is expansion or
    contraction. Each month's rate is known only to the rounding of its amounts: rates no
    further apart than ``1 / native`` cents of each month are one rate (no fx impact), and an
    unchanged native MRR puts all of the change in fx_impact. Zero everywhere when the
    ledger has no native amounts.

    >>> book = Ledger(np.array(["A"], dtype=object), pd.Period("2024-01", "M"), 2,
    ...               np.array([0, 0]), np.array([0, 1]), np.array([11000, 13200]), None,
    ...               None, native=np.array([10000, 12000]), currency=np.array([0, 0]))
    >>> fx_impact(book, np.array([False, True]), np.array([0, 11000])).tolist()
    [0, 0]
    >>> book = book._replace(cents=np.array([11000, 12000]), native=np.array([10000, 10000]))
    >>> fx_impact(book, np.array([False, True]), np.array([0, 11000])).tolist()
    [0, 1000]
    """
    fx = np.zeros(book.cents.size, dtype=np.int64)
    if book.native is None:
        return fx
    same = follows.copy()
    same[1:] &= book.currency[1:] == book.currency[:-1]
    before = np.zeros_like(book.native)
    before[1:] = book.native[:-1]
    same &= (before > 0) & (book.native > 0)
    now, then = book.native[same], before[same]
    rate = book.cents[same] / now
    moved = np.abs(rate - previous[same] / then) > 1 / now + 1 / then
    revalued = np.where(now == then, book.cents[same],
                        round_half_away(then.astype(float) * book.cents[same] / now))
    fx[same] = np.where(moved | (now == then), revalued - previous[same], 0).astype(np.int64)
    return fx


def customer_movements(mrr, *, segment_by=None, on_duplicate="error"):
    """What each customer's MRR did each month.

    Parameters
    ----------
    mrr : pandas.DataFrame or Ibis table
        customer_id, month, mrr (one row per customer and month; months as dates,
        ``YYYY-MM`` text or Excel date serials), or subscription periods. An Ibis table
        (:mod:`csmetrics.scale`) is computed by its backend.
    segment_by : str, optional
        A column of ``mrr`` (``"segment"``): each customer gets the value on its latest
        row with MRR, shown in a ``segment`` column.
    on_duplicate : {"error", "sum"}, default "error"
        Two rows for one customer and month: an error, or amounts to add up.

    Returns
    -------
    pandas.DataFrame
        One row per customer and month, sorted by customer_id then month, from the
        customer's first month with MRR to the last month of the data, leaving out the
        months at zero after a churn:
        customer_id, month, [segment], mrr_previous, mrr, change, movement (``new``,
        ``expansion``, ``contraction``, ``churned``, ``reactivation`` or ``flat``), and
        ``fx_impact`` (the part of ``change`` due to exchange rates) when ``mrr`` has an
        ``mrr_native`` column.

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
    if is_ibis_table(mrr):
        from csmetrics.scale import engine

        return engine.customer_movements(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    book = ledger(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    found = Moves(*(np.concatenate(arrays) for arrays in zip(*moves(book), strict=True)))
    order = np.argsort(found.customer * book.n_months + found.month)
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
    if book.native is not None:
        columns["fx_impact"] = found.fx / 100
    return pd.DataFrame(columns).infer_objects()


def mrr_movements(mrr, *, segment_by=None, on_duplicate="error"):
    """The monthly MRR bridge: where each month's MRR came from and went.

    Parameters
    ----------
    mrr : pandas.DataFrame or Ibis table
        As for :func:`customer_movements`. Months may be dates, ``YYYY-MM`` text or Excel
        date serials, so three equal-length columns taken from a sheet will do. An Ibis
        table (:mod:`csmetrics.scale`) is computed by its backend: only the monthly sums
        come back.
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
        customers included: they were not customers at the start), customers_lost,
        customers_end, customers_reactivated, fx_impact (last, so the columns before it
        keep their places).

    Notes
    -----
    Sums are taken in integer cents:
    ``mrr_start + new + expansion + reactivation - contraction - churned + fx_impact =
    mrr_end`` and
    ``customers_start + customers_new - customers_lost = customers_end`` hold exactly, and
    each month's ``mrr_start`` is the previous month's ``mrr_end``. The first month of the
    data starts from zero: all its customers are new. With ``currency`` and ``mrr_native``
    columns (from :func:`csmetrics.import_billing`), a customer billed in the same
    currency two months running has ``fx_impact`` = its previous native MRR at this
    month's rate minus its previous MRR; only the rest of its change is expansion or
    contraction. Otherwise ``fx_impact`` is 0.

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
    if is_ibis_table(mrr):
        from csmetrics.scale import engine

        return engine.mrr_movements(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    book = ledger(mrr, segment_by=segment_by, on_duplicate=on_duplicate)
    return bridge_table(book)


def bridge_table(book):
    """:func:`mrr_movements` of a :class:`Ledger`."""
    n_segments = 1 if book.segments is None else len(book.segments)
    size = book.n_months * n_segments
    sums = BridgeSums.zeros(size)
    for part in moves(book):
        group = part.month * n_segments
        if book.segments is not None:
            group += book.segment[part.customer]
        cell = group * len(MOVEMENTS) + part.kind
        np.add.at(sums.change, cell, part.current - part.previous - part.fx)
        sums.count[:] += np.bincount(cell, minlength=sums.count.size)
        np.add.at(sums.start, group, part.previous)
        np.add.at(sums.end, group, part.current)
        np.add.at(sums.fx, group, part.fx)
    return bridge_frame(book.first_month, book.n_months, book.segments, sums)


class BridgeSums(NamedTuple):
    """Whole-cent sums and counts of the movements of each month (x segment) ``g`` (months
    first, segments within): ``change[g * 6 + kind]`` and ``count[g * 6 + kind]`` by kind of
    :data:`MOVEMENTS`, and ``start``, ``end`` and ``fx`` (the MRR before and after and
    the fx part of the change) by group. The pandas and the Ibis engines compute them
    each their own way; :func:`bridge_frame` makes the bridge of either."""

    change: np.ndarray
    count: np.ndarray
    start: np.ndarray
    end: np.ndarray
    fx: np.ndarray

    @classmethod
    def zeros(cls, size):
        return cls(*(np.zeros(n, dtype=np.int64) for n in (size * len(MOVEMENTS),) * 2),
                   *(np.zeros(size, dtype=np.int64) for _ in range(3)))


def bridge_frame(first_month, n_months, segments, sums):
    """The bridge table of :func:`mrr_movements` from :class:`BridgeSums` of the months
    from ``first_month`` (``segments``: the segment labels, or None)."""
    size = sums.start.size
    n_segments = 1 if segments is None else len(segments)
    change, count = sums.change.reshape(size, -1), sums.count.reshape(size, -1)
    months = np.repeat(np.arange(n_months), n_segments)
    columns = {"month": pd.PeriodIndex.from_ordinals(first_month.ordinal + months, freq="M")}
    if segments is not None:
        columns["segment"] = np.tile(segments, n_months)
    money = {
        "mrr_start": sums.start,
        "new": change[:, NEW],
        "expansion": change[:, EXPANSION],
        "contraction": -change[:, CONTRACTION],
        "churned": -change[:, CHURNED],
        "reactivation": change[:, REACTIVATION],
        "mrr_end": sums.end,
    }
    columns.update({name: cents / 100 for name, cents in money.items()})
    kept = count[:, [EXPANSION, CONTRACTION, FLAT]].sum(axis=1)
    columns.update(
        customers_start=kept + count[:, CHURNED],
        customers_new=count[:, NEW] + count[:, REACTIVATION],
        customers_lost=count[:, CHURNED],
        customers_end=kept + count[:, NEW] + count[:, REACTIVATION],
        customers_reactivated=count[:, REACTIVATION],
        fx_impact=sums.fx / 100,
    )
    return pd.DataFrame(columns)


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


def _customer_segments(frame, segment_by, paying, customer, n_customers):
    """Each customer's segment (the value on its latest row with MRR) and the labels."""
    column = segment_by.strip().lower()
    if column not in frame.columns:
        raise DataError("no such column to segment by", table="mrr", column=segment_by)
    codes, segments = pd.factorize(frame[column].fillna(NO_SEGMENT), sort=True)
    last = first_of_each(customer[::-1])[::-1]
    segment = np.full(n_customers, -1, dtype=np.int64)
    segment[customer[last]] = codes[paying[last]]
    return np.asarray(segments, dtype=object), segment
