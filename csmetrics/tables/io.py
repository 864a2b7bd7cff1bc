"""Reading a data source (a folder of CSV or Parquet files, or one XLSX workbook).

Files are only ever opened for reading. Every row keeps the number the user sees: for a
CSV file its line number (the header is line 1), for a workbook its sheet row, for Parquet
its record number (the first record is 1).
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.errors import DataError
from csmetrics.tables.headers import with_header
from csmetrics.tables.locales import resolve_locale
from csmetrics.tables.schema import TABLE_NAMES
from csmetrics.tables.validate import checked_table
from csmetrics.tables.workbooks import WORKBOOK_SUFFIXES, read_workbook_tables

SUFFIXES = (".csv", ".parquet")
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "','", ";": "';'", "\t": "tab"}
BYTE_ORDER_MARKS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True, eq=False)
class Dataset:
    """The input tables, checked and normalised; a table not given is None.

    Columns (lower case): ``mrr`` customer_id, month (Period M), mrr, [segment];
    ``invoices`` invoice_id, customer_id, issue_date, due_date, paid_date (NaT = open),
    amount; ``surveys`` customer_id, date, survey (nps, csat or ces), score; ``orders``
    customer_id, order_date, units, units_returned; ``tickets`` ticket_id, customer_id,
    opened_date, resolved_first_contact (bool); ``spend`` month, sales_marketing_cost,
    [gross_margin], [segment] (one row per month, or per month and segment); ``targets``
    metric (a KPI key), target. Other columns of the source are kept as text. ``notes``
    says, one line per file, what the readers inferred (a separator, a decimal comma).
    """

    mrr: pd.DataFrame | None = None
    invoices: pd.DataFrame | None = None
    surveys: pd.DataFrame | None = None
    orders: pd.DataFrame | None = None
    tickets: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    source: Path | None = None
    notes: tuple = ()

    def tables(self):
        """``{name: DataFrame}`` of the tables present, in the usual order."""
        present = {name: getattr(self, name) for name in TABLE_NAMES}
        return {name: table for name, table in present.items() if table is not None}


@dataclass(frozen=True)
class RawTable:
    """A table as read from its file: untyped cells and the row number of each.

    ``rows`` are the numbers the user sees (a CSV record, the header being 1; a sheet
    row); ``lines``, for a CSV file with a quoted line break, the line a text editor shows
    for each row (else None); ``notes`` what the reader had to decide (the separator, a
    code page).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int | None
    lines: np.ndarray | None = None
    notes: tuple = ()


@dataclass(frozen=True)
class CheckedSource:
    """A source read and checked: ``tables`` (None for a table with problems), every
    problem found, and ``notes``, one line per file saying what was read how."""

    tables: dict
    problems: list
    notes: tuple


def load_data(source, *, locale=None, mapping=None, on_duplicate="error"):
    """Read, check and normalise every table of a data source.

    Parameters
    ----------
    source : str or Path
        A folder holding ``mrr.csv``, ``invoices.csv``, ``surveys.csv``, ``orders.csv``,
        ``tickets.csv``, ``spend.csv`` and ``targets.csv`` (any may be missing;
        ``.parquet`` files of the same names also do), or one ``.xlsx`` (or ``.xlsm``)
        workbook with one sheet per table.
    locale : str, optional
        How the files write numbers and dates, and the code page of a CSV that is not
        UTF-8: ``"en"``, ``"fr"``, ``"ro"`` or ``"de"``. Without it a value that reads two
        ways (``1.250``, ``01/02/2025``) is an error, and a convention is inferred only
        when every value of a column reads one way.
    mapping : dict, optional
        ``{table: {user_column: our_column}}`` renames, matched without regard to case.
    on_duplicate : {"error", "sum"}, default "error"
        Two ``mrr`` rows for the same customer and month: an error, or amounts to add.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        The first problem found, naming the table, the row and the column.

    Examples
    --------
    >>> from csmetrics import sample_data_path
    >>> data = load_data(sample_data_path())
    >>> data.mrr.columns.tolist()
    ['customer_id', 'month', 'mrr', 'segment', 'currency']
    """
    checked = check_source(source, locale=locale, mapping=mapping, on_duplicate=on_duplicate,
                           limit=1)
    if checked.problems:
        raise checked.problems[0]
    return Dataset(**checked.tables, source=Path(source), notes=checked.notes)


