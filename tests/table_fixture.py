"""A hand-checked data set: twelve customers over four months (2024-01 to 2024-04).

Every number the tests expect from it is worked out by hand in the comments below and in
the test files; nothing here is computed by csmetrics.

MRR per customer and month (- = no row; 0 = a row holding zero):

    id  segment      Jan     Feb     Mar     Apr    what happens
    A   SMB         100     100     100     100     flat every month
    B   SMB/MM      200     250     250     300     expansion in Feb and Apr; moves to
                                                    Mid-Market in Apr (latest segment)
    C   SMB         300     200     200     200     contraction in Feb
    D   SMB         150       -       -       -     churned in Feb
    E   SMB         120       -     130     130     churned in Feb, reactivated in Mar
    F   Enterprise 1000    1000       0       -     churned in Mar (a zero row)
    G   Enterprise    -     500     500     600     new in Feb, expansion in Apr
    H   Enterprise    -       -     800     700     new in Mar, contraction in Apr
    I   SMB          50      50      50       -     churned in Apr
    J   Enterprise  400     400  250+150    400     two rows in Mar (a duplicate)
    K   SMB           -       -       -      90     new in Apr
    L   SMB       60.10   60.20   60.30   60.00     cent-sized moves

The bridge, month by month (the first month of the data starts from zero):

    Jan: start 0; new = 100+200+300+150+120+1000+50+400+60.10 = 2380.10; end 2380.10;
         customers 0 + 9 new = 9.
    Feb: start 2380.10; new 500 (G); expansion 50 (B) + 0.10 (L) = 50.10; contraction
         100 (C); churned 150 (D) + 120 (E) = 270; end 2380.10 + 500 + 50.10 - 100 - 270
         = 2560.20 = 100+250+200+1000+500+50+400+60.20; customers 9 + 1 - 2 = 8.
    Mar: start 2560.20; new 800 (H); expansion 0.10 (L); reactivation 130 (E); churned
         1000 (F); end 2560.20 + 800 + 0.10 + 130 - 1000 = 2490.30
         = 100+250+200+130+500+800+50+400+60.30; customers 8 + 2 (H new, E back) - 1 = 9.
    Apr: start 2490.30; new 90 (K); expansion 50 (B) + 100 (G) = 150; contraction
         100 (H) + 0.30 (L) = 100.30; churned 50 (I); end 2490.30 + 90 + 150 - 100.30 - 50
         = 2580.00 = 100+300+200+130+600+700+400+90+60; customers 9 + 1 - 1 = 9.
"""

import pandas as pd

MRR_ROWS = [
    # customer_id, month, mrr, segment
    ("A", "2024-01", 100, "SMB"), ("A", "2024-02", 100, "SMB"),
    ("A", "2024-03", 100, "SMB"), ("A", "2024-04", 100, "SMB"),
    ("B", "2024-01", 200, "SMB"), ("B", "2024-02", 250, "SMB"),
    ("B", "2024-03", 250, "SMB"), ("B", "2024-04", 300, "Mid-Market"),
    ("C", "2024-01", 300, "SMB"), ("C", "2024-02", 200, "SMB"),
    ("C", "2024-03", 200, "SMB"), ("C", "2024-04", 200, "SMB"),
    ("D", "2024-01", 150, "SMB"),
    ("E", "2024-01", 120, "SMB"), ("E", "2024-03", 130, "SMB"), ("E", "2024-04", 130, "SMB"),
    ("F", "2024-01", 1000, "Enterprise"), ("F", "2024-02", 1000, "Enterprise"),
    ("F", "2024-03", 0, "Enterprise"),
    ("G", "2024-02", 500, "Enterprise"), ("G", "2024-03", 500, "Enterprise"),
    ("G", "2024-04", 600, "Enterprise"),
    ("H", "2024-03", 800, "Enterprise"), ("H", "2024-04", 700, "Enterprise"),
    ("I", "2024-01", 50, "SMB"), ("I", "2024-02", 50, "SMB"), ("I", "2024-03", 50, "SMB"),
    ("J", "2024-01", 400, "Enterprise"), ("J", "2024-02", 400, "Enterprise"),
    ("J", "2024-03", 250, "Enterprise"), ("J", "2024-03", 150, "Enterprise"),
    ("J", "2024-04", 400, "Enterprise"),
    ("K", "2024-04", 90, "SMB"),
    ("L", "2024-01", 60.10, "SMB"), ("L", "2024-02", 60.20, "SMB"),
    ("L", "2024-03", 60.30, "SMB"), ("L", "2024-04", 60.00, "SMB"),
]

