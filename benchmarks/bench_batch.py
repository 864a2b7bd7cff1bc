"""How fast the batch fills reports: 12 months x 3 segments x every template.

Run by hand (never in the tests): ``.venv/bin/python benchmarks/bench_batch.py``. Prints the
time the engine takes over the bundled sample data, the time to fill and save every report
(reports per second; the target is at least 10), money shown in the sample's currency,
the CPU time of one process (less moved by other jobs on the machine than the wall time),
and the peak memory. It fills in as many processes as ``csmetrics report`` would for these
reports (``default_workers``: one per 30 reports, at most one per CPU); ``--workers N``
fills in N, as ``report --jobs N`` does.
"""

import argparse
import resource
import tempfile
import time
from pathlib import Path

from csmetrics import load_data, sample_data_path
from csmetrics.report.batch import WRITTEN, EngineResults, default_workers, plan_jobs, run_batch
from csmetrics.sample_data import SAMPLE_CURRENCY
from workbook_templates import TEMPLATE_NAMES, template_path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--segment-by", default="segment")
    parser.add_argument("--workers", type=int,
                        help="processes filling the reports (report --jobs); default: as "
                             "csmetrics report would")
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = load_data(sample_data_path())
    results = EngineResults.compute(dataset, args.segment_by)
    engine_seconds = time.perf_counter() - started
    months = sorted(dataset.mrr["month"].unique())[-args.months:]
    with tempfile.TemporaryDirectory(prefix="csmetrics-bench-") as out:
        jobs = plan_jobs(TEMPLATE_NAMES, months, results.segments(), Path(out))
        workers = args.workers or default_workers(len(jobs))
        started, cpu_started = time.perf_counter(), time.process_time()
        outcomes = run_batch(results, jobs, template_path=template_path,
                             currency=SAMPLE_CURRENCY, workers=workers)
        fill_seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    written = sum(o.status == WRITTEN for o in outcomes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"data: {len(dataset.mrr)} MRR rows, {dataset.mrr['customer_id'].nunique()} "
          f"customers; {len(months)} months x {len(results.segments())} segments x "
          f"{len(TEMPLATE_NAMES)} templates")
    print(f"engine (load + monthly metrics + movements): {engine_seconds:.2f} s")
    print(f"{written} of {len(jobs)} reports filled and saved in {fill_seconds:.2f} s "
          f"by {workers} process(es): {written / fill_seconds:.1f} reports per second")
    if workers == 1:
        print(f"CPU time of the process: {cpu_seconds:.2f} s, "
              f"{written / cpu_seconds:.1f} reports per CPU second")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    if workers > 1:
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of the largest worker process: {child_mb:.0f} MB")
    return 0 if written == len(jobs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
