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
from csmetrics.scale.startup import held_stderr
from csmetrics.tables.schema import TABLE_NAMES

ENGINES = ("duckdb", "spark")
QUIET_SPARK = ("spark.ui.showConsoleProgress", "false")
"""The setting of a session csmetrics starts: no progress bars among its lines."""
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
    tables = mapped_tables(con, mapping, where=where)
    present = set(con.list_tables())
    tables.update({name: con.table(name) for name in TABLE_NAMES
                   if name in present and name not in tables})
    if "mrr" not in tables:
        raise DataError(f"no table 'mrr' in {where}: name it with --table mrr=SCHEMA.NAME")
    return {name: tables[name] for name in TABLE_NAMES if name in tables}


def mapped_tables(con, mapping, *, where="the database"):
    """``{name: Ibis table}`` of the tables ``mapping`` names (``{"mrr": "sales.mrr"}``)."""
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(TABLE_NAMES))
    if unknown:
        raise DataError(f"--table names unknown tables {', '.join(unknown)}; the tables are "
                        f"{', '.join(TABLE_NAMES)}")
    tables = {}
    for name, where_it_is in mapping.items():
        schema, _, table = where_it_is.rpartition(".")
        try:
            tables[name] = con.table(table, database=schema or None)
        except Exception as error:  # the backend's "no such table", in its words
            raise DataError(f"--table {name}={where_it_is}: no such table in {where} "
                            f"({type(error).__name__})") from None
    return tables


def folder_files(folder):
    """``{name: (kind, path)}`` of the csmetrics tables of ``folder``: ``mrr.parquet`` or a
    folder ``mrr/`` of Parquet files (kind ``"parquet"``), else ``mrr.csv`` (``"csv"``),
    and so on for each table; the ``path`` a list of Parquet parts, a file or a folder."""
    found = {}
    for name in TABLE_NAMES:
        parts = sorted((folder / name).glob("*.parquet")) if (folder / name).is_dir() else []
        if parts or (folder / f"{name}.parquet").is_file():
            found[name] = ("parquet", parts or folder / f"{name}.parquet")
        elif (folder / f"{name}.csv").is_file():
            found[name] = ("csv", folder / f"{name}.csv")
    return found


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
    for name, (kind, path) in folder_files(folder).items():
        read = con.read_parquet if kind == "parquet" else con.read_csv
        tables[name] = read(path, table_name=name)
    if "mrr" not in tables:
        raise DataError(f"{folder}: no mrr.parquet, mrr/ folder of Parquet files or mrr.csv")
    return con, tables


def spark_session():
    """The SparkSession that the usual Spark settings make:
    ``SparkSession.builder.getOrCreate()`` reads ``spark-defaults.conf`` (in
    ``SPARK_CONF_DIR``), ``PYSPARK_SUBMIT_ARGS`` (``--master yarn --driver-memory 4g
    pyspark-shell``) and the ``SPARK_*`` variables; with none of them, Spark runs in this
    process' machine as ``local[*]``. A session already running is the one used, as it is.

    A session started here is quiet: what Spark prints while it starts is shown only if
    it fails (:func:`~csmetrics.scale.startup.held_stderr`), it logs errors only
    (``setLogLevel("ERROR")``) and draws no progress bars
    (``spark.ui.showConsoleProgress=false``), so a command prints csmetrics' lines alone.
    A session that cannot start (no Java) is a DataError, after Spark's own lines.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DataError('--engine spark needs PySpark: pip install "csmetrics[spark]" '
                        "(and Java 17)") from None
    running = SparkSession.getActiveSession()
    if running is not None:
        return running
    with held_stderr():
        try:
            session = SparkSession.builder.config(*QUIET_SPARK).getOrCreate()
        except Exception as error:  # PySparkRuntimeError [JAVA_GATEWAY_EXITED] and the like
            raise DataError(f"--engine spark: Spark did not start: {spark_reason(error)} "
                            "(Spark's own lines above say why; it needs Java 17: apt-get "
                            "install --no-install-recommends openjdk-17-jre-headless, or "
                            "JAVA_HOME naming it)") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_tables(folder, mapping=None, *, session=None):
    """``{name: Ibis table}`` on Spark (``session``, else :func:`spark_session`): the
    Parquet files of ``folder`` (as :func:`folder_files` finds them), and tables of Spark's
    catalog where ``mapping`` says (``{"mrr": "sales.mrr_monthly"}``), which take the
    place of a file of the same name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: --engine spark reads a folder of Parquet files")
    files = folder_files(folder)
    mapping = dict(mapping or {})
    text = sorted(str(path) for name, (kind, path) in files.items()
                  if kind == "csv" and name not in mapping)
    if text:
        raise DataError(f"{', '.join(text)}: --engine spark reads Parquet files, not CSV "
                        "(whose types Spark would guess): write them as Parquet, or use "
                        "--engine duckdb")
    con = ibis.pyspark.connect(session or spark_session())
    tables = mapped_tables(con, mapping, where="Spark's catalog")
    for name, (_, path) in files.items():
        if name not in tables:
            tables[name] = _read_parquet(con, folder / name if isinstance(path, list) else path)
    if "mrr" not in tables:
        raise DataError(f"{folder}: no mrr.parquet or mrr/ folder of Parquet files: write "
                        "one, or name a table of Spark's catalog with --table mrr=SCHEMA.NAME")
    return tables


def _read_parquet(con, path):
    """``path`` (a Parquet file or folder) as a table of the pyspark backend ``con``; a file
    Spark cannot read (nanosecond timestamps, ...) is a DataError naming it."""
    try:
        return con.read_parquet(path)
    except Exception as error:  # Spark's AnalysisException, in its words
        raise DataError(f"{path}: Spark cannot read it: {spark_reason(error)} (timestamps "
                        "in Parquet must be in microseconds for Spark: pandas writes them "
                        "so with to_parquet(..., coerce_timestamps='us'))") from None


def spark_reason(error):
    """The reason a Spark error gives, without the Java call and stack around it (PySpark
    4 raises it as is, 3.5 inside a Py4JJavaError).

    >>> spark_reason("An error occurred while calling o42.parquet.\\n: org.apache.spark."
    ...              "SparkException: Job aborted: org.apache.spark.sql.AnalysisException: "
    ...              "Illegal Parquet type: INT64.\\n\\tat org.apache.spark.sql.errors")
    'Illegal Parquet type: INT64.'
    >>> spark_reason("[PARQUET_TYPE_ILLEGAL] Illegal Parquet type: INT64. SQLSTATE: 42846")
    '[PARQUET_TYPE_ILLEGAL] Illegal Parquet type: INT64. SQLSTATE: 42846'
    """
    head = str(error).split("\n\tat ")[0]
    return head.rpartition("Exception: ")[2].strip().splitlines()[0]
