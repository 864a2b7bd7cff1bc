"""Batch runs: one report per template, month and segment, from one dataset.

The engine's tables are computed once per segment; each report is then filled and saved
on its own, so a failure in one (a bad template, a full disk) is recorded in its
:class:`Outcome` and the others are still written.
"""

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csmetrics.report.fill import fill_report
from csmetrics.report.safe_io import ReportError, check_target, save_atomically
from csmetrics.report.selection import ALL_SEGMENTS, ReportData, rows_until, segment_tables
from csmetrics.tables.targets import target_values

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
    """The engine's results for one segment, shared by all its reports."""

    segment: str
    tables: dict
    metrics: pd.DataFrame
    movements: pd.DataFrame | None


@dataclass(frozen=True)
class EngineResults:
    """The engine's tables for a whole dataset, computed once per batch run.

    ``metrics`` is ``monthly_metrics`` and ``movements`` is ``customer_movements`` (None
    without MRR data), both split by ``segment_by`` when it is given. The engine puts each
    customer in the segment of its latest row with MRR, in every month; a segment's
    reports hold the rows of those customers.
    """

    dataset: object
    segment_by: str | None
    metrics: pd.DataFrame
    movements: pd.DataFrame | None
    engine: object

    @classmethod
    def compute(cls, dataset, segment_by=None, engine=None):
        """Run the engine over ``dataset`` (``engine``: the ``csmetrics`` module)."""
        if engine is None:
            import csmetrics as engine
        if segment_by is not None and (
            dataset.mrr is None or segment_by.strip().lower() not in dataset.mrr.columns
        ):
            columns = [] if dataset.mrr is None else list(dataset.mrr.columns)
            raise ReportError(
                f"--segment-by {segment_by}: the MRR table has no such column "
                f"(it has {', '.join(columns)})"
            )
        metrics = engine.monthly_metrics(dataset, segment_by=segment_by)
        movements = None
        if dataset.mrr is not None:
            movements = engine.customer_movements(dataset.mrr, segment_by=segment_by)
        return cls(dataset, segment_by, metrics, movements, engine)

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
            customers = set(movements["customer_id"])
        return SegmentData(
            name,
            segment_tables(self.dataset, customers,
                           name if self.segment_by == "segment" else None),
            metrics.set_index("month"),
            movements,
        )


def report_filename(template, month, segment):
    """``<template>_<YYYY-MM>_<segment>.xlsx``, the segment reduced to safe characters.

    Accents are dropped (``Île-de-France`` gives ``Ile-de-France``); a segment that loses
    letters on the way (Greek, Japanese) or is longer than :data:`MAX_SEGMENT_CHARS` gets
    the first 8 hex digits of its SHA-1 appended, so that two segments never share a file.

    >>> month = pd.Period("2025-03", "M")
    >>> report_filename("nps_survey", month, "Mid market / EU")
    'nps_survey_2025-03_Mid-market-EU.xlsx'
    >>> [report_filename("nps_survey", month, name) for name in ("Ελλάδα", "日本")]
    ['nps_survey_2025-03_segment-d2e38adc.xlsx', 'nps_survey_2025-03_segment-44da6bbc.xlsx']
    """
    text = str(segment)
    spelled = unicodedata.normalize("NFKD", text)
    ascii_text = spelled.encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.")
    lost = sum(c.isalnum() for c in spelled if not unicodedata.combining(c)) != sum(
        c.isalnum() for c in ascii_text)
    if lost or not safe or len(safe) > MAX_SEGMENT_CHARS:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        safe = f"{safe[:MAX_SEGMENT_CHARS].rstrip('-.') or 'segment'}-{digest}"
    return f"{template}_{month}_{safe}.xlsx"


def plan_jobs(templates, months, segments, out_dir):
    """Every (segment, month, template) job, grouped by segment; refuse name clashes."""
    jobs = [
        Job(template, month, segment, Path(out_dir) / report_filename(template, month, segment))
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


def report_data(segment, month, engine, targets=None):
    """The ``ReportData`` of one month of a prepared segment (``targets``: ``{KPI key:
    target}``)."""
    rows = {
        name: None if frame is None else rows_until(frame, name, month)
        for name, frame in segment.tables.items()
    }
    movements = cohorts = None
    if rows["mrr"] is not None:
        movements = segment.movements.loc[segment.movements["month"] == month]
        cohorts = engine.cohort_retention(rows["mrr"]) if len(rows["mrr"]) else None
    return ReportData(month, segment.segment, segment.metrics, rows, movements, cohorts,
                      targets or {})


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
):
    """Write every job's report from ``results`` (:class:`EngineResults`); return one
    :class:`Outcome` per job, in order.

    ``template_path(name, lang)`` gives each template file; ``overwrite`` is a bool or a
    function of the target path; ``keywords`` is stored in each workbook's properties;
    ``on_outcome`` is called after each report (a progress bar); ``currency`` is the
    reporting currency the money is shown in (None: none shown).
    """
    segments = {}
    outcomes = []
    targets = target_values(results.dataset.targets)
    for job in jobs:
        try:
            allowed = overwrite(job.path) if callable(overwrite) else overwrite
            check_target(job.path, protected=protected, overwrite=allowed)
            if job.segment not in segments:
                segments[job.segment] = results.segment(job.segment)
            report = report_data(segments[job.segment], job.month, results.engine, targets)
            workbook = fill_report(template_path(job.template, lang), report, lang=lang,
                                   currency=currency)
            workbook.properties.keywords = keywords
            save_atomically(workbook, job.path, protected=protected, overwrite=allowed)
        except Exception as error:  # one report's failure must not stop the others
            outcome = Outcome(job, FAILED, _describe(error))
        else:
            outcome = Outcome(job, WRITTEN)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _describe(error):
    """A one-line reason; our own errors speak for themselves, others name their type."""
    if isinstance(error, ValueError | OSError):
        return str(error)
    return f"{type(error).__name__}: {error}"
