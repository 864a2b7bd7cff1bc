"""How many rows a folder of tables holds, to choose where a command computes: in memory
(the pandas engine) or out of core (DuckDB, :mod:`csmetrics.scale`).

The pandas engine's peak memory grows with the rows it reads: about
:data:`BYTES_PER_ROW` a row of the ``mrr`` table, measured (215 bytes a row at 2.4
million rows, 305 at 14.1 million; docs/scale.md). A folder whose tables would need more
than :data:`MEMORY_SHARE` of the machine's memory that way is computed by DuckDB, which
keeps within its memory limit and spills to disk. The rows are counted, not guessed from
the files' sizes: a Parquet file holds the same rows in 20 to 100 times fewer bytes than
a CSV file.
"""

import os
from pathlib import Path

from csmetrics.errors import DataError
from csmetrics.tables.schema import TABLE_NAMES

BYTES_PER_ROW = 300
"""Peak memory of the pandas engine per row read, rounded up from the measures above."""

MEMORY_SHARE = 0.5
"""Share of the machine's memory a command may fill in memory before DuckDB takes over:
the rest for the system, the report filler and the other programs of a desktop."""

UNKNOWN_MEMORY = 8 * 1024**3
"""The memory assumed where the system does not say (Windows): a small laptop's."""

ROWS_VARIABLE = "CSMETRICS_DUCKDB_ROWS"
"""Environment variable that sets the rows past which DuckDB computes, instead of the
share of memory."""

_CHUNK = 1 << 20


def table_files(folder):
    """The files of the csmetrics tables in ``folder``: ``mrr.csv``, ``mrr.parquet`` and
    the Parquet files of a folder ``mrr/``, and so on for each table name."""
    folder = Path(folder)
    files = []
    for name in TABLE_NAMES:
        files += [folder / f"{name}{suffix}" for suffix in (".csv", ".parquet")
                  if (folder / f"{name}{suffix}").is_file()]
        if (folder / name).is_dir():
            files += sorted((folder / name).glob("*.parquet"))
    return files


def folder_rows(folder):
    """The rows of the tables of ``folder`` (:func:`table_files`): the lines of each CSV
    file after its header, the records of each Parquet file (from its footer); None when
    a Parquet file cannot be measured (no pyarrow)."""
    total = 0
    for path in table_files(folder):
        if path.suffix == ".csv":
            total += max(_lines(path) - 1, 0)
            continue
        try:
            import pyarrow.parquet
        except ImportError:
            return None
        total += pyarrow.parquet.read_metadata(path).num_rows
    return total


def _lines(path):
    """Lines of a file (a last line without a line break counts)."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def machine_memory():
    """Bytes of memory of this machine (:data:`UNKNOWN_MEMORY` where the system does not
    say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return UNKNOWN_MEMORY


def duckdb_rows(environ=os.environ, memory=None):
    """The rows past which a folder is computed by DuckDB: :data:`ROWS_VARIABLE` when set,
    else :data:`MEMORY_SHARE` of ``memory`` (default this machine's) at
    :data:`BYTES_PER_ROW` a row.

    >>> duckdb_rows({}, memory=24 * 1024**3)
    42949672
    >>> duckdb_rows({"CSMETRICS_DUCKDB_ROWS": "1000000"})
    1000000
    """
    text = environ.get(ROWS_VARIABLE)
    if text is None:
        return int(MEMORY_SHARE * (memory or machine_memory()) / BYTES_PER_ROW)
    if not text.strip().isdigit():
        raise DataError(f"{ROWS_VARIABLE}={text!r}: give a whole number of rows")
    return int(text)
