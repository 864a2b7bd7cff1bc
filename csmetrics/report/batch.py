"""Batch runs: one report per template, month and segment, from one dataset.

The engine's tables are computed once per segment, and what a month's reports are filled
from (its rows, movements and cohort table) once for all its templates; each report is then
filled and saved on its own, so a failure in one (a bad template, a full disk) is recorded
in its :class:`Outcome` and the others are still written. Several processes can share the
reports (``workers``), each writing exactly what one process would.
"""

import hashlib
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csmetrics.report.fill import fill_report, segment_label
from csmetrics.report.history import SegmentHistory
from csmetrics.report.safe_io import ReportError, check_target, save_atomically
from csmetrics.report.selection import (
    ALL_SEGMENTS,
    MAX_INPUT_ROWS,
    ReportData,
    rows_until,
    segment_tables,
)
from csmetrics.tables import cohort_retention, customer_movements, monthly_metrics
from csmetrics.tables.targets import segment_targets, target_values, unknown_segments

MAX_SEGMENT_CHARS = 40
WRITTEN = "written"
FAILED = "failed"


@dataclass(frozen=True)
class Job:
    """One report to write."""

    template: str
    month: pd.Period
    segment: str
    path: Path


@dataclass(frozen=True)
class Outcome:
    """What became of a job: ``status`` is ``"written"`` or ``"failed"`` (with why)."""

    job: Job
    status: str
    message: str = ""


@dataclass(frozen=True)
class SegmentData:
    """The engine's results for one segment, shared by all its reports (``history``: see
    :attr:`EngineResults.history`)."""

    segment: str
    tables: dict
    metrics: pd.DataFrame
    movements: pd.DataFrame | None
    history: SegmentHistory | None = None


@dataclass(frozen=True)
class EngineResults:
    """The engine's tables for a whole dataset, computed once per batch run.

    ``metrics`` is ``monthly_metrics`` and ``movements`` is ``customer_movements`` (None
    without MRR data; the rows of the months reported on at least), both split by
    ``segment_by`` when it is given. The engine puts each customer in the segment of its
    latest row with MRR, in every month; a segment's reports hold the rows of those
    customers: those of its ``movements``, or, when given, those ``segment_of`` (a Series
    by customer_id) puts in it. ``history``: None when ``dataset`` holds every MRR row;
    else it holds only the rows of the reported months, and ``history`` maps each segment
    to what its reports read from the others
    (:class:`~csmetrics.report.history.SegmentHistory`).
    """

    dataset: object
    segment_by: str | None
    metrics: pd.DataFrame
    movements: pd.DataFrame | None
    segment_of: pd.Series | None = None
    history: dict | None = None

    @classmethod
    def compute(cls, dataset, segment_by=None, months=None):
        """Run the engine over ``dataset`` (every month: ``months`` is not used)."""
        check_segment_column(dataset, segment_by)
        metrics = monthly_metrics(dataset, segment_by=segment_by)
        movements = None
        if dataset.mrr is not None:
            movements = customer_movements(dataset.mrr, segment_by=segment_by)
        return cls(dataset, segment_by, metrics, movements)

    def segments(self):
        """``["All"]``, or the engine's segments in its order."""
        if self.segment_by is None:
            return [ALL_SEGMENTS]
        return [str(s) for s in self.metrics["segment"].unique()]

    def segment(self, name):
        """The :class:`SegmentData` of one segment (``"All"`` when not segmented)."""
        metrics, movements, customers = self.metrics, self.movements, None
        if self.segment_by is not None:
            metrics = metrics.loc[metrics["segment"].astype(str) == name].drop(columns="segment")
            movements = movements.loc[movements["segment"].astype(str) == name]
            customers = set(movements["customer_id"]) if self.segment_of is None else set(
                self.segment_of.index[self.segment_of.astype(str) == name])
        return SegmentData(
            name,
            segment_tables(self.dataset, customers,
                           name if self.segment_by == "segment" else None),
            metrics.set_index("month"),
            movements,
            None if self.history is None else self.history[name],
        )


def check_segment_column(dataset, segment_by):
    """Refuse ``--segment-by`` naming no column of the MRR table."""
    if segment_by is not None and (
        dataset.mrr is None or segment_by.strip().lower() not in dataset.mrr.columns
    ):
        columns = [] if dataset.mrr is None else list(dataset.mrr.columns)
        raise ReportError(
            f"--segment-by {segment_by}: the MRR table has no such column "
            f"(it has {', '.join(columns)})"
        )


