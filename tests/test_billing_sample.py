"""The sample data's billing exports import back to its mrr.csv; random subscription
histories written as Stripe lines import back to their MRR."""

import csv

import numpy as np
import pandas as pd
from cents import in_cents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csmetrics import import_billing, load_data, mrr_movements, sample_data_path
from csmetrics.sample_data import SAMPLE_CURRENCY, sample_exports_path

RATES = sample_exports_path("fx_rates.csv")


def _bundled():
    return load_data(sample_data_path())


def _rows(mrr):
    return sorted(zip(mrr["customer_id"], mrr["month"].astype(str), mrr["mrr"], strict=True))


def test_both_exports_give_back_the_bundled_mrr_to_the_cent():
    bundled = _bundled().mrr
    paying = bundled[bundled["mrr"] > 0]  # a zero row and a missing row are the same churn
    for source in ("stripe", "chartmogul"):
        data = import_billing(sample_exports_path(source), source, currency=SAMPLE_CURRENCY,
                              fx_rates=RATES)
        assert _rows(data.mrr) == _rows(paying), source
        bridge = mrr_movements(data.mrr)
        expected = mrr_movements(paying[["customer_id", "month", "mrr"]])
        assert bridge.drop(columns="fx_impact").equals(expected.drop(columns="fx_impact"))
        assert (bridge["fx_impact"] == 0).all()  # one USD rate all along


def test_the_exports_hold_what_the_sample_promises():
    lines = pd.read_csv(sample_exports_path("stripe") / "invoice_line_items.csv")
    invoices = pd.read_csv(sample_exports_path("stripe") / "invoices.csv")
    months = (pd.to_datetime(lines["period_end"]) - pd.to_datetime(lines["period_start"])).dt.days
    assert (months >= 365).sum() > 50  # annual plans
    assert lines["proration"].sum() > 10  # their mid-year upgrades and downgrades
    assert (invoices["Total Discount Amount"] > 0).sum() > 50  # coupons
    assert ((lines["amount"] == 0) & (months < 20)).sum() > 50  # trials
    assert set(invoices["Currency"]) == {"eur", "usd"}


def test_the_invoices_come_back_where_the_export_bills_monthly():
    bundled = _bundled().invoices.set_index("invoice_id")
    data = import_billing(sample_exports_path("stripe"), "stripe", currency=SAMPLE_CURRENCY,
                          fx_rates=RATES)
    imported = data.invoices.set_index("invoice_id")
    common = bundled.index.intersection(imported.index)
    columns = ["customer_id", "issue_date", "due_date", "amount", "paid_date"]
    pd.testing.assert_frame_equal(imported.loc[common, columns], bundled.loc[common, columns])
    # the bundled invoices not in the export are the months an annual invoice paid ahead
    yearly = imported[imported.index.str.startswith("Y-")]
    missing = bundled.drop(common)
    covered = missing.join(yearly[["customer_id", "issue_date"]].rename(
        columns={"issue_date": "year_start"}).set_index("customer_id"), on="customer_id")
    inside = (covered["issue_date"] >= covered["year_start"]) & (
        covered["issue_date"] < covered["year_start"] + pd.DateOffset(months=12))
    assert inside.groupby(level=0).any().all()


MONTH_STARTS = pd.date_range("2024-01-01", periods=30, freq="MS")

histories = st.lists(
    st.tuples(
        st.sampled_from(["monthly", "annual"]),
        st.integers(0, 11),  # first month
        st.integers(1, 14),  # months (a monthly plan)
        st.integers(1, 5_000_000),  # price in cents
        st.integers(1, 5_000_000),  # the annual plan's new price
        st.integers(0, 10),  # the month it changes (0: never)
        st.booleans(),  # a 25 % coupon (monthly, when it gives whole cents)
    ),
    min_size=1, max_size=6,
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories)
def test_random_histories_written_as_stripe_lines_import_back(tmp_path_factory, history):
    folder = tmp_path_factory.mktemp("stripe")
    invoices, lines, expected = [], [], {}
    for number, (plan, first, length, price, new_price, change, coupon) in enumerate(history):
        customer, subscription = f"cus_{number}", f"sub_{number}"
        if plan == "monthly":
            for month in range(first, first + length):
                subtotal = price * 4 // 3 if coupon and price % 3 == 0 else price
                invoice = f"in_{number}_{month}"
                invoices.append(_invoice(invoice, customer, MONTH_STARTS[month],
                                         subtotal - price))
                lines.append(_line(invoice, subscription, subtotal, MONTH_STARTS[month],
                                   MONTH_STARTS[month + 1], False))
                expected[(customer, str(MONTH_STARTS[month].to_period("M")))] = price / 100
            continue
        start, end = MONTH_STARTS[first], MONTH_STARTS[first + 12]
        invoices.append(_invoice(f"in_{number}", customer, start, 0))
        lines.append(_line(f"in_{number}", subscription, 12 * price, start, end, False))
        for month in range(first, first + 12):
            rate = new_price if change and month >= first + change else price
            expected[(customer, str(MONTH_STARTS[month].to_period("M")))] = rate / 100
        if change:
            at = MONTH_STARTS[first + change]
            share = (end - at).days / (end - start).days
            invoice = f"in_{number}_up"
            invoices.append(_invoice(invoice, customer, at, 0))
            lines.append(_line(invoice, subscription, -round(12 * price * share), at, end, True))
            lines.append(_line(invoice, subscription, round(12 * new_price * share), at, end,
                               True))
    _write(folder / "invoices.csv", invoices)
    _write(folder / "invoice_line_items.csv", lines)
    horizon = max(pd.Timestamp(i["Date (UTC)"]) for i in invoices).to_period("M")
    wanted = sorted((c, m, v) for (c, m), v in expected.items() if pd.Period(m) <= horizon)
    data = import_billing(folder, "stripe")
    assert _rows(data.mrr) == wanted
    bridge = mrr_movements(data.mrr)
    start, new, expansion, reactivation, contraction, churned, end = (
        np.array(in_cents(bridge[column])) for column in (
            "mrr_start", "new", "expansion", "reactivation", "contraction", "churned",
            "mrr_end"))
    assert (start + new + expansion + reactivation - contraction - churned == end).all()


def _invoice(invoice_id, customer, issued, discount):
    return {"id": invoice_id, "Customer": customer, "Status": "paid", "Currency": "eur",
            "Date (UTC)": f"{issued.date()} 00:00", "Amount Due": "0.00",
            "Total Discount Amount": f"{discount / 100:.2f}"}


def _line(invoice_id, subscription, amount, start, end, proration):
    return {"id": f"il_{invoice_id}_{amount}", "invoice_id": invoice_id,
            "subscription": subscription, "source_type": "subscription", "amount": amount,
            "currency": "eur", "proration": str(proration).lower(),
            "discountable": str(amount > 0).lower(),
            "period_start": f"{start.date()} 00:00:00", "period_end": f"{end.date()} 00:00:00"}


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
