"""The ``csmetrics`` command line: monthly reports from exports, without Excel open.

``report`` fills templates for months and segments, ``demo`` does it on the bundled sample
data, ``templates`` lists the templates, ``validate`` checks data and writes nothing,
``import`` turns a billing system's export into csmetrics tables. Exit
status: 0 when everything asked for was done, 1 when a report failed or the data has
problems, 2 for a wrong command line. Errors are one clear line, never a traceback.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from csmetrics import load_data, sample_data_path, validate_data
from csmetrics.billing import SOURCES, Rules, run_import
from csmetrics.billing.checks import blocking
from csmetrics.billing.output import import_files, write_all
from csmetrics.billing.rules import CHOICES
from csmetrics.errors import DataError, MetricError
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.demo_marks import has_keywords
from csmetrics.report.labels import label
from csmetrics.report.safe_io import (
    ReportError,
    check_workbook_file,
    protected_paths,
    require_defusedxml,
)
from csmetrics.report.summary import summary_lines
from csmetrics.sample_data import SAMPLE_CURRENCY, sample_exports_path
from workbook_templates import LANGUAGES, TEMPLATE_NAMES, template_path

DEMO_DIR = Path("reports")
DEMO_KEYWORDS = "csmetrics-demo"


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
    parser = argparse.ArgumentParser(prog="csmetrics", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    report = commands.add_parser("report", help="fill templates for months and segments")
    report.add_argument("--data", required=True, type=Path,
                        help="folder of CSV/Parquet exports, or one .xlsx workbook")
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", type=month_range, dest="months", help="YYYY-MM")
    when.add_argument("--months", type=month_range, help="YYYY-MM:YYYY-MM, both included")
    report.add_argument("--template", action="append", choices=TEMPLATE_NAMES,
                        dest="templates", help="repeat for several; default: all")
    report.add_argument("--segment-by", metavar="COLUMN",
                        help="one report per value of this MRR column")
    report.add_argument("--out", required=True, type=Path, help="folder for the reports")
    report.add_argument("--lang", choices=LANGUAGES, default="en")
    report.add_argument("--overwrite", action="store_true",
                        help="replace reports that already exist")
    report.add_argument("--quiet", action="store_true", help="no progress bar")
    add_billing_options(report)
    report.set_defaults(command=run_report)

    demo = commands.add_parser("demo", help=f"reports from the sample data into ./{DEMO_DIR}")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.add_argument("--from", dest="source", choices=("stripe", "chartmogul"),
                      help="start from the sample data's billing export of this system")
    demo.set_defaults(command=run_demo)

    templates = commands.add_parser("templates", help="list the templates")
    templates.set_defaults(command=list_templates)

    validate = commands.add_parser("validate", help="check data, write nothing")
    validate.add_argument("--data", required=True, type=Path)
    add_billing_options(validate)
    validate.set_defaults(command=run_validate)

    billing = commands.add_parser("import", help="billing export in, csmetrics tables out")
    billing.add_argument("--from", dest="source", required=True, choices=tuple(SOURCES),
                         help="the billing system that wrote the export")
    billing.add_argument("--data", required=True, type=Path,
                         help="folder of the export's CSV files, as downloaded")
    billing.add_argument("--out", required=True, type=Path,
                         help="folder for mrr.csv, invoices.csv and import_log.txt")
    billing.add_argument("--overwrite", action="store_true", help="replace files in --out")
    add_billing_options(billing, source=False)
    billing.set_defaults(command=run_import_command)
    return parser


def add_billing_options(parser, *, source=True):
    """The options that read a billing export: ``--from``, currency, rates and rules."""
    if source:
        parser.add_argument("--from", dest="source", choices=tuple(SOURCES),
                            help="--data is this billing system's export (see 'import')")
    parser.add_argument("--currency", metavar="CODE",
                        help="reporting currency (needed when the export has several)")
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
                                   rules=billing_rules(args), mapping=args.mapping)
    stops = blocking(findings, strict=args.strict)
    if stops:
        raise ReportError("\n".join(str(f) for f in stops) + "\nnothing was written")
    return dataset, findings


def run_import_command(args):
    """``csmetrics import``: write mrr.csv, invoices.csv and import_log.txt into --out."""
    try:
        dataset, findings = imported(args)
    except DataError as error:
        raise ReportError(f"{args.data}: {error}") from None
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


def run_report(args):
    """``csmetrics report``: fill the templates; 0 only when every report was written."""
    try:
        return _write_reports(
            args.data, args.months, args.templates, args.segment_by, args.out,
            lang=args.lang, overwrite=args.overwrite, quiet=args.quiet,
            dataset=imported(args)[0] if args.source else None,
        )
    except DataError as error:
        raise ReportError(located(args.data, error)) from None


def run_demo(args):
    """``csmetrics demo``: the sample data's latest month, every template, into ./reports.

    The demo replaces a file in ./reports only when a previous ``csmetrics demo`` wrote it
    (its document keywords say ``csmetrics-demo``); any other file of the same name is kept
    and reported as not written.
    """
    data, dataset = sample_data_path(), None
    if args.source:
        data = sample_exports_path(args.source)
        dataset, _ = run_import(data, args.source, currency=SAMPLE_CURRENCY,
                                fx_rates=sample_exports_path("fx_rates.csv"))
    status = _write_reports(
        data, None, None, None, DEMO_DIR, lang="en", quiet=args.quiet,
        overwrite=lambda path: has_keywords(path, DEMO_KEYWORDS), keywords=DEMO_KEYWORDS,
        dataset=dataset,
    )
    print(f"Reports are in {DEMO_DIR.resolve()}")
    return status


def _write_reports(data, months, templates, segment_by, out, *, lang, overwrite, quiet,
                   keywords=None, dataset=None):
    """Fill ``templates`` (default all) for ``months`` (default the data's latest), from
    ``dataset`` when given (an imported billing export), else from the data read."""
    dataset = load_checked(data) if dataset is None else dataset
    months = months or [dataset.mrr["month"].max()]
    check_months(dataset, months)
    templates = templates or list(TEMPLATE_NAMES)
    results = EngineResults.compute(dataset, segment_by)
    jobs = plan_jobs(templates, months, results.segments(), out)
    protected = protected_paths(
        data, *(template_path(t, other) for t in TEMPLATE_NAMES for other in LANGUAGES)
    )
    out.mkdir(parents=True, exist_ok=True)
    with tqdm(total=len(jobs), unit="report", file=sys.stderr,
              disable=quiet or len(jobs) < 2 or not sys.stderr.isatty()) as progress:
        outcomes = run_batch(
            results, jobs, template_path=template_path, lang=lang,
            overwrite=overwrite, protected=protected, keywords=keywords,
            on_outcome=lambda _outcome: progress.update(),
        )
    print("\n".join(summary_lines(outcomes)))
    return 0 if all(o.status == WRITTEN for o in outcomes) else 1


def load_checked(data):
    """Load the data with the engine, after :func:`check_data_path`."""
    return load_data(check_data_path(data))


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
    first, last = dataset.mrr["month"].min(), dataset.mrr["month"].max()
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
        return f"{data}: {error}"
    if data.is_dir():
        files = [data / f"{table}{suffix}" for suffix in (".csv", ".parquet")]
        return f"{next((f for f in files if f.exists()), files[0])}: {error}"
    return f"{data}, sheet '{table}': {error}"


def list_templates(_args):
    """``csmetrics templates``: one line per template."""
    width = max(map(len, TEMPLATE_NAMES))
    for name in TEMPLATE_NAMES:
        print(f"{name.ljust(width)}  {label(f'title_{name}', 'en')}")
    return 0


def run_validate(args):
    """``csmetrics validate``: print every problem in the data; 1 if there is any."""
    if args.source:
        return _validate_export(args)
    problems = validate_data(check_data_path(args.data))
    for problem in problems:
        print(located(args.data, problem))
    if problems:
        print(f"{len(problems)} problem(s) found; nothing was written", file=sys.stderr)
        return 1
    print(f"{args.data}: no problems found")
    return 0


def _validate_export(args):
    """``validate --from``: print every finding of the import; 1 if one would stop it."""
    try:
        _, findings = run_import(check_data_path(args.data), args.source,
                                 currency=args.currency, fx_rates=args.fx_rates,
                                 rules=billing_rules(args), mapping=args.mapping)
    except DataError as error:
        print(f"{args.data}: {error}")
        return 1
    for finding in findings:
        print(finding)
    stops = blocking(findings, strict=args.strict)
    if stops:
        print(f"{len(stops)} problem(s) found; nothing was written", file=sys.stderr)
        return 1
    print(f"{args.data}: no problems found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
