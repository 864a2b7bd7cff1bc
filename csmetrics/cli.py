"""The ``csmetrics`` command line: monthly reports from exports, without Excel open.

``report`` fills templates for months and segments, ``demo`` does it on the bundled sample
data, ``templates`` lists the templates (and copies them out), ``validate`` checks data and
writes nothing, ``import`` turns a billing system's export into csmetrics tables,
``xlwings-lite`` writes the files that put the ``CS_`` functions in xlwings Lite. Exit status:
0 when everything asked for was done, 1 when a report failed or the data has problems, 2 for
a wrong command line. Errors are one clear line, never a traceback.
"""

import argparse
import functools
import importlib.util
import json
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from csmetrics import load_data, sample_data_path
from csmetrics.billing import SOURCES, Rules, run_import
from csmetrics.billing.checks import BillingError, Finding, blocking
from csmetrics.billing.output import import_files, write_all
from csmetrics.billing.rules import CHOICES
from csmetrics.errors import DataError, MetricError
from csmetrics.lite_kit import KIT_FILES, kit_files
from csmetrics.report.batch import (
    REPORTS_PER_WORKER,
    WRITTEN,
    EngineResults,
    default_workers,
    plan_jobs,
    run_batch,
)
from csmetrics.report.demo_marks import has_keywords
from csmetrics.report.labels import LANGUAGES, label
from csmetrics.report.layout import TEMPLATE_NAMES, TEMPLATE_NEEDS, template_path
from csmetrics.report.needs import templates_to_write
from csmetrics.report.pdf import report_pdfs
from csmetrics.report.printing import PAPER_SIZES
from csmetrics.report.safe_io import (
    ReportError,
    check_workbook_file,
    protected_paths,
    require_defusedxml,
)
from csmetrics.report.selection import MAX_INPUT_ROWS
from csmetrics.report.summary import failure_lines, summary_lines, summary_records
from csmetrics.report.units import check_currency, chosen_currency, reporting_currency
from csmetrics.sample_data import SAMPLE_CURRENCY, sample_exports_path
from csmetrics.tables.io import check_source
from csmetrics.tables.locales import SUPPORTED
from csmetrics.tables.sizes import ROWS_VARIABLE, duckdb_rows, folder_rows

DEMO_DIR = Path("reports")
DEMO_KEYWORDS = "csmetrics-demo"
DESCRIPTION = "Customer-success metrics: monthly Excel reports from your exports."
EPILOG = """examples:
  csmetrics report --data exports/ --month 2025-12 --out reports/
  csmetrics report --data exports/ --months 2025-01:2025-12 --segment-by segment \\
      --lang fr --out reports/ --overwrite
  csmetrics validate --data exports/ --json
  csmetrics templates --copy my_templates/ --lang ro
  csmetrics xlwings-lite --out lite/
  csmetrics demo --out /tmp/demo --lang fr

exit status:
  0  everything asked for was done
  1  a report was not written, the data has problems, or a file could not be written
  2  wrong command line

Run 'csmetrics COMMAND --help' for the options of a command."""


