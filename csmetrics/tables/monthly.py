"""Shared steps of the monthly tables: month and segment keys, and calls to the core.

Every ratio of :func:`~csmetrics.tables.metrics.monthly_metrics` is computed by the core
metric function of :mod:`csmetrics`, called once per month (and segment) row. A month the
core cannot compute (a zero denominator, no answers) gets NaN.
"""

import numpy as np

from csmetrics.errors import MetricError


def core_or_nan(function, *args, **kwargs):
    """``function(*args, **kwargs)``, or NaN when the core raises a MetricError.

    >>> from csmetrics import arpa
    >>> core_or_nan(arpa, 1_000, 4), core_or_nan(arpa, 1_000, 0)
    (250.0, nan)
    """
    try:
        return function(*args, **kwargs)
    except MetricError:
        return np.nan


def core_by_row(function, frame, columns, **keyword_columns):
    """``function`` applied to each row of ``frame``: positional arguments from
    ``columns``, keyword arguments from ``keyword_columns`` (``{argument: column}``).

    >>> import pandas as pd
    >>> from csmetrics import arpa
    >>> table = pd.DataFrame({"mrr": [1_000.0, 600.0], "accounts": [4, 0]})
    >>> core_by_row(arpa, table, ("mrr", "accounts")).tolist()
    [250.0, nan]
    """
    args = [frame[column].to_numpy() for column in columns]
    keywords = {name: frame[column].to_numpy() for name, column in keyword_columns.items()}
    return np.array(
        [
            core_or_nan(
                function,
                *(values[row] for values in args),
                **{name: values[row] for name, values in keywords.items()},
            )
            for row in range(len(frame))
        ],
        dtype=float,
    )


def keyed(table, months, segment_of):
    """``table`` with a ``month`` column (and ``segment``, from each row's customer).

    Rows whose customer has no segment (not in the ``mrr`` table) are left out when
    segmenting. Returns ``(table, keys)``, ``keys`` being the columns to group by.
    """
    table = table.assign(month=months)
    if segment_of is None:
        return table, ["month"]
    table = table.assign(segment=table["customer_id"].map(segment_of))
    return table[table["segment"].notna()], ["month", "segment"]


def month_ends(index):
    """Last day of each month of ``index`` (a month index, or a month x segment index)."""
    months = index.get_level_values("month")
    return months.to_timestamp(how="end").normalize().astype("datetime64[ns]")
