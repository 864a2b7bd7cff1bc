"""Stripe and ChartMogul exports to MRR, against the MRR worked by hand in billing_fixture."""

import shutil
import warnings

import pandas as pd
import pytest
from billing_fixture import (
    BRIDGE,
    CHARTMOGUL_MRR,
    FIXTURES,
    MRR,
    RATES,
    bridge_balances,
    expected_rows,
    rows_of,
)
from cents import in_cents

from csmetrics import DataError, import_billing, mrr_movements
from csmetrics.billing import BillingError, Rules, run_import

SOURCES = {"stripe": MRR, "chartmogul": CHARTMOGUL_MRR}


def imported(source, folder=None, **options):
    return import_billing(folder or FIXTURES / source, source, currency="EUR", fx_rates=RATES,
                          **options)


@pytest.mark.parametrize("source", SOURCES)
def test_mrr_is_the_hand_worked_one(source):
    assert rows_of(imported(source).mrr) == expected_rows(SOURCES[source])


@pytest.mark.parametrize("source", SOURCES)
def test_an_import_says_nothing_but_its_findings(source):
    """Importing each fixture raises no Python warning, neither numpy's arithmetic ones
    ("divide by zero", "invalid value") nor pandas' FutureWarnings of deprecations (at the
    pandas floor, 2.2, grouping by a text column's array or filling the blanks of an object
    column raised them): what an import has to say is in its findings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        imported(source)


@pytest.mark.parametrize("source", SOURCES)
def test_the_bridge_with_fx_impact_balances_to_the_cent_every_month(source):
    assert bridge_balances(imported(source).mrr)


def test_the_stripe_bridge_is_the_hand_worked_one():
    bridge = mrr_movements(imported("stripe").mrr)
    assert bridge["month"].astype(str).tolist() == BRIDGE["month"].tolist()
    for column in BRIDGE.columns[1:]:
        assert bridge[column].tolist() == BRIDGE[column].astype(float).tolist(), column


@pytest.mark.parametrize("source", SOURCES)
def test_converted_customers_carry_their_currency_and_native_mrr(source):
    mrr = imported(source).mrr.set_index(["customer_id", "month"])
    echo = mrr.loc["cus_E"]
    assert set(echo["currency"]) == {"USD"} and set(echo["mrr_native"]) == {100.0}
    assert set(mrr.loc["cus_A", "currency"]) == {"EUR"}
    assert mrr.loc["cus_A", "mrr_native"].tolist() == mrr.loc["cus_A", "mrr"].tolist()


@pytest.mark.parametrize("source", SOURCES)
def test_discounts_can_be_ignored_as_stripe_and_paddle_do(source):
    mrr = imported(source, rules=Rules(discounts="ignore")).mrr
    beta = mrr[mrr["customer_id"] == "cus_B"]["mrr"]
    assert set(beta) == {100.0}  # 1,200 / 12 before the 25 % coupon


@pytest.mark.parametrize("source", SOURCES)
def test_uncollectible_invoices_can_count(source):
    mrr = imported(source, rules=Rules(uncollectible="include")).mrr
    delta = mrr[mrr["customer_id"] == "cus_D"]
    assert delta["month"].astype(str).tolist() == ["2024-02", "2024-03", "2024-04", "2024-05",
                                                   "2024-06"]


def test_a_fully_refunded_invoice_can_be_left_out():
    default = imported("chartmogul").mrr
    full = imported("chartmogul", rules=Rules(refunds="full")).mrr
    march = ("cus_E", "2024-03", 90.0)
    assert march in rows_of(default)
    assert march not in rows_of(full)
    partial = imported("stripe", rules=Rules(refunds="full")).mrr  # 20 of 100 credited
    assert rows_of(partial) == expected_rows(MRR)


def test_a_one_cent_invoice_refunded_in_full_is_left_out(tmp_path):
    """The smallest payment refunded in full is a full refund: cus_F's February invoice of
    0.01 EUR (one line of 1 cent for February), paid 1 cent and refunded 1 cent, gives
    cus_F no MRR with refunds="full" (paid 1 > 0 and refunded 1 >= paid 1), and 1 cent of
    MRR in February by default. Billed 1 cent, cus_F is a customer: cus_C (0.00) is the
    only one never billed above zero."""
    folder = _chartmogul_with(tmp_path, {
        "01_Customers.csv": ["Fay Foxtrot,fay@foxtrot.example,Foxtrot SAS,FR,,Paris,75001,"
                             "cus_F,,"],
        "03_Invoices.csv": ["cus_F,inv_F1,2024-02-01,2024-02-01,EUR,automatic,"],
        "04_Invoice_line_items.csv": ["inv_F1,li_F1,sub_F,subscription,1,penny_monthly,"
                                      "2024-02-01,2024-03-01,1,false,,0,0,"],
        "05_Transactions.csv": ["inv_F1,tr_F1,payment,successful,2024-02-01,1",
                                "inv_F1,tr_F1r,refund,successful,2024-02-05,1"],
    })
    assert rows_of(imported("chartmogul", folder).mrr) == expected_rows(
        {**CHARTMOGUL_MRR, "cus_F": {"2024-02": 0.01}})
    # E's March is refunded in full too (test_a_fully_refunded_invoice_can_be_left_out)
    echo = {m: v for m, v in CHARTMOGUL_MRR["cus_E"].items() if m != "2024-03"}
    assert rows_of(imported("chartmogul", folder, rules=Rules(refunds="full")).mrr) == \
        expected_rows({**CHARTMOGUL_MRR, "cus_E": echo})
    findings = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES).findings
    assert "1 customer(s) never billed above zero" in "\n".join(map(str, findings))


def test_customer_months_below_zero_count_as_zero_naming_the_first(tmp_path):
    """cus_G pays a 10.00 monthly plan in February and March, each invoice with a prorated
    credit for the same month (a downgrade's credit exported without its new charge):
    -10.01 in February, -50.00 in March, so 10.00 - 10.01 = -0.01 (the smallest shortfall,
    one cent) in February and 10.00 - 50.00 = -40.00 in March. Both months count as 0 (no
    MRR for cus_G, everyone else's unchanged), with one warning: 2 customer-months, the
    first cus_G in 2024-02."""
    lines = [f"inv_G{n},li_G{n}{suffix},sub_G,subscription,{cents},mini_monthly,{start},{end},"
             f"1,{prorated},,0,0,{kind}"
             for n, start, end, credit in ((1, "2024-02-01", "2024-03-01", -1001),
                                           (2, "2024-03-01", "2024-04-01", -5000))
             for suffix, cents, prorated, kind in (("", 1000, "false", ""),
                                                   ("c", credit, "true", "differential"))]
    folder = _chartmogul_with(tmp_path, {
        "01_Customers.csv": ["Gil Golf,gil@golf.example,Golf GmbH,DE,,Berlin,10115,cus_G,,"],
        "03_Invoices.csv": ["cus_G,inv_G1,2024-02-01,2024-02-01,EUR,automatic,",
                            "cus_G,inv_G2,2024-03-01,2024-03-01,EUR,automatic,"],
        "04_Invoice_line_items.csv": lines,
    })
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    assert rows_of(result.dataset.mrr) == expected_rows(CHARTMOGUL_MRR)
    [warning] = [f.message for f in result.findings if "below zero" in f.message]
    assert warning == ("2 customer-month(s) add up below zero (credits larger than charges), "
                       "counted as 0: first cus_G in 2024-02")


def test_an_invoice_refunded_beyond_what_was_paid_is_refunded_in_full(tmp_path):
    """ChartMogul's E3 (100.00 USD paid) refunded 120.00 instead of 100.00 (a refund with a
    goodwill credit): refunded 120.00 >= paid 100.00, a full refund. With refunds="full"
    E's March is left out, the rest is the hand-worked MRR."""
    folder = _copy(tmp_path, "chartmogul")
    path = folder / "05_Transactions.csv"
    path.write_text(path.read_text().replace("inv_E3,tr_E3r,refund,successful,2024-03-12,10000",
                                             "inv_E3,tr_E3r,refund,successful,2024-03-12,12000"))
    echo = {m: v for m, v in CHARTMOGUL_MRR["cus_E"].items() if m != "2024-03"}
    assert rows_of(imported("chartmogul", folder, rules=Rules(refunds="full")).mrr) == \
        expected_rows({**CHARTMOGUL_MRR, "cus_E": echo})


def test_a_prorated_line_outside_its_plan_period_is_a_warning_and_no_python_one(tmp_path):
    """cus_H's plan period runs 1 February - 1 March (10.00); a prorated line of 5.00 from
    10 February to 10 March starts in it but ends after it: it falls in no plan period, is
    counted over its own length, and the import says so in a finding, not in a Python
    warning (neither numpy's arithmetic warning nor any other)."""
    folder = _chartmogul_with(tmp_path, {
        "01_Customers.csv": ["Hal Hotel,hal@hotel.example,Hotel SA,FR,,Nice,06000,cus_H,,"],
        "03_Invoices.csv": ["cus_H,inv_H1,2024-02-01,2024-02-01,EUR,automatic,",
                            "cus_H,inv_H2,2024-02-10,2024-02-10,EUR,automatic,"],
        "04_Invoice_line_items.csv": [
            "inv_H1,li_H1,sub_H,subscription,1000,mini_monthly,2024-02-01,2024-03-01,1,false,,"
            "0,0,",
            "inv_H2,li_H2,sub_H,subscription,500,mini_monthly,2024-02-10,2024-03-10,1,true,,0,"
            "0,differential"],
    })
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        findings = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES).findings
    assert any(f.level == "warning" and f.message.startswith(
        "1 prorated line(s) fall in no regular billing period") for f in findings)


