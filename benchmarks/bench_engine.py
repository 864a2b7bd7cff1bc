"""Benchmark of the pandas engine against two baselines on the same rows. Not a test.

100,000 customers x 36 months (3.6 M rows of customer_id, month, mrr, segment; a row at
zero where a customer is not paying) go through, each contender in its own process:

- engine: ``csmetrics.mrr_movements`` then ``csmetrics.monthly_metrics``;
- loop: a plain per-customer Python loop building the same bridge;
- duckdb-sql: a hand-written DuckDB query of the bridge on the same DataFrame
  (``bench_scale.bridge_sql``: LAG over each customer's months), when duckdb is installed;
- polars: the same bridge written in idiomatic Polars (a lazy query: each customer's
  previous month by ``shift`` over the customer), in total and by segment, when polars is
  installed;
- saas-metrics: PyPI ``saas-metrics``' ``analyze`` (MIT; DuckDB SQL), the closest peer.

Each reports seconds and its process's peak resident memory (``getrusage`` max RSS, the
data included; the RSS once the data is loaded is shown too). The bridges are compared to
the cent, in total and by segment, and the engine's cohort triangles with the peer's.

Neither saas-metrics nor polars is ever a dependency of csmetrics: install them in a venv
of their own::

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install saas-metrics polars -e .
    /tmp/bench-venv/bin/python benchmarks/bench_engine.py

Options: ``--customers N --months M`` (default 100000 x 36); a contender whose package is
not installed (duckdb, polars, saas-metrics) is skipped.
"""

import argparse
import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference_bridge import reference_bridge  # noqa: E402

SEED = 36
FIRST_MONTH = pd.Period("2023-01", "M")
SEGMENTS = np.array(["SMB", "Mid-Market", "Enterprise"])
MONEY = ["mrr_start", "new", "expansion", "contraction", "churned", "reactivation", "mrr_end"]
CONTENDERS = ("engine", "loop", "duckdb-sql", "polars", "saas-metrics")


def make_rows(customers, months, seed=SEED):
    """customer_id, month (first day), mrr, segment for every customer and month.

    A third of the customers pay from before the first month, the others start at a random
    month; each month a paying customer churns (3 %), expands (5 %, x1.1-1.5) or
    contracts (3 %, x0.6-0.9); a churned customer comes back (5 % a month).
    """
    rng = np.random.default_rng(seed)
    start = np.where(rng.random(customers) < 1 / 3, 0, rng.integers(0, months, customers))
    amount = np.round(rng.lognormal(5.5, 1.0, customers), 2)
    active = np.zeros(customers, dtype=bool)
    seen = np.zeros(customers, dtype=bool)
    cents = np.zeros((customers, months), dtype=np.int64)
    for month in range(months):
        draw = rng.random(customers)
        churns = active & (draw < 0.03)
        returns = ~active & seen & (draw < 0.05)
        active = (active & ~churns) | returns | (start == month)
        grow = active & (draw >= 0.03) & (draw < 0.08)
        shrink = active & (draw >= 0.08) & (draw < 0.11)
        amount = np.where(grow, np.round(amount * rng.uniform(1.1, 1.5, customers), 2), amount)
        amount = np.where(shrink, np.round(amount * rng.uniform(0.6, 0.9, customers), 2), amount)
        cents[:, month] = np.where(active, np.rint(amount * 100), 0)
        seen |= active
    ids = pd.Series(np.arange(customers)).map("C{:06d}".format).to_numpy()
    firsts = pd.period_range(FIRST_MONTH, periods=months, freq="M").to_timestamp()
    return pd.DataFrame({
        "customer_id": np.repeat(ids, months),
        "month": np.tile(firsts.to_numpy(), customers),
        "mrr": cents.ravel() / 100,
        "segment": np.repeat(rng.choice(SEGMENTS, customers, p=[0.6, 0.3, 0.1]), months),
    })


# ---- contenders (each runs in its own process) --------------------------------------------
# Each runner returns (seconds by step, bridge, bridge by segment, cohort triangles).


