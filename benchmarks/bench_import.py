"""Benchmark of the billing import: Stripe lines to the ``mrr`` table. Not a test.

50,000 customers x 20 months of Stripe invoice lines (monthly plans, a quarter of them with
a seat add-on line, mid-month upgrades prorated, annual plans with a mid-year change
prorated: about 1.1 M lines) are
written as a Stripe export (Dashboard invoices CSV + Sigma invoice line items CSV), then,
each in its own process:

- csmetrics: ``csmetrics.import_billing(folder, "stripe")``, reading the CSV files and
  normalising; its steps are also timed apart: reading the two CSV files (the engine's
  CSV reader), and the normaliser on the lines already mapped;
- saas-metrics: PyPI ``saas-metrics``' ``inputs.spread`` (MIT), the closest peer, on the
  same lines (net amount, service start, inclusive service end): it spreads each line by
  day over its service period (recognised revenue, not MRR).

Each reports seconds and its process's peak resident memory (VmHWM). saas-metrics is never
a dependency of csmetrics: install it in a venv of its own and name its Python::

    python3 -m venv /tmp/billing-bench-venv
    /tmp/billing-bench-venv/bin/pip install saas-metrics
    .venv/bin/python benchmarks/bench_import.py --peer-python /tmp/billing-bench-venv/bin/python

Its spreading loops over lines in Python; ``--peer-lines N`` runs it (and csmetrics'
normaliser, for the ratio) on the first N lines only.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import _status_mb, machine  # noqa: E402

SEED = 9
FIRST = np.datetime64("2024-01", "M")


def make_export(customers, months, seed=SEED):
    """(invoices, lines) DataFrames of a Stripe export, with the columns Stripe writes."""
    rng = np.random.default_rng(seed)
    price = np.rint(rng.lognormal(8.5, 1.0, customers)).astype(np.int64) + 100
    new_price = np.rint(price * rng.uniform(1.1, 1.6, customers)).astype(np.int64)
    yearly = rng.random(customers) < 0.15
    monthly = np.flatnonzero(~yearly)
    change = np.where(rng.random(customers) < 0.3, rng.integers(1, months, customers), months)
    seats = monthly[rng.random(monthly.size) < 0.25]
    parts = [_monthly_lines(monthly, months, price, new_price, change),
             _seat_lines(seats, months, rng)]
    parts.append(_annual_lines(np.flatnonzero(yearly), months, price, new_price, rng))
    lines = pd.concat(parts, ignore_index=True)
    lines["id"] = "il_" + pd.RangeIndex(len(lines)).astype(str)
    lines["invoice_id"] = "in_" + lines["invoice"].astype(str)
    lines["amount"] = lines["amount"].astype(np.int64)  # whole cents, as Stripe writes them
    lines["subscription"] = "sub_" + lines["customer"].astype(str)
    lines["currency"] = "eur"
    lines["source_type"] = "subscription"
    lines["discountable"] = np.where(lines["proration"], "false", "true")
    lines["proration"] = np.where(lines["proration"], "true", "false")
    lines["period_start"] = pd.DatetimeIndex(lines["start"]).strftime("%Y-%m-%d 00:00:00")
    lines["period_end"] = pd.DatetimeIndex(lines["end"]).strftime("%Y-%m-%d 00:00:00")
    invoices = lines.groupby("invoice_id", sort=False).agg(
        customer=("customer", "first"), issued=("start", "min"), due=("amount", "sum"))
    invoices = pd.DataFrame({
        "id": invoices.index, "Customer": "cus_" + invoices["customer"].astype(str),
        "Status": "paid", "Currency": "eur",
        "Date (UTC)": pd.DatetimeIndex(invoices["issued"]).strftime("%Y-%m-%d 00:00"),
        "Subtotal": (invoices["due"] / 100).map("{:.2f}".format),  # reconciled with lines
        "Amount Due": (invoices["due"].clip(lower=0) / 100).map("{:.2f}".format),
        "Total Discount Amount": "0.00",
    })
    columns = ["id", "invoice_id", "subscription", "source_type", "amount", "currency",
               "discountable", "proration", "period_start", "period_end"]
    return invoices, lines[columns]


def _monthly_lines(who, months, price, new_price, change):
    """One line a month per customer; an upgrade on the 16th before ``change`` prorated."""
    customer = np.repeat(who, months)
    month = np.tile(np.arange(months), who.size)
    start = (FIRST + month).astype("M8[D]")
    amount = np.where(month >= change[customer], new_price[customer], price[customer])
    regular = pd.DataFrame({"customer": customer, "invoice": customer * 100 + month,
                            "amount": amount, "start": start,
                            "end": (FIRST + month + 1).astype("M8[D]"), "proration": False})
    up = who[change[who] < months]
    month_end = (FIRST + change[up]).astype("M8[D]")
    month_start = (FIRST + change[up] - 1).astype("M8[D]")
    day16 = month_start + 15
    share = (month_end - day16).astype(int) / (month_end - month_start).astype(int)
    prorated = [pd.DataFrame({"customer": up, "invoice": up * 100 + 99, "amount": amount,
                              "start": day16, "end": month_end, "proration": True})
                for amount in (-np.rint(price[up] * share), np.rint(new_price[up] * share))]
    return pd.concat([regular, *prorated], ignore_index=True)


def _seat_lines(who, months, rng):
    """A second line on each monthly invoice: seats at a price of their own."""
    month = np.tile(np.arange(months), who.size)
    customer = np.repeat(who, months)
    seats = np.repeat(rng.integers(1, 20, who.size) * 900, months)
    return pd.DataFrame({"customer": customer, "invoice": customer * 100 + month,
                         "amount": seats, "start": (FIRST + month).astype("M8[D]"),
                         "end": (FIRST + month + 1).astype("M8[D]"), "proration": False})


def _annual_lines(who, months, price, new_price, rng):
    """A year paid up front from a month in the first eight, renewed; 30 % change price
    in their 7th month (a proration pair)."""
    first = rng.integers(0, 8, who.size)
    years = [pd.DataFrame({"customer": who, "invoice": who * 100 + 50 + k,
                           "amount": 12 * price[who],
                           "start": (FIRST + first + 12 * k).astype("M8[D]"),
                           "end": (FIRST + first + 12 * (k + 1)).astype("M8[D]"),
                           "proration": False})
             for k in range(1 + (months > 12))]
    change = rng.random(who.size) < 0.3
    at = (FIRST + first[change] + 6).astype("M8[D]")
    start = (FIRST + first[change]).astype("M8[D]")
    end = (FIRST + first[change] + 12).astype("M8[D]")
    share = (end - at).astype(int) / (end - start).astype(int)
    up = who[change]
    prorated = [pd.DataFrame({"customer": up, "invoice": up * 100 + 70, "amount": amount,
                              "start": at, "end": end, "proration": True})
                for amount in (-np.rint(12 * price[up] * share),
                               np.rint(12 * new_price[up] * share))]
    return pd.concat([*years, *prorated], ignore_index=True)


# ---- contenders (each runs in its own process) --------------------------------------------


def run_csmetrics(folder, limit):
    import csmetrics
    from csmetrics.billing import Rules, stripe
    from csmetrics.billing.files import find_tables
    from csmetrics.billing.normalise import normalise

    started = time.perf_counter()
    data = csmetrics.import_billing(folder, "stripe")
    total = time.perf_counter() - started
    started = time.perf_counter()
    find_tables(folder, "stripe")
    reading = time.perf_counter() - started
    export = stripe.read(folder)
    if limit:
        export = export._replace(lines=export.lines.iloc[:limit])
    started = time.perf_counter()
    normalise(export, Rules())
    return {"import_billing": total, "read_csv": reading,
            "normalise": time.perf_counter() - started,
            "mrr_rows": len(data.mrr), "mrr_total": float(data.mrr["mrr"].sum())}


def run_peer(folder, limit):
    from saas_metrics.inputs import spread

    lines = pd.read_csv(Path(folder) / "invoice_line_items.csv", dtype=str)
    invoices = pd.read_csv(Path(folder) / "invoices.csv", dtype=str)
    if limit:
        lines = lines.iloc[:limit]
    customer = lines["invoice_id"].map(invoices.set_index("id")["Customer"])
    end = pd.to_datetime(lines["period_end"]) - pd.Timedelta(days=1)  # its end is inclusive
    peer = pd.DataFrame({"customer_id": customer,
                         "revenue": (lines["amount"].astype(float) / 100).map("{:.2f}".format),
                         "service_start": pd.to_datetime(lines["period_start"]).dt.date,
                         "service_end": end.dt.date})
    started = time.perf_counter()
    spread(peer)
    return {"spread": time.perf_counter() - started}


def child(contender, folder, limit, out):
    result = (run_csmetrics if contender == "csmetrics" else run_peer)(folder, limit)
    result["peak_mb"] = _status_mb("VmHWM")
    Path(out).write_text(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=20)
    parser.add_argument("--peer-python", help="Python of a venv with saas-metrics")
    parser.add_argument("--peer-lines", type=int, default=0,
                        help="run the peer (and the ratio) on the first N lines only")
    parser.add_argument("--run", choices=("csmetrics", "peer"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return child(args.run, args.folder, args.limit, args.out)
    with tempfile.TemporaryDirectory() as folder:
        invoices, lines = make_export(args.customers, args.months)
        invoices.to_csv(Path(folder) / "invoices.csv", index=False)
        lines.to_csv(Path(folder) / "invoice_line_items.csv", index=False)
        print(f"{len(lines):,} Stripe lines, {len(invoices):,} invoices "
              f"({args.customers:,} customers x {args.months} months)")
        print(machine())
        results = {}
        for contender, python in (("csmetrics", sys.executable), ("peer", args.peer_python)):
            if python is None:
                continue
            out = Path(folder) / f"{contender}.json"
            subprocess.run([python, __file__, "--run", contender, "--folder", folder,
                            "--limit", str(args.peer_lines), "--out", str(out)], check=True)
            results[contender] = json.loads(out.read_text())
            print(f"  {contender}: {results[contender]}")
    mine = results["csmetrics"]
    print(f"\ncsmetrics import_billing (read + normalise, {len(lines):,} lines): "
          f"{mine['import_billing']:.2f} s, of which reading the CSV files "
          f"{mine['read_csv']:.2f} s; peak RSS {mine['peak_mb']:,.0f} MB")
    if "peer" in results:
        size = args.peer_lines or len(lines)
        ratio = results["peer"]["spread"] / mine["normalise"]
        print(f"on {size:,} lines: csmetrics normalise {mine['normalise']:.2f} s, saas-metrics "
              f"spread {results['peer']['spread']:.2f} s (peak RSS "
              f"{results['peer']['peak_mb']:,.0f} MB): {ratio:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