# month: mrr_start, new, expansion, contraction, churned, reactivation, mrr_end,
#        customers_start, customers_new, customers_lost, customers_end  (worked out above)
BRIDGE = {
    "2024-01": (0, 2380.10, 0, 0, 0, 0, 2380.10, 0, 9, 0, 9),
    "2024-02": (2380.10, 500, 50.10, 100, 270, 0, 2560.20, 9, 1, 2, 8),
    "2024-03": (2560.20, 800, 0.10, 0, 1000, 130, 2490.30, 8, 2, 1, 9),
    "2024-04": (2490.30, 90, 150, 100.30, 50, 0, 2580.00, 9, 1, 1, 9),
}
BRIDGE_COLUMNS = ("mrr_start", "new", "expansion", "contraction", "churned", "reactivation",
                  "mrr_end", "customers_start", "customers_new", "customers_lost",
                  "customers_end")

# Invoices (amounts owed at each month end worked out in test_tables_metrics.py)
INVOICE_ROWS = [
    # invoice_id, customer_id, issue_date, due_date, amount, paid_date
    ("INV1", "A", "2024-01-01", "2024-01-31", 100, "2024-01-20"),  # paid on time
    ("INV2", "B", "2024-01-15", "2024-02-14", 200, "2024-03-10"),  # paid 25 days late
    ("INV3", "C", "2024-02-01", "2024-03-02", 300, None),  # never paid
    ("INV4", "F", "2024-02-10", "2024-02-10", 1000, "2024-05-20"),  # paid 100 days late
]
SURVEY_ROWS = [
    # customer_id, date, survey, score: February only
    ("A", "2024-02-03", "nps", 10), ("B", "2024-02-05", "nps", 9),
    ("C", "2024-02-07", "nps", 6), ("G", "2024-02-09", "nps", 8),
    ("A", "2024-02-10", "csat", 5), ("C", "2024-02-12", "csat", 3),
    ("G", "2024-02-14", "ces", 6), ("J", "2024-02-15", "ces", 4),
]
ORDER_ROWS = [
    # customer_id, order_date, units, units_returned: February only
    ("A", "2024-02-02", 5, 1), ("A", "2024-02-20", 5, 0), ("B", "2024-02-11", 10, 0),
]
TICKET_ROWS = [
    # ticket_id, customer_id, opened_date, resolved_first_contact: February only
    ("T1", "A", "2024-02-01", "yes"), ("T2", "C", "2024-02-08", "no"),
    ("T3", "G", "2024-02-20", "yes"),
]
SPEND_ROWS = [
    # month, sales_marketing_cost, gross_margin (blank in March; no April row)
    ("2024-01", 9_000, 0.8), ("2024-02", 5_000, 0.8), ("2024-03", 6_000, None),
]


def raw_tables():
    """The seven tables as a user would type them (text months and dates, a target with a
    percent sign)."""
    return {
        "mrr": pd.DataFrame(MRR_ROWS, columns=["customer_id", "month", "mrr", "segment"]),
        "invoices": pd.DataFrame(INVOICE_ROWS, columns=[
            "invoice_id", "customer_id", "issue_date", "due_date", "amount", "paid_date"]),
        "surveys": pd.DataFrame(SURVEY_ROWS, columns=["customer_id", "date", "survey", "score"]),
        "orders": pd.DataFrame(ORDER_ROWS, columns=[
            "customer_id", "order_date", "units", "units_returned"]),
        "tickets": pd.DataFrame(TICKET_ROWS, columns=[
            "ticket_id", "customer_id", "opened_date", "resolved_first_contact"]),
        "spend": pd.DataFrame(SPEND_ROWS, columns=[
            "month", "sales_marketing_cost", "gross_margin"]),
        "targets": pd.DataFrame({"metric": ["kpi_nrr", "Logo_Churn"], "target": ["1", "2%"]}),
    }


def write_csv_folder(folder, tables=None):
    """Write the tables as ``<name>.csv`` files into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in (tables or raw_tables()).items():
        table.to_csv(folder / f"{name}.csv", index=False)
    return folder
