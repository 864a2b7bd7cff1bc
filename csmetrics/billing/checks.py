"""Pre-flight findings: what an import found and did, as data, before any number.

An ``error`` blocks the import; a ``warning`` blocks it only when the import is strict; an
``info`` says what was done ("3 void invoices left out"). Each finding names the file, and
where it can the row (the file line, header = line 1) and the column.
"""

from dataclasses import dataclass

from csmetrics.errors import DataError

LEVELS = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing an import found.

    >>> print(Finding("error", "not a date: '31/02/2024'", "invoices.csv", 7, "Date (UTC)"))
    error: invoices.csv, row 7, column 'Date (UTC)': not a date: '31/02/2024'
    """

    level: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")

    def __str__(self):
        where = ", ".join(
            part for part in (
                self.file or "",
                f"row {self.row}" if self.row is not None else "",
                f"column '{self.column}'" if self.column is not None else "",
            ) if part
        )
        return f"{self.level}: {where}: {self.message}" if where else \
            f"{self.level}: {self.message}"


class BillingError(DataError):
    """An import that cannot go on: its blocking findings, the first one as the message."""

    def __init__(self, findings):
        findings = list(findings)
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(str(findings[0]) + more)
        self.findings = findings


def blocking(findings, *, strict=False):
    """The findings that stop an import: errors, and warnings when ``strict``.

    >>> found = [Finding("warning", "w"), Finding("info", "i"), Finding("error", "e")]
    >>> [f.message for f in blocking(found)], [f.message for f in blocking(found, strict=True)]
    (['e'], ['w', 'e'])
    """
    stops = {"error", "warning"} if strict else {"error"}
    return [finding for finding in findings if finding.level in stops]


def more_rows(rows):
    """``first_rows`` in brackets after a message whose finding already names the first
    row: nothing when it is the only one.

    >>> more_rows([3]), more_rows([3, 8])
    ('', ' (rows 3, 8)')
    """
    return f" ({first_rows(rows)})" if len(rows) > 1 else ""


def listed(values, limit=10):
    """Values joined by commas: the first ``limit``, then how many more there are (a
    message naming 200,000 bad values names ten).

    >>> listed(["EUR", "USD"])
    'EUR, USD'
    >>> listed(range(200_000))
    '0, 1, 2, 3, 4, 5, 6, 7, 8, 9 ... and 199,990 more'
    """
    values = [str(value) for value in values]
    shown = ", ".join(values[:limit])
    return shown + (f" ... and {len(values) - limit:,} more" if len(values) > limit else "")


def first_rows(rows, limit=5):
    """A short text listing the first row numbers of a problem.

    >>> first_rows([4, 9, 12, 15, 20, 31, 40])
    'rows 4, 9, 12, 15, 20 and 2 more'
    >>> first_rows([3])
    'row 3'
    """
    rows = [int(row) for row in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:limit]))
    return f"rows {shown}" + (f" and {len(rows) - limit} more" if len(rows) > limit else "")