def main(argv=None):
    """Entry point of the ``csmetrics`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except (ReportError, MetricError, OSError) as error:
        print(f"csmetrics: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("csmetrics: interrupted", file=sys.stderr)
        return 130


def _parser():
    parser = argparse.ArgumentParser(
        prog="csmetrics", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version",
                        version=f"csmetrics {version('csmetrics')}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    report = commands.add_parser("report", help="fill templates for months and segments")
    report.add_argument("--data", required=True, type=data_source, metavar="PATH|URL",
                        help="folder of CSV/Parquet exports, one .xlsx workbook, or a "
                             "database URL (duckdb:///file.duckdb, postgres://user@host/db)")
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", type=month_range, dest="months", metavar="YYYY-MM",
                      help="the month to report on")
    when.add_argument("--months", type=month_range, metavar="YYYY-MM:YYYY-MM",
                      help="a range of months, both included: one report per month")
    report.add_argument("--template", action="append", choices=TEMPLATE_NAMES,
                        dest="templates", help="repeat for several; default: all")
    report.add_argument("--segment-by", metavar="COLUMN",
                        help="one report per value of this MRR column")
    report.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="folder for the reports")
    _add_lang(report, "language of the reports' labels")
    _add_paper(report)
    _add_locale(report)
    report.add_argument("--overwrite", action="store_true",
                        help="replace reports that already exist")
    report.add_argument("--pdf", action="store_true",
                        help="also a PDF of each report's pages beside it (needs LibreOffice)")
    report.add_argument("--jobs", type=positive_count, metavar="N",
                        help="processes filling the reports; default: one per "
                             f"{REPORTS_PER_WORKER} reports, at most one per CPU")
    _add_output_options(report)
    add_billing_options(report)
    _add_scale_options(report)
    _add_max_input_rows(report)
    report.set_defaults(command=run_report)

    demo = commands.add_parser("demo", help=f"reports from the sample data into ./{DEMO_DIR}")
    demo.add_argument("--out", type=Path, default=DEMO_DIR, metavar="DIR",
                      help=f"folder for the reports (default: ./{DEMO_DIR})")
    _add_lang(demo, "language of the reports' labels")
    _add_paper(demo)
    _add_output_options(demo)
    demo.add_argument("--from", dest="source", choices=("stripe", "chartmogul"),
                      help="start from the sample data's billing export of this system")
    demo.add_argument("--data", type=data_source, metavar="PATH|URL",
                      help="your data instead of the sample: a folder of CSV/Parquet "
                           "exports, one .xlsx workbook, or a database URL (as for report)")
    _add_locale(demo)
    _add_scale_options(demo)
    _add_max_input_rows(demo)
    demo.set_defaults(command=run_demo)

    templates = commands.add_parser("templates", help="list the templates, or copy them out")
    templates.add_argument("--copy", type=Path, metavar="DIR",
                           help="copy the template workbooks into DIR (made if missing)")
    _add_lang(templates, "language of the templates to copy")
    templates.add_argument("--overwrite", action="store_true",
                           help="replace files of the same name in DIR")
    templates.set_defaults(command=list_templates)

    validate = commands.add_parser("validate", help="check data, write nothing")
    validate.add_argument("--data", required=True, type=data_source, metavar="PATH|URL",
                          help="folder of CSV/Parquet exports, one .xlsx workbook, or a "
                               "database URL (checked by queries in the database)")
    _add_locale(validate)
    _add_scale_options(validate)
    add_billing_options(validate)
    validate.add_argument("--json", action="store_true",
                          help="print the problems (with --from: every pre-flight "
                          "finding) as JSON on standard output")
    validate.set_defaults(command=run_validate)

    billing = commands.add_parser("import", help="billing export in, csmetrics tables out")
    billing.add_argument("--from", dest="source", required=True, choices=tuple(SOURCES),
                         help="the billing system that wrote the export")
    billing.add_argument("--data", required=True, type=Path,
                         help="folder of the export's CSV files, as downloaded")
    billing.add_argument("--out", required=True, type=Path,
                         help="folder for mrr.csv, invoices.csv and import_log.txt")
    billing.add_argument("--overwrite", action="store_true", help="replace files in --out")
    _add_locale(billing)
    add_billing_options(billing, source=False)
    billing.set_defaults(command=run_import_command)

    lite = commands.add_parser("xlwings-lite",
                               help="write main.py and requirements.txt for xlwings Lite")
    lite.add_argument("--out", required=True, type=Path, metavar="DIR",
                      help=f"folder for {' and '.join(KIT_FILES)} (made if missing)")
    lite.add_argument("--overwrite", action="store_true",
                      help="replace files of the same name in DIR")
    lite.set_defaults(command=write_lite_kit)
    return parser


def _add_max_input_rows(command):
    command.add_argument("--max-input-rows", type=positive_count, default=MAX_INPUT_ROWS,
                         metavar="N", help="past N MRR rows in a report, its Inputs sheet "
                         "holds totals by segment and the largest accounts instead of the "
                         f"rows, and its Audit checks those (default {MAX_INPUT_ROWS:,})")


def _add_scale_options(command):
    command.add_argument("--table", action="append", type=table_mapping, default=[],
                         metavar="NAME=SCHEMA.TABLE",
                         help="with a database URL: where a table is (repeat for several; "
                              "default: the tables named mrr, invoices, surveys, ...)")
    command.add_argument("--engine", choices=("pandas", "duckdb", "spark"),
                         help="duckdb: read a folder of Parquet/CSV files through DuckDB, "
                              "out of core (needs csmetrics[scale]); spark: its Parquet "
                              "files, or with --table tables of Spark's catalog, on the "
                              "SparkSession the Spark settings make (spark-defaults.conf, "
                              "PYSPARK_SUBMIT_ARGS; default local[*]; needs csmetrics[spark] "
                              "and Java); pandas: in memory; default: DuckDB for a folder of "
                              "more rows than fit in half the memory (or "
                              f"${ROWS_VARIABLE}), else pandas")
    command.add_argument("--memory-limit", metavar="SIZE",
                         help="DuckDB's memory limit (such as 3GB); beyond it DuckDB spills "
                              "to a temporary folder")


def data_source(text):
    """``--data``: a connection URL as given, or a path.

    >>> data_source("duckdb:///sales.duckdb"), data_source("exports")
    ('duckdb:///sales.duckdb', PosixPath('exports'))
    """
    return text if "://" in text else Path(text)


def table_mapping(text):
    """``--table mrr=analytics.mrr_monthly`` as ``("mrr", "analytics.mrr_monthly")``."""
    name, equals, where = text.partition("=")
    if not equals or not name.strip() or not where.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=SCHEMA.TABLE")
    return name.strip().lower(), where.strip()


def _at_scale(args):
    """True when ``--data`` is a URL or DuckDB or Spark reads a folder (:func:`chosen_engine`)."""
    if isinstance(args.data, str):
        return True
    args.engine = chosen_engine(args)
    return args.engine != "pandas"


def chosen_engine(args):
    """The engine of a command on a folder: ``--engine`` when given; else DuckDB for a
    folder of more rows than :func:`~csmetrics.tables.sizes.duckdb_rows` (saying so in
    one line on standard error), pandas otherwise. A billing export (``--from``), data
    read with ``--locale`` (DuckDB reads CSV files in its own way) and a machine without
    Ibis stay in memory."""
    if args.engine is not None:
        return args.engine
    if args.source or args.locale or not (args.data and args.data.is_dir()):
        return "pandas"
    rows, limit = folder_rows(args.data), duckdb_rows()
    if rows is None or rows <= limit:
        return "pandas"
    said = f"csmetrics: {args.data} holds {rows:,} rows, more than {limit:,}"
    if not all(importlib.util.find_spec(name) for name in ("ibis", "duckdb")):
        print(f"{said}; computing in memory: pip install \"csmetrics[scale]\" to compute "
              "them out of core with DuckDB", file=sys.stderr)
        return "pandas"
    print(f"{said}: computing with DuckDB out of core (--engine pandas: in memory)",
          file=sys.stderr)
    return "duckdb"


def _scale_tables(args):
    """``(shown, tables)``: the data source as it may be shown (a URL without its
    password) and its tables as Ibis tables (csmetrics.scale, imported only here)."""
    try:
        from csmetrics.scale import connect
    except ImportError:
        raise ReportError("a database URL and --engine duckdb need Ibis: "
                          'pip install "csmetrics[scale]"') from None
    if args.engine == "spark":
        return _spark_tables(connect, args)
    if isinstance(args.data, str):
        if args.source:
            raise ReportError("--from reads a billing export's files, not a database URL")
        con = connect.connect(args.data, memory_limit=args.memory_limit)
        shown = connect.redacted(args.data)
        return shown, connect.backend_tables(con, dict(args.table), where=shown)
    if args.table:
        raise ReportError("--table maps tables of a database URL, not files")
    _, tables = connect.folder_tables(check_data_path(args.data),
                                      memory_limit=args.memory_limit)
    return str(args.data), tables


def _spark_tables(connect, args):
    """``_scale_tables`` of ``--engine spark``: the folder's Parquet files and the tables
    ``--table`` names in Spark's catalog."""
    if isinstance(args.data, str) or args.source or args.memory_limit:
        raise ReportError("--engine spark reads a folder of Parquet files and, with --table, "
                          "tables of Spark's catalog (not a URL, --from or --memory-limit: "
                          "Spark's memory is its spark.driver.memory setting)")
    return str(args.data), connect.spark_tables(check_data_path(args.data), dict(args.table))


