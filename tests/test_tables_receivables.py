"""Receivables at a month end, on the days where a rule changes: csmetrics.tables.receivables.

Each case is worked by hand from the rules of the module docstring: an invoice is owed at
a month end when it was issued on or before that day and is not paid by then; its days
past due put it in an ageing bucket, 1 day late or more being past due.
"""

import numpy as np
import pandas as pd
from cents import in_cents

from csmetrics.tables.receivables import monthly_receivables, top_overdue

JANUARY_TO_FEBRUARY = pd.period_range("2024-01", "2024-02", freq="M", name="month")


def invoices(rows):
    """An invoices table from (invoice_id, customer_id, issued, due, paid or None, amount)."""
    frame = pd.DataFrame(rows, columns=["invoice_id", "customer_id", "issue_date", "due_date",
                                        "paid_date", "amount"])
    for column in ("issue_date", "due_date", "paid_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_the_month_end_day_itself_counts_for_issue_and_payment_and_other_months_sales_stay_out():
    """I1, 700.00, issued on 31 Jan (the month end itself), due 1 Mar, never paid: owed at
    31 Jan and at 29 Feb, not yet due. I2, 300.00, issued 10 Jan, paid on 31 Jan: paid by
    then, owed at neither month end. I0, 250.00, issued 15 Dec 2023, before the first
    month of the table, paid 5 Jan: no month of the table sells it.

    Credit sales: January 700.00 + 300.00 = 1,000.00 (100,000 cents); February 0.
    Receivables: 700.00 (70,000 cents) at both month ends, all of it not yet due."""
    table = monthly_receivables(invoices([
        ("I0", "A", "2023-12-15", "2024-01-14", "2024-01-05", 250.00),
        ("I1", "B", "2024-01-31", "2024-03-01", None, 700.00),
        ("I2", "C", "2024-01-10", "2024-02-09", "2024-01-31", 300.00),
    ]), JANUARY_TO_FEBRUARY)
    assert in_cents(table["credit_sales"]) == [100_000, 0]
    assert in_cents(table["receivables"]) == [70_000, 70_000]
    assert in_cents(table["ar_current"]) == [70_000, 70_000]


OVERDUE_AT_JANUARY_END = invoices([
    ("J1", "C1", "2024-01-02", "2024-01-31", None, 900.00),  # due on the day: 0 days late
    ("J2", "C2", "2024-01-02", "2024-01-30", None, 100.00),  # 1 day late
    ("J3", "C3", "2023-11-01", "2023-12-01", None, 50.00),  # 61 days late
    ("J4", "C4", "2023-12-20", "2024-01-20", None, 300.00),  # 11 days late
    ("J5", "C5", "2023-12-01", "2023-12-31", "2024-01-31", 800.00),  # paid on the day
])


def test_top_overdue_lists_from_one_day_late_the_largest_amount_first():
    """At 31 Jan 2024: J1 is due that day (0 days late: not past due); J5 was paid that
    day; J2 (1 day late, 100.00), J3 (since 1 Dec: 31 + 30 = 61 days, 50.00) and J4 (since
    20 Jan: 11 days, 300.00) are past due. Largest amount first: J4 30,000 cents, J2
    10,000, J3 5,000; the first two of them when n is 2."""
    listed = top_overdue(OVERDUE_AT_JANUARY_END, pd.Period("2024-01", "M"))
    assert listed["invoice_id"].tolist() == ["J4", "J2", "J3"]
    assert listed["customer_id"].tolist() == ["C4", "C2", "C3"]
    assert listed["days_overdue"].tolist() == [11, 1, 61]
    assert in_cents(listed["amount"]) == [30_000, 10_000, 5_000]
    assert listed["due_date"].tolist() == [pd.Timestamp("2024-01-20"),
                                           pd.Timestamp("2024-01-30"),
                                           pd.Timestamp("2023-12-01")]
    two = top_overdue(OVERDUE_AT_JANUARY_END, pd.Period("2024-01", "M"), n=2)
    assert two["invoice_id"].tolist() == ["J4", "J2"]


def test_top_overdue_breaks_a_tie_in_amount_by_the_longest_overdue_then_the_invoice_id():
    """Three invoices of 100.00 at 31 Jan: K2 and K3 11 days late (due 20 Jan), K1 1 day
    late (due 30 Jan). Longest overdue first, then by invoice id: K2, K3, K1."""
    listed = top_overdue(invoices([
        ("K1", "C1", "2024-01-02", "2024-01-30", None, 100.00),
        ("K3", "C3", "2023-12-20", "2024-01-20", None, 100.00),
        ("K2", "C2", "2023-12-20", "2024-01-20", None, 100.00),
    ]), pd.Period("2024-01", "M"))
    assert listed["invoice_id"].tolist() == ["K2", "K3", "K1"]
    assert np.array_equal(listed["days_overdue"].to_numpy(), [11, 11, 1])


def test_top_overdue_lists_ten_invoices_unless_told():
    """Eleven invoices past due at 31 Jan, L01 ... L11 of 1.00 ... 11.00, all due 20 Jan:
    the ten largest, L11 down to L02 (1,100 ... 200 cents); L01, the smallest, is left out."""
    listed = top_overdue(invoices([
        (f"L{k:02d}", f"C{k:02d}", "2023-12-20", "2024-01-20", None, float(k))
        for k in range(1, 12)
    ]), pd.Period("2024-01", "M"))
    assert listed["invoice_id"].tolist() == [f"L{k:02d}" for k in range(11, 1, -1)]
    assert in_cents(listed["amount"]) == [1_100, 1_000, 900, 800, 700, 600, 500, 400, 300, 200]
