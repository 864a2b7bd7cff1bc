"""The figures a board asks for: ARR, net new MRR, 12-month retention, year-on-year growth
and a lifetime value from a trailing churn.

Each month's figures (per segment when the metrics are segmented, each customer in the
segment of its latest row with MRR, as in the bridge):

- ``arr``: 12 x MRR at the end of the month.
- ``net_new_mrr``: MRR at the end minus MRR at the start of the month (new + expansion +
  reactivation - contraction - churned).
- ``mrr_growth_yoy``: growth of the month-end MRR over the same month a year earlier.
- ``nrr_12m``, ``grr_12m``, ``logo_retention_12m``: the customers paying 12 months
  earlier (the cohort), their MRR now over their MRR then; for GRR each customer's MRR
  now capped at its MRR then; the share of them paying now. A customer who left and came
  back within the 12 months counts with its MRR now.
- ``logo_churn_12m``: the logo churn of the 12 months ending with the month, each month
  weighted by its customers at the start (customers lost in the 12 months over the sum
  of the 12 months' customers at the start).
- ``ltv_12m`` (a ratio of the KPI catalogue, computed with the other ratios from
  ``logo_churn_12m``): ``arpa x gross_margin / logo_churn_12m``, the ``ltv`` of the month
  with the trailing churn in place of the month's own.

A figure is NaN when its months are not in the data (no month 12 months earlier, fewer
than 12 months with customers at their start) or its denominator is zero. Ratios are
computed by the core metric functions, from amounts in whole cents.
"""

import numpy as np
import pandas as pd

from csmetrics.kpis import MONTHS_PER_YEAR
from csmetrics.retention import customer_churn_rate, customer_retention_rate
from csmetrics.revenue import gross_revenue_retention, net_revenue_retention, revenue_growth_rate
from csmetrics.tables.money import to_cents
from csmetrics.tables.monthly import core_by_row

TRAILING_MONTHS = MONTHS_PER_YEAR
"""Months of the trailing logo churn behind ``ltv_12m``."""


def run_rate(frame):
    """ARR and net new MRR of each month.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monthly rows with ``mrr_start`` and ``mrr_end``.

    Returns
    -------
    pandas.DataFrame
        Same index: ``arr`` (12 x mrr_end) and ``net_new_mrr`` (mrr_end - mrr_start),
        both from whole cents.

    Examples
    --------
    >>> month = pd.DataFrame({"mrr_start": [10_000.10], "mrr_end": [11_500.35]})
    >>> run_rate(month).iloc[0].to_dict()
    {'arr': 138004.2, 'net_new_mrr': 1500.25}
    """
    start = to_cents(frame["mrr_start"])
    end = to_cents(frame["mrr_end"])
    return pd.DataFrame(
        {"arr": end * MONTHS_PER_YEAR / 100, "net_new_mrr": (end - start) / 100},
        index=frame.index,
    )


def months_earlier(values, lag):
    """``values`` of ``lag`` months earlier (same segment), aligned on ``values``' index.

    A month earlier than the index holds is NaN.

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=3, freq="M", name="month")
    >>> months_earlier(pd.Series([1.0, 2.0, 4.0], index=months), 1).tolist()
    [nan, 1.0, 2.0]
    """
    index = values.index
    months = index.get_level_values("month") - lag
    if isinstance(index, pd.MultiIndex):
        earlier = pd.MultiIndex.from_arrays(
            [months, index.get_level_values("segment")], names=index.names
        )
    else:
        earlier = months
    return pd.Series(values.reindex(earlier).to_numpy(), index=index)


def trailing_sum(values, months):
    """Sum of ``values`` over the ``months`` months ending with each month (same segment);
    NaN when a month of the window is missing or NaN.

    Examples
    --------
    >>> index = pd.period_range("2024-01", periods=4, freq="M", name="month")
    >>> trailing_sum(pd.Series([1.0, 2.0, float("nan"), 4.0], index=index), 2).tolist()
    [nan, 3.0, nan, nan]
    """
    index = values.index
    wide = values.unstack("segment") if isinstance(index, pd.MultiIndex) else values.to_frame()
    held = wide.index
    wide = wide.reindex(pd.period_range(held.min(), held.max(), freq="M", name="month"))
    summed = wide.rolling(months, min_periods=months).sum()
    if isinstance(index, pd.MultiIndex):
        summed = summed.unstack().swaplevel()  # (segment, month) -> (month, segment)
    else:
        summed = summed.iloc[:, 0]
    return pd.Series(summed.reindex(index).to_numpy(), index=index)


