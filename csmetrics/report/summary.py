"""The table printed at the end of a batch run: one line per report, then the reasons."""

from csmetrics.report.batch import WRITTEN

COLUMNS = ("template", "month", "segment", "status", "path")


def summary_lines(outcomes):
    """Lines of the end-of-run table, then one line per failure saying why.

    Examples
    --------
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from csmetrics.report.batch import Job, Outcome
    >>> job = Job("nps_survey", pd.Period("2025-03", "M"), "All", Path("out/nps.xlsx"))
    >>> print("\\n".join(summary_lines([Outcome(job, "failed", "disk full")])))
    template    month    segment  status  path
    nps_survey  2025-03  All      failed  out/nps.xlsx
    <BLANKLINE>
    nps_survey 2025-03 All: disk full
    0 of 1 reports written
    """
    rows = [COLUMNS] + [
        (o.job.template, str(o.job.month), o.job.segment, o.status, str(o.job.path))
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    failures = [o for o in outcomes if o.status != WRITTEN]
    if failures:
        lines.append("")
        lines.extend(
            f"{o.job.template} {o.job.month} {o.job.segment}: {o.message}" for o in failures
        )
    written = len(outcomes) - len(failures)
    lines.append(f"{written} of {len(outcomes)} reports written")
    return lines
