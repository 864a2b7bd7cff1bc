"""A small known data set for the template tests, and the expected KPIs computed from it.

The rows are generated from a fixed seed (so every movement type occurs in the report month
and the month before, which a test checks). The expected values use plain pandas for the
aggregates and the csmetrics core functions for every ratio, independently of the
spreadsheet formulas they are compared with.
"""

import datetime as dt
import math

import numpy as np
import pandas as pd

import csmetrics as cm
from csmetrics.errors import MetricError
from workbook_templates.formulas import COUNTBACK_MONTHS

REPORT_MONTH = dt.date(2025, 2, 1)
FIRST_MONTH = dt.date(2024, 1, 1)
MONTHS = pd.date_range(FIRST_MONTH, REPORT_MONTH, freq="MS")
PAID_UNTIL = dt.date(2025, 3, 20)
SEED = 1


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
    for prefix, table in (("T", "TicketData"), ("I", "InvoiceData")):
        data[table] = [(f"{prefix}{n:04d}", *row) for n, row in enumerate(data[table], start=1)]
    return data


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
        rows.append((customer, issued, due, amount, paid if paid <= PAID_UNTIL else None))
    return rows


def _ageing_boundaries():
    """Open invoices due exactly 0, 1, 30, 31, 60, 61, 90 and 91 days before the report
    month's last day: each ageing bucket's edges."""
    end = (pd.Timestamp(REPORT_MONTH) + pd.offsets.MonthEnd(0)).date()
    rows = []
    for days in (0, 1, 30, 31, 60, 61, 90, 91):
        due = end - dt.timedelta(days=days)
        rows.append((f"C{days % 20 + 1:02d}", due - dt.timedelta(days=30), due, 100.0 + days, None))
    return rows


def _spend_rows(rng, month):
    cost = round(float(rng.uniform(2000, 9000)), 2)
    return [(month, cost, float(rng.choice([0.7, 0.75, 0.8])))]


def frames(data):
    """The tables as DataFrames with the Inputs tables' column names."""
    from workbook_templates import TABLE_COLUMNS

    result = {}
    for table, rows in data.items():
        frame = pd.DataFrame(rows, columns=TABLE_COLUMNS[table])
        for column in frame.columns:
            if column in ("month", "date", "issue_date", "due_date", "paid_date", "order_date",
                          "opened_date"):
                frame[column] = pd.to_datetime(frame[column])
        result[table] = frame
    return result


# --- expected values -------------------------------------------------------------------------

DIV0 = "#DIV/0!"


def _guard(function, *args, **kwargs):
    """A core function's value, or the Excel error a spreadsheet shows in its place.

    An argument that is already an error passes through; when several differ, which one a
    spreadsheet shows is its own choice, so the result is the set of them.
    """
    errors = set()
    for arg in args:
        if isinstance(arg, str):
            errors.add(arg)
        elif isinstance(arg, frozenset):
            errors |= arg
    if errors:
        return errors.pop() if len(errors) == 1 else frozenset(errors)
    try:
        return function(*args, **kwargs)
    except MetricError as error:
        return error.excel_error


def movements(mrr, month):
    """The MRR bridge of ``month`` (a Timestamp, first of month) from per-customer pivots."""
    previous = month - pd.DateOffset(months=1)
    by_month = mrr.pivot_table(index="customer_id", columns="month", values="mrr", aggfunc="sum")
    current = by_month.get(month, pd.Series(0.0, index=by_month.index)).fillna(0.0)
    prior = by_month.get(previous, pd.Series(0.0, index=by_month.index)).fillna(0.0)
    earlier = by_month.loc[:, by_month.columns < month]
    paid_before = (earlier.fillna(0.0) > 0).any(axis=1)
    starting = prior > 0
    return {
        "mrr_start": prior.sum(),
        "new": current[(current > 0) & ~paid_before].sum(),
        "expansion": (current - prior)[starting & (current > prior)].sum(),
        "contraction": (prior - current)[starting & (current > 0) & (current < prior)].sum(),
        "churned": prior[starting & (current == 0)].sum(),
        "reactivation": current[(current > 0) & (prior == 0) & paid_before].sum(),
        "mrr_end": current.sum(),
        "customers_start": int(starting.sum()),
        "customers_new": int(((current > 0) & (prior == 0)).sum()),
        "customers_lost": int((starting & (current == 0)).sum()),
        "customers_end": int((current > 0).sum()),
    }


def _in_month(series, month):
    return (series >= month) & (series < month + pd.DateOffset(months=1))


def _scores(surveys, survey, month):
    chosen = surveys[(surveys["survey"] == survey) & _in_month(surveys["date"], month)]
    return chosen["score"].tolist()


def _receivables(invoices, month):
    end = month + pd.DateOffset(months=1)
    unpaid = invoices["paid_date"].isna() | (invoices["paid_date"] >= end)
    return invoices[(invoices["issue_date"] < end) & unpaid]


def _countback(invoices, month, receivables):
    months = [month - pd.DateOffset(months=k) for k in range(COUNTBACK_MONTHS - 1, -1, -1)]
    sales = [invoices.loc[_in_month(invoices["issue_date"], m), "amount"].sum() for m in months]
    days = [m.days_in_month for m in months]
    try:
        return cm.countback_dso(receivables, sales, days)
    except MetricError:
        return "#N/A"