def run_engine(rows):
    import csmetrics

    started = time.perf_counter()
    bridge = csmetrics.mrr_movements(rows)
    between = time.perf_counter()
    csmetrics.monthly_metrics(rows)
    steps = {"mrr_movements": between - started, "monthly_metrics": time.perf_counter() - between}
    by_segment = csmetrics.mrr_movements(rows, segment_by="segment")
    cohorts = {mode: csmetrics.cohort_retention(rows, mode=mode) for mode in ("logo", "revenue")}
    return steps, _waterfall(bridge), _waterfall(by_segment), _triangles(cohorts)


def run_loop(rows):
    started = time.perf_counter()
    bridge = loop_bridge(rows)
    return {"bridge": time.perf_counter() - started}, bridge, None, None


def loop_bridge(rows):
    """The bridge the plain way (the tests' oracle): walk each customer's months."""
    bridge = reference_bridge(rows)
    return pd.DataFrame(
        [[str(pd.Period(ordinal=month, freq="M")), *values] for month, values in bridge.items()],
        columns=["month", *MONEY],
    )


def run_duckdb_sql(rows):
    import duckdb
    from bench_scale import bridge_sql

    con = duckdb.connect()
    con.register("rows_frame", rows)
    started = time.perf_counter()
    bridge = con.execute(bridge_sql("rows_frame", segmented=False)).df()
    steps = {"bridge": time.perf_counter() - started}
    bridge["month"] = [f"{m // 12}-{m % 12 + 1:02d}" for m in bridge["m"].astype("int64")]
    for column in MONEY:
        bridge[column] = bridge[column].astype(np.int64)
    return steps, bridge[["month", *MONEY]], None, None


def run_polars(rows):
    import polars as pl

    frame = pl.from_pandas(rows)
    started = time.perf_counter()
    bridge = polars_bridge(frame, segmented=False).collect()
    steps = {"bridge": time.perf_counter() - started}
    by_segment = polars_bridge(frame, segmented=True).collect()
    return (steps, _polars_waterfall(bridge, ["month"]),
            _polars_waterfall(by_segment, ["month", "segment"]), None)


def polars_bridge(frame, *, segmented):
    """The bridge as a lazy Polars query on ``frame`` (customer_id, month, mrr, segment):
    each customer's months with MRR in order, the month before and after by ``shift`` over
    the customer, one movement per month with MRR and one churn after each run that stops
    before the last month, summed in whole cents by month (and segment: the customer's
    segment on its latest month with MRR; else ``all``)."""
    import polars as pl

    month = pl.col("m")
    before_m, before, cents = pl.col("before_m"), pl.col("before"), pl.col("cents")
    paying = (
        frame.lazy()
        .select(
            "customer_id",
            (pl.col("month").dt.year().cast(pl.Int64) * 12 + pl.col("month").dt.month() - 1)
            .alias("m"),
            (pl.col("mrr") * 100).round().cast(pl.Int64).alias("cents"),
            "segment",
        )
        .with_columns(last=month.max())
        .filter(cents > 0)
        .sort("customer_id", "m")
        .with_columns(
            before_m=month.shift(1).over("customer_id"),
            before=cents.shift(1).over("customer_id"),
            after_m=month.shift(-1).over("customer_id"),
            label=pl.col("segment").last().over("customer_id") if segmented else pl.lit("all"),
        )
    )
    follows = before_m == month - 1
    paid = paying.select(
        "m", "label",
        previous=pl.when(follows).then(before).otherwise(0),
        current=cents,
        kind=pl.when(before_m.is_null()).then(pl.lit("new"))
        .when(~follows).then(pl.lit("reactivation"))
        .when(cents > before).then(pl.lit("expansion"))
        .when(cents < before).then(pl.lit("contraction"))
        .otherwise(pl.lit("flat")),
    )
    churned = paying.filter(
        (month < pl.col("last")) & (pl.col("after_m").is_null() | (pl.col("after_m") != month + 1))
    ).select(m=month + 1, label="label", previous=cents, current=pl.lit(0, pl.Int64),
             kind=pl.lit("churned"))
    previous, current, kind = pl.col("previous"), pl.col("current"), pl.col("kind")
    return (
        pl.concat([paid, churned])
        .group_by("m", "label")
        .agg(
            mrr_start=previous.sum(),
            new=current.filter(kind == "new").sum(),
            expansion=(current - previous).filter(kind == "expansion").sum(),
            contraction=(previous - current).filter(kind == "contraction").sum(),
            churned=previous.filter(kind == "churned").sum(),
            reactivation=current.filter(kind == "reactivation").sum(),
            mrr_end=current.sum(),
        )
        .sort("m", "label")
    )


