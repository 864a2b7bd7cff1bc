"""What a batch run says at its end: a table of the reports, the reasons of failures, and
the same as JSON records (``csmetrics report --json``)."""

from csmetrics.report.batch import WRITTEN
from csmetrics.report.fill import segment_label

COLUMNS = ("template", "month", "segment", "status", "path")


def summary_lines(outcomes, skipped=None, lang="en"):
    """Lines of the end-of-run table, one per template ``skipped`` (``{template: reason}``)
    because the data lacks its tables, and the count of reports written. The report over
    all customers names its segment in the reports' language ``lang``, as its sheets and
    its file name do (``Tous``, ``Toate``).

    The reasons of failures are :func:`failure_lines` (the command line prints them on
    standard error).

    Examples
    --------
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from csmetrics.report.batch import Job, Outcome
    >>> job = Job("nps_survey", pd.Period("2025-03", "M"), "All", Path("out/nps.xlsx"))
    >>> print("\\n".join(summary_lines([Outcome(job, "failed", "disk full")])))
    template    month    segment  status  path
    nps_survey  2025-03  All      failed  out/nps.xlsx
    0 of 1 reports written
    >>> print("\\n".join(summary_lines([], {"receivables_dso": "no invoices table"})))
    template  month  segment  status  path
    <BLANKLINE>
    receivables_dso: skipped: no invoices table
    0 of 0 reports written; 1 template skipped
    >>> failure_lines([Outcome(job, "failed", "disk full")], "fr")
    ['nps_survey 2025-03 Tous: disk full']
    """
    rows = [COLUMNS] + [
        (o.job.template, str(o.job.month), segment_label(o.job.segment, lang), o.status,
         str(o.job.path))
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    if skipped:
        lines.append("")
        lines.extend(f"{template}: skipped: {reason}" for template, reason in skipped.items())
    written = sum(o.status == WRITTEN for o in outcomes)
    total = f"{written} of {len(outcomes)} reports written"
    if skipped:
        total += f"; {len(skipped)} template{'s' if len(skipped) > 1 else ''} skipped"
    lines.append(total)
    return lines


def failure_lines(outcomes, lang="en"):
    """One line per report that was not written, saying why (the segment as in
    :func:`summary_lines`)."""
    return [
        f"{o.job.template} {o.job.month} {segment_label(o.job.segment, lang)}: {o.message}"
        for o in outcomes
        if o.status != WRITTEN
    ]


def summary_records(outcomes):
    """One JSON-ready record per report: the table's columns and the message. The report
    over all customers has the segment ``All`` in every language: a program reading the
    records needs no word list (its ``path`` is the file, named in the language).

    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from csmetrics.report.batch import Job, Outcome
    >>> job = Job("nps_survey", pd.Period("2025-03", "M"), "All", Path("out/nps.xlsx"))
    >>> summary_records([Outcome(job, "written")])[0]["month"]
    '2025-03'
    """
    return [
        {"template": o.job.template, "month": str(o.job.month), "segment": o.job.segment,
         "status": o.status, "path": str(o.job.path), "message": o.message}
        for o in outcomes
    ]
