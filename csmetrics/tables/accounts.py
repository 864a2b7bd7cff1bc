"""The accounts behind a month's MRR movements: the largest churned, contracted, expanded
and new accounts, read from the engine's per-customer movements
(:func:`~csmetrics.tables.movements.customer_movements`), never derived again."""

import numpy as np
import pandas as pd

from csmetrics.errors import InvalidTypeError

TOP_KINDS = {
    "churned": ("churned",),
    "new": ("new", "reactivation"),
    "contracted": ("contraction",),
    "expanded": ("expansion",),
}
"""Each list of accounts and the engine's movement codes it holds: a returning customer
(``reactivation``) is listed with the new ones, as the engine counts it in
``customers_new``."""

TOP_COLUMNS = ("customer_id", "segment", "mrr_previous", "mrr", "change")
"""The columns of :func:`top_movements`."""


def top_movements(movements, month, kind, n=10, *, segment_of=None):
    """The ``n`` accounts with the largest movement of ``kind`` in ``month``.

    Parameters
    ----------
    movements : pandas.DataFrame
        Rows of :func:`~csmetrics.tables.movements.customer_movements` (any months).
    month : pandas.Period
        The month listed.
    kind : {"churned", "new", "contracted", "expanded"}
        Which list (:data:`TOP_KINDS`): ``new`` holds new and returning customers.
    n : int, default 10
        At most this many rows.
    segment_of : pandas.Series, optional
        Segment of each customer_id, used when ``movements`` has no ``segment`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`TOP_COLUMNS`: the largest change (in absolute value) first, ties in
        customer_id order; ``segment`` empty when neither source gives one. No rows when
        no account moved that way.

    Examples
    --------
    Three accounts churn in March, two of them with 50 (a tie, kept in id order):

    >>> moves = pd.DataFrame({"customer_id": ["C", "A", "B", "D"],
    ...     "month": pd.PeriodIndex(["2025-03"] * 4, freq="M"),
    ...     "mrr_previous": [50.0, 80.0, 50.0, 10.0], "mrr": [0.0, 0.0, 0.0, 30.0],
    ...     "change": [-50.0, -80.0, -50.0, 20.0],
    ...     "movement": ["churned", "churned", "churned", "reactivation"]})
    >>> top_movements(moves, pd.Period("2025-03", "M"), "churned", n=2)
      customer_id segment  mrr_previous  mrr  change
    0           A                  80.0  0.0   -80.0
    1           B                  50.0  0.0   -50.0
    >>> top_movements(moves, pd.Period("2025-03", "M"), "new")["customer_id"].tolist()
    ['D']
    >>> len(top_movements(moves, pd.Period("2025-03", "M"), "expanded"))
    0
    """
    if kind not in TOP_KINDS:
        raise InvalidTypeError(f"kind must be one of {', '.join(TOP_KINDS)}, got {kind!r}")
    rows = movements.loc[(movements["month"] == month)
                         & movements["movement"].isin(TOP_KINDS[kind])]
    order = np.lexsort((rows["customer_id"].astype(str).to_numpy(),
                        -rows["change"].abs().to_numpy()))
    top = rows.iloc[order[:n]]
    if "segment" in top.columns:
        segment = top["segment"].astype(str)
    elif segment_of is not None:
        segment = top["customer_id"].map(segment_of).fillna("").astype(str)
    else:
        segment = pd.Series("", index=top.index)
    frame = top.assign(segment=segment.to_numpy())
    return frame.loc[:, list(TOP_COLUMNS)].reset_index(drop=True)


def latest_segments(mrr, column="segment"):
    """The segment of each customer on its latest row with MRR, as the engine assigns it
    (None when ``mrr`` has no such column).

    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "month": pd.PeriodIndex(["2025-01", "2025-02", "2025-01"], freq="M"),
    ...     "mrr": [10.0, 0.0, 5.0], "segment": ["SMB", "Mid", "Mid"]})
    >>> latest_segments(mrr).to_dict()
    {'A': 'SMB', 'B': 'Mid'}
    """
    if mrr is None or column not in mrr.columns:
        return None
    paying = mrr.loc[mrr["mrr"] > 0].sort_values("month", kind="stable")
    return paying.groupby("customer_id")[column].last()
