"""The optional ``targets`` table: a target value for some KPIs of the catalogue.

Each row names a KPI by its key (``logo_churn``) or its Excel name (``kpi_logo_churn``)
and gives its target, a rate as a share (0.02) or with a percent sign (2 %). The monthly
KPI report shows each target beside its KPI with a status judged by the KPI's direction.
"""

import numpy as np

from csmetrics.kpis import KPI_BY_KEY

PREFIX = "kpi_"


def metric_keys(metrics):
    """The KPI key each ``metric`` cell names (case, spaces and the ``kpi_`` prefix aside).

    >>> import pandas as pd
    >>> metric_keys(pd.Series([" KPI_Logo_Churn", "nrr"])).tolist()
    ['logo_churn', 'nrr']
    """
    return metrics.str.strip().str.lower().str.removeprefix(PREFIX)


def check_targets(clean, rows, problems):
    """Report ``metric`` cells that name no KPI or a KPI already given a target, and put
    the KPI keys in the ``metric`` column of ``clean`` (``rows``: the user's row numbers,
    ``problems``: the table's problem collector)."""
    written = clean["metric"]
    keys = metric_keys(written)
    named = keys.notna().to_numpy()
    known = named & keys.isin(KPI_BY_KEY).to_numpy()
    problems.add(named & ~known, "metric", lambda i: (
        f"unknown metric {written.iloc[i]!r}: name a KPI by its key, such as logo_churn, "
        "or its Excel name, such as kpi_logo_churn (the Definitions sheet lists them)"
    ))
    repeated = known & keys.duplicated().to_numpy()
    first = keys.groupby(keys).transform(lambda group: group.index[0])
    positions = {index: position for position, index in enumerate(keys.index)}
    problems.add(repeated, "metric", lambda i: (
        f"{written.iloc[i]!r} already has a target on row {rows[positions[first.iloc[i]]]}; "
        "give each KPI one target"
    ))
    clean["metric"] = keys.where(known, written)


def target_values(targets):
    """``{KPI key: target}`` of a checked ``targets`` table (empty for None).

    >>> import pandas as pd
    >>> target_values(pd.DataFrame({"metric": ["logo_churn"], "target": [0.02]}))
    {'logo_churn': 0.02}
    """
    if targets is None:
        return {}
    return dict(zip(targets["metric"], np.asarray(targets["target"], dtype=float).tolist(),
                    strict=True))