def report_filename(template, month, segment, lang="en"):
    """``<template>_<YYYY-MM>_<segment>.xlsx``, the segment reduced to safe characters.

    The report over all customers names its segment as its sheets do in ``lang`` (``All``,
    ``Tous``, ``Toate``). Accents are dropped (``Île-de-France`` gives ``Ile-de-France``);
    a segment that loses letters on the way (Greek, Japanese) or is longer than
    :data:`MAX_SEGMENT_CHARS` gets the first 8 hex digits of its SHA-1 appended, so that
    two segments never share a file.

    >>> month = pd.Period("2025-03", "M")
    >>> report_filename("nps_survey", month, "Mid market / EU")
    'nps_survey_2025-03_Mid-market-EU.xlsx'
    >>> report_filename("nps_survey", month, ALL_SEGMENTS, "fr")
    'nps_survey_2025-03_Tous.xlsx'
    >>> [report_filename("nps_survey", month, name) for name in ("Ελλάδα", "日本")]
    ['nps_survey_2025-03_segment-d2e38adc.xlsx', 'nps_survey_2025-03_segment-44da6bbc.xlsx']
    """
    text = segment_label(segment, lang)
    spelled = unicodedata.normalize("NFKD", text)
    ascii_text = spelled.encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.")
    lost = sum(c.isalnum() for c in spelled if not unicodedata.combining(c)) != sum(
        c.isalnum() for c in ascii_text)
    if lost or not safe or len(safe) > MAX_SEGMENT_CHARS:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        safe = f"{safe[:MAX_SEGMENT_CHARS].rstrip('-.') or 'segment'}-{digest}"
    return f"{template}_{month}_{safe}.xlsx"


def plan_jobs(templates, months, segments, out_dir, lang="en"):
    """Every (segment, month, template) job, grouped by segment, its file named in
    ``lang`` (see :func:`report_filename`); refuse name clashes."""
    jobs = [
        Job(template, month, segment,
            Path(out_dir) / report_filename(template, month, segment, lang))
        for segment in segments
        for month in months
        for template in templates
    ]
    paths = {}
    for job in jobs:
        other = paths.setdefault(job.path, job)
        if other is not job:
            raise ReportError(
                f"segments {other.segment!r} and {job.segment!r} would both be written to "
                f"{job.path.name}; rename one of them in the data"
            )
    return jobs


def report_data(segment, month, targets=None, missing_targets=()):
    """The ``ReportData`` of one month of a prepared segment (``targets``: ``{KPI key:
    target}``; ``missing_targets``: the KPIs with a target elsewhere but none for it)."""
    rows = {
        name: None if frame is None else rows_until(frame, name, month)
        for name, frame in segment.tables.items()
    }
    movements = cohorts = history = None
    if rows["mrr"] is not None:
        movements = segment.movements.loc[segment.movements["month"] == month]
        if segment.history is not None:
            cohorts, history = segment.history.at(month)
        elif len(rows["mrr"]):
            cohorts = cohort_retention(rows["mrr"])
    return ReportData(month, segment.segment, segment.metrics, rows, movements, cohorts,
                      targets or {}, tuple(missing_targets), history)


def run_batch(
    results,
    jobs,
    *,
    template_path: Callable,
    lang="en",
    overwrite=False,
    protected=frozenset(),
    keywords=None,
    on_outcome=None,
    currency=None,
    paper="a4",
    workers=1,
    max_input_rows=MAX_INPUT_ROWS,
):
    """Write every job's report from ``results`` (:class:`EngineResults`); return one
    :class:`Outcome` per job, in order.

    ``template_path(name, lang)`` gives each template file; ``overwrite`` is a bool or a
    function of the target path; ``keywords`` is stored in each workbook's properties;
    ``on_outcome`` is called after each report (a progress bar); ``currency`` is the
    reporting currency the money is shown in (None: none shown); ``paper`` the paper the
    reports print on (``"a4"``, ``"letter"``); ``workers`` above 1 fills
    the reports in that many processes (see :func:`write_in_processes`), each report
    exactly as one process would write it; past ``max_input_rows`` MRR rows a report's
    Inputs hold totals instead of them (:func:`~csmetrics.report.fill.write_month_inputs`).
    A ``targets`` table naming a segment the run
    does not have is refused before any report is written (:func:`check_target_segments`).
    """
    check_target_segments(results)
    options = {"template_path": template_path, "lang": lang, "protected": protected,
               "keywords": keywords, "currency": currency, "paper": paper,
               "max_input_rows": max_input_rows}
    done, tasks = {}, []

    def record(outcome):
        done[outcome.job] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    for job in jobs:
        try:
            tasks.append((job, overwrite(job.path) if callable(overwrite) else overwrite))
        except Exception as error:  # a file that cannot be checked fails its report only
            record(Outcome(job, FAILED, _describe(error)))
    if workers > 1 and len(tasks) > 1:
        write_in_processes(results, tasks, options, workers, record)
    else:
        writer = ReportWriter(results, **options)
        for job, allowed in tasks:
            record(writer.write(job, allowed))
    return [done[job] for job in jobs]


def check_target_segments(results):
    """Refuse a ``targets`` table naming a segment the segmented run does not have: that
    segment's report would be judged against no target, silently.

    A run over all customers uses the company's targets (the rows without a segment).
    """
    if results.segment_by is None:
        return
    unknown = unknown_segments(target_values(results.dataset.targets), results.segments())
    if unknown:
        raise ReportError(
            f"table 'targets', column 'segment': {', '.join(map(repr, unknown))} is no segment "
            f"of --segment-by {results.segment_by} (its segments: "
            f"{', '.join(map(repr, results.segments()))})"
        )


