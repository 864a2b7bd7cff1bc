"""The table printed at the end of a batch run: one line per report, then the reasons."""

from csmetrics.report.batch import WRITTEN

COLUMNS = ("template", "month", "segment", "status", "path")


def summary_lines(outcomes, skipped=None):
    """Lines of the end-of-run table, then one line per failure saying why, and one per
    template ``skipped`` (``{template: reason}``) because the data lacks its tables.

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
    >>> print("\\n".join(summary_lines([], {"receivables_dso": "no invoices table"})))
    template  month  segment  status  path
    <BLANKLINE>
    receivables_dso: skipped: no invoices table
    0 of 0 reports written; 1 template skipped
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
    if skipped:
        lines.append("")
        lines.extend(f"{template}: skipped: {reason}" for template, reason in skipped.items())
    written = len(outcomes) - len(failures)
    total = f"{written} of {len(outcomes)} reports written"
    if skipped:
        total += f"; {len(skipped)} template{'s' if len(skipped) > 1 else ''} skipped"
    lines.append(total)
    return lines
