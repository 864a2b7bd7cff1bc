"""The table functions on an Ibis table: the sums are queries run by its backend; the
tables are made from them by the same code as the pandas engine's.

Each takes the arguments of its pandas twin and returns the same pandas result.
"""

import ibis
import numpy as np
import pandas as pd
from ibis import _

from csmetrics.errors import InvalidTypeError
from csmetrics.kpis import MONTHS_PER_YEAR
from csmetrics.scale.checks import number_of
from csmetrics.scale.movements import moves
from csmetrics.scale.source import read_source
from csmetrics.tables.accounts import TOP_COLUMNS, TOP_KINDS
from csmetrics.tables.annual import retention_frame
from csmetrics.tables.cohorts import MODES, cohort_frame, sizes_frame
from csmetrics.tables.economics import monthly_spend
from csmetrics.tables.metrics import (
    bridge_parts,
    data_months,
    metrics_table,
    month_index,
    other_parts,
)
from csmetrics.tables.movements import MOVEMENTS, BridgeSums, bridge_frame


def mrr_movements(table, *, segment_by=None, on_duplicate="error"):
    """:func:`csmetrics.mrr_movements` of an Ibis table."""
    source = read_source(table, segment_by=segment_by, on_duplicate=on_duplicate)
    return _bridge(source)


def customer_movements(table, *, segment_by=None, on_duplicate="error"):
    """:func:`csmetrics.customer_movements` of an Ibis table (every customer and month
    comes back to Python: meant for tables that fit in memory once moved)."""
    source = read_source(table, segment_by=segment_by, on_duplicate=on_duplicate)
    found = moves(source).execute()
    found = found.sort_values(["customer_id", "m"], kind="stable", ignore_index=True)
    return _customer_frame(source, found)


def top_movements(table, month, kind, n=10, *, segment_by=None, on_duplicate="error"):
    """:func:`csmetrics.tables.accounts.top_movements` of an Ibis table: the ``n``
    accounts with the largest movement of ``kind`` in ``month``, found by the backend."""
    if kind not in TOP_KINDS:
        raise InvalidTypeError(f"kind must be one of {', '.join(TOP_KINDS)}, got {kind!r}")
    source = read_source(table, segment_by=segment_by, on_duplicate=on_duplicate)
    top = top_query(source, month, kind, n).execute()
    top = top.sort_values(["size", "customer_id"], ascending=[False, True], kind="stable")
    frame = _customer_frame(source, top.reset_index(drop=True))
    if "segment" not in frame.columns:
        frame["segment"] = ""
    return frame.loc[:, list(TOP_COLUMNS)]


def top_query(source, month, kind, n=10):
    """The ``n`` movements of ``kind`` in ``month`` with the largest change."""
    codes = [MOVEMENTS.index(name) for name in TOP_KINDS[kind]]
    number = pd.Period(month, "M")
    found = moves(source).filter(
        (_.m == number.year * MONTHS_PER_YEAR + number.month - 1) & _.kind.isin(codes))
    found = found.mutate(size=(_.current - _.previous).abs())
    return found.order_by([_.size.desc(), _.customer_id]).limit(n)


def cohort_retention(table, *, mode="logo", on_duplicate="error"):
    """:func:`csmetrics.cohort_retention` of an Ibis table."""
    if mode not in MODES:
        raise InvalidTypeError(f"mode must be 'logo' or 'revenue', got {mode!r}")
    source = read_source(table, on_duplicate=on_duplicate)
    customers, cents = _cohort_totals(source)
    return cohort_frame(source.first_month, cents if mode == "revenue" else customers)


def cohort_sizes(table, *, on_duplicate="error"):
    """:func:`csmetrics.tables.cohorts.cohort_sizes` of an Ibis table."""
    source = read_source(table, on_duplicate=on_duplicate)
    customers, cents = _cohort_totals(source)
    return sizes_frame(source.first_month, customers[:, 0], cents[:, 0])