def _add_locale(command):
    command.add_argument(
        "--locale", choices=SUPPORTED,
        help="how the data writes numbers and dates, and the code page of a non-UTF-8 CSV "
             "(fr: 1 250,50 and 31/01/2025, cp1252; ro and de: 1.250,50 and 31.01.2025; "
             "en: 1,250.50 and 01/31/2025); default: only what reads one way",
    )


def _add_lang(command, help_text):
    command.add_argument("--lang", choices=LANGUAGES, default="en",
                         help=f"{help_text}: {', '.join(LANGUAGES)} (default: en)")


def _add_paper(command):
    command.add_argument("--paper", choices=tuple(PAPER_SIZES), default="a4",
                         help="paper the reports print on (and their PDFs): a4, or letter "
                              "in the United States and Canada (default: a4)")


def _add_output_options(command):
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress bar and no summary; failures still go to stderr")
    command.add_argument("--json", action="store_true",
                         help="print the summary as JSON (one record per report)")


def add_billing_options(parser, *, source=True):
    """The options that read a billing export: ``--from``, currency, rates and rules."""
    if source:
        parser.add_argument("--from", dest="source", choices=tuple(SOURCES),
                            help="--data is this billing system's export (see 'import')")
    parser.add_argument("--currency", metavar="CODE",
                        help="reporting currency, shown with the money in the reports "
                        "(ISO code such as EUR; needed when the export has several)")
    parser.add_argument("--fx-rates", type=Path, metavar="FILE",
                        help="CSV of date, currency, rate (reporting units per unit)")
    parser.add_argument("--mapping", type=Path, metavar="FILE",
                        help="TOML file naming the columns, for --from generic")
    parser.add_argument("--strict", action="store_true", help="warnings stop the import too")
    defaults = Rules()
    for name, choices in CHOICES.items():
        parser.add_argument(f"--{name}", choices=choices, default=getattr(defaults, name),
                            help=f"billing rule (default {getattr(defaults, name)})")