def test_a_cancellation_on_the_last_periods_end_ends_no_period_early():
    """ChartMogul's fixture cancels sub_E on 20 June, inside its June period (1 June - 1
    July): that period ends early. sub_A is cancelled on 1 June, the (exclusive) end of
    its last period (1 May - 1 June): nothing to cut. 1 period ended early, not 2."""
    text = "\n".join(str(f) for f in run_import(FIXTURES / "chartmogul", "chartmogul",
                                                 currency="EUR", fx_rates=RATES).findings)
    assert "1 service period(s) ended early on their subscription's cancellation date" in text


def test_a_cancellation_on_a_periods_first_day_leaves_that_period_whole(tmp_path):
    """A cancellation cuts only a period it falls inside (after its first day, before its
    end); a period that starts on the cancellation day, billed that day, counts whole, as
    one starting later would. sub_E cancelled on 1 June, the first day of its June period
    (1 June - 1 July): cus_E keeps June at 95.00 (100 USD at 0.95), the Stripe fixture's
    MRR, and no period ends early."""
    folder = _copy(tmp_path, "chartmogul")
    path = folder / "06_Cancellations.csv"
    path.write_text(path.read_text().replace("sub_E,cus_E,2024-06-20", "sub_E,cus_E,2024-06-01"))
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    assert rows_of(result.dataset.mrr) == expected_rows(MRR)
    assert not any("ended early" in f.message for f in result.findings)