def validate_data(source, *, locale=None, mapping=None, on_duplicate="error"):
    """Every problem of a data source, as a list of DataError (empty when all is well).

    Nothing is raised for a problem in the data or the files, and nothing is written.

    Examples
    --------
    >>> from csmetrics import sample_data_path
    >>> validate_data(sample_data_path())
    []
    """
    return check_source(source, locale=locale, mapping=mapping, on_duplicate=on_duplicate,
                        limit=None).problems


def check_source(source, *, locale=None, mapping=None, on_duplicate="error", limit=None):
    """Read and check every table of ``source`` (see :func:`load_data`).

    Returns a :class:`CheckedSource`; at most ``limit`` problems are described (None: all).

    >>> from csmetrics import sample_data_path
    >>> check_source(sample_data_path()).notes
    ()
    """
    mapping = mapping or {}
    unknown = sorted(set(mapping) - set(TABLE_NAMES))
    if unknown:
        raise ValueError(f"mapping names unknown tables {unknown}; tables are {TABLE_NAMES}")
    conventions = resolve_locale(locale)
    try:
        raw = read_source(source, locale=conventions)
    except DataError as problem:
        return CheckedSource({}, [problem], ())
    tables, problems, notes = {}, [], []
    for name, table in raw.items():
        checked = checked_table(
            name, table.frame, rows=table.rows, lines=table.lines, header_row=table.header_row,
            locale=conventions, mapping=mapping.get(name), on_duplicate=on_duplicate,
            limit=limit, segments=mrr_segments(tables.get("mrr")),
        )
        tables[name] = checked.clean
        problems.extend(checked.problems)
        said = table.notes + checked.notes
        if said:
            notes.append(f"{_file_of(source, name)} read with " + "; ".join(said))
        if limit is not None and len(problems) >= limit:
            break
    return CheckedSource(tables, problems, tuple(notes))


def mrr_segments(mrr):
    """The segments of a checked ``mrr`` table (None without one: nothing to check)."""
    if mrr is None:
        return None
    return set(mrr["segment"].dropna()) if "segment" in mrr.columns else set()


def read_source(source, *, locale=None):
    """``{table: RawTable}`` for the tables a source holds, cells as written."""
    path = Path(source)
    if path.is_dir():
        return _read_folder(path, resolve_locale(locale))
    if path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file():
        return {name: RawTable(frame, np.arange(len(frame)) + 2, 1)
                for name, frame in read_workbook_tables(path, TABLE_NAMES).items()}
    if not path.exists():
        raise DataError(f"no such folder or file: {path}")
    raise DataError(
        f"{path} is neither a folder of CSV/Parquet files nor an .xlsx workbook"
    )


def read_csv_table(path, *, locale=None):
    r"""One CSV file as a :class:`RawTable` of text cells, read the one safe way.

    The encoding is UTF-8 (with or without a byte order mark), UTF-16 with its byte order
    mark (Excel's "Unicode text"), or else the Windows code page of ``locale``; the field
    separator is the one the header line uses most (``,``, ``;`` or a tab). Every record
    must have no more fields than the header, and no two header names may be alike. Cells
    are kept as written (``NA`` stays text); an empty cell is NaN.

    Raises
    ------
    DataError
        Naming the file, and the record and line of a record with too many fields.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "mrr.csv")
    >>> _ = path.write_bytes("customer_id;mrr\r\nNA;1 250,50\r\n".encode("cp1252"))
    >>> raw = read_csv_table(path)
    >>> raw.frame.to_dict("list"), raw.rows.tolist(), raw.notes
    ({'customer_id': ['NA'], 'mrr': ['1 250,50']}, [2], ("';' separator",))
    >>> _ = path.write_bytes("id,mrr\nA,1,200.50\n".encode())
    >>> read_csv_table(path)
    Traceback (most recent call last):
    ...
    csmetrics.errors.DataError: mrr.csv, row 2: 3 fields where the header has 2 (a comma
    inside an unquoted value such as 1,200.50?)
    """
    path = Path(path)
    conventions = resolve_locale(locale)
    text, encoding = _decoded(path, conventions)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    separator = max(SEPARATORS, key=first_line.count)
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=separator, header=None, dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        return RawTable(pd.DataFrame(), np.zeros(0, dtype=int), header_row=1)
    except pd.errors.ParserError as problem:
        raise _too_many_fields(path, text, separator, problem) from None
    frame = with_header(cells, path.name)
    notes = tuple(note for note in (
        None if separator == "," else f"{SEPARATOR_NAMES[separator]} separator",
        None if encoding.startswith("utf") else f"code page {encoding}",
    ) if note)
    return RawTable(frame, np.arange(len(frame)) + 2, 1, _lines(cells, text), notes)


