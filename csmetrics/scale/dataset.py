"""The tables of a backend for the command line: checked by queries, then, for a report,
brought into memory as the :class:`~csmetrics.tables.io.Dataset` the report engine fills
templates from (past ``--max-input-rows`` MRR rows, only the rows of the reported months:
:mod:`csmetrics.scale.history`), and the engine's tables computed by the backend
(:func:`backend_results`)."""

from csmetrics.report.batch import EngineResults, check_segment_column
from csmetrics.scale.checks import find_problems, raise_first
from csmetrics.scale.engine import customer_segments, dataset_metrics, month_movements
from csmetrics.scale.history import needed_rows, segment_histories, segment_values, table_span
from csmetrics.scale.source import prepared, read_source
from csmetrics.tables.io import Dataset, mrr_segments
from csmetrics.tables.validate import checked_table


def backend_problems(tables, *, limit=10):
    """The problems of the ``mrr`` table found by backend queries: a list of
    :class:`~csmetrics.scale.checks.Found` (each kind's first ``limit`` offenders and
    their count)."""
    mrr, money = prepared(tables["mrr"])
    return find_problems(mrr, money=money, limit=limit)


def backend_span(tables, *, max_rows=None):
    """The ``mrr`` table of a backend's ``tables`` checked by the backend (its first
    problem raised), and, past ``max_rows`` rows (None: never), what the whole table holds
    (:func:`~csmetrics.scale.history.table_span`): then only the rows its reports read are
    to be fetched (:func:`backend_dataset`). None under the threshold."""
    mrr, money = prepared(tables["mrr"])
    raise_first(mrr, money=money)
    span = None if max_rows is None else table_span(mrr, money)
    return span if span is not None and span.rows > max_rows else None


def backend_dataset(tables, months=None, *, span=None):
    """The Dataset of a backend's tables, the ``mrr`` table checked first
    (:func:`backend_span`): every table fetched and checked as a file would be, its rows
    ordered by its columns in their order (whatever order the table has them): a database
    hands rows back in no set order (Spark's differ from run to run), and the Inputs and
    the Audit's lists show them in the order fetched.

    With ``span`` (the :func:`backend_span` of a table too large to fetch) only the
    ``mrr`` rows the reports of totals of ``months`` (default: its last month) read
    (:func:`~csmetrics.scale.history.needed_rows`)."""
    mrr, money = prepared(tables["mrr"])
    segments = None
    if span is not None:
        segments = segment_values(mrr)
        mrr = needed_rows(mrr, months or [span.last])
    if money == "mrr_cents":
        mrr = mrr.mutate(mrr=mrr.mrr_cents / 100).drop("mrr_cents")
    checked = {}
    for name, table in {**tables, "mrr": mrr}.items():
        frame = as_floats(table).order_by(list(table.columns)).to_pandas()
        known = mrr_segments(checked.get("mrr")) if segments is None else segments
        found = checked_table(name, frame, segments=known)
        if found.problems:
            raise found.problems[0]
        checked[name] = found.clean
    return Dataset(**checked)


def as_floats(table):
    """``table`` with its DECIMAL columns cast to float64 by the backend: fetched as
    Python Decimal objects they take twice the memory of the whole table (3.6 M rows:
    1.56 GB against 0.73 GB), and the checks make floats of them anyway (both casts give
    the float nearest the decimal)."""
    decimals = {name: table[name].cast("float64") for name in table.columns
                if table[name].type().is_decimal()}
    return table.mutate(**decimals) if decimals else table



def backend_results(tables, dataset, segment_by=None, months=(), *, partial=False):
    """The :class:`~csmetrics.report.batch.EngineResults` of a report run on a backend's
    tables (``dataset``: the same tables fetched, :func:`backend_dataset`): the monthly
    metrics of the ``mrr`` table and its customer movements of ``months`` (the months
    reported on) computed by the backend, which brings back the monthly sums and those
    months' movements, not every month's; the other tables' metrics in memory. With
    ``partial`` (``dataset`` holds only the MRR rows of ``months``), what the reports read
    from the other rows, by queries too
    (:func:`~csmetrics.scale.history.segment_histories`)."""
    check_segment_column(dataset, segment_by)
    mrr, money = prepared(tables["mrr"])
    source = read_source(mrr, segment_by=segment_by)
    segment_of = None if segment_by is None else customer_segments(source)
    metrics = dataset_metrics(source, dataset, segment_by=segment_by, segment_of=segment_of)
    movements = month_movements(source, months)
    history = segment_histories(source, mrr, months, money) if partial else None
    return EngineResults(dataset, segment_by, metrics, movements, segment_of, history)