def _polars_waterfall(bridge, keys):
    table = bridge.to_pandas().rename(columns={"label": "segment"})
    table["month"] = [f"{m // 12}-{m % 12 + 1:02d}" for m in table["m"]]
    return table[[*keys, *MONEY]]


def run_peer(rows):
    import saas_metrics

    mapping = {"customer_id": "customer_id", "period": "month", "revenue": "mrr",
               "segment": "segment"}
    started = time.perf_counter()
    report = saas_metrics.analyze(rows, mapping=mapping, today=dt.date(2100, 1, 1))
    steps = {"analyze": time.perf_counter() - started}
    if not report.ok:
        raise SystemExit(f"saas-metrics refused the rows: {report.blocking}")
    names = {"beginning": "mrr_start", "new_logo": "new", "churn": "churned",
             "ending": "mrr_end"}

    def waterfall(table):
        table = table.rename(columns=names)
        table["month"] = pd.to_datetime(table["period_end"]).dt.strftime("%Y-%m")
        for column in MONEY:
            table[column] = [round(float(value) * 100) for value in table[column]]
        return table

    retention = report.retention.assign(
        cohort=pd.to_datetime(report.retention["vintage"]).dt.strftime("%Y-%m")
    )
    triangles = {
        mode: retention.pivot(index="cohort", columns="age", values=column).astype(float)
        for mode, column in (("logo", "logo_retention"), ("revenue", "ndr"))
    }
    segments = waterfall(report.waterfall_by_segment)[["month", "segment", *MONEY]]
    return steps, waterfall(report.waterfall)[["month", *MONEY]], segments, triangles


def _waterfall(bridge):
    table = bridge.assign(month=bridge["month"].astype(str))
    for column in MONEY:
        table[column] = np.rint(table[column] * 100).astype(np.int64)
    keys = ["month", "segment"] if "segment" in table.columns else ["month"]
    return table[[*keys, *MONEY]]


def _triangles(cohorts):
    return {
        mode: table.set_axis(table.index.astype(str), axis=0).rename_axis(index="cohort")
        for mode, table in cohorts.items()
    }


RUNNERS = {"engine": run_engine, "loop": run_loop, "duckdb-sql": run_duckdb_sql,
           "polars": run_polars, "saas-metrics": run_peer}


def child(contender, data, out, repeat):
    """Run one contender ``repeat`` times on the rows in ``data``; results go to ``out``."""
    rows = pd.read_parquet(data)
    loaded_mb = _status_mb("VmRSS")
    _reset_peak_memory()
    runs = []
    for _ in range(repeat):
        steps, bridge, by_segment, triangles = RUNNERS[contender](rows)
        runs.append(steps)
    out = Path(out)
    bridge.to_csv(out / f"{contender}-bridge.csv", index=False)
    if by_segment is not None:
        by_segment.to_csv(out / f"{contender}-segments.csv", index=False)
    for mode, table in (triangles or {}).items():
        table.to_csv(out / f"{contender}-{mode}.csv")
    result = {"runs": runs, "loaded_mb": loaded_mb, "peak_mb": _status_mb("VmHWM")}
    (out / f"{contender}.json").write_text(json.dumps(result))