def year_on_year(frame):
    """Growth of the month-end MRR over the same month a year earlier.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monthly rows (index ``month`` or ``month`` x ``segment``) with ``mrr_end``.

    Returns
    -------
    pandas.Series
        ``mrr_growth_yoy``: ``(mrr_end - mrr_end 12 months earlier) / mrr_end then``;
        NaN without that month or with no MRR then.

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=13, freq="M", name="month")
    >>> mrr = pd.DataFrame({"mrr_end": [1_000.0] + [0.0] * 11 + [1_250.0]}, index=months)
    >>> year_on_year(mrr).iloc[[0, 12]].tolist()
    [nan, 0.25]
    """
    now = pd.Series(to_cents(frame["mrr_end"]), index=frame.index)
    cents = pd.DataFrame(
        {"now": now, "then": months_earlier(now, MONTHS_PER_YEAR)}, index=frame.index
    )
    growth = core_by_row(revenue_growth_rate, cents, ("then", "now"))
    return pd.Series(growth, index=frame.index, name="mrr_growth_yoy")


def trailing_churn(frame, months=TRAILING_MONTHS):
    """Logo churn of the ``months`` months ending with each month, weighted by customers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monthly rows (index ``month`` or ``month`` x ``segment``) with
        ``customers_start`` and ``customers_lost``.
    months : int, default 12
        Months in the window, the month itself included.

    Returns
    -------
    pandas.Series
        ``logo_churn_<months>m``: customers lost in the window over the sum of its months'
        customers at the start (the mean of the monthly logo churns, each weighted by its
        customers at the start); NaN unless every month of the window has customers at its
        start.

    Examples
    --------
    Churn of 2 in 100, 1 in 98 and 4 in 102: 7 lost of 300, where the plain mean of the
    three rates would be 0.0232:

    >>> index = pd.period_range("2024-01", periods=4, freq="M", name="month")
    >>> months = pd.DataFrame({"customers_start": [0, 100, 98, 102],
    ...                        "customers_lost": [0, 2, 1, 4]}, index=index)
    >>> trailing_churn(months, 3).round(4).tolist()
    [nan, nan, nan, 0.0233]
    """
    start = frame["customers_start"].astype(float)
    start = start.where(start > 0)
    lost = frame["customers_lost"].astype(float).where(start.notna())
    window = pd.DataFrame(
        {"start": trailing_sum(start, months), "lost": trailing_sum(lost, months)},
        index=frame.index,
    )
    churn = core_by_row(customer_churn_rate, window, ("start", "lost"))
    return pd.Series(churn, index=frame.index, name=f"logo_churn_{months}m")


def annual_figures(frame):
    """The year figures computed from the bridge's monthly columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        The bridge rows (index ``month`` or ``month`` x ``segment``): ``mrr_start``,
        ``mrr_end``, ``customers_start`` and ``customers_lost``.

    Returns
    -------
    pandas.DataFrame
        Same index: arr, net_new_mrr, mrr_growth_yoy and logo_churn_12m (the 12-month
        retention needs each customer's MRR: :func:`retention_12m`; ``ltv_12m`` is a
        ratio of the catalogue, computed from logo_churn_12m).
    """
    table = run_rate(frame)
    table["mrr_growth_yoy"] = year_on_year(frame)
    table["logo_churn_12m"] = trailing_churn(frame)
    return table