def expected_kpis(tables, month):
    """Every KPI key the templates show, for ``month``, as a float or an Excel error."""
    month = pd.Timestamp(month)
    m = movements(tables["MrrData"], month)
    k = dict(m)
    k["crr"] = _guard(cm.customer_retention_rate, m["customers_start"], m["customers_end"],
                      m["customers_new"])
    k["logo_churn"] = _guard(cm.customer_churn_rate, m["customers_start"], m["customers_lost"])
    k["gross_mrr_churn"] = _guard(cm.gross_mrr_churn_rate, m["mrr_start"], m["churned"],
                                  m["contraction"])
    k["net_mrr_churn"] = _guard(cm.net_mrr_churn_rate, m["mrr_start"], m["churned"],
                                m["contraction"], m["expansion"])
    k["expansion_rate"] = _guard(cm.expansion_mrr_rate, m["mrr_start"], m["expansion"])
    k["grr"] = _guard(cm.gross_revenue_retention, m["mrr_start"], m["churned"], m["contraction"])
    k["nrr"] = _guard(cm.net_revenue_retention, m["mrr_start"], m["churned"], m["contraction"],
                      m["expansion"])
    k["quick_ratio"] = _guard(cm.quick_ratio, m["new"], m["expansion"], m["reactivation"],
                              m["contraction"], m["churned"])
    k["arpa"] = _guard(cm.arpa, m["mrr_end"], m["customers_end"])
    existing = m["mrr_start"] + m["expansion"] - m["contraction"] - m["churned"]
    k["revenue_growth"] = _guard(cm.revenue_growth_rate, m["mrr_start"], existing)

    surveys = tables["SurveyData"]
    nps = _scores(surveys, "nps", month)
    k["nps"] = _guard(cm.net_promoter_score, nps)
    k["nps_moe"] = _guard(cm.nps_margin_of_error, nps)
    k["nps_responses"] = len(nps)
    k["csat"] = _guard(cm.csat_score, _scores(surveys, "csat", month))
    k["ces"] = _guard(cm.customer_effort_score, _scores(surveys, "ces", month))
    tickets = tables["TicketData"]
    opened = tickets[_in_month(tickets["opened_date"], month)]
    k["fcr"] = _guard(cm.first_contact_resolution_rate,
                      int(opened["resolved_first_contact"].sum()), len(opened))

    orders = tables["OrderData"]
    ordered = orders[_in_month(orders["order_date"], month)]
    per_customer = ordered.groupby("customer_id").size()
    k["repeat_purchase_rate"] = _guard(cm.repeat_purchase_rate, int((per_customer >= 2).sum()),
                                       len(per_customer))
    k["return_rate"] = _guard(cm.product_return_rate, float(ordered["units_returned"].sum()),
                              float(ordered["units"].sum()))

    invoices = tables["InvoiceData"]
    k["credit_sales"] = invoices.loc[_in_month(invoices["issue_date"], month), "amount"].sum()
    open_ = _receivables(invoices, month)
    k["receivables"] = open_["amount"].sum()
    k["dso"] = _guard(cm.days_sales_outstanding, k["receivables"], k["credit_sales"],
                      days=month.days_in_month)
    k["dso_countback"] = _countback(invoices, month, k["receivables"])
    overdue = (month + pd.offsets.MonthEnd(0) - open_["due_date"]).dt.days
    for key, low, high in (("ar_current", -math.inf, 0), ("ar_1_30", 0, 30),
                           ("ar_31_60", 30, 60), ("ar_61_90", 60, 90),
                           ("ar_over_90", 90, math.inf)):
        inside = (overdue > low) & (overdue <= high) if low > -math.inf else overdue <= high
        k[key] = open_.loc[inside, "amount"].sum()

    spend = tables["SpendData"].set_index("month")
    row = spend.loc[month] if month in spend.index else None
    k["sales_marketing_cost"] = row["sales_marketing_cost"] if row is not None else "#N/A"
    margin = row["gross_margin"] if row is not None else "#N/A"
    k["cac"] = _guard(cm.customer_acquisition_cost, k["sales_marketing_cost"], m["customers_new"])
    k["ltv"] = _guard(cm.subscription_ltv, k["arpa"], margin, k["logo_churn"])
    k["clv_cac"] = _guard(cm.clv_cac_ratio, k["ltv"], k["cac"])
    k["cac_payback_months"] = _guard(cm.cac_payback_months, k["cac"], k["arpa"], margin)
    return k


def expected_nps_distribution(tables, month):
    answers = _scores(tables["SurveyData"], "nps", pd.Timestamp(month))
    return [answers.count(score) for score in range(11)]


def expected_cohorts(tables, month, size=24):
    """Rows of the cohort table: (cohort month, [share at age 0..23 or None])."""
    mrr = tables["MrrData"]
    paying = mrr[mrr["mrr"] > 0]
    first = paying.groupby("customer_id")["month"].min()
    month = pd.Timestamp(month)
    rows = []
    for offset in range(size - 1, -1, -1):
        cohort = month - pd.DateOffset(months=offset)
        members = set(first[first == cohort].index)
        shares = []
        for age in range(size):
            when = cohort + pd.DateOffset(months=age)
            if when > month or not members:
                shares.append(None)
                continue
            still = set(paying.loc[paying["month"] == when, "customer_id"]) & members
            shares.append(len(still) / len(members))
        rows.append((cohort, shares))
    return rows