def billing_rules(args):
    """The :class:`~csmetrics.billing.Rules` of the command line's rule options."""
    return Rules(**{name: getattr(args, name) for name in CHOICES})


def imported(args):
    """``(dataset, findings)`` of the billing export ``--data`` read as ``args`` say.

    Raises ReportError, listing the blocking findings, when the import cannot go on.
    """
    dataset, findings = run_import(check_data_path(args.data), args.source,
                                   currency=args.currency, fx_rates=args.fx_rates,
                                   rules=billing_rules(args), locale=args.locale,
                                   mapping=args.mapping)
    stops = blocking(findings, strict=args.strict)
    if stops:
        raise _stopped(stops)
    return dataset, findings


def _stopped(findings):
    """The error of an import stopped by ``findings``, one line each (they start with
    their level, so the message does not say "error" twice)."""
    count = f"{len(findings)} finding" + ("s" if len(findings) > 1 else "")
    return ReportError(f"the import stopped on {count}:\n"
                       + "\n".join(map(str, findings)) + "\nnothing was written")


def run_import_command(args):
    """``csmetrics import``: write mrr.csv, invoices.csv and import_log.txt into --out."""
    try:
        dataset, findings = imported(args)
    except BillingError as error:
        raise _stopped(error.findings) from None
    except DataError as error:
        raise ReportError(f"{args.data}: {error}\nnothing was written") from None
    log = [
        f"csmetrics import --from {args.source} --data {args.data}",
        f"reporting currency: {args.currency or 'as in the export'}; "
        f"fx rates: {args.fx_rates or 'none'}",
        "rules: " + ", ".join(f"{name}={getattr(args, name)}" for name in CHOICES),
        *map(str, findings),
    ]
    files = import_files(dataset, log)
    try:
        written = write_all(files, args.out, protected=protected_paths(args.data),
                            overwrite=args.overwrite)
    except DataError as error:
        raise ReportError(str(error)) from None
    print("\n".join(map(str, findings)))
    print("wrote " + ", ".join(str(path) for path in written))
    return 0


