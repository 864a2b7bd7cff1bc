"""The tables of a backend for the command line: checked by queries, then, for a report,
brought into memory as the :class:`~csmetrics.tables.io.Dataset` the report engine fills
templates from."""

from csmetrics.scale.checks import find_problems, raise_first
from csmetrics.scale.source import prepared
from csmetrics.tables.io import Dataset, mrr_segments
from csmetrics.tables.validate import checked_table


def backend_problems(tables, *, limit=10):
    """The problems of the ``mrr`` table found by backend queries: a list of
    :class:`~csmetrics.scale.checks.Found` (each kind's first ``limit`` offenders and
    their count)."""
    mrr, money = prepared(tables["mrr"])
    return find_problems(mrr, money=money, limit=limit)


def backend_dataset(tables):
    """The Dataset of a backend's tables: the ``mrr`` table checked by the backend first
    (its first problem raised), then every table fetched and checked as a file would be."""
    mrr, money = prepared(tables["mrr"])
    raise_first(mrr, money=money)
    if money == "mrr_cents":
        mrr = mrr.mutate(mrr=mrr.mrr_cents / 100).drop("mrr_cents")
    checked = {}
    for name, table in {**tables, "mrr": mrr}.items():
        frame = table.to_pandas()
        found = checked_table(name, frame, segments=mrr_segments(checked.get("mrr")))
        if found.problems:
            raise found.problems[0]
        checked[name] = found.clean
    return Dataset(**checked)