class ReportWriter:
    """Fills and saves reports one after the other from one :class:`EngineResults`.

    It keeps the last segment and month it prepared (jobs come grouped by segment, then
    month), so a month's rows, movements and cohort table are computed once for all its
    templates.
    """

    def __init__(self, results, *, template_path, lang, protected, keywords, currency,
                 paper="a4", max_input_rows=MAX_INPUT_ROWS):
        self.results = results
        self.template_path, self.lang, self.protected = template_path, lang, protected
        self.keywords, self.currency, self.paper = keywords, currency, paper
        self.max_input_rows = max_input_rows
        self.targets = target_values(results.dataset.targets)
        self._segment = self._report = None

    def write(self, job, allowed):
        """Write ``job``'s report (``allowed``: whether it may replace a file); its
        :class:`Outcome`, a failure included: one report's failure must not stop the
        others."""
        try:
            check_target(job.path, protected=self.protected, overwrite=allowed)
            workbook = fill_report(self.template_path(job.template, self.lang),
                                   self._report_data(job), lang=self.lang,
                                   currency=self.currency, paper=self.paper,
                                   max_input_rows=self.max_input_rows)
            workbook.properties.keywords = self.keywords
            save_atomically(workbook, job.path, protected=self.protected, overwrite=allowed)
        except Exception as error:  # one report's failure must not stop the others
            return Outcome(job, FAILED, _describe(error))
        return Outcome(job, WRITTEN)

    def _report_data(self, job):
        if self._segment is None or self._segment.segment != job.segment:
            self._segment, self._report = self.results.segment(job.segment), None
        if self._report is None or self._report.month != job.month:
            segment = None if self.results.segment_by is None else job.segment
            self._report = report_data(self._segment, job.month,
                                       *segment_targets(self.targets, segment))
        return self._report


def write_in_processes(results, tasks, options, workers, on_outcome):
    """Run ``tasks`` (``(job, allowed)`` pairs) in ``workers`` processes, calling
    ``on_outcome`` in this process with each outcome as its chunk ends.

    The tasks are cut into runs of whole (segment, month) groups, a few per process, so
    each process prepares a month once for all its templates. The processes are started
    with ``spawn`` on every system (as Windows and macOS do by default), each receiving
    ``results`` and ``options`` once; ``template_path`` must therefore be a function
    defined at the top level of a module. A process that dies (out of memory) fails the
    reports of its chunk, with why, and no others.
    """
    chunks = task_chunks(tasks, workers * CHUNKS_PER_WORKER)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context,
                             initializer=_start_worker, initargs=(results, options)) as pool:
        futures = {pool.submit(_write_chunk, chunk): chunk for chunk in chunks}
        for future in as_completed(futures):
            try:
                outcomes = future.result()
            except Exception as error:  # a process that died loses only its own reports
                outcomes = [Outcome(job, FAILED, _describe(error)) for job, _ in futures[future]]
            for outcome in outcomes:
                on_outcome(outcome)


REPORTS_PER_WORKER = 30
"""Reports per process of a batch run by default: starting a process (importing pandas and
openpyxl, receiving the engine's tables) costs about as much as filling a few reports."""


def default_workers(report_count):
    """Processes for ``report_count`` reports: one per :data:`REPORTS_PER_WORKER`, at least
    one and at most one per CPU this process may use.

    >>> default_workers(5)
    1
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, report_count // REPORTS_PER_WORKER))


CHUNKS_PER_WORKER = 4
"""Chunks handed to each process: more keep the progress bar moving, fewer repeat less of
each segment's preparation."""


def task_chunks(tasks, count):
    """Cut ``tasks`` into at most ``count`` runs of about equal length, never splitting
    the jobs of one segment and month.

    >>> month = pd.Period("2025-01", "M")
    >>> tasks = [(Job(t, month + m, "All", Path(f"{t}{m}")), False)
    ...          for m in range(3) for t in ("a", "b")]
    >>> [[job.path.name for job, _ in chunk] for chunk in task_chunks(tasks, 2)]
    [['a0', 'b0', 'a1', 'b1'], ['a2', 'b2']]
    """
    groups = {}
    for task in tasks:
        groups.setdefault((task[0].segment, task[0].month), []).append(task)
    size = -(-len(groups) // max(count, 1))
    runs = list(groups.values())
    return [sum(runs[start:start + size], []) for start in range(0, len(runs), size)]


_WORKER = {}
"""The :class:`ReportWriter` of a worker process (set by :func:`_start_worker`)."""


def _start_worker(results, options):
    _WORKER["writer"] = ReportWriter(results, **options)


def _write_chunk(chunk):
    writer = _WORKER["writer"]
    return [writer.write(job, allowed) for job, allowed in chunk]


def _describe(error):
    """A one-line reason; our own errors speak for themselves, others name their type."""
    if isinstance(error, ValueError | OSError):
        return str(error)
    return f"{type(error).__name__}: {error}"
