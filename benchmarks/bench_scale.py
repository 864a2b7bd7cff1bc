"""Benchmark of the engine on Ibis out of core (DuckDB) against a hand-written DuckDB query
of the bridge on the same Parquet files. Not a test.

Writes customers x months rows (default 2,000,000 x 50 = 10^8: customer_id, month as a
DATE, mrr as DECIMAL(12, 2), segment; a row at zero where a customer is not paying) as
Parquet files, by DuckDB itself so that making them needs no memory, then, each contender
in its own process with DuckDB's memory limit (default 3GB) and a spill folder:

- csmetrics: ``mrr_movements(segment_by="segment")``, ``cohort_retention`` and
  ``monthly_metrics`` on an Ibis table of the files (only monthly sums come back);
- duckdb-sql: one hand-written query of the bridge per segment (LAG over each customer's
  months, the churn the month after a run stops), as a data team would write it;
- spark (with ``--spark``, PySpark installed: ``csmetrics[spark]`` and Java 17): the
  csmetrics steps on an Ibis pyspark table of the same files, Spark ``local[THREADS]``
  (``local[2]`` by default);
- postgres (with ``--postgres``, ``csmetrics[postgres]`` and Debian's ``postgresql``): a
  PostgreSQL server started for the run as the tests start theirs
  (tests/postgres_server.py), the files loaded into a table by COPY (its time reported
  apart, as ``load``), then the csmetrics steps on it through Ibis.

Each reports seconds by step and the peak resident memory of its processes: DuckDB's runs
in the Python process; for Spark and PostgreSQL, the sum of the peaks (VmHWM, from /proc)
of the Python process and of the JVM, or of the server's processes (the postmaster and its
children, read before the connection closes). Every bridge is compared to the hand-written
query's to the cent. Usage (``pip install "csmetrics[scale]"``)::

    python benchmarks/bench_scale.py                      # 10^8 rows: several GB on disk
    python benchmarks/bench_scale.py --customers 2000 --months 12   # a quick check

Options: ``--memory-limit 3GB``, ``--folder DIR`` (keep the files there, and reuse them
when present), ``--threads N``, ``--spark`` and ``--postgres`` (the issue asks for both on
10^6 rows: ``--customers 20000 --months 50 --spark --postgres``).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MONEY = ["mrr_start", "new", "expansion", "contraction", "churned", "reactivation", "mrr_end"]
CONTENDERS = ("csmetrics", "duckdb-sql", "spark", "postgres")

# Each customer: a start month (a third from the first month), a base price, a segment.
# Each month after its start it pays unless the hash of (customer, month) puts it in a 4 %
# pause (a churn, and a return the month after or later); every 12 months its price moves
# by -10 % to +20 %. All from hashes, so any engine can make the same rows.
ROWS_SQL = """
SELECT
    printf('C%08d', c) AS customer_id,
    (DATE '2022-01-01' + TO_MONTHS(m::INTEGER))::DATE AS month,
    CASE WHEN m >= start AND hash(c, m, 'pause') % 100 >= 4
         THEN round(base * (1 + ((hash(c, m // 12, 'price') % 31)::BIGINT - 10) / 100.0)
                    ::DECIMAL(12, 2), 2)
         ELSE 0 END::DECIMAL(12, 2) AS mrr,
    segment
FROM (
    SELECT range AS c,
           CASE WHEN hash(range, 'old') % 3 = 0 THEN 0
                ELSE (hash(range, 'start') % {months})::BIGINT END AS start,
           (20 + hash(range, 'base') % 98000 / 100.0)::DECIMAL(12, 2) AS base,
           ['SMB', 'Mid-Market', 'Enterprise'][1 + (hash(range, 'seg') % 3)::BIGINT] AS segment
    FROM range({customers})
) AS customers, range({months}) AS months(m)
"""

BRIDGE_SQL = """
WITH rows AS (
    SELECT customer_id, year(month) * 12 + month(month) - 1 AS m,
           CAST(round(mrr * 100) AS BIGINT) AS cents, segment
    FROM {source}
),
last_month AS (SELECT max(m) AS last FROM rows),
paying AS (SELECT * FROM rows WHERE cents > 0),
labels AS (SELECT customer_id, {label} AS label FROM paying GROUP BY customer_id),
seen AS (
    SELECT p.customer_id, p.m, p.cents, l.label,
           lag(p.m) OVER w AS before_m, lag(p.cents) OVER w AS before,
           lead(p.m) OVER w AS after_m
    FROM paying p JOIN labels l USING (customer_id)
    WINDOW w AS (PARTITION BY p.customer_id ORDER BY p.m)
),
moves AS (
    SELECT m, label,
           CASE WHEN before_m = m - 1 THEN before ELSE 0 END AS previous, cents AS current,
           CASE WHEN before_m IS NULL THEN 'new' WHEN before_m <> m - 1 THEN 'reactivation'
                WHEN cents > before THEN 'expansion' WHEN cents < before THEN 'contraction'
                ELSE 'flat' END AS kind
    FROM seen
    UNION ALL
    SELECT m + 1, label, cents, 0, 'churned' FROM seen, last_month
    WHERE m < last AND (after_m IS NULL OR after_m <> m + 1)
)
SELECT m, label AS segment,
       sum(previous) AS mrr_start,
       sum(CASE WHEN kind = 'new' THEN current ELSE 0 END) AS new,
       sum(CASE WHEN kind = 'expansion' THEN current - previous ELSE 0 END) AS expansion,
       sum(CASE WHEN kind = 'contraction' THEN previous - current ELSE 0 END) AS contraction,
       sum(CASE WHEN kind = 'churned' THEN previous ELSE 0 END) AS churned,
       sum(CASE WHEN kind = 'reactivation' THEN current ELSE 0 END) AS reactivation,
       sum(current) AS mrr_end
FROM moves GROUP BY m, label ORDER BY m, label
"""


def bridge_sql(source, *, segmented=True):
    """The hand-written bridge query on ``source`` (a table, a view or a read_parquet
    call), per segment (each customer in the segment of its latest month with MRR) or
    with every customer in one segment ``all``."""
    label = "arg_max(segment, m)" if segmented else "'all'"
    return BRIDGE_SQL.format(source=source, label=label)


def write_rows(folder, customers, months, threads):
    """The rows as Parquet files in ``folder`` (made by DuckDB, streaming)."""
    import duckdb

    con = duckdb.connect(config={"threads": threads})
    con.execute(f"COPY ({ROWS_SQL.format(customers=customers, months=months)}) TO "
                f"'{folder}' (FORMAT parquet, PER_THREAD_OUTPUT true)")


def run_csmetrics(files, memory_limit, threads, spill):
    import ibis

    con = ibis.duckdb.connect(memory_limit=memory_limit, threads=threads,
                              temp_directory=spill)
    return csmetrics_steps(con.read_parquet(files))


def run_spark(files, memory_limit, threads, spill):
    import ibis
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(f"local[{threads}]").appName("bench_scale")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", str(2 * threads))
             .config("spark.driver.memory", memory_limit.lower().replace("gb", "g"))
             .config("spark.local.dir", spill)
             .config("spark.sql.warehouse.dir", str(Path(spill) / "warehouse"))
             .getOrCreate())
    spark.read.parquet(str(Path(files).parent)).createOrReplaceTempView("mrr")
    try:
        steps, bridge = csmetrics_steps(ibis.pyspark.connect(spark).table("mrr"))
        steps["other_peak_mb"] = _tree_peak_mb(os.getpid(), itself=False)
        return steps, bridge
    finally:
        spark.stop()


def run_postgres(files, memory_limit, threads, spill):
    """The csmetrics steps on a table of a PostgreSQL server started for the run."""
    import duckdb
    import ibis
    import psycopg

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from postgres_server import postgres_server

    csv = Path(spill) / "rows.csv"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet('{files}')) TO '{csv}' "
                             "(HEADER)")
    with postgres_server() as url:
        started = time.perf_counter()
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as con:
            con.execute("CREATE TABLE mrr (customer_id text, month date, mrr numeric(12, 2), "
                        "segment text)")
            with con.cursor().copy("COPY mrr FROM STDIN (FORMAT csv, HEADER)") as copy:
                with csv.open("rb") as rows:
                    while block := rows.read(1 << 20):
                        copy.write(block)
            con.execute("ANALYZE mrr")
        load = time.perf_counter() - started
        backend = ibis.connect(url)
        steps, bridge = csmetrics_steps(backend.table("mrr"))
        steps["other_peak_mb"] = _tree_peak_mb(_postmaster(url))
        steps["load"] = load
        backend.disconnect()
    return steps, bridge


def _postmaster(url):
    """The process id of the PostgreSQL server listening on ``url``'s port."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if words[0].endswith(b"postgres") and b"-p" in words and f"-p {port}".encode() in \
                b" ".join(words):
            return int(cmdline.parent.name)
    raise RuntimeError(f"no PostgreSQL server on port {port}")


def _tree_peak_mb(root, *, itself=True):
    """The sum of the peak RSS (VmHWM) of ``root`` (unless not ``itself``) and of all its
    descendants (Spark's JVM, a PostgreSQL server's backends), in MB."""
    parents, peaks = {}, {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0").strip())
        peaks[pid] = int(fields["VmHWM"].split()[0]) / 1024 if "VmHWM" in fields else 0.0
    tree, grown = {root}, True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree, grown = tree | children, bool(children)
    return sum(peaks.get(pid, 0.0) for pid in tree if itself or pid != root)


def csmetrics_steps(table):
    """The csmetrics steps on an Ibis table: seconds by step, the bridge in cents."""
    import csmetrics

    steps = {}
    started = time.perf_counter()
    bridge = csmetrics.mrr_movements(table, segment_by="segment")
    steps["bridge"] = time.perf_counter() - started
    started = time.perf_counter()
    csmetrics.cohort_retention(table, mode="revenue")
    steps["cohorts"] = time.perf_counter() - started
    started = time.perf_counter()
    csmetrics.monthly_metrics(table, segment_by="segment")
    steps["monthly_metrics"] = time.perf_counter() - started
    cents = bridge.assign(month=bridge["month"].astype(str))
    for column in MONEY:
        cents[column] = (cents[column] * 100).round().astype("int64")
    return steps, cents[["month", "segment", *MONEY]]


def run_duckdb_sql(files, memory_limit, threads, spill):
    import duckdb

    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads,
                                 "temp_directory": spill})
    started = time.perf_counter()
    bridge = con.execute(bridge_sql(f"read_parquet('{files}')")).df()
    steps = {"bridge": time.perf_counter() - started}
    month = bridge["m"].astype("int64")
    bridge["month"] = [f"{n // 12}-{n % 12 + 1:02d}" for n in month]
    for column in MONEY:
        bridge[column] = bridge[column].astype("int64")
    return steps, bridge[["month", "segment", *MONEY]]


RUNNERS = {"csmetrics": run_csmetrics, "duckdb-sql": run_duckdb_sql, "spark": run_spark,
           "postgres": run_postgres}


def child(contender, files, out, memory_limit, threads):
    with tempfile.TemporaryDirectory() as spill:
        steps, bridge = RUNNERS[contender](files, memory_limit, threads, spill)
    bridge.to_csv(Path(out) / f"{contender}.csv", index=False)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            + steps.pop("other_peak_mb", 0.0))
    (Path(out) / f"{contender}.json").write_text(json.dumps({"steps": steps, "peak_mb": peak}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2_000_000)
    parser.add_argument("--months", type=int, default=50)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folder", type=Path, help="where the Parquet files are kept")
    parser.add_argument("--spark", action="store_true", help="also run on Spark local mode")
    parser.add_argument("--postgres", action="store_true",
                        help="also run on a PostgreSQL server started for the run")
    parser.add_argument("--run", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return child(args.run, args.files, args.out, args.memory_limit, args.threads)

    import pandas as pd

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch) / "rows"
        if not any(folder.glob("*.parquet")):
            started = time.perf_counter()
            write_rows(folder, args.customers, args.months, args.threads)
            print(f"wrote {args.customers * args.months:,} rows in "
                  f"{time.perf_counter() - started:.1f} s to {folder}")
        files = str(folder / "*.parquet")
        results = {}
        chosen = {"spark": args.spark, "postgres": args.postgres}
        for contender in [c for c in CONTENDERS if chosen.get(c, True)]:
            subprocess.run([sys.executable, __file__, "--run", contender, "--files", files,
                            "--out", scratch, "--memory-limit", args.memory_limit,
                            "--threads", str(args.threads)], check=True)
            results[contender] = json.loads((Path(scratch) / f"{contender}.json").read_text())
        theirs = pd.read_csv(Path(scratch) / "duckdb-sql.csv")
        differing = {contender: _differing(pd.read_csv(Path(scratch) / f"{contender}.csv"),
                                           theirs)
                     for contender in results if contender != "duckdb-sql"}
    print(f"\n{args.customers:,} customers x {args.months} months, DuckDB memory limit "
          f"{args.memory_limit}, {args.threads} threads")
    print("| contender | step | seconds | peak RSS of its processes (MB) |")
    print("|---|---|---:|---:|")
    for contender, result in results.items():
        for step, seconds in result["steps"].items():
            print(f"| {contender} | {step} | {seconds:.1f} | {result['peak_mb']:,.0f} |")
    ratio = results["csmetrics"]["steps"]["bridge"] / results["duckdb-sql"]["steps"]["bridge"]
    print(f"\ncsmetrics' bridge takes {ratio:.2f}x the hand-written query's time")
    for contender, cells in differing.items():
        print(f"{contender}: bridge cells differing from the hand-written query's: {cells}")
    return 0


def _differing(mine, theirs):
    joined = mine.merge(theirs, on=["month", "segment"], how="outer", indicator=True,
                        suffixes=("", "_sql"))
    return int((joined["_merge"] != "both").sum()) + int(
        sum((joined[c] != joined[f"{c}_sql"]).sum() for c in MONEY))


if __name__ == "__main__":
    sys.exit(main())