def test_a_period_starting_after_the_cancellation_counts_whole(tmp_path):
    """sub_E cancelled on 20 May instead of 20 June: its May period (1 May - 1 June) ends
    that day, before 31 May, so cus_E has no MRR in May; its June period, billed for 1
    June - 1 July, starts after the cancellation and is not cut (a cancellation cuts only
    a period it falls inside): June counts whole, 95.00 (100 USD at 0.95), as in the Stripe
    fixture. 1 period ended early."""
    folder = _copy(tmp_path, "chartmogul")
    path = folder / "06_Cancellations.csv"
    path.write_text(path.read_text().replace("sub_E,cus_E,2024-06-20", "sub_E,cus_E,2024-05-20"))
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    echo = {m: v for m, v in MRR["cus_E"].items() if m != "2024-05"}
    assert rows_of(result.dataset.mrr) == expected_rows({**MRR, "cus_E": echo})
    text = "\n".join(str(f) for f in result.findings)
    assert "1 service period(s) ended early on their subscription's cancellation date" in text


def test_an_annual_plan_cancelled_mid_year_keeps_its_monthly_rate_until_then(tmp_path):
    """cus_B pays 1,200 less the 300 coupon for a year from 1 January: 900 / 12 = 75.00 a
    month. Cancelled on 15 June, its period ends that day, and its MRR stays 75.00 from
    January to May (the month ends it covers), then it churns in June: the rate is the
    whole year's, not 900 over the 5.5 months left (164.63), as ChartMogul counts a
    cancellation (MRR at the plan's rate until the cancellation date)."""
    folder = _copy(tmp_path, "chartmogul")
    path = folder / "06_Cancellations.csv"
    path.write_text(path.read_text() + "sub_B,cus_B,2024-06-15\n")
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    cus_b = {"2024-01": 75, "2024-02": 75, "2024-03": 75, "2024-04": 75, "2024-05": 75}
    assert rows_of(result.dataset.mrr) == expected_rows({**CHARTMOGUL_MRR, "cus_B": cus_b})
    text = "\n".join(str(f) for f in result.findings)
    assert "2 service period(s) ended early on their subscription's cancellation date" in text


