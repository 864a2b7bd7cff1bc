"""Every monthly KPI of :mod:`csmetrics.kpis` that the available tables allow."""

from pathlib import Path

import pandas as pd

from csmetrics.errors import DataError
from csmetrics.kpis import KPIS
from csmetrics.tables.annual import annual_figures, retention_12m
from csmetrics.tables.backends import is_ibis_table
from csmetrics.tables.economics import monthly_spend, unit_economics
from csmetrics.tables.io import Dataset, load_data
from csmetrics.tables.movements import bridge_table, customer_segments, ledger
from csmetrics.tables.orders import monthly_orders
from csmetrics.tables.receivables import monthly_receivables
from csmetrics.tables.subscriptions import subscription_metrics
from csmetrics.tables.support import monthly_support
from csmetrics.tables.surveys import monthly_surveys

PER_CUSTOMER_TABLES = (
    ("invoices", "issue_date", monthly_receivables),
    ("surveys", "date", monthly_surveys),
    ("orders", "order_date", monthly_orders),
    ("tickets", "opened_date", monthly_support),
)


def monthly_metrics(data, *, segment_by=None):
    """One row per month (and segment) with every KPI the data allows.

    Parameters
    ----------
    data : Dataset, pandas.DataFrame, str or Path
        A :class:`~csmetrics.tables.io.Dataset`, an ``mrr`` table alone, or a source for
        :func:`~csmetrics.tables.io.load_data`.
    segment_by : str, optional
        A column of the ``mrr`` table (``"segment"``). Each customer counts in the segment
        of its latest row with MRR, in every month and every table.

    Returns
    -------
    pandas.DataFrame
        Columns ``month``, [``segment``], then the keys of :data:`csmetrics.kpis.KPIS`
        in their order, the year figures of :mod:`csmetrics.tables.annual` (arr,
        net_new_mrr, mrr_growth_yoy, nrr_12m, grr_12m, logo_retention_12m,
        logo_churn_12m, ltv_12m) among them, each present only when its tables are: the
        MRR bridge, its ratios and the year figures need ``mrr``; NPS, CSAT and CES
        ``surveys``; DSO and ageing ``invoices``; repeat purchase and return rates
        ``orders``; FCR ``tickets``; CAC, CLV/CAC and CAC payback ``spend`` and ``mrr``.
        Months run from the first to the last month of any table. A value the core
        cannot compute (a zero denominator, a month before the data) is NaN.

    Notes
    -----
    Every ratio is computed by the core function of :mod:`csmetrics` (one definition
    per metric), once per row. Choices made where the sources leave room:

    - customers_new counts reactivated customers (they were not customers at the start),
      so ``crr = (end - new) / start`` and CAC's denominator include them; the MRR of a
      reactivation is kept apart from new MRR.
    - ltv is ``arpa x gross_margin / logo_churn`` with the month's ``gross_margin`` from
      the spend table; without that column it is a revenue LTV (margin 1.0). ltv_12m
      takes the trailing 12-month logo churn in place of the month's own, so one month's
      losses do not swing it.
    - Segments: the other tables take each customer's segment from ``mrr``; customers
      absent from ``mrr`` are left out of the segment rows. Spend split by ``segment``
      gives each segment its own sales_marketing_cost, cac, clv_cac and
      cac_payback_months when segmenting by ``segment``; otherwise the segment rows have
      none of them (see :mod:`csmetrics.tables.economics`).
    - See :func:`~csmetrics.tables.subscriptions.subscription_metrics` (mrr_churn, nrr,
      revenue_growth, arpa) and
      :func:`~csmetrics.tables.receivables.monthly_receivables` (DSO, ageing).

    Examples
    --------
    >>> from csmetrics import sample_data_path
    >>> table = monthly_metrics(sample_data_path())
    >>> len(table), list(table.columns) == ["month", *(kpi.key for kpi in KPIS)]
    (24, True)
    >>> table.columns[:4].tolist()
    ['month', 'mrr_start', 'new', 'expansion']
    """
    if is_ibis_table(data):
        from csmetrics.scale.engine import monthly_metrics as on_backend

        return on_backend(data, segment_by=segment_by)
    dataset = as_dataset(data)
    book = None
    segment_of = None
    if dataset.mrr is not None:
        book = ledger(dataset.mrr, segment_by=segment_by)
        segment_of = customer_segments(book) if segment_by is not None else None
    elif segment_by is not None:
        raise DataError("segmenting needs the mrr table (segments come from it)", table="mrr")
    mrr_months = [] if book is None else [book.first_month,
                                          book.first_month + (book.n_months - 1)]
    index = month_index(data_months(dataset, mrr_months),
                        None if book is None else book.segments)
    parts = []
    if book is not None:
        parts += bridge_parts(bridge_table(book), retention_12m(book), index)
    parts += other_parts(dataset, index, segment_of, segment_by)
    return metrics_table(parts, index, with_mrr=book is not None)


