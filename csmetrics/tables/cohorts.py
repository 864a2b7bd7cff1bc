"""Cohort retention: of the customers who first paid in a month, how many (or how much MRR)
are still there each month after."""

import numpy as np
import pandas as pd

from csmetrics.errors import InvalidTypeError
from csmetrics.tables.movements import first_of_each, ledger

MODES = ("logo", "revenue")


def cohort_retention(mrr, *, mode="logo", on_duplicate="error"):
    """Retention by cohort (month of first MRR) and months since that first month.

    Parameters
    ----------
    mrr : pandas.DataFrame
        customer_id, month, mrr, as for :func:`~csmetrics.tables.movements.mrr_movements`.
    mode : {"logo", "revenue"}, default "logo"
        ``logo``: share of the cohort's customers with MRR in the month. ``revenue``: the
        cohort's MRR in the month over its MRR in its first month (expansion can take it
        above 1).
    on_duplicate : {"error", "sum"}, default "error"
        Two rows for one customer and month: an error, or amounts to add up.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (Period, only months in which someone first paid), columns
        ``0, 1, ...`` (months since the first month), values fractions; NaN where the
        data ends before that month.

    Notes
    -----
    A customer who churns and comes back counts again in the months it pays (in its
    first cohort).

    Examples
    --------
    A and B first pay in January, C in February. B leaves in February and A grows:

    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "C", "C"],
    ...                     "month": ["2024-01", "2024-02", "2024-03", "2024-01",
    ...                               "2024-02", "2024-03"],
    ...                     "mrr": [100, 150, 150, 100, 40, 40]})
    >>> cohort_retention(mrr)
    months_since_start    0    1    2
    cohort
    2024-01             1.0  0.5  0.5
    2024-02             1.0  1.0  NaN
    >>> cohort_retention(mrr, mode="revenue")
    months_since_start    0     1     2
    cohort
    2024-01             1.0  0.75  0.75
    2024-02             1.0  1.00   NaN
    """
    if mode not in MODES:
        raise InvalidTypeError(f"mode must be 'logo' or 'revenue', got {mode!r}")
    book = ledger(mrr, on_duplicate=on_duplicate)
    size = book.n_months
    totals = _cohort_totals(book, book.cents if mode == "revenue" else np.ones_like(book.cents))
    started = totals[:, 0] > 0
    shares = totals[started] / totals[started, :1]
    since = np.arange(size)
    cohorts = np.flatnonzero(started)
    shares[cohorts[:, None] + since[None, :] >= size] = np.nan
    return pd.DataFrame(
        shares,
        index=_cohort_index(book, cohorts),
        columns=pd.RangeIndex(size, name="months_since_start"),
    )


def cohort_sizes(mrr, *, on_duplicate="error"):
    """The size of each cohort of :func:`cohort_retention`: its customers and their MRR in
    the cohort's first month (the denominators of the logo and revenue shares).

    Parameters
    ----------
    mrr : pandas.DataFrame
        As for :func:`cohort_retention`.
    on_duplicate : {"error", "sum"}, default "error"
        Two rows for one customer and month: an error, or amounts to add up.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (as :func:`cohort_retention`), columns ``customers`` and
        ``mrr_start``.

    Examples
    --------
    The data of :func:`cohort_retention`: A and B start in January, C in February.

    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...     "month": ["2024-01", "2024-02", "2024-01", "2024-02"],
    ...     "mrr": [100, 150, 100, 40]})
    >>> cohort_sizes(mrr)
             customers  mrr_start
    cohort
    2024-01          2      200.0
    2024-02          1       40.0
    """
    book = ledger(mrr, on_duplicate=on_duplicate)
    customers = _cohort_totals(book, np.ones_like(book.cents))[:, 0]
    cents = _cohort_totals(book, book.cents)[:, 0]
    cohorts = np.flatnonzero(customers > 0)
    return pd.DataFrame({"customers": customers[cohorts], "mrr_start": cents[cohorts] / 100},
                        index=_cohort_index(book, cohorts))


def _cohort_totals(book, weight):
    """``weight`` summed by cohort (rows) and months since its first month (columns)."""
    size = book.n_months
    first = first_of_each(book.customer)
    cohort_of = np.zeros(len(book.customers), dtype=np.int64)
    cohort_of[book.customer[first]] = book.month[first]
    cohort = cohort_of[book.customer]
    totals = np.zeros((size, size), dtype=np.int64)
    np.add.at(totals, (cohort, book.month - cohort), weight)
    return totals


def _cohort_index(book, cohorts):
    return pd.PeriodIndex.from_ordinals(book.first_month.ordinal + cohorts, freq="M",
                                        name="cohort")
