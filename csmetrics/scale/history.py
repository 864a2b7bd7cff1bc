"""A report from a backend's ``mrr`` table too large to bring into memory: the rows of the
reported months, and what the reports read from the others, by queries.

Past ``--max-input-rows`` rows the table is not fetched whole (at 10^8 rows it would not
fit), and every report made from it holds totals in its Inputs
(:func:`~csmetrics.report.fill.write_month_inputs`): :func:`needed_rows` keeps the rows
those totals read (each reported month's and the month 12 earlier's: the movements come
from the backend), :func:`table_span` gives the table's size, months and currency, and
:func:`segment_histories` the cohort triangles, the rows counted by month and each
customer's latest segment (:class:`~csmetrics.report.history.SegmentHistory`).

The rows :func:`~csmetrics.report.selection.month_rows` adds for an Inputs sheet of rows
(the month before, and every earlier row of the customers who start or restart paying in
the month) are not fetched: a report of totals never reads them, and they are many (at
10^7 rows of the benchmark's data, 1,074,653 rows for one month against 400,000).
"""

import numpy as np
import pandas as pd
from ibis import _

from csmetrics.kpis import MONTHS_PER_YEAR
from csmetrics.report.history import SegmentHistory, TableSpan
from csmetrics.report.selection import ALL_SEGMENTS
from csmetrics.report.units import CONVERTED_CENTS, check_currency
from csmetrics.scale.checks import month_number, month_of, number_of
from csmetrics.scale.engine import cohort_query
from csmetrics.scale.source import clean_text, normalised


def table_span(table, money="mrr"):
    """The :class:`~csmetrics.report.history.TableSpan` of a checked ``mrr`` table with
    lower-case names (``money``: its money column), in one query."""
    amount = table.mrr_cents / 100 if money == "mrr_cents" else table[money].cast("float64")
    number = month_number(table.month)
    sums = {"rows": table.count(), "first": number.min(), "last": number.max()}
    if "currency" in table.columns:
        codes = table.currency.cast("string").strip().upper()
        sums.update(blank=codes.isnull().sum(), codes=codes.nunique(), code=codes.max())
        if "mrr_native" in table.columns:
            apart = (amount - table.mrr_native.cast("float64")).abs() > CONVERTED_CENTS
            sums["converted"] = (apart | table.mrr_native.isnull()).sum()
    found = table.aggregate(**sums).execute().iloc[0]
    return TableSpan(int(found["rows"]), month_of(int(found["first"])),
                     month_of(int(found["last"])), _currency(found))


def _currency(found):
    """The one currency of :func:`table_span`'s sums, or None (see ``data_currency``)."""
    if "code" not in found.index or found["blank"] or found["codes"] != 1:
        return None
    if found.get("converted", 0):
        return None
    return check_currency(found["code"], "the mrr table's currency column")


def segment_values(table):
    """The segments of a checked ``mrr`` table with lower-case names, as
    :func:`~csmetrics.tables.io.mrr_segments` gives them (the spend table's are checked
    against them): a set, empty without a ``segment`` column."""
    if "segment" not in table.columns:
        return set()
    found = table.select(segment=clean_text(table.segment)).distinct().execute()
    return set(found["segment"].dropna())


def needed_rows(table, months):
    """The rows of ``table`` (a checked ``mrr`` table with lower-case names) the reports
    of totals of ``months`` read: those of each month and of the month 12 earlier (the
    12-month totals by segment).

    >>> import ibis
    >>> table = ibis.memtable({"month": ["2024-03", "2025-02", "2025-03"], "mrr": [1, 2, 3]})
    >>> needed_rows(table, [pd.Period("2025-03", "M")]).execute()["mrr"].tolist()
    [1, 3]
    """
    wanted = sorted({number_of(month) - lag for month in months for lag in (0, MONTHS_PER_YEAR)})
    return table.filter(month_number(table.month).isin(wanted))


def segment_histories(source, table, months, money="mrr"):
    """``{segment: SegmentHistory}`` of the reports of ``months``: the whole history of
    each segment of ``source`` (``"All"`` when not segmenting), each customer in the
    segment the engine gives it; ``table`` the checked ``mrr`` table with lower-case
    names it was read from (``money``: its money column), whose ``segment`` column, when
    it has one, gives the reports over all customers each customer's latest segment."""
    size = source.n_months
    names = [ALL_SEGMENTS] if source.segments is None else [str(s) for s in source.segments]
    customers, cents, rows = (np.zeros((len(names), size, size), dtype=np.int64),
                              np.zeros((len(names), size, size), dtype=np.int64),
                              np.zeros((len(names), size), dtype=np.int64))
    totals = cohort_query(source).execute()
    at = (_positions(names, totals), totals["cohort"].to_numpy(dtype=np.int64),
          totals["since"].to_numpy(dtype=np.int64))
    np.add.at(customers, at, totals["customers"].to_numpy(dtype=np.int64))
    np.add.at(cents, at, totals["cents"].to_numpy(dtype=np.int64))
    counted = row_counts_query(source).execute()
    np.add.at(rows, (_positions(names, counted), counted["m"].to_numpy(dtype=np.int64)
                     - source.first), counted["rows"].to_numpy(dtype=np.int64))
    latest = {}
    if source.segments is None and "segment" in table.columns:
        latest = {month: latest_segments(table, month, money) for month in months}
    return {name: SegmentHistory(source.first_month, customers[i], cents[i], rows[i],
                                 latest)
            for i, name in enumerate(names)}


def row_counts_query(source):
    """The rows (zero ones included) by month (x segment: the rows of the customers the
    engine puts in it; those who never paid are in none)."""
    rows = source.rows
    if source.segments is None:
        return rows.group_by("m").aggregate(rows=_.count())
    labels = source.paying.select("customer_id", "segment").distinct()
    joined = rows.drop("segment").join(labels, "customer_id")
    return joined.group_by(["segment", "m"]).aggregate(rows=_.count())


def latest_segments(table, month, money="mrr"):
    """The segment of each customer paying in ``month``, the month before or 12 months
    before, on its latest row with MRR and a segment up to ``month``, as
    :func:`csmetrics.tables.accounts.latest_segments` reads it from the rows up to
    ``month`` (a Series by customer_id)."""
    number = number_of(month)
    rows = normalised(table, money=money, segment="segment", blank=None)
    paying = rows.filter((_.cents > 0) & (_.m <= number))
    wanted = paying.filter(_.m.isin([number, number - 1, number - MONTHS_PER_YEAR]))
    named = paying.filter(_.segment.notnull()).semi_join(
        wanted.select("customer_id").distinct(), "customer_id")
    last = named.group_by("customer_id").aggregate(last=_.m.max())
    found = named.join(last, ["customer_id", named.m == last["last"]])
    found = found.select("customer_id", "segment").execute()
    return pd.Series(found["segment"].to_numpy(dtype=object),
                     index=found["customer_id"].to_numpy(dtype=object), name="segment")


def _positions(names, frame):
    """The position among ``names`` of each fetched row's segment (0 without segments)."""
    if "segment" not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return pd.Index(names).get_indexer(frame["segment"].astype(str))
