"""The MRR bridge by the plainest reading of its definitions, a customer and a month at a
time: the oracle of the engine's property tests and the loop baseline of
``benchmarks/bench_engine.py``."""

from collections import defaultdict

import pandas as pd


def reference_bridge(mrr):
    """The bridge by the plainest reading of the definitions: one customer, one month at
    a time, in a Python dict (``mrr["month"]`` holds Periods). Returns {month ordinal:
    [start, new, expansion, contraction, churned, reactivation, end]} in cents, and
    fx_impact last when ``mrr`` has ``currency`` and ``mrr_native`` columns
    (:func:`fx_cents`)."""
    months = pd.PeriodIndex(mrr["month"], freq="M")
    with_fx = "mrr_native" in mrr.columns
    history = defaultdict(dict)
    if with_fx:
        for customer, month, amount, currency, native in zip(
                mrr["customer_id"], months, mrr["mrr"], mrr["currency"], mrr["mrr_native"],
                strict=True):
            history[customer][month.ordinal] = round(amount * 100)
            history[customer][month.ordinal, "native"] = currency, round(native * 100)
    else:
        for customer, month, amount in zip(mrr["customer_id"], months, mrr["mrr"],
                                           strict=True):
            history[customer][month.ordinal] = round(amount * 100)
    first, last = months.min().ordinal, months.max().ordinal
    bridge = {month: [0] * (8 if with_fx else 7) for month in range(first, last + 1)}
    for by_month in history.values():
        paid_before = False
        for month in range(first, last + 1):
            now, before = by_month.get(month, 0), by_month.get(month - 1, 0)
            fx = 0
            if with_fx and now > 0 and before > 0:
                fx = fx_cents(now, before, by_month[month, "native"],
                              by_month[month - 1, "native"])
                bridge[month][7] += fx
            row = bridge[month]
            row[0] += before
            row[6] += now
            if before == 0 and now > 0:
                row[5 if paid_before else 1] += now
            elif before > 0 and now == 0:
                row[4] += before
            elif now > before + fx:
                row[2] += now - before - fx
            else:
                row[3] += before + fx - now
            paid_before = paid_before or now > 0
    return bridge


def fx_cents(now, before, native_now, native_before):
    """The fx part, in cents, of a change from ``before`` to ``now`` (reporting cents),
    by the definition of ``csmetrics.mrr_movements``: only in one currency both months
    (``native_*`` are (currency, native cents)); an unchanged native amount is all fx;
    otherwise the prior native amount at this month's rate, rounded to the cent half up,
    minus ``before``, unless the two rates differ by no more than the rounding of the
    amounts (1 / native cents of each month)."""
    (currency, native), (currency_before, native_then) = native_now, native_before
    if currency != currency_before or native <= 0 or native_then <= 0:
        return 0
    if native == native_then:
        return now - before
    if abs(now / native - before / native_then) <= 1 / native + 1 / native_then:
        return 0
    whole, part = divmod(native_then * now / native, 1)
    return int(whole) + (part >= 0.5) - before