def retention_12m(source, lag=MONTHS_PER_YEAR):
    """:func:`csmetrics.tables.annual.retention_12m` of a Source."""
    sums = retention_query(source, lag).execute()
    group = _groups(source, sums, "measured")
    size = source.n_months * _n_segments(source)
    dense = {}
    for name in ("then", "now", "kept", "then_lost", "customers", "paying"):
        total = np.zeros(size, dtype=np.int64)
        np.add.at(total, group, sums[name].to_numpy(dtype=np.int64))
        dense[name] = total.astype(float)
    return retention_frame(source.first_month, source.n_months, source.segments, dense)


def retention_query(source, lag=MONTHS_PER_YEAR):
    """The cohort sums of :func:`retention_12m` by month measured (x segment): the
    customers paying ``lag`` months before, joined to their row of the month (if any)."""
    paying = source.paying
    cohort = paying.filter(_.m + lag <= source.last)
    cohort = cohort.mutate(measured=_.m + lag)
    later = paying.select(later_id=_.customer_id, later_m=_.m, now=_.cents)
    joined = cohort.left_join(later, [cohort.customer_id == later.later_id,
                                      cohort.measured == later.later_m])
    joined = joined.mutate(now=_.now.fill_null(0), pays=_.later_m.notnull())
    return joined.group_by(_group_keys(source, "measured")).aggregate(
        then=_.cents.sum().cast("int64"),
        now=_.now.sum().cast("int64"),
        kept=ibis.least(_.cents, _.now).sum().cast("int64"),
        then_lost=ibis.ifelse(_.pays, 0, _.cents).sum().cast("int64"),
        customers=_.count(),
        paying=ibis.ifelse(_.pays, 1, 0).sum().cast("int64"),
    )


def monthly_metrics(table, *, segment_by=None):
    """:func:`csmetrics.monthly_metrics` of an Ibis ``mrr`` table: the bridge, its ratios,
    the year figures and the 12-month retention (the other tables stay in memory)."""
    source = read_source(table, segment_by=segment_by)
    months = pd.period_range(source.first_month, periods=source.n_months, freq="M",
                             name="month")
    index = month_index(months, source.segments)
    parts = bridge_parts(_bridge(source), retention_12m(source), index)
    parts.append(monthly_spend(None, index, segment_by))
    return metrics_table(parts, index, with_mrr=True)


def _bridge(source):
    """The bridge of a Source: movements summed by month (x segment) and kind in the
    backend, the table made by :func:`~csmetrics.tables.movements.bridge_frame`."""
    sums = bridge_query(source).execute()
    group = _groups(source, sums, "m")
    dense = BridgeSums.zeros(source.n_months * _n_segments(source))
    cell = group * len(MOVEMENTS) + sums["kind"].to_numpy(dtype=np.int64)
    np.add.at(dense.change, cell, sums["change"].to_numpy(dtype=np.int64))
    np.add.at(dense.count, cell, sums["count"].to_numpy(dtype=np.int64))
    for name in ("start", "end", "fx"):
        np.add.at(getattr(dense, name), group, sums[name].to_numpy(dtype=np.int64))
    return bridge_frame(source.first_month, source.n_months, source.segments, dense)


def bridge_query(source):
    """The movements of a Source summed by month (x segment) and kind."""
    return moves(source).group_by(_group_keys(source, "m") + ["kind"]).aggregate(
        change=(_.current - _.previous - _.fx).sum().cast("int64"),
        count=_.count(),
        start=_.previous.sum().cast("int64"),
        end=_.current.sum().cast("int64"),
        fx=_.fx.sum().cast("int64"),
    )


def cohort_query(source):
    """Customers and whole cents by cohort (month of first MRR, counted from the first
    month) and months since (x segment, each customer in its own, when segmenting)."""
    paying = source.paying
    starts = paying.group_by("customer_id").aggregate(start=_.m.min())
    joined = paying.join(starts, "customer_id")
    keys = ["segment"] if source.segments is not None else []
    return joined.group_by(*keys, cohort=_.start - source.first, since=_.m - _.start
                           ).aggregate(customers=_.count(), cents=_.cents.sum().cast("int64"))


