"""Where the tables are: a database named by a connection URL, or a folder of Parquet or
CSV files computed out of core by DuckDB.

A password in a URL is never shown: every message names the URL with ``***`` in its
place (:func:`redacted`), and a backend's own error is shown with the password taken out.
"""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import ibis

from csmetrics.errors import DataError
from csmetrics.tables.schema import TABLE_NAMES

ENGINES = ("duckdb",)
HIDDEN = "***"


def is_url(text):
    """True for a connection URL (``duckdb:///file.duckdb``, ``postgres://...``).

    >>> is_url("postgres://ana@db:5432/sales"), is_url("exports/")
    (True, False)
    """
    return "://" in str(text)


def redacted(url):
    """``url`` with its password replaced by ``***``.

    >>> redacted("postgres://ana:s3cret@db.example:5432/sales")
    'postgres://ana:***@db.example:5432/sales'
    >>> redacted("duckdb:///data/mrr.duckdb")
    'duckdb:///data/mrr.duckdb'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{HIDDEN}@{host}"))


def connect(url, *, memory_limit=None):
    """The Ibis backend of a connection URL, as ``ibis.connect`` reads it; a failure is a
    DataError naming the redacted URL (and the backend's message, password removed). A
    DuckDB file is opened read-only: never created or changed, and open to several
    commands at once."""
    password = urlsplit(url).password
    options = {"memory_limit": memory_limit} if memory_limit and url.startswith("duckdb") else {}
    if url.startswith("duckdb:///"):
        options["read_only"] = True
    try:
        return ibis.connect(url, **options)
    except Exception as error:  # any backend's own error, shown without the password
        said = str(error)
        if password:
            said = said.replace(password, HIDDEN)
        raise DataError(f"cannot connect to {redacted(url)}: {type(error).__name__}: "
                        f"{said.strip()}") from None


def backend_tables(con, mapping=None, *, where="the database"):
    """``{name: Ibis table}`` of the csmetrics tables ``con`` holds: each found by its
    name (``mrr``, ``invoices``, ...), or where ``mapping`` says (``{"mrr": "sales.mrr"}``,
    a schema-qualified name)."""
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(TABLE_NAMES))
    if unknown:
        raise DataError(f"--table names unknown tables {', '.join(unknown)}; the tables are "
                        f"{', '.join(TABLE_NAMES)}")
    present = set(con.list_tables())
    tables = {}
    for name in TABLE_NAMES:
        if name in mapping:
            schema, _, table = mapping[name].rpartition(".")
            try:
                tables[name] = con.table(table, database=schema or None)
            except Exception as error:  # the backend's "no such table", in its words
                raise DataError(f"--table {name}={mapping[name]}: no such table in {where} "
                                f"({type(error).__name__})") from None
        elif name in present:
            tables[name] = con.table(name)
    if "mrr" not in tables:
        raise DataError(f"no table 'mrr' in {where}: name it with --table mrr=SCHEMA.NAME")
    return tables


def folder_tables(folder, *, memory_limit=None, temp_directory=None):
    """``(con, {name: Ibis table})``: the Parquet or CSV files of ``folder`` (``mrr.parquet``,
    ``mrr.csv`` or a folder ``mrr/`` of Parquet files, and so on) as views of a DuckDB
    connection that spills to ``temp_directory`` past ``memory_limit`` (``"3GB"``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: --engine duckdb reads a folder of Parquet or CSV files")
    config = {"temp_directory": str(temp_directory or tempfile.gettempdir())}
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = ibis.duckdb.connect(**config)
    tables = {}
    for name in TABLE_NAMES:
        parts = sorted((folder / name).glob("*.parquet")) if (folder / name).is_dir() else []
        if parts or (folder / f"{name}.parquet").is_file():
            tables[name] = con.read_parquet(parts or folder / f"{name}.parquet", table_name=name)
        elif (folder / f"{name}.csv").is_file():
            tables[name] = con.read_csv(folder / f"{name}.csv", table_name=name)
    if "mrr" not in tables:
        raise DataError(f"{folder}: no mrr.parquet, mrr/ folder of Parquet files or mrr.csv")
    return con, tables
