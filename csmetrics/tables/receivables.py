"""Receivables of each month: credit sales, what is still owed at month end and how late.

An invoice is owed at a month end when it was issued on or before that day and is not paid
by then (paid after it, or not at all). Its days past due at the month end put it in an
ageing bucket: not yet due, 1-30, 31-60, 61-90 or over 90 days.
"""

import numpy as np
import pandas as pd

from csmetrics.receivables import countback_dso
from csmetrics.tables.money import to_cents
from csmetrics.tables.monthly import core_or_nan, keyed, month_ends, ratio_columns

AGEING = ("ar_current", "ar_1_30", "ar_31_60", "ar_61_90", "ar_over_90")
AGEING_LIMITS = np.array([0, 30, 60, 90])  # upper days past due of every bucket but the last


def ageing_bounds():
    """Days past due at month end of each bucket of ``AGEING``: (above, up_to], None open.

    >>> ageing_bounds()[:2], ageing_bounds()[-1]
    (((None, 0), (0, 30)), (90, None))
    """
    limits = [int(limit) for limit in AGEING_LIMITS]
    return tuple(zip([None, *limits], [*limits, None], strict=True))


def monthly_receivables(invoices, index, segment_of=None):
    """Credit sales, receivables, DSO, countback DSO and ageing for each row of ``index``.

    Parameters
    ----------
    invoices : pandas.DataFrame
        The checked ``invoices`` table.
    index : pandas.Index
        The months (``PeriodIndex`` named ``month``), or months x segments.
    segment_of : pandas.Series, optional
        Segment of each customer_id, when segmenting.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: credit_sales (invoices issued in the month), receivables
        (owed at month end), dso (``receivables / credit_sales x days in the month``),
        dso_countback (receivables matched against the latest months' credit sales, back
        to the first month of ``index``), and the ageing buckets ar_current ...
        ar_over_90 (they add up to receivables).

    Examples
    --------
    January: 1,000 issued on 5 Jan (due 4 Feb, paid 20 Feb) and 500 on 20 Jan (due 19 Feb,
    never paid). February: nothing issued. At 31 Jan both are owed and not yet due; at 29
    Feb only the 500 is, 10 days late. February's DSO is undefined (no sales). Its
    countback DSO walks back: February's sales (none) cover nothing, so all its 29 days
    count, then 500 of January's 1,500 cover 500 / 1,500 x 31 = 10.33 days: 39.33.

    >>> invoices = pd.DataFrame({"customer_id": ["A", "B"],
    ...     "issue_date": pd.to_datetime(["2024-01-05", "2024-01-20"]),
    ...     "due_date": pd.to_datetime(["2024-02-04", "2024-02-19"]),
    ...     "paid_date": pd.to_datetime(["2024-02-20", None]), "amount": [1000.0, 500.0]})
    >>> months = pd.period_range("2024-01", "2024-02", freq="M", name="month")
    >>> table = monthly_receivables(invoices, months).round(2)
    >>> table[["credit_sales", "receivables", "dso", "dso_countback", "ar_current", "ar_1_30"]]
             credit_sales  receivables   dso  dso_countback  ar_current  ar_1_30
    month
    2024-01        1500.0       1500.0  31.0          31.00      1500.0      0.0
    2024-02           0.0        500.0   NaN          39.33         0.0    500.0
    """
    data, keys = keyed(invoices, invoices["issue_date"].dt.to_period("M"), segment_of)
    row = _index_rows(index, data, keys)
    in_range = row >= 0
    cents = to_cents(data["amount"]).astype(np.int64)
    sales = np.zeros(len(index), dtype=np.int64)
    np.add.at(sales, row[in_range], cents[in_range])
    ageing = _ageing(data, index, keys, cents)
    table = pd.DataFrame({"credit_sales": sales / 100}, index=index)
    table["receivables"] = ageing.sum(axis=1) / 100
    table["days"] = index.get_level_values("month").days_in_month
    table = pd.concat([table, ratio_columns(table)], axis=1)
    table["dso_countback"] = _countback(table, index)
    for position, name in enumerate(AGEING):
        table[name] = ageing[:, position] / 100
    return table.drop(columns="days")


def _ageing(data, index, keys, cents):
    """Owed cents at each month end of ``index``, by ageing bucket (rows x 5)."""
    ends = month_ends(index)
    issued = data["issue_date"].to_numpy()
    paid = data["paid_date"].to_numpy()
    due = data["due_date"].to_numpy()
    group = _group_of(index, data, keys)
    ageing = np.zeros((len(index), len(AGEING)), dtype=np.int64)
    for row, end in enumerate(ends.to_numpy()):
        owed = owed_at(issued, paid, end) & (group == _group_at(index, row))
        bucket = np.searchsorted(AGEING_LIMITS, days_late(due[owed], end), side="left")
        np.add.at(ageing[row], bucket, cents[owed])
    return ageing