def test_a_prorated_line_ending_inside_its_plans_period_is_counted_against_it(tmp_path):
    """cus_A's March invoice also credits 8.00 for 16-24 March (a prorated line inside
    A's March period, 1 March - 1 April, ending before it): it counts against that
    period, with no warning, and as it covers no month end (31 March is after it) every
    month's MRR is the hand-worked one."""
    folder = _chartmogul_with(tmp_path, {"04_Invoice_line_items.csv": [
        "inv_A3,li_A3x,sub_A,subscription,-800,team_monthly,2024-03-16,2024-03-24,1,true,,"
        "0,0,differential"]})
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    assert rows_of(result.dataset.mrr) == expected_rows(CHARTMOGUL_MRR)
    assert not any("no regular billing period" in f.message for f in result.findings)


def test_a_proration_inside_a_period_of_no_whole_months_is_at_the_plans_price(tmp_path):
    """cus_J's first period is cut to its billing anchor, the 10th: 16 February - 10 March
    2024, 23 days of the 29 from 16 February to 16 March, so 23/29 of a month, billed
    605.00 x 23/29 = 479.83 (479.827...). On 22 February an add-on at 605.00 a month is
    prorated to the same end: 17 days, 17/23 of that period, so 23/29 x 17/23 = 17/29 of a
    month, billed 605.00 x 17/29 = 354.66 (354.655...). 35,466 cents over 17/29 of a month
    fits any rate from 35,465.5 x 29/17 = 60,499.97 to 35,466.5 x 29/17 = 60,501.68 cents:
    the roundest is 605.00, so cus_J's February (29 February is in both lines) is 605.00 +
    605.00 = 1,210.00. The period's 23/29 rounded to 6 decimals (0.793103) would move that
    range up by a millionth and read the add-on as 605.01."""
    folder = _chartmogul_with(tmp_path, {
        "01_Customers.csv": ["Jo Juliett,jo@juliett.example,Juliett SRL,RO,,Cluj,400001,"
                             "cus_J,,"],
        "03_Invoices.csv": ["cus_J,inv_J1,2024-02-16,2024-02-16,EUR,automatic,",
                            "cus_J,inv_J2,2024-02-22,2024-02-22,EUR,automatic,"],
        "04_Invoice_line_items.csv": [
            "inv_J1,li_J1,sub_J,subscription,47983,pro_monthly,2024-02-16,2024-03-10,1,false,,"
            "0,0,",
            "inv_J2,li_J2,sub_J,subscription,35466,pro_monthly,2024-02-22,2024-03-10,1,true,,"
            "0,0,differential"],
    })
    result = run_import(folder, "chartmogul", currency="EUR", fx_rates=RATES)
    assert rows_of(result.dataset.mrr) == expected_rows(
        {**CHARTMOGUL_MRR, "cus_J": {"2024-02": 1210}})


@pytest.mark.parametrize("source, said", [
    ("chartmogul", ["MRR reported up to 2024-06, the month of the latest invoice; 6 later "
                    "customer-month(s) of longer plans left out"]),
    ("recurly", [])])
def test_months_after_the_latest_invoice_are_left_out_and_said_to_be(source, said):
    """ChartMogul's fixture: the latest invoice is of June 2024, and cus_B's annual plan
    runs to January 2025: its July to December, 6 customer-months, are left out (every
    monthly customer would look churned there), and the import says so once. Recurly's
    fixture has no plan running past its latest invoice's month: nothing to say."""
    findings = run_import(FIXTURES / source, source, currency="EUR", fx_rates=RATES).findings
    assert [f.message for f in findings if "reported up to" in f.message] == said


def test_churn_can_wait_for_the_end_of_the_last_service_period():
    mrr = imported("chartmogul", rules=Rules(churn="period_end")).mrr
    assert rows_of(mrr) == expected_rows(MRR)  # cus_E keeps June, as in the Stripe export


@pytest.mark.parametrize("source", SOURCES)
def test_invoices_are_receivables_tax_included_void_left_out(source):
    invoices = imported(source).invoices.set_index("invoice_id")
    prefix = "in" if source == "stripe" else "inv"
    assert f"{prefix}_D1v" not in invoices.index  # void
    assert invoices.loc[f"{prefix}_D1", "amount"] == 178.80  # 50 + 99 setup fee + 20 % VAT
    assert invoices.loc[f"{prefix}_E1", "amount"] == 90.00  # 100 USD at 0.90 on the issue day
    assert invoices.loc[f"{prefix}_E4", "amount"] == 95.00
    assert pd.isna(invoices.loc[f"{prefix}_D5", "paid_date"])  # still open


