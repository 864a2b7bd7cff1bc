"""The Inputs of a report whose month has too many MRR rows for a sheet: totals by segment
and the largest accounts instead of the rows.

Past :data:`~csmetrics.report.selection.MAX_INPUT_ROWS` MRR rows (a month of a million
customers does not fit Excel's 1,048,576 rows, and the Audit's per-customer checks
recompute each customer over every row, work that grows with the square of the rows), the
``MrrData`` table of the Inputs sheet gives way to three tables:

- :data:`MOVEMENT_TABLE`: the month's customer movements totalled by segment and movement
  (customers, MRR the month before, MRR in the month, the fx part), the customers without
  MRR in either month left out;
- :data:`YEAR_TABLE`: the customers paying 12 months earlier, by segment (how many, how
  many pay now, their MRR then, now, and now capped at then);
- :data:`TOP_TABLE`: the accounts of the Report sheet's lists (the largest churned, new,
  contracted and expanded), with their movement.

The Audit checks every identity these allow (``audit_checks.SUMMARY_CHECKS``).
"""

import numpy as np
import pandas as pd

from csmetrics.kpis import MONTHS_PER_YEAR
from csmetrics.report.labels import label
from csmetrics.report.layout import TOP_ROWS
from csmetrics.tables.accounts import TOP_KINDS
from csmetrics.tables.movements import MOVEMENTS

MOVEMENT_TABLE = "MrrMovements"
YEAR_TABLE = "MrrYearAgo"
TOP_TABLE = "TopAccounts"

MOVEMENT_COLUMNS = ("segment", "movement", "customers", "mrr_previous", "mrr", "fx")
YEAR_COLUMNS = ("segment", "customers", "customers_paying", "mrr_year_ago", "mrr_now",
                "mrr_kept")
TOP_COLUMNS = ("customer_id", "segment", "movement", "mrr_previous", "mrr", "change")
MONEY_COLUMNS = frozenset({"mrr_previous", "mrr", "fx", "mrr_year_ago", "mrr_now",
                           "mrr_kept", "change"})
"""The columns of the three tables, and those holding money."""


def aggregate_tables(report, lang):
    """``{Excel table: frame}`` of the three tables for ``report`` (a ``ReportData``), the
    movements in the words of ``lang``."""
    segments = customer_segments(report)
    return {
        MOVEMENT_TABLE: movement_totals(report.movements, segments, lang),
        YEAR_TABLE: year_ago_totals(report.rows.get("mrr"), report.month, segments),
        TOP_TABLE: top_accounts(report, lang),
    }


def customer_segments(report):
    """The segment of each customer (a Series by customer_id): the movements' own, else
    the MRR rows' (its latest row with MRR, ``ReportData.mrr_segments``), else None (no
    segments)."""
    movements = report.movements
    if "segment" in movements.columns:
        return movements.set_index("customer_id")["segment"].astype(str)
    return report.mrr_segments


def movement_totals(movements, segments, lang):
    """The month's movements totalled by segment and movement (customers, ``mrr_previous``,
    ``mrr``, ``fx``), in the engine's order of movements; customers without MRR in either
    month left out.

    >>> moves = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
    ...     "mrr_previous": [10.0, 0.0, 5.0, 0.0], "mrr": [12.0, 7.0, 0.0, 0.0],
    ...     "movement": ["expansion", "new", "churned", "flat"]})
    >>> movement_totals(moves, None, "en").to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'segment': ['', '', ''], 'movement': ['new', 'expansion', 'churned'],
     'customers': [1, 1, 1], 'mrr_previous': [0.0, 10.0, 5.0], 'mrr': [7.0, 12.0, 0.0],
     'fx': [0.0, 0.0, 0.0]}
    """
    moved = movements.loc[(movements["mrr_previous"] != 0) | (movements["mrr"] != 0)]
    frame = pd.DataFrame({
        "segment": _segment_of(moved["customer_id"], segments),
        "code": pd.Categorical(moved["movement"].astype(str), MOVEMENTS),
        "mrr_previous": moved["mrr_previous"].to_numpy(dtype=float),
        "mrr": moved["mrr"].to_numpy(dtype=float),
        "fx": (moved["fx_impact"].to_numpy(dtype=float) if "fx_impact" in moved.columns
               else np.zeros(len(moved))),
    })
    totals = frame.groupby(["segment", "code"], observed=True, sort=True).agg(
        customers=("mrr", "size"), mrr_previous=("mrr_previous", "sum"), mrr=("mrr", "sum"),
        fx=("fx", "sum")).reset_index()
    totals["movement"] = [label(f"movement_{code}", lang) for code in totals["code"]]
    return _cents(totals.loc[:, list(MOVEMENT_COLUMNS)])


