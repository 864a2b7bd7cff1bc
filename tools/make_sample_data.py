"""Write the bundled sample data set: csmetrics/sample_data/*.csv.

A made-up software company with about 500 customers over 24 months (2024-01 to 2025-12)
in three segments, billed in euros (mrr.csv says so in its ``currency`` column, so the
reports show EUR without ``--currency``). Customers arrive, expand, contract, churn and
some come back; invoices are paid on time, late, very late or not at all; customers answer
NPS, CSAT and CES surveys, place add-on orders (some returned) and open support tickets;
marketing spend and gross margin are monthly; targets.csv sets the company's targets for
five KPIs (some met in 2025-12, some missed, a rate written with a percent sign, a KPI by
its ``kpi_`` name) and an MRR target for each segment (the segment reports are judged
against those).
The generator is seeded: running it again writes the same files.

The same subscriptions are also written as the billing exports users download
(``csmetrics/sample_exports``: ``stripe/``, a Stripe Dashboard invoices export and its
invoice line items; ``chartmogul/``, ChartMogul CSV import files; ``fx_rates.csv``): some
customers pay yearly up front (upgrades mid-year prorated), some have a percentage coupon,
some start with a free trial, a few never convert, and one customer in five pays in USD
(0.92 EUR per USD). Imported with ``csmetrics import``, either gives back mrr.csv.

Run: ``python tools/make_sample_data.py [OUTPUT_FOLDER [EXPORTS_FOLDER]]``
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.sample_data import SAMPLE_CURRENCY

SEED = 20240101
MONTHS = pd.period_range("2024-01", "2025-12", freq="M")
DATA_END = MONTHS[-1].end_time.normalize()
CUSTOMERS_AT_START = 150
NEW_PER_MONTH = 15
OUT = Path(__file__).resolve().parent.parent / "csmetrics" / "sample_data"
EXPORTS = OUT.parent / "sample_exports"

# segment: share of customers, MRR range at signing, monthly churn, expansion and contraction
# chances, support tickets per month, payment terms (days)
SEGMENTS = {
    "SMB": (0.6, (49, 399), 0.035, 0.04, 0.02, 0.4, 30),
    "Mid-Market": (0.3, (600, 2500), 0.015, 0.05, 0.02, 0.9, 30),
    "Enterprise": (0.1, (3000, 12000), 0.006, 0.06, 0.015, 1.8, 45),
}
REACTIVATION_CHANCE = 0.07
UPGRADE_TO_MID_MARKET = 600  # an SMB customer paying more than this moves segment
NPS_WEIGHTS = np.array([2, 1, 1, 2, 2, 3, 5, 10, 14, 25, 35], dtype=float)
CSAT_WEIGHTS = np.array([4, 6, 15, 40, 35], dtype=float)
CES_WEIGHTS = np.array([2, 3, 5, 10, 20, 35, 25], dtype=float)
TARGETS = (  # (metric, target, segment): the company's (no segment), then some segments'
    ("mrr_end", "800000", ""), ("kpi_nrr", "1", ""), ("logo_churn", "2.5%", ""),
    ("nps", "30", ""), ("dso", "35", ""), ("mrr_end", "450000", "Enterprise"),
    ("mrr_end", "300000", "Mid-Market"), ("mrr_end", "60000", "SMB"),
    ("logo_churn", "3%", "SMB"),
)


def main(out=OUT, exports=EXPORTS):
    """Generate every table and write them as CSV files into ``out``, and the billing
    exports of the same subscriptions into ``exports``."""
    rng = np.random.default_rng(SEED)
    customers = _customers(rng)
    mrr = _mrr(rng, customers)
    paying = mrr[mrr["mrr"] > 0]
    tickets = _tickets(rng, paying)
    tables = {
        "mrr": mrr.assign(currency=SAMPLE_CURRENCY),
        "invoices": _invoices(rng, paying),
        "surveys": _surveys(rng, paying, tickets),
        "orders": _orders(rng, paying),
        "tickets": tickets,
        "spend": _spend(rng, mrr),
        "targets": pd.DataFrame(TARGETS, columns=["metric", "target", "segment"]),
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}.csv: {len(table)} rows")
    _write_exports(np.random.default_rng(SEED + 1), paying, tables["invoices"], Path(exports))


def _customers(rng):
    arrivals = np.concatenate([
        np.zeros(CUSTOMERS_AT_START, dtype=int),
        rng.integers(0, len(MONTHS), NEW_PER_MONTH * len(MONTHS)),
    ])
    arrivals.sort()
    names = list(SEGMENTS)
    shares = [SEGMENTS[name][0] for name in names]
    segment = rng.choice(names, size=arrivals.size, p=shares)
    return pd.DataFrame({
        "customer_id": [f"C{number:04d}" for number in range(1, arrivals.size + 1)],
        "arrival": arrivals,
        "segment": segment,
    })


def _mrr(rng, customers):
    """Month by month MRR of each customer; a zero row marks some of the churns."""
    rows = []
    for customer in customers.itertuples():
        segment = customer.segment
        _, (low, high), churn, expand, contract, _, _ = SEGMENTS[segment]
        amount = _price(rng, low, high)
        active = True
        for month in range(customer.arrival, len(MONTHS)):
            if month > customer.arrival:
                if active and rng.random() < churn:
                    active = False
                    if rng.random() < 0.5:
                        rows.append((customer.customer_id, MONTHS[month], 0.0, segment))
                    continue
                if not active:
                    if rng.random() >= REACTIVATION_CHANCE:
                        continue
                    active = True
                elif rng.random() < expand:
                    amount = round(amount * rng.uniform(1.1, 1.6), 2)
                elif rng.random() < contract:
                    amount = round(amount * rng.uniform(0.6, 0.9), 2)
            if segment == "SMB" and amount > UPGRADE_TO_MID_MARKET:
                segment = "Mid-Market"
            rows.append((customer.customer_id, MONTHS[month], amount, segment))
    mrr = pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"])
    return mrr.assign(month=mrr["month"].astype(str))


def _price(rng, low, high):
    return float(round(rng.uniform(low, high) / 10) * 10 - 1)


def _invoices(rng, paying):
    """One invoice per customer and month with MRR, issued on the 1st."""
    count = len(paying)
    issued = pd.PeriodIndex(paying["month"], freq="M").to_timestamp()
    terms = paying["segment"].map({name: spec[6] for name, spec in SEGMENTS.items()})
    due = issued + pd.to_timedelta(terms.to_numpy(), unit="D")
    habit = rng.choice(4, size=count, p=[0.64, 0.28, 0.075, 0.005])
    delay = np.select(
        [habit == 0, habit == 1, habit == 2],
        [rng.integers(-25, 1, count), rng.integers(1, 45, count), rng.integers(45, 130, count)],
        0,
    )
    paid = due + pd.to_timedelta(delay, unit="D")
    paid = paid.where((habit < 3) & (paid <= DATA_END))
    return pd.DataFrame({
        "invoice_id": [f"INV-{number:06d}" for number in range(1, count + 1)],
        "customer_id": paying["customer_id"].to_numpy(),
        "issue_date": issued.strftime("%Y-%m-%d"),
        "due_date": due.strftime("%Y-%m-%d"),
        "amount": paying["mrr"].to_numpy(),
        "paid_date": pd.Series(paid).dt.strftime("%Y-%m-%d").to_numpy(),
    })


def _days_in(rng, months):
    """A random day inside each month."""
    starts = pd.PeriodIndex(months, freq="M").to_timestamp()
    days = pd.PeriodIndex(months, freq="M").days_in_month.to_numpy()
    return starts + pd.to_timedelta(rng.integers(0, days), unit="D")


def _tickets(rng, paying):
    rates = paying["segment"].map({name: spec[5] for name, spec in SEGMENTS.items()})
    counts = rng.poisson(rates.to_numpy())
    opened = paying.loc[paying.index.repeat(counts)]
    resolved = rng.random(len(opened)) < 0.72
    return pd.DataFrame({
        "ticket_id": [f"T{number:05d}" for number in range(1, len(opened) + 1)],
        "customer_id": opened["customer_id"].to_numpy(),
        "opened_date": _days_in(rng, opened["month"]).strftime("%Y-%m-%d"),
        "resolved_first_contact": np.where(resolved, "yes", "no"),
    })


def _surveys(rng, paying, tickets):
    """NPS asked of about one paying customer in eight each month, CSAT after half the
    tickets, CES of one in twenty."""
    nps = paying[rng.random(len(paying)) < 0.12]
    ces = paying[rng.random(len(paying)) < 0.05]
    csat = tickets[rng.random(len(tickets)) < 0.5]
    csat_dates = pd.to_datetime(csat["opened_date"]) + pd.to_timedelta(
        rng.integers(0, 4, len(csat)), unit="D"
    )
    answers = [
        ("nps", nps["customer_id"], _days_in(rng, nps["month"]), 0, NPS_WEIGHTS),
        ("ces", ces["customer_id"], _days_in(rng, ces["month"]), 1, CES_WEIGHTS),
        ("csat", csat["customer_id"], csat_dates[csat_dates <= DATA_END], 1, CSAT_WEIGHTS),
    ]
    frames = [
        pd.DataFrame({
            "customer_id": ids.to_numpy()[: len(dates)],
            "date": pd.DatetimeIndex(dates).strftime("%Y-%m-%d"),
            "survey": survey,
            "score": lowest + rng.choice(weights.size, size=len(dates), p=weights / weights.sum()),
        })
        for survey, ids, dates, lowest, weights in answers
    ]
    return pd.concat(frames).sort_values(["date", "customer_id"], kind="stable")


def _orders(rng, paying):
    counts = rng.poisson(0.3, len(paying))
    placed = paying.loc[paying.index.repeat(counts)]
    units = rng.integers(1, 21, len(placed))
    returned = rng.binomial(units, 0.04)
    return pd.DataFrame({
        "customer_id": placed["customer_id"].to_numpy(),
        "order_date": _days_in(rng, placed["month"]).strftime("%Y-%m-%d"),
        "units": units,
        "units_returned": returned,
    }).sort_values(["order_date", "customer_id"], kind="stable")


def _spend(rng, mrr):
    """Sales and marketing cost: 20,000 a month and about 11,000 per customer won, with
    noise; gross margin near 78 %.

    The customers already there in the first month were won before the data starts: that
    month's spend is for a usual month's intake.
    """
    paying = mrr[mrr["mrr"] > 0]
    first = paying.groupby("customer_id")["month"].min().value_counts()
    won = first.reindex(MONTHS.astype(str), fill_value=0).to_numpy().copy()
    won[0] = NEW_PER_MONTH
    cost = np.round(won * 11_000 * rng.uniform(0.8, 1.25, won.size) + 20_000, -2)
    return pd.DataFrame({
        "month": MONTHS.astype(str),
        "sales_marketing_cost": cost,
        "gross_margin": np.round(rng.normal(0.78, 0.012, won.size), 3),
    })


REPORTING_CURRENCY = "EUR"
USD_RATE = 0.92  # EUR for one USD: below 1, so every EUR cent has a USD price that converts to it
USD_SHARE = 0.2
ANNUAL_SHARE = 0.12
COUPON_SHARE = 0.1
COUPONS = (20, 25, 10, 50)  # percent off, the first that gives a whole-cent price is used
TRIAL_SHARE = 0.3
TRIAL_DAYS = 14
NEVER_CONVERTED = 12
LAST_CHANGE = 10  # an annual plan changes at most in its 11th month: a proration of >= 2 months


def _write_exports(rng, paying, invoices, out):
    """The paying months as a Stripe and a ChartMogul export (see the module docstring)."""
    charges = []
    invoices = invoices.set_index(["customer_id", pd.PeriodIndex(invoices["issue_date"],
                                                                 freq="M").astype(str)])
    for customer_id, rows in paying.groupby("customer_id", sort=True):
        charges += _customer_charges(rng, customer_id, rows, invoices)
    for number in range(1, NEVER_CONVERTED + 1):
        month = MONTHS[rng.integers(1, len(MONTHS))]
        charges.append(_trial(f"X{number:04d}", month, "EUR", f"sub_X{number:04d}"))
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"date": ["2023-12-01"], "currency": ["USD"], "rate": [USD_RATE]}).to_csv(
        out / "fx_rates.csv", index=False, lineterminator="\n")
    _write_stripe(charges, out / "stripe")
    _write_chartmogul(charges, out / "chartmogul")
    print(f"exports: {len(charges)} invoices as Stripe and ChartMogul files")


def _customer_charges(rng, customer_id, rows, invoices):
    """One customer's invoices: each a dict with its lines (amounts in native cents)."""
    currency = "USD" if rng.random() < USD_SHARE else "EUR"
    yearly = rng.random() < ANNUAL_SHARE
    coupon = not yearly and rng.random() < COUPON_SHARE
    months = pd.PeriodIndex(rows["month"], freq="M")
    position = (months - MONTHS[0]).map(lambda offset: offset.n).to_numpy()
    cents = np.rint(rows["mrr"].to_numpy() * 100).astype(np.int64)
    native = cents if currency == "EUR" else np.rint(cents / USD_RATE).astype(np.int64)
    runs = np.cumsum(np.concatenate([[1], np.diff(position) != 1]))
    charges = []
    if position[0] > 0 and rng.random() < TRIAL_SHARE:
        charges.append(_trial(customer_id, months[0], currency, f"sub_{customer_id}_1"))
    i = 0
    while i < len(rows):
        subscription = f"sub_{customer_id}_{runs[i]}"
        span = _annual_span(position, native, runs, i) if yearly else 0
        billed = invoices.loc[(customer_id, str(months[i]))]
        if span:
            charges += _annual(customer_id, subscription, currency, months[i],
                               native[i:i + span], billed, invoices)
            i += span
            continue
        charges.append(_monthly(billed, subscription, currency, months[i], native[i], coupon))
        i += 1
    return charges


