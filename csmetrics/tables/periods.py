"""Subscription periods (customer_id, start_date, end_date, mrr) spread into months."""

import numpy as np
import pandas as pd


def expand_periods(periods):
    """One ``mrr`` row per customer and month from subscription periods.

    Parameters
    ----------
    periods : pandas.DataFrame
        Checked periods: customer_id, start_date, end_date (NaT = still running), mrr, and
        any other columns (kept, the last period's value winning).

    Returns
    -------
    pandas.DataFrame
        customer_id, month (Period), mrr, and the other columns, sorted by customer and
        month.

    Notes
    -----
    A period counts in a month when it is active on the month's last day:
    ``start_date <= month end <= end_date``, ``end_date`` being the last day of service. A
    period still running (blank ``end_date``) counts up to the latest month the table
    mentions in any start or end date. Periods of one customer that overlap add up.

    Examples
    --------
    Customer A pays 100 from 15 January to 14 March (active on 31 January and 29
    February, not on 31 March); B pays 50 from 1 February with no end, and 20 more from
    10 March to 31 March:

    >>> periods = pd.DataFrame({
    ...     "customer_id": ["A", "B", "B"],
    ...     "start_date": pd.to_datetime(["2024-01-15", "2024-02-01", "2024-03-10"]),
    ...     "end_date": pd.to_datetime(["2024-03-14", None, "2024-03-31"]),
    ...     "mrr": [100.0, 50.0, 20.0]})
    >>> expand_periods(periods)
      customer_id    month    mrr
    0           A  2024-01  100.0
    1           A  2024-02  100.0
    2           B  2024-02   50.0
    3           B  2024-03   70.0
    """
    first = periods["start_date"].dt.to_period("M").array.asi8
    end = periods["end_date"]
    running = end.isna().to_numpy()
    end_month = end.dt.to_period("M").array.asi8
    horizon = max(first.max(), end_month[~running].max(initial=first.max()))
    at_month_end = (end == end + pd.offsets.MonthEnd(0)).to_numpy()
    last = np.where(running, horizon, np.where(at_month_end, end_month, end_month - 1))
    counts = np.clip(last - first + 1, 0, None)
    source = np.repeat(np.arange(len(periods)), counts)
    offsets = np.arange(source.size) - np.repeat(np.cumsum(counts) - counts, counts)
    months = pd.PeriodIndex.from_ordinals(first[source] + offsets, freq="M")
    spread = periods.drop(columns=["start_date", "end_date"]).iloc[source]
    spread = spread.assign(month=months).reset_index(drop=True)
    others = {name: "last" for name in spread.columns if name not in ("customer_id", "month")}
    others["mrr"] = "sum"
    monthly = spread.groupby(["customer_id", "month"], as_index=False).agg(others)
    monthly["mrr"] = monthly["mrr"].round(2)
    columns = ["customer_id", "month", "mrr"]
    return monthly[columns + [name for name in monthly.columns if name not in columns]]
