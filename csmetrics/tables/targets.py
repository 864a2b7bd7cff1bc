"""The optional ``targets`` table: a target value for some KPIs of the catalogue.

Each row names a KPI by its key (``logo_churn``) or its Excel name (``kpi_logo_churn``)
and gives its target, a rate as a share (0.02) or with a percent sign (2 %), and, in an
optional ``segment`` column, the segment it is for (blank: the company as a whole). The
monthly KPI report shows each target beside its KPI with a status judged by the KPI's
direction; a segment's report takes its segment's targets only, and says "no target for
this segment" beside a KPI that has a target elsewhere but none for it, rather than
judging a segment against the company's figure.
"""

import numpy as np
import pandas as pd

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
    """Report ``metric`` cells that name no KPI or a KPI already given a target (for the
    same segment), and put the KPI keys in the ``metric`` column of ``clean`` (``rows``:
    the user's row numbers, ``problems``: the table's problem collector)."""
    written = clean["metric"]
    keys = metric_keys(written)
    named = keys.notna().to_numpy()
    known = named & keys.isin(KPI_BY_KEY).to_numpy()
    problems.add(named & ~known, "metric", lambda i: (
        f"unknown metric {written.iloc[i]!r}: name a KPI by its key, such as logo_churn, "
        "or its Excel name, such as kpi_logo_churn (the Definitions sheet lists them)"
    ))
    segments = _segments(clean)
    pairs = keys.fillna("") + "\x00" + segments.fillna("")
    repeated = known & pairs.duplicated().to_numpy()
    first = pairs.groupby(pairs).transform(lambda group: group.index[0])
    positions = {index: position for position, index in enumerate(keys.index)}
    problems.add(repeated, "metric", lambda i: (
        f"{written.iloc[i]!r} already has a target{_for_segment(segments.iloc[i])} on row "
        f"{rows[positions[first.iloc[i]]]}; give each KPI one target"
        f"{' per segment' if 'segment' in clean.columns else ''}"
    ))
    clean["metric"] = keys.where(known, written)


def _segments(clean):
    """The ``segment`` of each row, stripped; ``None`` for the company's (blank, or no
    such column)."""
    if "segment" not in clean.columns:
        return pd.Series([None] * len(clean), index=clean.index, dtype=object)
    return pd.Series([_segment(value) for value in clean["segment"]], index=clean.index,
                     dtype=object)


def _segment(value):
    """A segment cell: its text stripped, ``None`` when blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _for_segment(segment):
    return "" if segment is None else f" for segment {segment!r}"


def target_values(targets):
    """``{segment: {KPI key: target}}`` of a checked ``targets`` table, the company's
    targets under ``None`` (empty for no table).

    >>> target_values(pd.DataFrame({"metric": ["logo_churn"], "target": [0.02]}))
    {None: {'logo_churn': 0.02}}
    >>> target_values(pd.DataFrame({"metric": ["nps", "nps"], "target": [30.0, 40.0],
    ...                             "segment": [None, " SMB "]}))
    {None: {'nps': 30.0}, 'SMB': {'nps': 40.0}}
    """
    if targets is None:
        return {}
    values = {}
    for key, target, segment in zip(
        targets["metric"], np.asarray(targets["target"], dtype=float).tolist(),
        _segments(targets), strict=True,
    ):
        values.setdefault(segment, {})[key] = target
    return values


def segment_targets(values, segment):
    """The targets of one report (``segment`` ``None`` for the company as a whole) from
    :func:`target_values`, and the KPI keys that have a target elsewhere but none for it
    (sorted): a report says so beside them rather than judging them against another
    segment's target or the company's.

    >>> values = {None: {"nps": 30.0, "nrr": 1.0}, "SMB": {"nps": 40.0}}
    >>> segment_targets(values, "SMB")
    ({'nps': 40.0}, ('nrr',))
    >>> segment_targets(values, None)
    ({'nps': 30.0, 'nrr': 1.0}, ())
    >>> segment_targets(values, "Enterprise")
    ({}, ('nps', 'nrr'))
    """
    own = dict(values.get(segment, {}))
    if segment is None:
        return own, ()
    elsewhere = {key for targets in values.values() for key in targets}
    return own, tuple(sorted(elsewhere - set(own)))


def unknown_segments(values, segments):
    """The segments the targets name that are not among ``segments`` (a report's
    segments), sorted: a typo would leave a segment without its targets.

    >>> unknown_segments({None: {}, "SMB": {}, "Entreprise": {}}, ["SMB", "Enterprise"])
    ['Entreprise']
    """
    return sorted(segment for segment in values if segment is not None
                  and segment not in set(segments))
