"""Shared steps of the monthly tables: month and segment keys, and calls to the core.

Every ratio of :func:`~csmetrics.tables.metrics.monthly_metrics` is computed by the core
metric function of :mod:`csmetrics`, called once per month (and segment) row. A month the
core cannot compute (a zero denominator, no answers) gets NaN.
"""

import inspect

import numpy as np
import pandas as pd

from csmetrics.errors import MetricError
from csmetrics.kpis import DERIVED, MONEY, RATIO_KPIS, placeholders, render


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


def ratio_columns(frame, *, money_scale=1.0):
    """The catalogue's ratios that ``frame`` has the columns for and does not hold yet.

    Each ratio of :data:`csmetrics.kpis.RATIO_KPIS` whose ``args`` are all columns of
    ``frame`` (or of :data:`csmetrics.kpis.DERIVED`, computed here) is computed by its core
    function, row by row, in catalogue order, so a ratio may take one computed before it.
    The columns are passed by the names of the function's parameters, in order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monthly rows of KPI and engine columns.
    money_scale : float, default 1.0
        Units of the money columns per currency unit (100 when they hold cents): money
        ratios (ARPA) are divided by it.

    Returns
    -------
    pandas.DataFrame
        Same index, one column per ratio computed.

    Examples
    --------
    >>> month = pd.DataFrame({"customers_start": [200], "customers_lost": [6],
    ...                       "mrr_end": [11_500.0], "customers_end": [220]})
    >>> ratio_columns(month).round(4).iloc[0].to_dict()
    {'logo_churn': 0.03, 'arpa': 52.2727}
    """
    work = frame.copy()
    for name, expression in DERIVED.items():
        if name not in work.columns and set(placeholders(expression)) <= set(work.columns):
            work[name] = work.eval(render(expression, {key: key for key in work.columns}))
    ratios = {}
    for kpi in RATIO_KPIS:
        if kpi.key in work.columns or not set(kpi.args) <= set(work.columns):
            continue
        names = inspect.signature(kpi.core).parameters
        by_name = dict(zip(names, kpi.args, strict=False))
        work[kpi.key] = core_by_row(kpi.core, work, (), **by_name)
        ratios[kpi.key] = work[kpi.key] / money_scale if kpi.kind == MONEY else work[kpi.key]
    return pd.DataFrame(ratios, index=frame.index)


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