def _annual_span(position, native, runs, i):
    """Months an annual plan can cover from row ``i`` (0 if none): twelve (fewer at the end
    of the data) paying months in a row, at one price or with one change up to month 11."""
    need = min(12, len(MONTHS) - position[i])
    window = slice(i, i + need)
    if i + need > len(position) or len(set(runs[window])) != 1:
        return 0
    changes = np.flatnonzero(np.diff(native[window])) + 1
    if len(changes) > 1 or (len(changes) == 1 and changes[0] > LAST_CHANGE):
        return 0
    return need


def _invoice(invoice_id, customer_id, currency, issued, billed, lines, discount=0, coupon=""):
    paid = billed["paid_date"]
    return {
        "id": invoice_id, "customer": customer_id, "currency": currency, "issued": issued,
        "due": billed["due_date"], "paid": paid if isinstance(paid, str) else "",
        "lines": lines, "discount": discount, "coupon": coupon,
    }


def _line(line_id, subscription, amount, start, end, *, proration=False, kind="subscription"):
    return {"id": line_id, "subscription": subscription, "amount": int(amount), "start": start,
            "end": end, "proration": proration, "kind": kind}


def _monthly(billed, subscription, currency, month, amount, coupon):
    """One month's invoice, with the first coupon that gives a whole-cent price."""
    subtotal, percent = amount, 0
    for off in COUPONS if coupon else ():
        if amount * 100 % (100 - off) == 0:
            subtotal, percent = amount * 100 // (100 - off), off
            break
    start, end = month.start_time.date(), (month + 1).start_time.date()
    line = _line(f"il_{billed['invoice_id']}", subscription, subtotal, start, end)
    return _invoice(billed["invoice_id"], billed.name[0], currency, str(start), billed, [line],
                    subtotal - amount, f"PCT{percent}" if percent else "")


