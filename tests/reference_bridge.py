"""The MRR bridge by the plainest reading of its definitions, a customer and a month at a
time: the oracle of the engine's property tests and the loop baseline of
``benchmarks/bench_engine.py``."""

from collections import defaultdict

import pandas as pd


def reference_bridge(mrr):
    """The bridge by the plainest reading of the definitions: one customer, one month at
    a time, in a Python dict (``mrr["month"]`` holds Periods). Returns {month ordinal:
    [start, new, expansion, contraction, churned, reactivation, end]} in cents."""
    months = pd.PeriodIndex(mrr["month"], freq="M")
    history = defaultdict(dict)
    for customer, month, amount in zip(mrr["customer_id"], months, mrr["mrr"], strict=True):
        history[customer][month.ordinal] = round(amount * 100)
    first, last = months.min().ordinal, months.max().ordinal
    bridge = {month: [0] * 7 for month in range(first, last + 1)}
    for by_month in history.values():
        paid_before = False
        for month in range(first, last + 1):
            now, before = by_month.get(month, 0), by_month.get(month - 1, 0)
            row = bridge[month]
            row[0] += before
            row[6] += now
            if before == 0 and now > 0:
                row[5 if paid_before else 1] += now
            elif before > 0 and now == 0:
                row[4] += before
            elif now > before:
                row[2] += now - before
            else:
                row[3] += before - now
            paid_before = paid_before or now > 0
    return bridge