def retention_12m(book, lag=MONTHS_PER_YEAR):
    """NRR, GRR and logo retention of the customers paying ``lag`` months earlier.

    Parameters
    ----------
    book : csmetrics.tables.movements.Ledger
        Every customer's months with MRR.
    lag : int, default 12
        Months between the cohort's month and the month measured.

    Returns
    -------
    pandas.DataFrame
        One row per month of the ledger (and segment), indexed like the bridge:
        ``nrr_12m`` (their MRR now / their MRR then), ``grr_12m`` (each customer's MRR
        now capped at its MRR then, summed, over their MRR then) and
        ``logo_retention_12m`` (those paying now / those paying then); NaN for the first
        ``lag`` months and for a month whose cohort is empty.

    Notes
    -----
    The cohort's movement over the year goes through the core: churned (MRR then of the
    customers at zero now), contraction and expansion (the falls and rises of the others),
    so ``nrr_12m = net_revenue_retention(then, churned, contraction, expansion)`` and
    ``grr_12m = gross_revenue_retention(then, churned, contraction)``.

    Examples
    --------
    A pays 100 then 120, B 50 then nothing, C starts in the last month (not in the
    cohort): NRR 120 / 150, GRR 100 / 150, one of two retained.

    >>> from csmetrics.tables.movements import ledger
    >>> mrr = pd.DataFrame({"customer_id": ["A", "B", "A", "C"],
    ...     "month": ["2024-01", "2024-01", "2024-03", "2024-03"], "mrr": [100, 50, 120, 70]})
    >>> retention_12m(ledger(mrr), lag=2).round(4)
             nrr_12m  grr_12m  logo_retention_12m
    month
    2024-01      NaN      NaN                 NaN
    2024-02      NaN      NaN                 NaN
    2024-03      0.8   0.6667                 0.5
    """
    n_segments = 1 if book.segments is None else len(book.segments)
    sums = _cohort_sums(book, lag, n_segments)
    return retention_frame(book.first_month, book.n_months, book.segments, sums)


def retention_frame(first_month, n_months, segments, sums):
    """The table of :func:`retention_12m` from the cohort sums of each month (x segment)
    measured (months first, segments within; ``segments`` None when not segmented), in
    whole cents: ``then`` (the cohort's MRR then), ``now``, ``kept`` (each customer's
    MRR now capped at its MRR then), ``then_lost`` (MRR then of those at zero now),
    ``customers`` and ``paying`` (how many are in the cohort, and pay now). The pandas
    and the Ibis engines compute the sums each their own way."""
    n_segments = 1 if segments is None else len(segments)
    churned = sums["then_lost"]
    contraction = sums["then"] - sums["kept"] - churned
    expansion = sums["now"] - sums["kept"]
    cents = pd.DataFrame({"then": sums["then"], "churned": churned,
                          "contraction": contraction, "expansion": expansion,
                          "customers": sums["customers"], "paying": sums["paying"],
                          "none_new": np.zeros(churned.size)})
    month = pd.PeriodIndex.from_ordinals(
        first_month.ordinal + np.repeat(np.arange(n_months), n_segments), freq="M"
    )
    if segments is None:
        index = pd.Index(month, name="month")
    else:
        index = pd.MultiIndex.from_arrays(
            [month, np.tile(segments, n_months)], names=["month", "segment"]
        )
    return pd.DataFrame(
        {
            "nrr_12m": core_by_row(net_revenue_retention, cents,
                                   ("then", "churned", "contraction", "expansion")),
            "grr_12m": core_by_row(gross_revenue_retention, cents,
                                   ("then", "churned", "contraction")),
            "logo_retention_12m": core_by_row(customer_retention_rate, cents,
                                              ("customers", "paying", "none_new")),
        },
        index=index,
    )


def _cohort_sums(book, lag, n_segments):
    """Per month (x segment) measured, sums over the customers paying ``lag`` months
    earlier, in cents: their MRR then, now, capped (min of both), then of those at zero
    now; and how many they are and how many pay now."""
    key = book.customer * book.n_months + book.month
    cohort = np.flatnonzero(book.month + lag < book.n_months)
    later = key[cohort] + lag
    found = np.minimum(np.searchsorted(key, later), key.size - 1)
    paying = key[found] == later
    then = book.cents[cohort]
    now = np.where(paying, book.cents[found], 0)
    group = (book.month[cohort] + lag) * n_segments
    if book.segments is not None:
        group += book.segment[book.customer[cohort]]
    size = book.n_months * n_segments
    sums = {}
    for name, values in (("then", then), ("now", now), ("kept", np.minimum(then, now)),
                         ("then_lost", np.where(paying, 0, then)),
                         ("customers", np.ones_like(then)), ("paying", paying.astype(np.int64))):
        total = np.zeros(size, dtype=np.int64)
        np.add.at(total, group, values)
        sums[name] = total.astype(float)
    return sums