def owed_at(issued, paid, end):
    """Which invoices are owed at ``end``: issued on or before it, not paid by then.

    >>> issued = np.array(["2024-01-05", "2024-01-10", "2024-02-01"], dtype="datetime64[D]")
    >>> paid = np.array(["2024-01-20", "NaT", "NaT"], dtype="datetime64[D]")
    >>> owed_at(issued, paid, np.datetime64("2024-01-31")).tolist()
    [False, True, False]
    """
    return (issued <= end) & ~(paid <= end)


def days_late(due, end):
    """Whole days from each due date to ``end`` (negative: not yet due).

    >>> days_late(np.array(["2024-01-21", "2024-02-10"], dtype="datetime64[D]"),
    ...           np.datetime64("2024-01-31")).tolist()
    [10, -10]
    """
    return (end - due) // np.timedelta64(1, "D")


OVERDUE_COLUMNS = ("customer_id", "invoice_id", "due_date", "days_overdue", "amount")
"""The columns of :func:`top_overdue`."""


def top_overdue(invoices, month, n=10):
    """The ``n`` largest invoices past due and still owed at the end of ``month``.

    Parameters
    ----------
    invoices : pandas.DataFrame
        The checked ``invoices`` table.
    month : pandas.Period
        Its last day is the date the invoices are owed at.
    n : int, default 10
        At most this many rows.

    Returns
    -------
    pandas.DataFrame
        :data:`OVERDUE_COLUMNS` (``amount``: what is owed), the largest amount first,
        then the longest overdue, then in invoice_id order: the invoices in the ageing
        buckets past due of :func:`monthly_receivables` (1 day late or more).

    Examples
    --------
    At 31 January: I1 is not yet due, I2 and I3 (100 each) are late, I4 was paid.

    >>> invoices = pd.DataFrame({"invoice_id": ["I1", "I2", "I3", "I4"],
    ...     "customer_id": ["A", "B", "C", "D"],
    ...     "issue_date": pd.to_datetime(["2024-01-20"] + ["2023-12-01"] * 3),
    ...     "due_date": pd.to_datetime(["2024-02-19", "2024-01-21", "2023-12-31",
    ...                                 "2023-12-31"]),
    ...     "paid_date": pd.to_datetime([None, None, "2024-02-03", "2024-01-10"]),
    ...     "amount": [900.0, 100.0, 100.0, 50.0]})
    >>> top_overdue(invoices, pd.Period("2024-01", "M"))
      customer_id invoice_id   due_date  days_overdue  amount
    0           C         I3 2023-12-31            31   100.0
    1           B         I2 2024-01-21            10   100.0
    """
    end = month_ends(pd.PeriodIndex([month], name="month")).to_numpy()[0]
    late = days_late(invoices["due_date"].to_numpy(), end)
    owed = owed_at(invoices["issue_date"].to_numpy(), invoices["paid_date"].to_numpy(), end)
    rows = invoices.loc[owed & (late > 0)].assign(days_overdue=late[owed & (late > 0)])
    order = np.lexsort((rows["invoice_id"].astype(str).to_numpy(),
                        -rows["days_overdue"].to_numpy(), -rows["amount"].to_numpy()))
    return rows.iloc[order[:n]].loc[:, list(OVERDUE_COLUMNS)].reset_index(drop=True)


def _countback(table, index):
    """Countback DSO of each row, over the months of its segment up to that month."""
    result = np.full(len(table), np.nan)
    groups = index.get_level_values("segment") if "segment" in index.names else None
    for rows in _rows_by_group(groups, len(index)):
        sales = to_cents(table["credit_sales"].to_numpy()[rows])
        days = table["days"].to_numpy()[rows]
        owed = to_cents(table["receivables"].to_numpy()[rows])
        for upto, row in enumerate(rows):
            result[row] = core_or_nan(countback_dso, owed[upto], sales[: upto + 1],
                                      days[: upto + 1])
    return result


def _rows_by_group(groups, size):
    if groups is None:
        return [np.arange(size)]
    return [np.flatnonzero(groups == group) for group in pd.unique(groups)]


def _index_rows(index, data, keys):
    """Position in ``index`` of each row's (month, segment), -1 when outside it."""
    lookup = data[keys[0]] if len(keys) == 1 else pd.MultiIndex.from_frame(data[keys])
    return index.get_indexer(lookup)


def _group_of(index, data, keys):
    """Segment of each row as a position among the segments of ``index`` (0 if none)."""
    if len(keys) == 1:
        return np.zeros(len(data), dtype=np.int64)
    return pd.Index(index.levels[1]).get_indexer(data["segment"])


def _group_at(index, row):
    if "segment" not in index.names:
        return 0
    return index.levels[1].get_loc(index[row][1])
