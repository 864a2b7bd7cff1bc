"""Survey answers of each month: NPS with its margin of error, CSAT and CES."""

import numpy as np
import pandas as pd

from csmetrics.satisfaction import (
    csat_score,
    customer_effort_score,
    net_promoter_score,
    nps_margin_of_error,
)
from csmetrics.tables.monthly import core_or_nan, keyed

SURVEY_KPIS = (
    ("nps", "nps", net_promoter_score),
    ("nps_moe", "nps", nps_margin_of_error),
    ("csat", "csat", csat_score),
    ("ces", "ces", customer_effort_score),
)


def monthly_surveys(surveys, index, segment_of=None):
    """NPS, its 95 % margin of error and response count, CSAT and CES of each month.

    Parameters
    ----------
    surveys : pandas.DataFrame
        The checked ``surveys`` table (a month is the month of the answer's date).
    index : pandas.Index
        The months (named ``month``), or months x segments.
    segment_of : pandas.Series, optional
        Segment of each customer_id, when segmenting.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: nps (-100..+100), nps_moe, nps_responses, csat (share of
        answers 4 or 5 on the 1-5 scale), ces (mean answer on the 1-7 scale). NaN where a
        month has no answers to the survey (``nps_responses`` is then 0).

    Examples
    --------
    Four NPS answers in January (two promoters, one passive, one detractor: NPS 25, margin
    1.96 x 100 x sqrt((0.5 + 0.25 - 0.25^2) / 4) = 81.26), one CSAT and one CES answer:

    >>> surveys = pd.DataFrame({"customer_id": list("ABCDEF"),
    ...     "date": pd.to_datetime(["2024-01-03"] * 4 + ["2024-01-09"] * 2),
    ...     "survey": ["nps", "nps", "nps", "nps", "csat", "ces"],
    ...     "score": [10.0, 9.0, 7.0, 3.0, 4.0, 6.0]})
    >>> months = pd.period_range("2024-01", "2024-02", freq="M", name="month")
    >>> monthly_surveys(surveys, months).round(2)
              nps  nps_moe  nps_responses  csat  ces
    month
    2024-01  25.0    81.26              4   1.0  6.0
    2024-02   NaN      NaN              0   NaN  NaN
    """
    data, keys = keyed(surveys, surveys["date"].dt.to_period("M"), segment_of)
    table = pd.DataFrame(index=index)
    for key, survey, function in SURVEY_KPIS:
        table[key] = _per_group(data, keys, survey, index, lambda s, f=function: core_or_nan(f, s))
    responses = _per_group(data, keys, "nps", index, len).fillna(0).astype(np.int64)
    table.insert(table.columns.get_loc("nps_moe") + 1, "nps_responses", responses)
    return table


def _per_group(data, keys, survey, index, compute):
    """``compute(scores)`` for each month (and segment) of ``index``; NaN where none."""
    answers = data[data["survey"] == survey]
    values = {
        (key[0] if len(keys) == 1 else key): compute(scores.to_numpy())
        for key, scores in answers.groupby(keys)["score"]
    }
    return pd.Series(values, dtype=float).reindex(index)
