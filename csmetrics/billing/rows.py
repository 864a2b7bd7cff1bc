"""The shape of an export file's rows: rows repeated cell for cell read once, and columns
repeated by index (``line_items[amount][{i}]``) read as rows of their own.
"""

import numpy as np
import pandas as pd

from csmetrics.billing.checks import Finding, more_rows
from csmetrics.billing.codes import column_codes


def without_repeated_rows(frame, rows, key, known=None):
    """The rows of ``frame`` with every row that repeats an earlier one cell for cell left
    out; returns ``(frame, rows, repeated)``, ``repeated`` being ``[(row, earlier row)]``.

    Rows alike in the ``key`` columns only are candidates; the whole row is compared among
    them (a row pasted twice, a page downloaded twice). Rows that differ in any cell are
    all kept: whether two of them are one record is for the checks to say. A key column
    whose every value is distinct (an id) settles it at once. ``known`` keeps the
    :func:`column_codes` found, for the rows kept.

    >>> frame = pd.DataFrame({"id": ["a", "b", "a", "a"], "amount": ["1", "2", "1", "3"]})
    >>> kept, rows, repeated = without_repeated_rows(frame, np.arange(4) + 2, ["id"])
    >>> kept["amount"].tolist(), rows.tolist(), repeated
    (['1', '2', '3'], [2, 3, 5], [(4, 2)])
    """
    key = [c for c in key if c in frame.columns] or list(frame.columns)
    known = {} if known is None else known
    codes = []
    for column in key:
        found, distinct = column_codes(frame, column, known)
        if len(distinct) == len(frame):
            return frame, rows, []
        codes.append((found, len(distinct)))
    candidates = _alike(codes)
    if not candidates.any():
        return frame, rows, []
    alike = frame[candidates]
    again = alike.duplicated(keep="first").to_numpy()
    if not again.any():
        return frame, rows, []
    first = alike.groupby(list(alike.columns), dropna=False, sort=False).ngroup().to_numpy()
    earliest = pd.Series(rows[candidates]).groupby(first).transform("min").to_numpy()
    repeated = [(int(row), int(origin)) for row, origin in
                zip(rows[candidates][again], earliest[again], strict=True)]
    drop = np.zeros(len(frame), dtype=bool)
    drop[np.flatnonzero(candidates)[again]] = True
    known.update({column: (found[~drop], distinct)
                  for column, (found, distinct) in known.items()})
    return frame[~drop].reset_index(drop=True), rows[~drop], repeated


def _alike(codes):
    """Which rows are alike in every column of ``codes`` (``[(codes, distinct count)]``)
    with another row, as ``DataFrame.duplicated(keep=False)`` says, on the codes alone.

    >>> _alike([(np.array([0, 1, 0, -1, -1]), 2), (np.array([0, 0, 0, 1, 1]), 2)]).tolist()
    [True, False, True, True, True]
    """
    combined = np.zeros(len(codes[0][0]), dtype=np.int64)
    for found, count in codes:
        combined = pd.factorize(combined * (count + 1) + found + 1)[0]
    return np.bincount(combined)[combined] > 1


def repeated_finding(name, repeated):
    """An info finding for the rows read once because they repeat an earlier one."""
    if not repeated:
        return []
    row, origin = repeated[0]
    return [Finding("info", f"{len(repeated)} row(s) repeat an earlier row cell for cell "
                    f"(first: row {row} repeats row {origin}), as a row pasted twice or a "
                    "page downloaded twice does: each read once, never added up"
                    f"{more_rows([r for r, _ in repeated])}", name, row)]


def repeats_as_rows(frame, rows, columns):
    """One row per repeat ``i`` of the ``{i}`` columns (those with any cell filled), every
    index present read (``[0]`` and ``[2]`` without ``[1]`` too); the frame unchanged when
    no column repeats.

    >>> frame = pd.DataFrame({"invoice[id]": ["in_1"], "items[amount][0]": ["10"],
    ...                       "items[amount][1]": ["5"], "items[amount][2]": [None]})
    >>> wide, rows = repeats_as_rows(frame, np.array([2]), {"invoice_id": "invoice[id]",
    ...                                                   "amount": "items[amount][{i}]"})
    >>> wide.to_dict("list"), rows.tolist()
    ({'invoice[id]': ['in_1', 'in_1'], 'items[amount][{i}]': ['10', '5']}, [2, 2])
    """
    patterns = [name for name in columns.values() if "{i}" in name]
    if not patterns:
        return frame, rows
    fixed = [c for c in frame.columns if not any(_is_repeat(c, p) for p in patterns)]
    indexes = sorted({int(_repeat_index(c, p)) for c in frame.columns for p in patterns
                      if _is_repeat(c, p)})
    parts, numbers = [], []
    for index in indexes:
        part = frame[fixed].copy()
        for pattern in patterns:
            name = pattern.format(i=index)
            part[pattern] = frame[name] if name in frame.columns else np.nan
        filled = part[patterns].notna().any(axis=1).to_numpy()
        parts.append(part[filled])
        numbers.append(rows[filled])
    if not parts:
        return frame[fixed].iloc[:0].assign(**{p: [] for p in patterns}), rows[:0]
    order = np.argsort(np.concatenate(numbers), kind="stable")
    return (pd.concat(parts, ignore_index=True).iloc[order].reset_index(drop=True),
            np.concatenate(numbers)[order])


def _is_repeat(column, pattern):
    head, _, tail = pattern.partition("{i}")
    return column.startswith(head) and column.endswith(tail) and \
        _repeat_index(column, pattern).isdigit()


def _repeat_index(column, pattern):
    head, _, tail = pattern.partition("{i}")
    return column[len(head):len(column) - len(tail)] if tail else column[len(head):]