@pytest.mark.parametrize("source", SOURCES)
def test_invoices_in_two_currencies_keep_their_own_currency_and_amount(source):
    """An export billed in EUR and USD: each invoice keeps its currency and its amount due
    in that currency beside the amount in EUR. E1 is 100.00 USD (10,000 cents; 9,000 in
    EUR at 0.90); D1 is 178.80 EUR (17,880 cents, the same in both columns)."""
    invoices = imported(source).invoices.set_index("invoice_id")
    prefix = "in" if source == "stripe" else "inv"
    rows = invoices.loc[[f"{prefix}_E1", f"{prefix}_D1"]]
    assert rows["currency"].tolist() == ["USD", "EUR"]
    assert in_cents(rows["amount_native"]) == [10000, 17880]
    assert in_cents(rows["amount"]) == [9000, 17880]


def test_reported_in_usd_the_euro_lines_are_the_converted_ones(tmp_path):
    """ChartMogul's fixture reported in USD at 1.25 USD for 1 EUR (a rates file of one
    row): cus_A's January, 100.00 EUR (120.00 with tax), is 125.00 USD with its native 100.00
    EUR beside it;
    cus_E's January, 100.00 USD, is 100.00 in both. The export has lines in a currency
    other than the reporting one (EUR, which sorts before USD), so the mrr table keeps its
    currency and mrr_native columns."""
    rates = tmp_path / "eur_usd.csv"
    rates.write_text("date,currency,rate\n2024-01-01,EUR,1.25\n")
    mrr = run_import(FIXTURES / "chartmogul", "chartmogul", currency="USD",
                     fx_rates=rates).dataset.mrr
    january = mrr[mrr["month"].astype(str) == "2024-01"].set_index("customer_id")
    assert january.loc[["cus_A", "cus_E"], ["mrr", "currency", "mrr_native"]].values.tolist() \
        == [[125.0, "EUR", 100.0], [100.0, "USD", 100.0]]


def test_a_written_off_stripe_invoice_stops_being_receivable_on_its_write_off_date():
    invoices = imported("stripe").invoices.set_index("invoice_id")
    assert invoices.loc["in_D2", "paid_date"] == pd.Timestamp("2024-04-15")
    assert invoices.loc["in_A1", "due_date"] == pd.Timestamp("2024-01-01")  # charged at once


@pytest.mark.parametrize("source", SOURCES)
def test_findings_say_what_was_done(source):
    text = "\n".join(str(f) for f in run_import(FIXTURES / source, source, currency="EUR",
                                                 fx_rates=RATES).findings)
    for words in ("1 void invoice(s)", "1 uncollectible", "1 one-off charge(s)",
                  "1 annual", "1 customer(s) never billed above zero",
                  "USD line(s) converted to EUR", "(0.9, 0.95)"):  # two rates: no " ..."
        assert words in text


@pytest.mark.parametrize(("june", "shown"), [
    (0.94, "(0.9, 0.91, 0.92, 0.93, 0.94)"),  # five rates: all shown
    (0.95, "(0.9, 0.91, 0.92, 0.93, 0.94 ...)"),  # six: the first five, then " ..."
])
def test_the_rates_used_are_shown_up_to_five(tmp_path, june, shown):
    """cus_E's six USD lines of the Stripe fixture start on the 1st of January to June;
    with USD at 0.90, 0.91, 0.92, 0.93 and 0.94 from January to May, June's line takes
    0.94 (five rates, all shown) or, at 0.95 from June, a sixth (five shown, then " ...")."""
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n" + "".join(
        f"2024-0{month}-01,USD,{rate}\n"
        for month, rate in enumerate((0.90, 0.91, 0.92, 0.93, 0.94, june), start=1)))
    text = "\n".join(str(f) for f in run_import(FIXTURES / "stripe", "stripe", currency="EUR",
                                                 fx_rates=rates).findings)
    assert f"6 USD line(s) converted to EUR at the rate of their service period's start " \
        f"{shown}" in text


def test_lines_in_a_currency_sorting_before_the_reporting_one_are_said_converted(tmp_path):
    """The Stripe fixture reported in USD, EUR at 1.10 USD: its 13 counted EUR lines (A's
    seven, B's, C's trial, D's February, April, May and June; D's one-off, void and
    written-off lines left out) are converted, and said so, though "EUR" sorts before
    "USD"; E's six USD lines need no rate."""
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2024-01-01,EUR,1.10\n")
    said = [f.message for f in run_import(FIXTURES / "stripe", "stripe", currency="USD",
                                          fx_rates=rates).findings if "converted" in f.message]
    assert said == ["13 EUR line(s) converted to USD at the rate of their service period's "
                    "start (1.1)"]


