"""Cohort retention: of the customers who first paid in a month, how many (or how much MRR)
are still there each month after."""

import numpy as np
import pandas as pd

from csmetrics.errors import InvalidTypeError
from csmetrics.tables.backends import is_ibis_table
from csmetrics.tables.movements import first_of_each, ledger

MODES = ("logo", "revenue")


def cohort_retention(mrr, *, mode="logo", on_duplicate="error"):
    """Retention by cohort (month of first MRR) and months since that first month.

    Parameters
    ----------
    mrr : pandas.DataFrame or Ibis table
        customer_id, month, mrr, as for :func:`~csmetrics.tables.movements.mrr_movements`
        (an Ibis table is computed by its backend).
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
    if is_ibis_table(mrr):
        from csmetrics.scale import engine

        return engine.cohort_retention(mrr, mode=mode, on_duplicate=on_duplicate)
    if mode not in MODES:
        raise InvalidTypeError(f"mode must be 'logo' or 'revenue', got {mode!r}")
    book = ledger(mrr, on_duplicate=on_duplicate)
    totals = _cohort_totals(book, book.cents if mode == "revenue" else np.ones_like(book.cents))
    return cohort_frame(book.first_month, totals)


def cohort_frame(first_month, totals):
    """The table of :func:`cohort_retention` from ``totals[cohort, months since]`` (the
    customers or whole cents of each cohort, counted from ``first_month``, in each month
    since its first), as the pandas and the Ibis engines compute them."""
    size = totals.shape[0]
    started = totals[:, 0] > 0
    shares = totals[started] / totals[started, :1]
    since = np.arange(size)
    cohorts = np.flatnonzero(started)
    shares[cohorts[:, None] + since[None, :] >= size] = np.nan
    return pd.DataFrame(
        shares,
        index=_cohort_index(first_month, cohorts),
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
    if is_ibis_table(mrr):
        from csmetrics.scale import engine

        return engine.cohort_sizes(mrr, on_duplicate=on_duplicate)
    book = ledger(mrr, on_duplicate=on_duplicate)
    customers = _cohort_totals(book, np.ones_like(book.cents))[:, 0]
    cents = _cohort_totals(book, book.cents)[:, 0]
    return sizes_frame(book.first_month, customers, cents)


def sizes_frame(first_month, customers, cents):
    """The table of :func:`cohort_sizes` from each month's new cohort: its customers and
    whole cents in its first month (months counted from ``first_month``)."""
    cohorts = np.flatnonzero(customers > 0)
    return pd.DataFrame({"customers": customers[cohorts], "mrr_start": cents[cohorts] / 100},
                        index=_cohort_index(first_month, cohorts))


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


def _cohort_index(first_month, cohorts):
    return pd.PeriodIndex.from_ordinals(first_month.ordinal + cohorts, freq="M",
                                        name="cohort")
