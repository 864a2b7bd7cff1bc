"""Reading a data source (a folder of CSV or Parquet files, or one XLSX workbook).

Files are only ever opened for reading. Every row keeps the number the user sees: for a
CSV file its line number (the header is line 1), for a workbook its sheet row, for Parquet
its record number (the first record is 1).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.errors import DataError
from csmetrics.tables.schema import TABLE_NAMES
from csmetrics.tables.validate import check_table

SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True, eq=False)
class Dataset:
    """The six input tables, checked and normalised; a table not given is None.

    Columns (lower case): ``mrr`` customer_id, month (Period M), mrr, [segment];
    ``invoices`` invoice_id, customer_id, issue_date, due_date, paid_date (NaT = open),
    amount; ``surveys`` customer_id, date, survey (nps, csat or ces), score; ``orders``
    customer_id, order_date, units, units_returned; ``tickets`` ticket_id, customer_id,
    opened_date, resolved_first_contact (bool); ``spend`` month, sales_marketing_cost,
    [gross_margin]. Other columns of the source are kept as text.
    """

    mrr: pd.DataFrame | None = None
    invoices: pd.DataFrame | None = None
    surveys: pd.DataFrame | None = None
    orders: pd.DataFrame | None = None
    tickets: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    source: Path | None = None

    def tables(self):
        """``{name: DataFrame}`` of the tables present, in the usual order."""
        present = {name: getattr(self, name) for name in TABLE_NAMES}
        return {name: table for name, table in present.items() if table is not None}


@dataclass(frozen=True)
class RawTable:
    """A table as read from its file: untyped cells and the row number of each."""

    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int | None


def load_data(source, *, mapping=None, on_duplicate="error"):
    """Read, check and normalise every table of a data source.

    Parameters
    ----------
    source : str or Path
        A folder holding ``mrr.csv``, ``invoices.csv``, ``surveys.csv``, ``orders.csv``,
        ``tickets.csv`` and ``spend.csv`` (any may be missing; ``.parquet`` files of the
        same names also do), or one ``.xlsx`` workbook with one sheet per table.
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
    ['customer_id', 'month', 'mrr', 'segment']
    """
    tables, problems = _checked(source, mapping, on_duplicate, limit=1)
    if problems:
        raise problems[0]
    return Dataset(**tables, source=Path(source))


def validate_data(source, *, mapping=None, on_duplicate="error"):
    """Every problem of a data source, as a list of DataError (empty when all is well).

    Nothing is raised for a problem in the data or the files, and nothing is written.

    Examples
    --------
    >>> from csmetrics import sample_data_path
    >>> validate_data(sample_data_path())
    []
    """
    return _checked(source, mapping, on_duplicate, limit=None)[1]


def read_source(source):
    """``{table: RawTable}`` for the tables a source holds, cells as written."""
    path = Path(source)
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return _read_workbook(path)
    if not path.exists():
        raise DataError(f"no such folder or file: {path}")
    raise DataError(
        f"{path} is neither a folder of CSV/Parquet files nor an .xlsx workbook"
    )


def _checked(source, mapping, on_duplicate, limit):
    mapping = mapping or {}
    unknown = sorted(set(mapping) - set(TABLE_NAMES))
    if unknown:
        raise ValueError(f"mapping names unknown tables {unknown}; tables are {TABLE_NAMES}")
    try:
        raw = read_source(source)
    except DataError as problem:
        return {}, [problem]
    tables, problems = {}, []
    for name, table in raw.items():
        clean, found = check_table(
            name, table.frame, rows=table.rows, header_row=table.header_row,
            mapping=mapping.get(name), on_duplicate=on_duplicate, limit=limit,
        )
        tables[name] = clean
        problems.extend(found)
        if limit is not None and len(problems) >= limit:
            break
    return tables, problems


def _read_folder(folder):
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
        name: (_read_csv if files[name].suffix.lower() == ".csv" else _read_parquet)(files[name])
        for name in TABLE_NAMES if name in files
    }


def _read_csv(path):
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            separator = ";" if header.count(";") > header.count(",") else ","
            handle.seek(0)
            frame = pd.read_csv(
                handle, sep=separator, dtype=str, keep_default_na=False, na_values=[""],
                skip_blank_lines=False,
            )
    except UnicodeDecodeError as problem:
        raise DataError(f"{path.name} is not UTF-8 text; save it as 'CSV UTF-8' "
                        f"({problem.reason})", table=path.stem.lower()) from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    return RawTable(frame, np.arange(len(frame)) + 2, header_row=1)


def _read_parquet(path):
    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise DataError(f"reading {path.name} needs pyarrow: pip install 'csmetrics[parquet]'",
                        table=path.stem.lower()) from None
    return RawTable(frame, np.arange(len(frame)) + 1, header_row=None)


def _read_workbook(path):
    sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    by_name = {str(sheet).strip().lower(): sheet for sheet in sheets}
    return {
        name: RawTable(sheets[by_name[name]], np.arange(len(sheets[by_name[name]])) + 2, 1)
        for name in TABLE_NAMES if name in by_name
    }