def test_rules_typed_at_run_time_are_read_by_their_text():
    """A rule's value from the command line or a file is a new string, equal to the
    literal the code compares it with but not the same object (only literals are
    interned): each rule still applies. ChartMogul's fixture with discounts "subtract",
    uncollectible "exclude", churn "cancellation" (the defaults) and refunds "full", each
    made at run time: the hand-worked MRR less E3 (March), refunded in full."""
    typed = {name: bytes(value, "ascii").decode() for name, value in (
        ("discounts", "subtract"), ("uncollectible", "exclude"), ("refunds", "full"),
        ("churn", "cancellation"))}
    echo = {m: v for m, v in CHARTMOGUL_MRR["cus_E"].items() if m != "2024-03"}
    assert rows_of(imported("chartmogul", rules=Rules(**typed)).mrr) == \
        expected_rows({**CHARTMOGUL_MRR, "cus_E": echo})


def test_single_currency_data_has_no_currency_columns(tmp_path):
    folder = _copy(tmp_path, "stripe")
    _drop_rows(folder / "invoices.csv", lambda frame: frame["Currency"] == "usd")
    _drop_rows(folder / "invoice_line_items.csv", lambda frame: frame["currency"] == "usd")
    _drop_rows(folder / "credit_notes.csv", lambda frame: frame["currency"] == "usd")
    data = import_billing(folder, "stripe")
    assert data.mrr.columns.tolist() == ["customer_id", "month", "mrr"]
    assert set(mrr_movements(data.mrr)["fx_impact"]) == {0.0}


def test_an_unknown_source_is_refused():
    with pytest.raises(DataError, match="unknown billing source 'quickbooks'; the sources are "
                                        "stripe, chartmogul, chargebee, paddle, recurly, generic"):
        import_billing(FIXTURES / "stripe", "quickbooks")


def test_a_file_missing_vendor_columns_names_the_expected_and_found_ones(tmp_path):
    folder = _copy(tmp_path, "stripe")
    frame = pd.read_csv(folder / "invoice_line_items.csv", dtype=str)
    frame.drop(columns=["period_end"]).to_csv(folder / "invoice_line_items.csv", index=False)
    with pytest.raises(BillingError) as error:
        imported("stripe", folder)
    message = str(error.value)
    assert "no file is the stripe lines export" in message
    assert "'period_start', 'period_end'" in message
    assert "invoice_line_items.csv, lacks 'period_end'" in message
    assert "its columns are: id, invoice_id, subscription" in message


def test_mixed_currencies_need_a_reporting_currency():
    with pytest.raises(BillingError, match=r"several currencies \(EUR, USD\): give the "
                                           r"reporting currency \(--currency\)"):
        import_billing(FIXTURES / "stripe", "stripe")