def _annual(customer_id, subscription, currency, first, amounts, billed, invoices):
    """A year paid up front and, when the price changes, the proration invoice."""
    start, end = first.start_time.date(), (first + 12).start_time.date()
    year_id = f"Y-{billed['invoice_id']}"
    charges = [_invoice(year_id, customer_id, currency, str(start), billed, [
        _line(f"il_{year_id}", subscription, 12 * amounts[0], start, end)])]
    changes = np.flatnonzero(np.diff(amounts)) + 1
    if len(changes):
        at = first + int(changes[0])
        change = at.start_time.date()
        share = (end - change).days / (end - start).days
        new_id = f"P-{invoices.loc[(customer_id, str(at)), 'invoice_id']}"
        charges.append(_invoice(new_id, customer_id, currency, str(change),
                                invoices.loc[(customer_id, str(at))], [
            _line(f"il_{new_id}_old", subscription, -np.rint(12 * amounts[0] * share), change,
                  end, proration=True),
            _line(f"il_{new_id}_new", subscription, np.rint(12 * amounts[-1] * share), change,
                  end, proration=True),
        ]))
    return charges


def _trial(customer_id, month, currency, subscription):
    """A free trial ending when ``month`` starts: a paid invoice of 0."""
    end = month.start_time.date()
    start = (month.start_time - pd.Timedelta(days=TRIAL_DAYS)).date()
    invoice_id = f"T-{customer_id}"
    return {"id": invoice_id, "customer": customer_id, "currency": currency,
            "issued": str(start), "due": str(start), "paid": str(start), "discount": 0,
            "coupon": "", "lines": [_line(f"il_{invoice_id}", subscription, 0, start, end)]}