def year_ago_totals(mrr, month, segments):
    """The customers paying 12 months before ``month``, by segment: how many
    (``customers``), how many pay in ``month`` (``customers_paying``), their MRR then
    (``mrr_year_ago``), now (``mrr_now``) and now capped at then (``mrr_kept``).

    >>> mrr = pd.DataFrame({"customer_id": ["A", "B", "A", "B", "C"],
    ...     "month": pd.PeriodIndex(["2024-03"] * 2 + ["2025-03"] * 3, freq="M"),
    ...     "mrr": [10.0, 20.0, 15.0, 0.0, 9.0]})
    >>> print(year_ago_totals(mrr, pd.Period("2025-03", "M"), None).to_string(index=False))
    segment  customers  customers_paying  mrr_year_ago  mrr_now  mrr_kept
                     2                 1          30.0     15.0      10.0
    """
    then = _customer_mrr(mrr, month - MONTHS_PER_YEAR)
    then = then[then > 0]
    now = _customer_mrr(mrr, month).reindex(then.index, fill_value=0.0)
    frame = pd.DataFrame({
        "segment": _segment_of(pd.Series(then.index), segments),
        "paying": (now.to_numpy() > 0).astype(int),
        "then": then.to_numpy(), "now": now.to_numpy(),
        "kept": np.minimum(then.to_numpy(), now.to_numpy()),
    })
    totals = frame.groupby("segment", sort=True).agg(
        customers=("then", "size"), customers_paying=("paying", "sum"),
        mrr_year_ago=("then", "sum"), mrr_now=("now", "sum"), mrr_kept=("kept", "sum"),
    ).reset_index()
    return _cents(totals.loc[:, list(YEAR_COLUMNS)])


def top_accounts(report, lang):
    """The accounts of the report's lists (:data:`~csmetrics.tables.accounts.TOP_KINDS`,
    :data:`~csmetrics.report.layout.TOP_ROWS` each), one after the other, each with its
    movement in the words of ``lang``."""
    codes = report.movements.set_index("customer_id")["movement"].astype(str)
    lists = [report.top_accounts(kind, TOP_ROWS) for kind in TOP_KINDS]
    listed = pd.concat(lists, ignore_index=True)
    movement = [label(f"movement_{code}", lang) for code in listed["customer_id"].map(codes)]
    return _cents(listed.assign(movement=movement).loc[:, list(TOP_COLUMNS)])


def _customer_mrr(mrr, month):
    """Each customer's MRR in ``month`` (a Series by customer_id)."""
    rows = mrr.loc[mrr["month"] == month]
    return rows.groupby("customer_id", sort=False)["mrr"].sum()


def _segment_of(customers, segments):
    """The segment of each of ``customers`` as text ("" without segments)."""
    if segments is None:
        return np.full(len(customers), "", dtype=object)
    return customers.map(segments).fillna("").astype(str).to_numpy(dtype=object)


def _cents(frame):
    """The money columns of ``frame`` rounded to the cent (sums of floats carry noise)."""
    money = [column for column in frame.columns if column in MONEY_COLUMNS]
    return frame.assign(**{column: frame[column].round(2) for column in money})
