"""A small known data set for the template tests, and what the Python engine makes of it.

The rows are generated from a fixed seed (so that every movement type and every ageing
bucket occurs in the report month and the month before, which a test checks), in the
column order of the templates' Inputs tables. The expected values come from the engine,
``csmetrics.load_data`` and ``csmetrics.monthly_metrics`` on the same rows written as the
engine's CSV files, and ``csmetrics.cohort_retention``.
"""

import datetime as dt

import numpy as np
import pandas as pd

import csmetrics

REPORT_MONTH = dt.date(2025, 2, 1)
FIRST_MONTH = dt.date(2024, 1, 1)
MONTHS = pd.date_range(FIRST_MONTH, REPORT_MONTH, freq="MS")
PAID_UNTIL = dt.date(2025, 3, 20)
SEED = 1
NO_NPS_MONTH = dt.date(2024, 6, 1)
"""A month of the Trend sheet without NPS answers: its NPS has a zero denominator."""
CUT_OFF_MONTHS = (dt.date(2025, 1, 1), REPORT_MONTH)
"""The months given an answer right at each cut-off (NPS 6, 7, 8, 9; CSAT 3, 4)."""


def make_data(seed=SEED):
    """The six input tables as lists of row tuples, in the Inputs tables' column order."""
    rng = np.random.default_rng(seed)
    data = {"MrrData": _mrr_rows(rng)}
    for table, rows_of_month in (
        ("SurveyData", _survey_rows),
        ("TicketData", _ticket_rows),
        ("OrderData", _order_rows),
        ("InvoiceData", _invoice_rows),
        ("SpendData", _spend_rows),
    ):
        data[table] = [row for month in MONTHS for row in rows_of_month(rng, month.date())]
    data["InvoiceData"] += _ageing_boundaries()
    kept = [row for row in data["SurveyData"]
            if not (row[2] == "nps" and _month_of(row[1]) == NO_NPS_MONTH)]
    data["SurveyData"] = kept + _cut_off_answers()
    for prefix, table in (("T", "TicketData"), ("I", "InvoiceData")):
        data[table] = [(f"{prefix}{n:04d}", *row) for n, row in enumerate(data[table], start=1)]
    return data


def _month_of(day):
    return day.replace(day=1)


def _cut_off_answers():
    """Answers at the edges of the NPS groups and of CSAT's satisfied answers."""
    return [
        (f"C{score + 1:02d}", month + dt.timedelta(days=score), survey, score)
        for month in CUT_OFF_MONTHS
        for survey, scores in (("nps", (6, 7, 8, 9)), ("csat", (3, 4)))
        for score in scores
    ]


def _mrr_rows(rng):
    """20 customers who start, change plan, cancel and come back; some months at zero."""
    rows = []
    for number in range(1, 21):
        customer, segment = f"C{number:02d}", "SMB" if number % 2 else "Mid"
        amount = float(rng.choice([29.0, 49.5, 99.0, 199.99, 310.25]))
        active = True
        for month in MONTHS[int(rng.integers(0, len(MONTHS) - 1)) :]:
            draw = rng.random()
            if active and draw < 0.15:
                active = False
            elif not active and draw < 0.4:
                active = True
            elif active and draw < 0.5:
                amount = round(amount * float(rng.choice([0.7, 0.85, 1.2, 1.5])), 2)
            if active or draw < 0.7:
                rows.append((customer, month.date(), amount if active else 0.0, segment))
    return rows


def _day_in(rng, month):
    return month + dt.timedelta(days=int(rng.integers(0, 27)))


def _customer(rng, last=20):
    return f"C{int(rng.integers(1, last + 1)):02d}"


def _survey_rows(rng, month):
    rows = []
    for index in range(int(rng.integers(4, 9))):
        customer, day = _customer(rng), _day_in(rng, month)
        rows.append((customer, day, "nps", int(rng.integers(0, 11))))
        rows.append((customer, day, "csat", int(rng.integers(1, 6))))
        if index % 2:
            rows.append((customer, day, "ces", int(rng.integers(1, 8))))
    return rows


def _ticket_rows(rng, month):
    count = int(rng.integers(3, 7))
    return [(_customer(rng), _day_in(rng, month), bool(rng.random() < 0.7)) for _ in range(count)]