def _money(cents):
    return f"{cents / 100:.2f}"


def _write_stripe(charges, out):
    """Stripe: the Dashboard invoices export (major units, "(UTC)" dates) and the invoice
    line items as Sigma names them (cents)."""
    invoices, lines = [], []
    for charge in charges:
        subtotal = sum(line["amount"] for line in charge["lines"])
        total = subtotal - charge["discount"]
        due = max(total, 0)  # a credit goes to the customer's balance
        invoices.append({
            "id": charge["id"], "Customer": charge["customer"],
            "Subscription": charge["lines"][0]["subscription"],
            "Status": "paid" if charge["paid"] else "open",
            "Currency": charge["currency"].lower(), "Date (UTC)": f"{charge['issued']} 00:00",
            "Due Date (UTC)": f"{charge['due']} 00:00",
            "Paid At (UTC)": f"{charge['paid']} 12:00" if charge["paid"] else "",
            "Marked Uncollectible At (UTC)": "", "Subtotal": _money(subtotal),
            "Total Discount Amount": _money(charge["discount"]),
            "Applied Coupons": charge["coupon"], "Tax": "0.00", "Total": _money(total),
            "Amount Due": _money(due), "Amount Paid": _money(due if charge["paid"] else 0),
        })
        lines += [{
            "id": line["id"], "invoice_id": charge["id"], "subscription": line["subscription"],
            "source_type": line["kind"], "amount": line["amount"],
            "currency": charge["currency"].lower(),
            "discountable": "false" if line["amount"] < 0 else "true",
            "proration": "true" if line["proration"] else "false", "quantity": 1,
            "period_start": f"{line['start']} 00:00:00",
            "period_end": f"{line['end']} 00:00:00",
        } for line in charge["lines"]]
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(invoices).to_csv(out / "invoices.csv", index=False, lineterminator="\n")
    pd.DataFrame(lines).to_csv(out / "invoice_line_items.csv", index=False,
                               lineterminator="\n")


