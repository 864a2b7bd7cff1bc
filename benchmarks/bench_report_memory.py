"""Peak memory of ``csmetrics report`` from a DuckDB file. Not a test.

Writes ``bench_engine.make_rows``' customer-month rows (default 150,000 customers x 24
months: 3.6 M rows of customer_id, month as a DATE, mrr, segment) as the table ``mrr`` of a
DuckDB file, then runs ``csmetrics report --data duckdb:///FILE --month LAST --template
monthly_kpi_report`` in a child process and prints its wall time and peak resident memory
(``getrusage`` of the children: the largest RSS the report process reached).

Options: ``--customers N --months M``, ``--folder DIR`` (keep the file there and reuse
it), ``--python PATH`` (the interpreter that runs the report: another checkout's venv, to
compare two versions on the same file), and any further arguments are passed to
``csmetrics report`` (``--max-input-rows 10000000`` ...).
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import FIRST_MONTH, make_rows  # noqa: E402


def write_database(path, customers, months):
    """The rows as the table ``mrr`` of a DuckDB file at ``path`` (kept when it exists)."""
    if path.exists():
        return
    import duckdb

    rows = make_rows(customers, months)
    con = duckdb.connect(str(path))
    con.register("rows", rows)
    con.execute("CREATE TABLE mrr AS SELECT customer_id, CAST(month AS DATE) AS month, "
                "CAST(mrr AS DECIMAL(14, 2)) AS mrr, segment FROM rows")
    con.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=150_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--python", default=sys.executable)
    args, extra = parser.parse_known_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mrr_{args.customers}x{args.months}.duckdb"
    write_database(path, args.customers, args.months)
    month = FIRST_MONTH + (args.months - 1)
    out = Path(tempfile.mkdtemp(prefix="bench-report-out-"))
    command = [args.python, "-m", "csmetrics.cli", "report", "--data", f"duckdb:///{path}",
               "--month", str(month), "--template", "monthly_kpi_report", "--out", str(out),
               "-q", *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.customers * args.months:,} rows, report of {month}: {seconds:.1f} s, "
          f"peak RSS {peak:,.0f} MB ({args.python})")


if __name__ == "__main__":
    main()
