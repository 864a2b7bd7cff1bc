"""Benchmark of the CSV readers on one million mrr rows. Not a test.

The same table (customer_id, month, mrr, segment: 41,667 customers x 24 months, amounts
with cents, most above 1,000) is written three ways, with ``tests/excel_csv.py``:

- plain: csmetrics' own format (``,``, ISO months, ``1250.5``), read without a locale;
- en: as English Excel saves CSV (``,``, ``1,250.5``, ``01/01/2025``, cp1252), ``locale="en"``;
- fr: as French Excel saves CSV (``;``, ``1 250,5`` with a no-break space, ``01/01/2025``,
  cp1252, CRLF), ``locale="fr"``.

Each is read with ``csmetrics.load_data`` (decode, split, parse and check every cell) in a
fresh process, best of ``--repeat`` runs; ``pandas.read_csv`` of the plain file with no
type work at all is shown as a floor. The issue asks that fr stays within 2x of en.

Run from the repository root: ``.venv/bin/python benchmarks/bench_readers.py``.
"""

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from excel_csv import write_excel_csv  # noqa: E402  (a test helper: the oracle writer)

READ = """
import json, sys, time
import pandas as pd
from csmetrics import load_data
folder, locale, floor = sys.argv[1], sys.argv[2] or None, sys.argv[3] == "floor"
start = time.perf_counter()
if floor:
    rows = len(pd.read_csv(folder + "/mrr.csv", dtype=str, keep_default_na=False))
else:
    rows = len(load_data(folder, locale=locale).mrr)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows}))
"""


def mrr_table(rows):
    customers = -(-rows // 24)
    rng = np.random.default_rng(8)
    months = pd.period_range("2024-01", periods=24, freq="M")
    ids = np.repeat([f"C{i:06d}" for i in range(customers)], 24)[:rows]
    return pd.DataFrame({
        "customer_id": ids,
        "month": np.tile(months, customers)[:rows],
        "mrr": np.round(rng.uniform(50, 25_000, rows), 2),
        "segment": rng.choice(["SMB", "Mid-Market", "Enterprise"], rows),
    })


def write_sources(root, table):
    sources = {}
    plain = root / "plain"
    plain.mkdir()
    table.assign(month=table["month"].astype(str)).to_csv(plain / "mrr.csv", index=False)
    sources["plain"] = (plain, "")
    for locale in ("en", "fr"):
        folder = root / locale
        folder.mkdir()
        write_excel_csv(folder / "mrr.csv", table, locale)
        sources[locale] = (folder, locale)
    return sources


def timed(folder, locale, repeat, floor=False):
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", READ, str(folder), locale, "floor" if floor else ""],
            capture_output=True, text=True, check=True,
        )
        runs.append(json.loads(done.stdout))
    return min(run["seconds"] for run in runs), runs[0]["rows"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {platform.system()} "
          f"{platform.release()}, Python {platform.python_version()}, pandas {pd.__version__}")
    with tempfile.TemporaryDirectory() as temporary:
        sources = write_sources(Path(temporary), mrr_table(args.rows))
        sizes = {name: (folder / "mrr.csv").stat().st_size for name, (folder, _) in
                 sources.items()}
        floor, _ = timed(sources["plain"][0], "", args.repeat, floor=True)
        print(f"{'pandas.read_csv, no types':28s} {floor:6.2f} s")
        seconds = {}
        for name, (folder, locale) in sources.items():
            seconds[name], rows = timed(folder, locale, args.repeat)
            print(f"{'load_data ' + name:28s} {seconds[name]:6.2f} s  {rows:,} rows, "
                  f"{sizes[name] / 2**20:.0f} MiB")
    print(f"fr / en: {seconds['fr'] / seconds['en']:.2f}x (the issue asks for at most 2x); "
          f"en / plain: {seconds['en'] / seconds['plain']:.2f}x")


if __name__ == "__main__":
    main()