def month_range(text):
    """``"2025-03"`` or ``"2025-01:2025-03"`` as a list of monthly periods.

    >>> [str(m) for m in month_range("2024-12:2025-02")]
    ['2024-12', '2025-01', '2025-02']
    """
    first, _, last = text.partition(":")
    try:
        start, end = pd.Period(first, "M"), pd.Period(last or first, "M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not YYYY-MM or YYYY-MM:YYYY-MM") from None
    if end < start:
        raise argparse.ArgumentTypeError(f"{text!r}: the last month is before the first")
    return list(pd.period_range(start, end, freq="M"))


def positive_count(text):
    """An argument that is a whole number of at least 1.

    >>> positive_count("4")
    4
    """
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def run_report(args):
    """``csmetrics report``: fill the templates; 0 only when every report was written."""
    if _at_scale(args):
        return _report_at_scale(args)
    try:
        return _write_reports(
            args.data, args.months, args.templates, args.segment_by, args.out,
            lang=args.lang, paper=args.paper, overwrite=args.overwrite, quiet=args.quiet,
            as_json=args.json,
            locale=args.locale, pdf=(TEMPLATE_NAMES, True) if args.pdf else None,
            dataset=imported(args)[0] if args.source else None, currency=args.currency,
            workers=args.jobs, max_input_rows=args.max_input_rows,
        )
    except DataError as error:
        raise ReportError(located(args.data, error)) from None


def _report_at_scale(args):
    """``report`` from a database URL or through DuckDB."""
    return _write_reports(
        **_scale_source(args), months=args.months, templates=args.templates,
        segment_by=args.segment_by, out=args.out, lang=args.lang, overwrite=args.overwrite,
        quiet=args.quiet, as_json=args.json, pdf=(TEMPLATE_NAMES, True) if args.pdf else None,
        currency=args.currency, workers=args.jobs, max_input_rows=args.max_input_rows,
    )


def _scale_source(args):
    """``{data, dataset, shown, span, compute}`` of a database URL or a folder read
    through DuckDB, as :func:`_write_reports` takes them: the mrr table checked by queries,
    the tables fetched into the report engine (past ``--max-input-rows`` MRR rows, only
    the rows of the reported months; ``span`` then what the whole table holds, else
    None), the engine's tables computed by the backend
    (:func:`~csmetrics.scale.dataset.backend_results`); ``data`` the file never to write
    over."""
    from csmetrics.scale.dataset import backend_dataset, backend_results, backend_span

    shown, tables = _scale_tables(args)
    months = getattr(args, "months", None)
    try:
        span = backend_span(tables, max_rows=args.max_input_rows)
        if span is not None and months:
            check_month_range(months, span.first, span.last)
        dataset = backend_dataset(tables, months, span=span)
    except DataError as error:
        raise ReportError(f"{shown}: {error}") from None
    protected = args.data if isinstance(args.data, Path) else _database_file(args.data)
    return {"data": protected, "dataset": dataset, "shown": shown, "span": span,
            "compute": functools.partial(backend_results, tables, partial=span is not None)}


def _database_file(url):
    """The file a ``duckdb:///path`` URL names (never to be written over); else None."""
    path = url.partition("://")[2].lstrip("/") if url.startswith("duckdb://") else ""
    return Path("/" + path) if url.startswith("duckdb:///") and path else None


def run_demo(args):
    """``csmetrics demo``: the sample data's latest month (or, with ``--data``, that of
    your data, read as ``report`` reads it), every template, into ``--out``, and the PDF
    of the monthly KPI report when LibreOffice is installed.

    The demo replaces a file in its folder only when a previous ``csmetrics demo`` wrote it
    (its document keywords say ``csmetrics-demo``); any other file of the same name is kept
    and reported as not written.
    """
    source = {"data": sample_data_path()}
    given = [option for option, value in (("--table", args.table), ("--engine", args.engine),
             ("--memory-limit", args.memory_limit), ("--locale", args.locale)) if value]
    if given and args.data is None:
        raise ReportError(f"{', '.join(given)} read(s) --data: give it too")
    if args.source and args.data is not None:
        raise ReportError("--from starts from the sample data's billing export: give "
                          "--from or --data, not both")
    if args.source:
        data = sample_exports_path(args.source)
        source = {"data": data, "currency": SAMPLE_CURRENCY, "dataset": run_import(
            data, args.source, currency=SAMPLE_CURRENCY,
            fx_rates=sample_exports_path("fx_rates.csv"))[0]}
    elif args.data is not None and _at_scale(args):
        source = _scale_source(args)
    elif args.data is not None:
        if args.table:
            raise ReportError("--table maps tables of a database URL, not files")
        source = {"data": args.data, "locale": args.locale}
    try:
        status = _write_reports(
            **source, months=None, templates=None, segment_by=None, out=args.out,
            lang=args.lang, paper=args.paper, quiet=args.quiet, as_json=args.json,
            overwrite=lambda path: has_keywords(path, DEMO_KEYWORDS), keywords=DEMO_KEYWORDS,
            pdf=(("monthly_kpi_report",), False), max_input_rows=args.max_input_rows,
        )
    except DataError as error:
        where = source.get("shown")
        raise ReportError(f"{where}: {error}" if where else located(source["data"], error)
                          ) from None
    if not (args.quiet or args.json):
        print(f"Reports are in {args.out.resolve()}")
    return status