def other_parts(dataset, index, segment_of=None, segment_by=None):
    """The monthly parts of the tables other than ``mrr`` (receivables, surveys, orders,
    tickets, spend), indexed by ``index``'s names; ``segment_of``: each customer's
    segment (a Series by customer_id) when segmenting by the mrr column ``segment_by``."""
    parts = []
    for name, _, monthly in PER_CUSTOMER_TABLES:
        table = getattr(dataset, name)
        if table is not None:
            parts.append(monthly(table, index, segment_of))
    parts.append(monthly_spend(dataset.spend, index, segment_by))
    return parts


def bridge_parts(bridge, retention, index):
    """The monthly parts that come from the ``mrr`` table: the bridge (as
    :func:`~csmetrics.tables.movements.mrr_movements` gives it), its ratios, the year
    figures and the 12-month retention (:func:`~csmetrics.tables.annual.retention_12m`),
    indexed by ``index``'s names."""
    bridge = bridge.set_index(index.names)
    return [bridge, subscription_metrics(bridge), annual_figures(bridge), retention]


def metrics_table(parts, index, *, with_mrr):
    """The parts side by side on ``index``, the unit economics (which need the bridge)
    computed from them, columns in the order of the KPI catalogue."""
    frame = pd.concat([part.reindex(index) for part in parts], axis=1)
    if with_mrr:
        frame = pd.concat([frame, unit_economics(frame)], axis=1)
    keys = [kpi.key for kpi in KPIS if kpi.key in frame.columns]
    return frame[keys].reset_index()


def as_dataset(data):
    """A :class:`Dataset` from a Dataset, an ``mrr`` DataFrame or a source path."""
    if isinstance(data, Dataset):
        return data
    if isinstance(data, pd.DataFrame):
        return Dataset(mrr=data)
    if isinstance(data, str | Path):
        return load_data(data)
    raise TypeError(f"data must be a Dataset, a DataFrame or a path, got {type(data).__name__}")


def data_months(dataset, mrr_months=()):
    """Every month from the first to the last month any table mentions, the tables other
    than ``mrr`` read from ``dataset`` and the ``mrr`` table's first and last months
    given (``mrr_months``: none without it)."""
    months = list(mrr_months)
    for name, column, _ in PER_CUSTOMER_TABLES:
        table = getattr(dataset, name)
        if table is not None:
            months += [table[column].min().to_period("M"), table[column].max().to_period("M")]
    if dataset.spend is not None:
        months += [dataset.spend["month"].min(), dataset.spend["month"].max()]
    if not months:
        raise DataError("no table to compute from: give at least one of the six tables")
    return pd.period_range(min(months), max(months), freq="M", name="month")


def month_index(months, segments):
    if segments is None:
        return months
    return pd.MultiIndex.from_product([months, segments], names=["month", "segment"])