def _write_chartmogul(charges, out):
    """ChartMogul: customers, invoices, invoice line items and transactions CSV files."""
    customers = sorted({charge["customer"] for charge in charges})
    invoices, lines, transactions = [], [], []
    for charge in charges:
        invoices.append({
            "Customer external ID": charge["customer"], "Invoice external ID": charge["id"],
            "Invoiced date": charge["issued"], "Due date": charge["due"],
            "Currency": charge["currency"], "Collection Method": "automatic",
        })
        shares = _shares(charge)
        lines += [{
            "Invoice external ID": charge["id"], "External ID": line["id"],
            "Subscription external ID": line["subscription"], "Type": "subscription",
            "Amount in cents": line["amount"] - share, "Service period start": str(line["start"]),
            "Service period end": str(line["end"]), "Quantity": 1,
            "Proration": "true" if line["proration"] else "false",
            "Discount code": charge["coupon"], "Discount amount": share, "Tax amount": 0,
        } for line, share in zip(charge["lines"], shares, strict=True)]
        if charge["paid"]:
            transactions.append({
                "Invoice external ID": charge["id"], "External ID": f"tr_{charge['id']}",
                "Type": "payment", "Result": "successful", "Date": charge["paid"],
                "Amount in cents": sum(line["amount"] for line in charge["lines"])
                - charge["discount"],
            })
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "01_Customers.csv": pd.DataFrame({"Name": customers, "External ID": customers}),
        "03_Invoices.csv": pd.DataFrame(invoices),
        "04_Invoice_line_items.csv": pd.DataFrame(lines),
        "05_Transactions.csv": pd.DataFrame(transactions),
    }
    for name, table in tables.items():
        table.to_csv(out / name, index=False, lineterminator="\n")


def _shares(charge):
    """The invoice's discount by line: all of it on its one discounted line (monthly
    invoices with a coupon have a single line)."""
    return [charge["discount"] if i == 0 else 0 for i in range(len(charge["lines"]))]


if __name__ == "__main__":
    main(*sys.argv[1:])