def _decoded(path, conventions):
    """The text of ``path`` and its encoding (see :func:`read_csv_table`)."""
    data = path.read_bytes()
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark):].decode(encoding), encoding
            except UnicodeDecodeError as problem:
                raise DataError(f"{path.name} starts as {encoding} text but is not: "
                                f"{undecodable_place(problem)}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as problem:
        if conventions is None:
            raise DataError(
                f"{path.name} is not UTF-8 text: {undecodable_place(problem, 'cp1252')}; if "
                "Excel saved it as plain CSV, pass the locale of its code page (--locale en, "
                "fr or de for cp1252, --locale ro for cp1250), or save it as 'CSV UTF-8'"
            ) from None
    try:
        return data.decode(conventions.code_page), conventions.code_page
    except UnicodeDecodeError as problem:
        raise DataError(f"{path.name} is neither UTF-8 nor {conventions.code_page} text: "
                        f"{undecodable_place(problem)}; save it as 'CSV UTF-8'") from None


def undecodable_place(problem, code_page=None):
    r"""Where a :class:`UnicodeDecodeError` happened, as a text editor counts: the line
    and column, the byte, and what ``code_page`` reads it as.

    >>> data = "id\nSoci\xe9t\xe9\n".encode("cp1252")
    >>> try:
    ...     data.decode("utf-8")
    ... except UnicodeDecodeError as problem:
    ...     print(undecodable_place(problem, "cp1252"))
    line 2, column 5 holds the byte 0xE9 (é in cp1252)
    """
    before = problem.object[:problem.start].decode(problem.encoding, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    byte = problem.object[problem.start]
    said = f"line {line}, column {column} holds the byte 0x{byte:02X}"
    if code_page is not None:
        try:
            said += f" ({bytes([byte]).decode(code_page)} in {code_page})"
        except UnicodeDecodeError:
            pass
    return said


def _too_many_fields(path, text, separator, problem):
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(problem))
    if found is None:
        return DataError(f"{path.name} is not readable CSV: {str(problem).split(': ')[-1]}")
    expected, record, saw = (int(group) for group in found.groups())
    line = _line_of_record(text, separator, record)
    where = f"row {record}" + ("" if line == record else f" (line {line} in a text editor)")
    hint = " (a comma inside an unquoted value such as 1,200.50?)" if separator == "," else ""
    return DataError(f"{path.name}, {where}: {saw} fields where the header has {expected}{hint}")


def _line_of_record(text, separator, record):
    """The line (1 = first) on which CSV record ``record`` (1 = the header) starts."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    line = 0
    for _ in range(record - 1):
        next(reader, None)
        line = reader.line_num
    return line + 1


def _lines(cells, text):
    """For each data record, the line a text editor shows it on, when quoted line breaks
    make it differ from the record number; else None."""
    if '"' not in text:
        return None
    breaks = np.zeros(len(cells), dtype=np.int64)
    for column in cells.columns:
        values = cells[column]
        if values.str.contains("\n", regex=False).any():
            breaks += values.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    if not breaks.any():
        return None
    starts = 1 + np.arange(len(cells)) + np.concatenate([[0], np.cumsum(breaks)[:-1]])
    return starts[1:]


def _read_folder(folder, conventions):
    files = {}
    for path in sorted(folder.iterdir()):
        name = path.stem.lower()
        if path.suffix.lower() in SUFFIXES and name in TABLE_NAMES:
            if name in files:
                raise DataError(f"two files hold table '{name}': {files[name].name} and "
                                f"{path.name}; keep one", table=name)
            files[name] = path
    if not files:
        raise DataError(f"no table found in {folder}: expected files named "
                        + ", ".join(f"{name}.csv" for name in TABLE_NAMES))
    return {
        name: read_csv_table(files[name], locale=conventions)
        if files[name].suffix.lower() == ".csv" else _read_parquet(files[name])
        for name in TABLE_NAMES if name in files
    }


def _read_parquet(path):
    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise DataError(f"reading {path.name} needs pyarrow: pip install 'csmetrics[parquet]'",
                        table=path.stem.lower()) from None
    return RawTable(frame, np.arange(len(frame)) + 1, header_row=None)


def _file_of(source, table):
    """The file (or workbook and sheet) a table of ``source`` was read from, for notes."""
    path = Path(source)
    if not path.is_dir():
        return f"{path.name}, sheet '{table}'"
    return next((f"{table}{suffix}" for suffix in SUFFIXES
                 if (path / f"{table}{suffix}").exists()), table)
