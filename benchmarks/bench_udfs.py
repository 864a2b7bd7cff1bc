"""How fast the range functions read a big range, as xlwings hands it over. Not a test.

Run by hand: ``.venv/bin/python benchmarks/bench_udfs.py``. A 100,000-cell column (one
list per row, as xlwings gives a range: whole-number answers as floats, one blank in 50,
one text in 200) goes through ``CS_NPS``, ``CS_NPS_MOE``, ``CS_CSAT`` and ``CS_CES``, and
through ``CS_NPS`` again with the answers as ints, as xlwings Lite hands whole numbers over
(each int is also looked up among the classic add-in's COM error codes); each
is timed against the baseline, one plain Python pass over the same cells that keeps the
numbers (the least any reader must do). Target: within 4x the baseline. ``CS_MRR_MOVEMENTS``
runs on 100,000 rows (2,000 customers x 50 months; customer ids as text, months as Excel
serial numbers, MRR as floats); target: under 0.5 s. Best of seven runs each.
"""

import argparse
import platform
import random
import time

import udfs
from udfs.tables import EXCEL_EPOCH

FACTOR_TARGET = 4.0
MOVEMENTS_TARGET = 0.5


def survey_column(cells, scale_max, seed=1, whole=float):
    """``cells`` rows of one cell: answers 1..scale_max (0..10 for NPS) of type ``whole``,
    some blanks, text."""
    rng = random.Random(seed)
    low = 0 if scale_max == 10 else 1
    column = []
    for index in range(cells):
        if index % 50 == 7:
            column.append([None])
        elif index % 200 == 13:
            column.append(["n/a"])
        else:
            column.append([whole(rng.randint(low, scale_max))])
    return column


def plain_pass(column, kind=float):
    """The baseline: one Python pass over the cells, keeping the numbers (of type ``kind``)."""
    return [cell for row in column for cell in row if isinstance(cell, kind)]


def mrr_columns(customers, months, seed=2):
    """Three Excel columns of an MRR export: id, month (Excel serial), MRR."""
    rng = random.Random(seed)
    first = (EXCEL_EPOCH.replace(year=2022, month=1, day=1) - EXCEL_EPOCH).days
    ids, serials, amounts = [], [], []
    for customer in range(customers):
        for month in range(months):
            year, offset = divmod(month, 12)
            day = EXCEL_EPOCH.replace(year=2022 + year, month=offset + 1, day=1)
            ids.append([f"C{customer:05d}"])
            serials.append([float((day - EXCEL_EPOCH).days)])
            amounts.append([rng.choice((0.0, 49.0, 99.0, 199.0))])
    assert serials[0][0] == first
    return ids, serials, amounts


def best_of(runs, call):
    """The fastest of ``runs`` timings of ``call()``, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")

    cases = {
        "CS_NPS": ("CS_NPS", survey_column(args.cells, 10), (), float),
        "CS_NPS_MOE": ("CS_NPS_MOE", survey_column(args.cells, 10), (0.9,), float),
        "CS_CSAT": ("CS_CSAT", survey_column(args.cells, 5), (4, 5), float),
        "CS_CES": ("CS_CES", survey_column(args.cells, 7), (7,), float),
        "CS_NPS (Lite ints)": ("CS_NPS", survey_column(args.cells, 10, whole=int), (), int),
    }
    print(f"{'function':<18}{'cells':>9}{'UDF (ms)':>10}{'pass (ms)':>11}{'ratio':>7}  target")
    for name, (udf_name, column, extra, kind) in cases.items():
        function = getattr(udfs, udf_name)
        result = function(column, *extra)
        assert isinstance(result, float), (name, result)
        udf = best_of(args.runs, lambda f=function, c=column, e=extra: f(c, *e))
        baseline = best_of(args.runs, lambda c=column, k=kind: plain_pass(c, k))
        ratio = udf / baseline
        verdict = "met" if ratio <= FACTOR_TARGET else "NOT MET"
        print(f"{name:<18}{len(column):>9,}{udf * 1e3:>10.1f}{baseline * 1e3:>11.1f}"
              f"{ratio:>7.1f}  <= {FACTOR_TARGET:g}x: {verdict}")

    ids, serials, amounts = mrr_columns(2_000, 50)
    spilled = udfs.CS_MRR_MOVEMENTS(ids, serials, amounts)
    assert isinstance(spilled, list) and len(spilled) == 51, spilled
    seconds = best_of(args.runs, lambda: udfs.CS_MRR_MOVEMENTS(ids, serials, amounts))
    verdict = "met" if seconds < MOVEMENTS_TARGET else "NOT MET"
    print(f"{'CS_MRR_MOVEMENTS':<18}{len(ids):>9,}{seconds * 1e3:>10.1f}{'':>11}{'':>7}"
          f"  < {MOVEMENTS_TARGET:g} s: {verdict}")


if __name__ == "__main__":
    main()