def test_a_currency_with_no_rate_is_an_error_naming_it(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2024-02-01,USD,0.9\n")
    with pytest.raises(BillingError) as error:
        import_billing(FIXTURES / "stripe", "stripe", currency="EUR", fx_rates=rates)
    assert "no USD to EUR rate in force on 2024-01-01" in str(error.value)
    assert "invoice_line_items.csv, row 18" in str(error.value)


def test_two_lines_with_no_rate_are_an_error_at_the_first_one(tmp_path):
    """USD at 0.95 only from 1 March: cus_E's January and February lines (rows 18 and 19
    of invoice_line_items.csv) have no rate. One error for USD, at row 18, the first,
    dated the earliest service start, 2024-01-01, listing both rows."""
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2024-03-01,USD,0.95\n")
    with pytest.raises(BillingError) as error:
        import_billing(FIXTURES / "stripe", "stripe", currency="EUR", fx_rates=rates)
    [finding] = error.value.findings
    assert (finding.file, finding.row) == ("invoice_line_items.csv", 18)
    assert finding.message == ("no USD to EUR rate in force on 2024-01-01 (give one in "
                               "--fx-rates; rows 18, 19)")


def test_a_full_refund_says_how_many_invoices_it_left_out():
    """refunds="full": ChartMogul's fixture refunds E3 in full (paid 100.00, refunded
    100.00): "1 fully refunded invoice(s)"; Stripe's credits 20.00 of E2's 100.00, a
    partial refund: no invoice left out, and no such finding."""
    def said(source):
        return "\n".join(str(f) for f in run_import(
            FIXTURES / source, source, currency="EUR", fx_rates=RATES,
            rules=Rules(refunds="full")).findings)

    assert "1 fully refunded invoice(s) left out of MRR" in said("chartmogul")
    assert "fully refunded" not in said("stripe")


@pytest.mark.parametrize("source", SOURCES)
def test_an_invoice_owing_nothing_is_a_receivable_of_nothing(source):
    """C1, cus_C's trial invoice of 0.00: a receivable of 0 cents, not 1, in EUR and in its
    own currency."""
    invoices = imported(source).invoices.set_index("invoice_id")
    prefix = "in" if source == "stripe" else "inv"
    trial = invoices.loc[[f"{prefix}_C1"]]
    assert (in_cents(trial["amount"]), in_cents(trial["amount_native"])) == ([0], [0])


def test_an_invoice_adding_up_below_zero_owes_nothing_in_either_currency(tmp_path):
    """cus_E's inv_E7 (USD) holds only a prorated credit of -50.00 USD (a downgrade's
    credit for 10 June - 1 July exported without its new charge): its lines add up to
    -5,000 cents, so it owes nothing, 0 cents in EUR and 0 in USD, not -50.00 (the credit
    goes to the customer's balance), as C1's 0.00 owes nothing."""
    folder = _chartmogul_with(tmp_path, {
        "03_Invoices.csv": ["cus_E,inv_E7,2024-06-10,2024-06-10,USD,automatic,"],
        "04_Invoice_line_items.csv": [
            "inv_E7,li_E7,sub_E,subscription,-5000,team_monthly_usd,2024-06-10,2024-07-01,1,"
            "true,,0,0,differential"]})
    invoices = run_import(folder, "chartmogul", currency="EUR",
                          fx_rates=RATES).dataset.invoices.set_index("invoice_id")
    credit = invoices.loc[["inv_E7"]]
    assert (in_cents(credit["amount"]), in_cents(credit["amount_native"])) == ([0], [0])
    assert credit["currency"].tolist() == ["USD"]


def test_an_invoice_written_off_then_paid_closes_on_its_payment_date(tmp_path):
    """Stripe's in_D2 (60.00, March) marked uncollectible on 15 April and then paid on 28
    April: paid, its receivable closes on 28 April, not on its write-off date."""
    folder = _copy(tmp_path, "stripe")
    path = folder / "invoices.csv"
    path.write_text(path.read_text().replace(
        "in_D2,cus_D,Delta SA,sub_D,uncollectible,eur,2024-03-01 00:00,2024-03-31 00:00,,",
        "in_D2,cus_D,Delta SA,sub_D,paid,eur,2024-03-01 00:00,2024-03-31 00:00,"
        "2024-04-28 09:00,").replace("10.00,60.00,60.00,0.00", "10.00,60.00,60.00,60.00"))
    invoice = imported("stripe", folder).invoices.set_index("invoice_id").loc["in_D2"]
    assert (invoice["status"], invoice["paid_date"]) == ("paid", pd.Timestamp("2024-04-28"))


def test_a_line_whose_customer_cannot_be_found_is_an_error(tmp_path):
    folder = _copy(tmp_path, "stripe")
    _drop_rows(folder / "invoices.csv", lambda frame: frame["id"] == "in_B1")
    with pytest.raises(BillingError) as error:
        imported("stripe", folder)
    assert ("invoice_line_items.csv, row 9, column 'invoice_id': line of invoice 'in_B1', "
            "which is not in the Stripe invoices file: its customer cannot be found") \
        in str(error.value)


def test_a_chartmogul_invoice_of_an_unknown_customer_is_an_error(tmp_path):
    folder = _copy(tmp_path, "chartmogul")
    _drop_rows(folder / "01_Customers.csv", lambda frame: frame["External ID"] == "cus_D")
    with pytest.raises(BillingError, match=r"03_Invoices.csv, row 10, column 'Customer "
                                           r"external ID': customer 'cus_D' is not in "
                                           r"01_Customers.csv"):
        imported("chartmogul", folder)


def test_an_unreadable_amount_names_file_row_column_and_value(tmp_path):
    folder = _copy(tmp_path, "stripe")
    path = folder / "invoice_line_items.csv"
    path.write_text(path.read_text().replace(",10000,eur,", ",100.00 €,eur,", 1))
    with pytest.raises(BillingError, match=r"invoice_line_items.csv, row 2, column 'amount': "
                                           r"cannot read '100.00 €' as an amount"):
        imported("stripe", folder)


def test_warnings_block_only_a_strict_import(tmp_path):
    folder = _copy(tmp_path, "stripe")
    path = folder / "invoice_line_items.csv"  # a proration with no regular line around it
    path.write_text(path.read_text().replace("il_A4b,in_A4,sub_A", "il_A4b,in_A4,sub_X"))
    # The proration moved to sub_X is counted over its own length: the same months of
    # cus_A as around its regular lines, so the MRR is still the hand-worked one.
    assert rows_of(imported("stripe", folder).mrr) == expected_rows(MRR)
    _, findings = run_import(folder, "stripe", currency="EUR", fx_rates=RATES)
    assert [(f.level, f.message) for f in findings if f.level != "info"] == [
        ("warning", "1 prorated line(s) fall in no regular billing period of their "
                    "subscription; counted over their own length")]
    _, untouched = run_import(FIXTURES / "stripe", "stripe", currency="EUR", fx_rates=RATES)
    assert {f.level for f in untouched} == {"info"}
    with pytest.raises(BillingError, match="fall in no regular billing period"):
        imported("stripe", folder, strict=True)
    assert rows_of(imported("stripe", FIXTURES / "stripe", strict=True).mrr) == expected_rows(
        MRR)


def _copy(tmp_path, source):
    folder = tmp_path / source
    shutil.copytree(FIXTURES / source, folder)
    return folder


def _chartmogul_with(tmp_path, rows):
    """A copy of the ChartMogul fixture with ``rows`` ({file name: [CSV line, ...]})
    added at the end of their files."""
    folder = _copy(tmp_path, "chartmogul")
    for name, lines in rows.items():
        path = folder / name
        path.write_text(path.read_text() + "".join(line + "\n" for line in lines))
    return folder


def _drop_rows(path, which):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[~which(frame)].to_csv(path, index=False)


def test_the_subscriptions_export_is_refused_with_the_reason(tmp_path):
    # headers of a Stripe Dashboard subscriptions export (75016paris/dishpatch-analytics-
    # dashboard sample_data/subscriptions.csv)
    (tmp_path / "subscriptions.csv").write_text(
        "id,Customer Name,Customer ID,Status,Cancellation Reason,Created (UTC),Start (UTC),"
        "Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),"
        "Trial End (UTC),Canceled At (UTC),Ended At (UTC)\n"
        "sub_1,Anne,cus_1,active,,2025-01-09,2025-01-09,2025-02-06,2025-03-06,,,,\n")
    with pytest.raises(BillingError, match="subscriptions.csv, row 1: this is Stripe's "
                                           "subscriptions export: a snapshot with no history"):
        import_billing(tmp_path, "stripe")


# The Stripe subscriptions export (tests/fixtures/billing/stripe_subscriptions, headers as
# a public loader of the Dashboard export reads them: id, Customer ID, Plan, Quantity,
# Currency, Interval, Amount, Status, ... (UTC)), worked by hand for its month, March 2025
# (the latest Current Period Start, sub_3's 10 March); amount x quantity / interval months:
# - cus_1: sub_1 49.00 x 2 a month + sub_6 10.00 x 1 a month = 108.00
# - cus_2: sub_2 1,200.00 a year / 12 = 100.00
# - cus_3: sub_3 30.00 a month, past_due (billed, not yet cancelled) = 30.00
# - cus_4 trialing and cus_5 canceled: not MRR
# - cus_6: sub_7 1,000.00 a year / 12 = 83.333..., 83.33 (the whole cent nearest)
SNAPSHOT = FIXTURES / "stripe_subscriptions"
SNAPSHOT_MRR = {"cus_1": {"2025-03": 108.0}, "cus_2": {"2025-03": 100.0},
                "cus_3": {"2025-03": 30.0}, "cus_6": {"2025-03": 83.33}}


def test_the_subscriptions_export_gives_one_month_of_mrr_with_a_warning():
    dataset, findings = run_import(SNAPSHOT, "stripe")
    assert rows_of(dataset.mrr) == expected_rows(SNAPSHOT_MRR)
    assert bridge_balances(dataset.mrr)
    assert dataset.invoices is None  # a snapshot has no receivables
    text = "\n".join(map(str, findings))
    assert ("warning: subscriptions.csv: this is Stripe's subscriptions export, a snapshot "
            "with no history and no discounts: MRR is given for 2025-03 only") in text
    assert "1 trialing subscription(s) are not MRR" in text
    assert "1 canceled subscription(s) are not MRR" in text


def test_a_strict_import_refuses_the_subscriptions_export():
    with pytest.raises(BillingError, match="a snapshot with no history and no discounts"):
        import_billing(SNAPSHOT, "stripe", strict=True)


def test_an_unknown_interval_in_the_subscriptions_export_names_row_column_and_value(tmp_path):
    folder = _copy(tmp_path, "stripe_subscriptions")
    path = folder / "subscriptions.csv"
    path.write_text(path.read_text().replace("eur,year,1000.00", "eur,week,1000.00"))
    with pytest.raises(BillingError, match=r"subscriptions.csv, row 8, column 'Interval': "
                                           r"unknown interval 'week'; the subscriptions "
                                           r"export's are month, year"):
        import_billing(folder, "stripe")