def _write_reports(data, months, templates, segment_by, out, *, lang, overwrite, quiet,
                   paper="a4", as_json=False, keywords=None, pdf=None, locale=None,
                   dataset=None, currency=None, workers=None, shown=None, span=None,
                   max_input_rows=MAX_INPUT_ROWS, compute=EngineResults.compute):
    """Fill ``templates`` (default all the data can fill) for ``months`` (default the
    data's latest), from ``dataset`` when given (an imported billing export), else from the
    data read; ``pdf``: None, or ``(templates, required)`` to render those templates'
    reports to PDF (without LibreOffice, exit status 1 only when ``required``); ``locale``:
    how the data writes numbers and dates (see :func:`csmetrics.load_data`); ``currency``:
    the ``--currency`` asked for (see :func:`report_currency`); ``paper``: the
    ``--paper`` the reports print on; ``workers``: the processes
    filling the reports (None: :func:`~csmetrics.report.batch.default_workers`); ``shown``:
    the data source as messages name it (a database URL without its password), ``data``
    then the file to protect or None; ``max_input_rows``: the MRR rows past which a
    report's Inputs hold totals instead of them; ``span``: what the whole mrr table holds
    when ``dataset`` holds only the rows of the reported months (a
    :class:`~csmetrics.report.history.TableSpan`), else None;
    ``compute(dataset, segment_by, months)`` runs the engine
    (:meth:`EngineResults.compute`, or the backend's)."""
    imported_data = dataset is not None and shown is None
    if dataset is None:
        dataset = load_checked(data, locale)
    currency = report_currency(dataset, currency, shown or data, imported=imported_data,
                               span=span)
    for note in dataset.notes:
        print(note, file=sys.stderr)
    if span is None:
        months = months or [dataset.mrr["month"].max()]
        check_months(dataset, months)
    else:
        months = months or [span.last]
        check_month_range(months, span.first, span.last)
    templates, skipped = templates_to_write(
        templates or list(TEMPLATE_NAMES), TEMPLATE_NEEDS, dataset, asked=templates is not None
    )
    results = compute(dataset, segment_by, months)
    jobs = plan_jobs(templates, months, results.segments(), out, lang)
    protected = protected_paths(
        *([data] if data is not None else []),
        *(template_path(t, other) for t in TEMPLATE_NAMES for other in LANGUAGES)
    )
    out.mkdir(parents=True, exist_ok=True)
    with tqdm(total=len(jobs), unit="report", file=sys.stderr,
              disable=quiet or len(jobs) < 2 or not sys.stderr.isatty()) as progress:
        outcomes = run_batch(
            results, jobs, template_path=template_path, lang=lang,
            overwrite=overwrite, protected=protected, keywords=keywords,
            on_outcome=lambda _outcome: progress.update(), currency=currency, paper=paper,
            workers=workers or default_workers(len(jobs)), max_input_rows=max_input_rows,
        )
    if as_json:
        print(json.dumps(summary_records(outcomes), indent=2))
    elif not quiet:
        print("\n".join(summary_lines(outcomes, skipped, lang)))
    for line in failure_lines(outcomes, lang):
        print(f"csmetrics: not written: {line}", file=sys.stderr)
    status = 0 if outcomes and all(o.status == WRITTEN for o in outcomes) else 1
    if pdf is not None:
        written = [o.job.path for o in outcomes if o.status == WRITTEN and o.job.template in pdf[0]]
        status = max(status, report_pdfs(written, required=pdf[1], protected=protected,
                                           quiet=quiet or as_json))
    return status


