"""Putting a test's ``mrr`` table into a backend, in the column types warehouses use, for
the cross-engine tests of csmetrics.scale."""

import itertools

import pandas as pd

from csmetrics import load_data, sample_data_path
from csmetrics.tables.parse import parse_months

MONTH_TYPES = ("date", "timestamp", "text")
MONEY_TYPES = ("decimal", "double", "cents")
_names = itertools.count()


def backend_table(con, frame, *, month="date", money="decimal"):
    """``frame`` (an ``mrr`` table as a pandas test builds it) as a table of ``con``: the
    month as a DATE, a TIMESTAMP or ``YYYY-MM`` text; the MRR as DECIMAL(14, 2), a
    DOUBLE or integer cents in a column ``mrr_cents``."""
    months, bad = parse_months(frame["month"])
    assert not bad.any(), "the test's months must read"
    days = months.dt.to_timestamp()
    columns = frame.assign(month=days)
    if money == "cents":
        columns = columns.assign(mrr=(columns["mrr"] * 100).round().astype("int64"))
        columns = columns.rename(columns={"mrr": "mrr_cents"})
    raw = con.create_table(f"raw_{next(_names)}", pd.DataFrame(columns))
    typed = {"month": {"date": raw.month.cast("date"), "timestamp": raw.month,
                       "text": raw.month.cast("date").cast("string").substr(0, 7)}[month]}
    if money == "decimal":
        typed["mrr"] = raw.mrr.cast("decimal(14, 2)")
        if "mrr_native" in raw.columns:
            typed["mrr_native"] = raw.mrr_native.cast("decimal(14, 2)")
    return con.create_table(f"mrr_{next(_names)}", raw.mutate(**typed))


def load_sample(con):
    """The sample's tables into ``con``, months as DATE."""
    for name, frame in load_data(sample_data_path()).tables().items():
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.PeriodDtype):
                frame = frame.assign(**{column: frame[column].dt.to_timestamp().dt.date})
        con.create_table(name, frame, overwrite=True)