def _order_rows(rng, month):
    """Orders from five customers, so that some order twice in a month."""
    count = int(rng.integers(4, 9))
    return [
        (_customer(rng, 5), _day_in(rng, month), int(rng.integers(1, 20)), int(rng.integers(0, 3)))
        for _ in range(count)
    ]


def _invoice_rows(rng, month):
    """Invoices due 30 days after issue, paid 5 to 200 days after; unpaid after PAID_UNTIL."""
    rows = []
    for _ in range(int(rng.integers(3, 6))):
        customer, issued = _customer(rng), _day_in(rng, month)
        paid = issued + dt.timedelta(days=int(rng.integers(5, 200)))
        amount = round(float(rng.uniform(100, 5000)), 2)
        due = issued + dt.timedelta(days=30)
        rows.append((customer, issued, due, paid if paid <= PAID_UNTIL else None, amount))
    return rows


def _ageing_boundaries():
    """Open invoices due exactly 0, 1, 30, 31, 60, 61, 90 and 91 days before the report
    month's last day: each ageing bucket's edges."""
    end = (pd.Timestamp(REPORT_MONTH) + pd.offsets.MonthEnd(0)).date()
    rows = []
    for days in (0, 1, 30, 31, 60, 61, 90, 91):
        due = end - dt.timedelta(days=days)
        rows.append((f"C{days % 20 + 1:02d}", due - dt.timedelta(days=30), due, None, 100.0 + days))
    return rows


def _spend_rows(rng, month):
    """The month's spend split between the two segments, the month's margin on each row."""
    costs = [round(float(rng.uniform(1000, 4500)), 2) for _segment in ("SMB", "Mid")]
    margin = float(rng.choice([0.7, 0.75, 0.8]))
    return [(month, cost, margin, segment) for cost, segment in zip(costs, ("SMB", "Mid"),
                                                                    strict=True)]


ENGINE_FILES = {
    "MrrData": "mrr.csv",
    "SurveyData": "surveys.csv",
    "InvoiceData": "invoices.csv",
    "OrderData": "orders.csv",
    "TicketData": "tickets.csv",
    "SpendData": "spend.csv",
}
"""The engine's file for each Inputs table (same columns, same names)."""


def engine_results(data, folder):
    """The engine's monthly metrics (indexed by month start) and logo cohort table, from
    ``data`` written as CSV files in ``folder``."""
    from csmetrics.report.layout import TABLE_COLUMNS

    for table, rows in data.items():
        frame = pd.DataFrame(rows, columns=TABLE_COLUMNS[table])
        frame.to_csv(folder / ENGINE_FILES[table], index=False)
    dataset = csmetrics.load_data(folder)
    metrics = csmetrics.monthly_metrics(dataset)
    metrics.index = metrics.pop("month").dt.to_timestamp()
    return metrics, csmetrics.cohort_retention(dataset.mrr, mode="logo")


def nps_distribution(data, month):
    """Answers to the nps survey dated in ``month``, counted for each score 0..10."""
    start = pd.Timestamp(month)
    end = start + pd.DateOffset(months=1)
    scores = [score for _, day, survey, score in data.get("SurveyData", ())
              if survey == "nps" and start <= pd.Timestamp(day) < end]
    return [scores.count(score) for score in range(11)]


def cohort_rows(cohorts, month, size=24):
    """The cohort table a template shows for ``month``: the ``size`` months up to it, each
    with its shares at ages 0..size-1 (None where there is no value)."""
    month = pd.Timestamp(month)
    rows = []
    for offset in range(size - 1, -1, -1):
        cohort = month - pd.DateOffset(months=offset)
        period = cohort.to_period("M")
        shares = []
        for age in range(size):
            value = cohorts.loc[period, age] if period in cohorts.index and age in cohorts else None
            late = cohort + pd.DateOffset(months=age) > month
            shares.append(None if late or value is None or pd.isna(value) else float(value))
        rows.append((cohort, shares))
    return rows


def customer_movements(data, month):
    """The engine's customer movements of ``month`` (what the Audit sheet's block holds)."""
    mrr = pd.DataFrame(data["MrrData"], columns=("customer_id", "month", "mrr", "segment"))
    movements = csmetrics.customer_movements(mrr.drop(columns="segment"))
    return movements[movements["month"] == pd.Period(month, "M")].reset_index(drop=True)