def report_currency(dataset, asked, data, *, imported=False, span=None):
    """The currency the reports show money in: that of the import (its ``--currency``) for
    imported data, else ``asked`` checked against the mrr table's own currency column (the
    whole table's, ``span``, when ``dataset`` holds part of it); None when nothing says
    (money is then shown without a currency)."""
    try:
        if imported:
            return None if asked is None else check_currency(asked)
        if span is not None:
            return chosen_currency(span.currency, asked)
        return reporting_currency(dataset.mrr, asked)
    except ValueError as error:
        raise ReportError(f"{data}: {error}") from None


def load_checked(data, locale=None):
    """Load the data with the engine, after :func:`check_data_path`."""
    return load_data(check_data_path(data), locale=locale)


def check_data_path(data):
    """Refuse a data path that does not exist or is not what it claims to be."""
    if not data.exists():
        raise ReportError(f"{data}: no such file or folder")
    if data.suffix.lower() in {".xlsx", ".xlsm"}:
        require_defusedxml()
        check_workbook_file(data)
    return data


def check_months(dataset, months):
    """Refuse months outside the data's MRR months (nothing to report on)."""
    if dataset.mrr is None or dataset.mrr.empty:
        return
    check_month_range(months, dataset.mrr["month"].min(), dataset.mrr["month"].max())


def check_month_range(months, first, last):
    """Refuse months outside ``first`` to ``last`` (the data's MRR months)."""
    outside = [str(m) for m in months if not first <= m <= last]
    if outside:
        raise ReportError(
            f"no MRR data for {', '.join(outside)}: the data covers {first} to {last}"
        )


def located(data, error):
    """A data problem prefixed with the file (or workbook and sheet) it is in.

    >>> from csmetrics.errors import DataError
    >>> print(located(Path("exports.xlsx"), DataError("not a number", table="mrr", row=7)))
    exports.xlsx, sheet 'mrr': table 'mrr', row 7: not a number
    """
    table = getattr(error, "table", None)
    if table is None:
        said = str(error)
        return said if said.startswith((str(data), data.name)) else f"{data}: {said}"
    if data.is_dir():
        return f"{data_file(data, table)}: {error}"
    return f"{data}, sheet '{table}': {error}"


def data_file(data, table):
    """The file of ``data`` holding ``table``: its CSV or Parquet file in a folder, else
    ``data`` itself (a workbook, or no table named)."""
    if table is None or not data.is_dir():
        return data
    files = [data / f"{table}{suffix}" for suffix in (".csv", ".parquet")]
    return next((f for f in files if f.exists()), files[0])


def list_templates(args):
    """``csmetrics templates``: one line per template (name, title, file), or ``--copy``."""
    if args.copy:
        return copy_templates(args.copy, args.lang, overwrite=args.overwrite)
    paths = {name: template_path(name, args.lang) for name in TEMPLATE_NAMES}
    width = max(map(len, TEMPLATE_NAMES))
    titles = {name: label(f"title_{name}", args.lang) for name in TEMPLATE_NAMES}
    title_width = max(map(len, titles.values()))
    for name in TEMPLATE_NAMES:
        print(f"{name.ljust(width)}  {titles[name].ljust(title_width)}  {paths[name]}")
    return 0


def copy_templates(folder, lang, *, overwrite):
    """Copy the templates in ``lang`` into ``folder``, so users start from their own copy."""
    sources = [template_path(name, lang) for name in TEMPLATE_NAMES]
    written = _write_files(folder, {source.name: source for source in sources}, overwrite)
    for path in written:
        print(path)
    return 0


def write_lite_kit(args):
    """``csmetrics xlwings-lite``: write main.py and requirements.txt for xlwings Lite."""
    for path in _write_files(args.out, kit_files(), args.overwrite):
        print(path)
    print("Paste each file into the tab of the same name in the xlwings Lite editor.")
    return 0