def _cohort_totals(source):
    """Customers and whole cents by cohort and months since, as two square arrays."""
    totals = cohort_query(source).execute()
    size = source.n_months
    at = (totals["cohort"].to_numpy(dtype=np.int64), totals["since"].to_numpy(dtype=np.int64))
    customers = np.zeros((size, size), dtype=np.int64)
    cents = np.zeros((size, size), dtype=np.int64)
    np.add.at(customers, at, totals["customers"].to_numpy(dtype=np.int64))
    np.add.at(cents, at, totals["cents"].to_numpy(dtype=np.int64))
    return customers, cents


def _customer_frame(source, found):
    """The columns of :func:`csmetrics.customer_movements` from fetched movements."""
    months = pd.PeriodIndex.from_ordinals(
        source.first_month.ordinal + found["m"].to_numpy(dtype=np.int64) - source.first,
        freq="M")
    columns = {"customer_id": found["customer_id"].to_numpy(dtype=object), "month": months}
    if source.segments is not None:
        columns["segment"] = found["segment"].to_numpy(dtype=object)
    previous = found["previous"].to_numpy(dtype=np.int64)
    current = found["current"].to_numpy(dtype=np.int64)
    columns.update(
        mrr_previous=previous / 100,
        mrr=current / 100,
        change=(current - previous) / 100,
        movement=pd.Categorical.from_codes(found["kind"].to_numpy(dtype=np.int8), MOVEMENTS),
    )
    if source.has_native:
        columns["fx_impact"] = found["fx"].to_numpy(dtype=np.int64) / 100
    return pd.DataFrame(columns).infer_objects()


def _group_keys(source, month):
    return [month] + (["segment"] if source.segments is not None else [])


def _n_segments(source):
    return 1 if source.segments is None else len(source.segments)


def _groups(source, sums, month):
    """Position of each fetched group among the months (x segments) of the Source."""
    group = (sums[month].to_numpy(dtype=np.int64) - source.first) * _n_segments(source)
    if source.segments is not None:
        group += pd.Index(source.segments).get_indexer(sums["segment"])
    return group


def dataset_metrics(source, dataset, *, segment_by=None, segment_of=None):
    """:func:`csmetrics.monthly_metrics` of a Dataset whose ``mrr`` table is the
    :class:`~csmetrics.scale.source.Source` ``source`` (read segmented by ``segment_by``):
    the bridge, its ratios and the 12-month figures by the backend, the other tables of
    ``dataset`` (in memory) as the pandas engine computes them, each customer in the
    segment ``segment_of`` gives it (:func:`customer_segments`, when segmenting); months
    from the first to the last of any table."""
    last = source.first_month + (source.n_months - 1)
    months = data_months(dataset, [source.first_month, last])
    index = month_index(months, source.segments)
    parts = bridge_parts(_bridge(source), retention_12m(source), index)
    parts += other_parts(dataset, index, segment_of, segment_by)
    return metrics_table(parts, index, with_mrr=True)


def customer_segments(source):
    """The segment of each customer that paid (a Series by customer_id), as the backend
    assigns it: that of its latest row with MRR."""
    labels = source.paying.select("customer_id", "segment").distinct().execute()
    return pd.Series(labels["segment"].to_numpy(dtype=object),
                     index=labels["customer_id"].to_numpy(dtype=object))


def month_movements(source, months):
    """:func:`csmetrics.customer_movements` of a Source, for ``months`` only (the months
    reported on): the backend brings back their rows, not every month's."""
    found = moves(source).filter(_.m.isin([number_of(month) for month in months])).execute()
    found = found.sort_values(["customer_id", "m"], kind="stable", ignore_index=True)
    return _customer_frame(source, found)