def _reset_peak_memory():
    """Reset this process's peak RSS (Linux: clear_refs 5) so that it measures the runs."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        print("  (cannot reset the peak RSS: it includes reading the data)")


def _status_mb(field):
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- the parent: make the rows, run each contender, compare ---------------------------------


def installed(module):
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def machine():
    """CPU model, core count and memory of this machine, from lscpu and /proc/meminfo."""
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in cpu.splitlines() if ":" in line)
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                     .splitlines() if line.startswith("MemTotal"))
    return (f"{fields.get('Model name', '?').strip()}, {fields.get('CPU(s)', '?').strip()} "
            f"CPUs, {memory_kb / 1024 ** 2:.0f} GiB RAM; Linux {platform.release()}, "
            f"Python {platform.python_version()}, pandas {pd.__version__}, "
            f"numpy {np.__version__}")


def compare(out, contender, name):
    """Number of cells that differ from the engine's (None when the contender has none)."""
    mine, theirs = out / f"engine-{name}.csv", out / f"{contender}-{name}.csv"
    if not theirs.exists():
        return None
    left, right = pd.read_csv(mine), pd.read_csv(theirs)
    if name in ("logo", "revenue"):
        right = right.reindex(columns=left.columns)
        return int((~np.isclose(left.iloc[:, 1:], right.iloc[:, 1:], rtol=1e-9,
                                equal_nan=True)).sum())
    keys = [column for column in ("month", "segment") if column in left.columns]
    joined = left.merge(right, on=keys, how="outer", suffixes=("", "_peer"), indicator=True)
    missing = int((joined["_merge"] != "both").sum())
    return missing + int(sum((joined[c] != joined[f"{c}_peer"]).sum() for c in MONEY))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (best kept)")
    parser.add_argument("--run", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return child(args.run, args.data, args.out, args.repeat)

    needs = {"saas-metrics": "saas_metrics", "duckdb-sql": "duckdb", "polars": "polars"}
    contenders = [c for c in CONTENDERS if c not in needs or installed(needs[c])]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        rows = make_rows(args.customers, args.months)
        data = out / "rows.parquet"
        rows.to_parquet(data, index=False)
        print(f"{len(rows):,} rows ({args.customers:,} customers x {args.months} months), "
              f"{(rows['mrr'] > 0).mean():.0%} of them paying")
        print(machine())
        results = {}
        for contender in contenders:
            subprocess.run([sys.executable, __file__, "--run", contender, "--data", str(data),
                            "--out", folder, "--repeat", str(args.repeat)], check=True)
            results[contender] = json.loads((out / f"{contender}.json").read_text())
            runs = [round(sum(run.values()), 2) for run in results[contender]["runs"]]
            print(f"  {contender}: {runs} s")
        report(results, out)
    return 0


def report(results, out):
    """Print the comparison as a Markdown table (best run of each, first run beside it)."""
    def seconds(contender, steps=None):
        runs = results[contender]["runs"]
        totals = [sum(run[step] for step in (steps or run)) for run in runs]
        return min(totals), totals[0]

    lines = [
        ("engine: mrr_movements", "engine", ["mrr_movements"], "loop"),
        ("engine: mrr_movements + monthly_metrics", "engine", None, "saas-metrics"),
        ("plain per-customer Python loop (bridge)", "loop", None, None),
        ("hand-written DuckDB query (bridge)", "duckdb-sql", None, None),
        ("Polars lazy query (bridge)", "polars", None, None),
        ("saas-metrics analyze (DuckDB)", "saas-metrics", None, None),
    ]
    print()
    print("| contender | best of runs (s) | first run (s) | peak RSS during the runs (MB) "
          "| bridge cells differing from the engine |")
    print("|---|---:|---:|---:|---:|")
    for label, contender, steps, _ in lines:
        if contender not in results:
            continue
        best, first = seconds(contender, steps)
        differing = "" if contender == "engine" else compare(out, contender, "bridge")
        print(f"| {label} | {best:.2f} | {first:.2f} | {results[contender]['peak_mb']:,.0f} | "
              f"{differing} |")
    print(f"\nRSS with the rows loaded, before the runs: {results['engine']['loaded_mb']:,.0f} MB")
    rivals = [(*lines[0][:3], rival) for rival in ("duckdb-sql", "polars")]
    for label, contender, steps, rival in [*lines, *rivals]:
        if rival in results:
            ratio = seconds(rival)[0] / seconds(contender, steps)[0]
            print(f"{label} is {ratio:.2f}x faster than {rival} (best runs)")
    if "polars" in results:
        print(f"polars segments: {compare(out, 'polars', 'segments')} cells differ")
    if "saas-metrics" in results:
        for name in ("segments", "logo", "revenue"):
            print(f"saas-metrics {name}: {compare(out, 'saas-metrics', name)} cells differ")


if __name__ == "__main__":
    sys.exit(main())
