"""An ``mrr`` table in a backend, read as the engine reads it: one row per customer and
month, the month as an integer, the MRR in whole cents.

Column types as warehouses hold them: the month as DATE, TIMESTAMP or ``YYYY-MM`` text
(``YYYY-MM-DD`` too); the MRR as DECIMAL/NUMERIC, a float or an integer of currency units,
or, in a column named ``mrr_cents``, integer cents.
"""

from typing import NamedTuple

import ibis
import numpy as np
from ibis import _

from csmetrics.errors import DataError
from csmetrics.scale import checks
from csmetrics.tables.movements import NO_SEGMENT
from csmetrics.tables.validate import ON_DUPLICATE

REQUIRED = ("customer_id", "month")


class Source(NamedTuple):
    """The normalised rows and what the tables built from them need to know.

    ``rows``: customer_id (text, spaces stripped), ``m`` (month number
    ``year * 12 + month - 1``), ``cents`` (int64), ``segment`` (text, when segmenting),
    ``currency`` and ``native`` (whole cents in the customer's currency, when the table
    has ``mrr_native``). ``first`` and ``last`` bound the months of every row (zero rows
    included); ``segments`` are the sorted labels of the segment column (None when not
    segmenting).
    """

    rows: ibis.Table
    first: int
    last: int
    segments: np.ndarray | None
    has_native: bool

    @property
    def first_month(self):
        return checks.month_of(self.first)

    @property
    def n_months(self):
        return self.last - self.first + 1

    @property
    def paying(self):
        """The rows with MRR (> 0), each with its customer's segment when segmenting: the
        segment of its latest row with MRR."""
        paying = self.rows.filter(_.cents > 0)
        if self.segments is None:
            return paying
        latest = paying.group_by("customer_id").aggregate(latest=_.m.max())
        labels = paying.join(latest, [paying.customer_id == latest.customer_id,
                                      paying.m == latest.latest])
        labels = labels.select(segment_of=labels.customer_id, label=labels.segment)
        joined = paying.join(labels, paying.customer_id == labels.segment_of)
        return joined.mutate(segment=joined.label).drop("segment_of", "label")


def read_source(table, *, segment_by=None, on_duplicate="error"):
    """The :class:`Source` of an Ibis ``mrr`` table, its data checked first (a problem is
    raised as the :class:`~csmetrics.errors.DataError` the pandas engine raises)."""
    if on_duplicate not in ON_DUPLICATE:
        raise ValueError(f"on_duplicate must be 'error' or 'sum', got {on_duplicate!r}")
    table, money = prepared(table)
    missing = [name for name in (*REQUIRED, money) if name not in table.columns]
    if missing:
        found = ", ".join(table.columns) or "none"
        raise DataError(f"missing column (the columns are: {found})", table="mrr", row=1,
                        column=missing[0])
    segment = None
    if segment_by is not None:
        segment = segment_by.strip().lower()
        if segment not in table.columns:
            raise DataError("no such column to segment by", table="mrr", column=segment_by)
    checks.raise_first(table, money=money, keyed=on_duplicate == "error")
    rows = normalised(table, money=money, segment=segment, summed=on_duplicate == "sum")
    bounds = rows.aggregate(first=_.m.min(), last=_.m.max()).execute()
    segments = None
    if segment is not None:
        labels = rows.select("segment").distinct().execute()["segment"]
        segments = np.asarray(sorted(labels), dtype=object)
    return Source(rows, int(bounds["first"].iloc[0]), int(bounds["last"].iloc[0]), segments,
                  "native" in rows.columns)


def normalised(table, *, money="mrr", segment=None, summed=False, blank=NO_SEGMENT):
    """The rows of :class:`Source` from a checked table with lower-case names: ``money``
    its money column, ``segment`` the column to segment by (or None), a blank segment read
    as ``blank`` (None: left null), ``summed`` whether repeated customer and month rows
    are added up."""
    columns = {
        "customer_id": clean_text(table.customer_id),
        "m": checks.month_number(table.month),
        "cents": cents(table[money], whole=money == "mrr_cents"),
    }
    if segment is not None:
        label = clean_text(table[segment])
        columns["segment"] = label if blank is None else label.fill_null(blank)
    if "mrr_native" in table.columns:
        currency = table.currency if "currency" in table.columns else ibis.literal("")
        columns["currency"] = clean_text(currency).fill_null("")
        columns["native"] = cents(table.mrr_native).fill_null(0)
    rows = table.select(**columns)
    return _summed(rows) if summed else rows


def cents(column, *, whole=False):
    """Whole cents (int64) of a money column: DECIMAL or float amounts rounded to the cent,
    integer currency units times 100, or integer cents as they are (``whole``)."""
    if whole:
        return column.cast("int64")
    if column.type().is_integer():
        return column.cast("int64") * 100
    return (column * 100).round(0).cast("int64")


def clean_text(column):
    """Text as the pandas engine reads it: spaces around it dropped, empty text blank
    (null)."""
    return column.cast("string").strip().nullif("")


def _summed(rows):
    """One row per customer and month, amounts of repeated rows added up (the segment and
    currency of a repeated key: the greatest of its rows')."""
    others = {name: rows[name].max() for name in ("segment", "currency") if name in rows.columns}
    sums = {name: rows[name].sum().cast("int64") for name in ("cents", "native")
            if name in rows.columns}
    return rows.group_by(["customer_id", "m"]).aggregate(**sums, **others)


def prepared(table):
    """``(table, money)``: the table with lower-case column names (as the pandas engine
    reads them) and the name of its money column (``mrr``, or ``mrr_cents``)."""
    renames = {name.strip().lower(): name for name in table.columns
               if name != name.strip().lower()}
    table = table.rename(renames) if renames else table
    return table, "mrr_cents" if "mrr_cents" in table.columns else "mrr"