def _write_files(folder, contents, overwrite):
    """Write ``contents`` (file name -> text, or a file to copy) into ``folder``.

    Refuses, before writing anything, when a file exists and ``overwrite`` is false.
    """
    targets = {folder / name: content for name, content in contents.items()}
    existing = [str(path) for path in targets if path.exists()]
    if existing and not overwrite:
        raise ReportError(f"{', '.join(existing)} already exist(s); pass --overwrite to replace")
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in targets.items():
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            path.write_text(content, encoding="utf-8")
    return list(targets)


def run_validate(args):
    """``csmetrics validate``: print every problem in the data; 1 if there is any."""
    if _at_scale(args):
        return _validate_at_scale(args)
    if args.source:
        return _validate_export(args)
    checked = check_source(check_data_path(args.data), locale=args.locale)
    problems = checked.problems
    return _print_validation(
        args, records=[_problem_record(args.data, p) for p in problems],
        lines=[*checked.notes, *(located(args.data, p) for p in problems)],
        stops=problems,
    )


def _print_validation(args, *, records, lines, stops, source=None):
    """Print what ``validate`` found: ``records`` as JSON with ``--json``, else ``lines``;
    then 1 with a count on standard error when ``stops`` holds anything, else 0 (and, not
    as JSON, "no problems found" in ``source``, default ``--data``)."""
    if args.json:
        print(json.dumps(records, indent=2))
    else:
        for line in lines:
            print(line)
    if stops:
        print(found_line(args.data, len(stops), as_json=args.json), file=sys.stderr)
        return 1
    if not args.json:
        print(f"{source or args.data}: no problems found")
    return 0


def found_line(data, count, *, as_json=False):
    """What ``validate`` found, as its last line: how many problems, where they are listed
    and what to do.

    >>> found_line(Path("exports"), 2)
    'exports: 2 problems found (listed above); correct them and run csmetrics validate again'
    """
    listed = "in the JSON output" if as_json else "above"
    what, them = ("1 problem", "it") if count == 1 else (f"{count} problems", "them")
    return (f"{data}: {what} found (listed {listed}); correct {them} and run csmetrics "
            "validate again")


def _problem_record(data, problem):
    """One data problem as a JSON-ready record: the file, where in it, and what is wrong
    (the message without the place, which the other fields give)."""
    table = getattr(problem, "table", None)
    return {"file": str(data_file(data, table)), "table": table,
            "row": getattr(problem, "row", None), "column": getattr(problem, "column", None),
            "message": getattr(problem, "reason", str(problem))}


def _validate_export(args):
    """``validate --from``: print every finding of the import (``--json``: as records, in
    the shape of the data problems'); 1 if one would stop it."""
    try:
        _, findings = run_import(check_data_path(args.data), args.source,
                                 currency=args.currency, fx_rates=args.fx_rates,
                                 rules=billing_rules(args), locale=args.locale,
                                 mapping=args.mapping)
    except BillingError as error:
        findings = error.findings
    except DataError as error:
        findings = [Finding("error", f"{args.data}: {error}")]
    return _print_validation(
        args, records=[_finding_record(f) for f in findings], lines=findings,
        stops=blocking(findings, strict=args.strict),
    )


def _validate_at_scale(args):
    """``validate`` of a database URL or, with --engine duckdb, a folder: the mrr table's
    checks run as queries; each kind of problem shows its first ten rows and a count."""
    from csmetrics.scale.dataset import backend_problems

    shown, tables = _scale_tables(args)
    found = backend_problems(tables)
    records, lines = [], []
    for kind in found:
        for problem in kind.errors:
            records.append({"table": problem.table, "row": problem.row,
                            "column": problem.column, "message": f"{shown}: {problem}",
                            "rows_with_this_problem": kind.count})
            lines.append(f"{shown}: {problem}")
        if kind.count > len(kind.errors):
            lines.append(f"  ... and {kind.count - len(kind.errors):,} more rows with this "
                         "problem")
    stops = range(sum(kind.count for kind in found))
    return _print_validation(args, records=records, lines=lines, stops=stops, source=shown)


def _finding_record(finding):
    """One pre-flight finding as a JSON-ready record: its level, where it is (the file as
    the table) and what was found (the message without the level and the place)."""
    return {"level": finding.level, "table": finding.file, "row": finding.row,
            "column": finding.column, "message": finding.message}


if __name__ == "__main__":
    sys.exit(main())
