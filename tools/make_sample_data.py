"""Write the bundled sample data set: csmetrics/sample_data/*.csv.

A made-up software company with about 500 customers over 24 months (2024-01 to 2025-12)
in three segments. Customers arrive, expand, contract, churn and some come back; invoices
are paid on time, late, very late or not at all; customers answer NPS, CSAT and CES
surveys, place add-on orders (some returned) and open support tickets; marketing spend
and gross margin are monthly. The generator is seeded: running it again writes the same
files.

Run: ``python tools/make_sample_data.py [OUTPUT_FOLDER]``
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240101
MONTHS = pd.period_range("2024-01", "2025-12", freq="M")
DATA_END = MONTHS[-1].end_time.normalize()
CUSTOMERS_AT_START = 150
NEW_PER_MONTH = 15
OUT = Path(__file__).resolve().parent.parent / "csmetrics" / "sample_data"

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


def main(out=OUT):
    """Generate every table and write them as CSV files into ``out``."""
    rng = np.random.default_rng(SEED)
    customers = _customers(rng)
    mrr = _mrr(rng, customers)
    paying = mrr[mrr["mrr"] > 0]
    tickets = _tickets(rng, paying)
    tables = {
        "mrr": mrr,
        "invoices": _invoices(rng, paying),
        "surveys": _surveys(rng, paying, tickets),
        "orders": _orders(rng, paying),
        "tickets": tickets,
        "spend": _spend(rng, mrr),
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}.csv: {len(table)} rows")


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


if __name__ == "__main__":
    main(*sys.argv[1:])
