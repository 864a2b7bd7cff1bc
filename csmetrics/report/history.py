"""What a report reads from the whole MRR history when its Dataset holds only part of it.

A backend's ``mrr`` table of more rows than ``--max-input-rows`` is not brought into
memory whole: the backend sends back the rows the reports' totals read (those of each
reported month and of the month 12 earlier), the reports hold totals in their Inputs
(:func:`~csmetrics.report.fill.write_month_inputs`), and the backend computes, by queries,
what the reports read from every other month (:mod:`csmetrics.scale.history`): the cohort
triangles and sizes, the MRR rows counted by month, and each customer's latest segment.
This module holds those totals, as data (no query and no Ibis here), and cuts them at a
report month as the pandas engine would compute them from the rows up to that month.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csmetrics.tables.cohorts import cohort_frame, sizes_frame


@dataclass(frozen=True)
class TableSpan:
    """The whole ``mrr`` table of a backend, as the command line reads it: its ``rows``
    (count), its ``first`` and ``last`` months, and the one ``currency`` its amounts are
    in (:func:`~csmetrics.report.units.data_currency`; None when it does not say)."""

    rows: int
    first: pd.Period
    last: pd.Period
    currency: str | None


@dataclass(frozen=True)
class MonthHistory:
    """What a report of one month and segment reads from the MRR rows up to its month:
    the cohort sizes (``sizes``) and revenue triangle (``revenue``), None without rows,
    and each customer's latest segment with MRR
    (``segments``, a Series by customer_id: the customers paying in the month, the month
    before or 12 months before; None when the table has no ``segment`` column or the
    report's movements carry the segment)."""

    sizes: pd.DataFrame | None
    revenue: pd.DataFrame | None
    segments: pd.Series | None = None


@dataclass(frozen=True)
class SegmentHistory:
    """The whole MRR history of a segment's customers (every customer when not
    segmenting), in totals counted from month ``first`` (position 0): ``customers`` and
    ``cents`` (whole cents) ``[cohort, months since]`` of the rows with MRR, ``rows`` the
    MRR rows (zero ones included) of each month, and ``latest`` the
    :attr:`MonthHistory.segments` of each report month.

    Examples
    --------
    A pays from January to March, B in January only, C from February: cut at February,
    the triangle is that of the rows up to February.

    >>> history = SegmentHistory(pd.Period("2025-01", "M"),
    ...     customers=np.array([[2, 1, 1], [1, 1, 0], [0, 0, 0]]),
    ...     cents=np.array([[300, 100, 100], [500, 500, 0], [0, 0, 0]]),
    ...     rows=np.array([2, 3, 2]))
    >>> cohorts, month = history.at(pd.Period("2025-02", "M"))
    >>> cohorts.to_dict("list"), month.sizes["customers"].tolist()
    ({0: [1.0, 1.0], 1: [0.5, nan]}, [2, 1])

    A segment whose rows start in February (two customers, one left in March): its
    triangle starts there.

    >>> late = SegmentHistory(pd.Period("2025-01", "M"),
    ...     customers=np.array([[0, 0, 0], [2, 1, 0], [0, 0, 0]]),
    ...     cents=np.array([[0, 0, 0], [300, 100, 0], [0, 0, 0]]), rows=np.array([0, 2, 2]))
    >>> cohorts, month = late.at(pd.Period("2025-03", "M"))
    >>> [str(cohort) for cohort in cohorts.index], cohorts.to_numpy().tolist()
    (['2025-02'], [[1.0, 0.5]])
    >>> month.revenue.to_numpy().tolist()
    [[1.0, 0.3333333333333333]]
    """

    first: pd.Period
    customers: np.ndarray
    cents: np.ndarray
    rows: np.ndarray
    latest: dict = field(default_factory=dict)

    def at(self, month):
        """``(cohorts, history)``: the logo triangle of the rows up to ``month`` (None
        without rows) and its :class:`MonthHistory`.

        The rows up to ``month`` run from the segment's first month with rows to its last
        one up to ``month``; their triangle is the whole one's cells of those cohorts
        whose cohort and months since add up to no later than that last month."""
        upto = max(month.ordinal - self.first.ordinal + 1, 0)
        months = np.flatnonzero(self.rows[:upto])
        segments = self.latest.get(month)
        if not len(months):
            return None, MonthHistory(None, None, segments)
        start, end = int(months[0]), int(months[-1])
        customers, cents = (_cut(totals, start, end) for totals in (self.customers, self.cents))
        first = self.first + start
        history = MonthHistory(sizes_frame(first, customers[:, 0], cents[:, 0]),
                               cohort_frame(first, cents), segments)
        return cohort_frame(first, customers), history


def _cut(totals, start, end):
    """The cells of ``totals[cohort, months since]`` of the cohorts ``start`` to ``end``
    with cohort + months since <= ``end`` (the others zero), re-counted from ``start``."""
    size = end - start + 1
    part = totals[start:end + 1, :size].copy()
    part[np.add.outer(np.arange(size), np.arange(size)) >= size] = 0
    return part
