"""From normalised billing lines to MRR per customer and month, in whole cents.

One normaliser for every source. Each rule is written, with its source, in
docs/interpretation.md ("Billing exports"). Everything is done on whole arrays: no Python
loop over lines, invoices or customers.
"""

import numpy as np
import pandas as pd

from csmetrics.billing.checks import Finding, first_rows, listed
from csmetrics.billing.consistency import export_currencies
from csmetrics.billing.fx import rates_on

ANNUAL_MONTHS = 11.5  # a service period this long or longer is counted as an annual plan


def months_between(start, end):
    """Length of ``[start, end)`` in months: whole months, then the rest in days over the
    length of the month that follows the last whole one.

    >>> start = pd.to_datetime(["2024-01-01", "2024-03-16", "2024-01-31", "2024-01-15"])
    >>> end = pd.to_datetime(["2025-01-01", "2024-04-01", "2024-02-29", "2024-03-01"])
    >>> months_between(start.to_numpy(), end.to_numpy()).round(4).tolist()
    [12.0, 0.5161, 1.0, 1.5172]
    """
    start, end = _days(start), _days(end)
    first, last = start.astype("M8[M]"), end.astype("M8[M]")
    start_day = (start - first.astype("M8[D]")).astype(np.int64)
    end_day = (end - last.astype("M8[D]")).astype(np.int64)
    whole = (last - first).astype(np.int64) - (end_day < start_day)
    anchor = add_months(start, whole)
    following = add_months(start, whole + 1)
    rest = (end - anchor).astype(np.int64) / (following - anchor).astype(np.int64)
    return whole + rest


def add_months(days, months):
    """Each day moved by ``months`` calendar months, kept inside shorter months.

    >>> add_months(np.array(["2024-01-31", "2024-03-16"], dtype="M8[D]"), np.array([1, 12]))
    array(['2024-02-29', '2025-03-16'], dtype='datetime64[D]')
    """
    days = _days(days)
    first = days.astype("M8[M]")
    day = (days - first.astype("M8[D]")).astype(np.int64)
    moved = first + np.asarray(months, dtype=np.int64)
    length = ((moved + 1).astype("M8[D]") - moved.astype("M8[D]")).astype(np.int64)
    return moved.astype("M8[D]") + np.minimum(day, length - 1)


def monthly_cents(net, months):
    """The monthly rate of lines of ``net`` cents over ``months`` months, in whole cents.

    A line's amount was rounded to the cent by the billing system, so every rate within
    half a cent of ``net`` over its period fits it; the roundest of those (most trailing
    zeros, then nearest) is taken. A prorated line of 103.23 for 16 of March's 31 days
    fits any rate from 199.998 to 200.018: it is 200.00, the plan's price, not 200.01.

    >>> monthly_cents(np.array([10323, -5161, 119988, 100000]),
    ...               np.array([16 / 31, 16 / 31, 12.0, 12.0])).tolist()
    [20000, -10000, 9999, 8333]
    """
    rate = net / months
    low, high = (net - 0.5) / months, (net + 0.5) / months
    result = np.rint(rate)
    chosen = np.zeros(rate.shape, dtype=bool)
    for step in 10.0 ** np.arange(6, -1, -1):
        candidate = np.rint(rate / step) * step
        fits = ~chosen & (candidate >= low) & (candidate <= high)
        result[fits] = candidate[fits]
        chosen |= fits
    return result.astype(np.int64)


def normalise(export, rules, *, currency=None, rates=None):
    """MRR per customer and month, and the receivables, from an :class:`Export`.

    Returns ``(mrr, invoices, findings)``: ``mrr`` has customer_id, month, mrr and, when
    any line is in another currency than the reporting one, currency and mrr_native; the
    findings say what was left out or converted, and any error found.
    """
    findings = list(export.findings)
    lines = _counted_lines(export, rules, findings)
    reporting = _reporting_currency(export, currency)
    if any(f.level == "error" for f in findings):
        return None, None, findings
    months = _period_months(lines, findings)
    lines = _ended_at_cancellation(lines, export.cancellations, rules, findings)
    net = lines["amount"].to_numpy()
    if rules.discounts == "subtract":
        net = net - lines["discount"].to_numpy()
    native = monthly_cents(net, months)
    rate = _rates(lines["currency"].to_numpy(), lines["start"].to_numpy(), rates, reporting,
                  lines, findings)
    if any(f.level == "error" for f in findings):
        return None, None, findings
    converted = np.rint(native * rate).astype(np.int64)
    mrr = _by_month(lines, native, converted, findings)
    mrr = _up_to_horizon(mrr, export.invoices, findings)
    foreign = bool((lines["currency"] != reporting).any())
    if not foreign:
        mrr = mrr.drop(columns=["currency", "mrr_native"])
    _describe(export, lines, months, reporting, rate, findings)
    invoices = _receivables(export.invoices, rates, reporting, foreign, findings)
    return mrr, invoices, findings


def _days(values):
    return np.asarray(values).astype("M8[D]")


def _counted_lines(export, rules, findings):
    """The lines that can carry MRR: recurring and proration lines of counted invoices."""
    lines = export.lines
    invoices = export.invoices.set_index("invoice_id")
    leave = {"void": "void", "draft": "draft (not finalised)"}
    if rules.uncollectible == "exclude":
        leave["uncollectible"] = "uncollectible (written off)"
    for status, words in leave.items():
        count = int((invoices["status"] == status).sum())
        if count:
            findings.append(Finding("info", f"{count} {words} invoice(s) left out of MRR",
                                    _files(invoices)))
    kept = ~lines["status"].isin(list(leave)).to_numpy()
    if rules.refunds == "full":
        full = (invoices["paid"] > 0) & (invoices["refunded"] >= invoices["paid"])
        refunded = invoices.index[full]
        if len(refunded):
            findings.append(Finding("info", f"{len(refunded)} fully refunded invoice(s) left out "
                                    "of MRR", _files(invoices)))
        kept &= ~lines["invoice_id"].isin(refunded).to_numpy()
    kind = lines["kind"].to_numpy()
    for name, words in (("one_off", "one-off charge(s) (setup fees and the like) kept out of "
                         "MRR"), ("credit", "credit or refund line(s) left out of MRR")):
        count = int((kept & (kind == name)).sum())
        if count:
            findings.append(Finding("info", f"{count} {words}", _files(lines)))
    return lines[kept & np.isin(kind, ["recurring", "proration"])].reset_index(drop=True)


def _reporting_currency(export, currency):
    """The reporting currency: the one given, else the export's only one. An export in
    several currencies with none given is refused by the checks before (check_export)."""
    if currency is not None:
        return str(currency).strip().upper()
    codes = export_currencies(export)
    if len(codes) > 1:
        raise ValueError(f"an export in several currencies ({listed(codes)}) needs a "
                         "reporting currency: check_export refuses it without one")
    return codes[0] if codes else ""


def _ended_at_cancellation(lines, cancellations, rules, findings):
    """Lines of a subscription cancelled inside their service period end on that date.

    Their monthly rate stays that of the whole period billed (:func:`_period_months` runs
    before): an annual plan of 900.00 cancelled on 15 June is 75.00 a month from January
    to May, then churned, not 900.00 spread over five and a half months."""
    if rules.churn != "cancellation" or cancellations.empty:
        return lines
    date = lines["subscription_id"].map(
        cancellations.groupby("subscription_id")["date"].min()).to_numpy(dtype="M8[ns]")
    cut = ~np.isnat(date) & (date > lines["start"].to_numpy()) & (date < lines["end"].to_numpy())
    if cut.any():
        findings.append(Finding("info", f"{int(cut.sum())} service period(s) ended early on "
                                "their subscription's cancellation date", _files(lines)))
        lines = lines.assign(end=np.where(cut, date, lines["end"].to_numpy()))
    return lines


def _period_months(lines, findings):
    """Months of each line's period; a proration counts against the plan period it falls in.

    A prorated line covers part of a billing period: it counts at the rate of the regular
    line of its subscription whose period holds it, in the days' proportion the billing
    system prorated by (``plan months x line days / plan period days``).
    """
    months = months_between(lines["start"].to_numpy(), lines["end"].to_numpy())
    prorated = (lines["kind"] == "proration").to_numpy()
    if not prorated.any():
        return months
    regular = lines.loc[~prorated, ["subscription_id", "start", "end"]].assign(
        plan_months=months[~prorated]).rename(
        columns={"start": "plan_start", "end": "plan_end"})
    wanted = lines.loc[prorated, ["subscription_id", "start", "end"]].assign(
        position=np.flatnonzero(prorated))
    key = {"subscription_id": lambda frame: frame["subscription_id"].fillna("")}
    found = pd.merge_asof(
        wanted.assign(**key).sort_values("start"),
        regular.assign(**key).sort_values("plan_start"),
        left_on="start", right_on="plan_start", by="subscription_id", direction="backward",
    )
    covered = (found["plan_end"] >= found["end"]).to_numpy()
    days = (found["end"] - found["start"]).dt.days.to_numpy()
    plan_days = (found["plan_end"] - found["plan_start"]).dt.days.to_numpy()
    share = np.where(covered, found["plan_months"].to_numpy() * days / np.where(
        covered, plan_days, 1), np.nan)
    position = found["position"].to_numpy()
    months[position[covered]] = share[covered]
    alone = int((~covered).sum())
    if alone:
        findings.append(Finding("warning", f"{alone} prorated line(s) fall in no regular "
                                "billing period of their subscription; counted over their "
                                "own length", _files(lines)))
    return months


def _rates(codes, days, rates, reporting, lines, findings):
    rate = rates_on(rates, codes, days, reporting)
    missing = np.isnan(rate)
    if missing.any():
        for code in sorted(pd.unique(codes[missing])):
            where = missing & (codes == code)
            first = lines[where].iloc[0]
            findings.append(Finding(
                "error", f"no {code} to {reporting} rate in force on "
                f"{pd.Timestamp(days[where].min()).date()} (give one in --fx-rates; "
                f"{first_rows(lines['row'][where])})", first["file"], int(first["row"])))
    return rate


def _by_month(lines, native, converted, findings):
    """Sum each line's monthly rate into the months whose last day it covers."""
    first = lines["start"].to_numpy().astype("M8[M]")
    count = (lines["end"].to_numpy().astype("M8[M]") - first).astype(np.int64)
    # a line is active on a month's last day when start <= last day < end
    source = np.repeat(np.arange(len(lines)), count)
    offset = np.arange(source.size) - np.repeat(np.cumsum(count) - count, count)
    months = first[source].astype(np.int64) + offset
    _check_overlaps(lines, source, months, findings)
    customer, customers = pd.factorize(lines["customer_id"], sort=True)
    currency, currencies = pd.factorize(lines["currency"], sort=True)
    customers, currencies = np.asarray(customers, dtype=object), np.asarray(currencies)
    spread = pd.DataFrame({"customer": customer[source], "month": months,
                           "currency": currency[source], "mrr": converted[source],
                           "native": native[source]})
    grouped = spread.groupby(["customer", "month"], sort=True)
    totals = grouped[["mrr", "native"]].sum()
    kinds = grouped["currency"].agg(["min", "max"])
    mixed = kinds["min"] != kinds["max"]
    if mixed.any():
        where = mixed[mixed].index[0]
        findings.append(Finding(
            "error", f"customer {customers[where[0]]} is billed in "
            f"{currencies[kinds.loc[where, 'min']]} and {currencies[kinds.loc[where, 'max']]} "
            f"in {pd.Period(ordinal=where[1], freq='M')}: one currency per customer and month",
            _files(lines)))
    negative = totals["mrr"] < 0
    if negative.any():
        where = negative[negative].index[0]
        findings.append(Finding(
            "warning", f"{int(negative.sum())} customer-month(s) add up below zero (credits "
            f"larger than charges), counted as 0: first {customers[where[0]]} in "
            f"{pd.Period(ordinal=where[1], freq='M')}", _files(lines)))
    totals = totals[totals["mrr"] > 0]
    index = totals.index
    return pd.DataFrame({
        "customer_id": customers[index.get_level_values("customer")],
        "month": pd.PeriodIndex.from_ordinals(index.get_level_values("month"), freq="M"),
        "mrr": totals["mrr"].to_numpy() / 100,
        "currency": currencies[kinds.loc[index, "min"].to_numpy()],
        "mrr_native": totals["native"].to_numpy() / 100,
    })


def _check_overlaps(lines, source, months, findings):
    """Warn when two regular lines of one subscription, starting on different days, cover
    the same month end: a mid-period change billed without its credit counts twice."""
    regular = (lines["kind"] == "recurring").to_numpy()[source] & \
        lines["subscription_id"].notna().to_numpy()[source]
    spread = pd.DataFrame({"subscription": lines["subscription_id"].to_numpy()[source][regular],
                           "month": months[regular],
                           "start": lines["start"].to_numpy()[source][regular]})
    starts = spread.groupby(["subscription", "month"])["start"].nunique()
    doubled = starts[starts > 1]
    if len(doubled):
        subscription, month = doubled.index[0]
        findings.append(Finding(
            "warning", f"{len(doubled)} subscription-month(s) have two regular lines that "
            f"started on different days and are added up (first: {subscription} in "
            f"{pd.Period(ordinal=month, freq='M')}); a mid-period change exported without "
            "its credit counts twice", _files(lines)))


def _up_to_horizon(mrr, invoices, findings):
    """MRR up to the month of the export's latest invoice: a later month would show every
    monthly customer as churned only because its next invoice is not issued yet."""
    latest = invoices["issue_date"].max()
    if pd.isna(latest):
        return mrr
    later = mrr["month"].array.asi8 > pd.Period(latest, "M").ordinal
    if later.any():
        findings.append(Finding(
            "info", f"MRR reported up to {pd.Period(latest, 'M')}, the month of the latest "
            f"invoice; {int(later.sum())} later customer-month(s) of longer plans left out",
            _files(invoices)))
    return mrr[~later].reset_index(drop=True)


def _describe(export, lines, months, reporting, rate, findings):
    """Info findings: annual plans spread, trials, lines converted."""
    recurring = (lines["kind"] == "recurring").to_numpy()
    annual = int((recurring & (months >= ANNUAL_MONTHS)).sum())
    if annual:
        findings.append(Finding("info", f"{annual} annual (or longer) plan line(s) spread over "
                                "their months", _files(lines)))
    codes, customers = pd.factorize(export.lines["customer_id"])
    billed = np.full(len(customers), np.iinfo(np.int64).min)
    np.maximum.at(billed, codes, export.lines["amount"].to_numpy())
    trials = int((billed <= 0).sum())
    if trials:
        findings.append(Finding("info", f"{trials} customer(s) never billed above zero (trials) "
                                "are not customers", _files(export.lines)))
    foreign = (lines["currency"] != reporting).to_numpy()
    for code in sorted(lines["currency"][foreign].unique()):
        used = np.unique(rate[foreign & (lines["currency"] == code).to_numpy()])
        shown = ", ".join(f"{r:g}" for r in used[:5]) + (" ..." if used.size > 5 else "")
        findings.append(Finding(
            "info", f"{int((lines['currency'] == code).sum())} {code} line(s) converted to "
            f"{reporting} at the rate of their service period's start ({shown})",
            _files(lines)))


def _receivables(invoices, rates, reporting, foreign, findings):
    """The ``invoices`` table: void and draft left out, written-off invoices closed on
    their write-off date, amounts due (tax included) at the issue date's rate; an invoice
    whose lines add up below zero owes nothing (its credit goes to the customer's
    balance)."""
    kept = invoices[~invoices["status"].isin(["void", "draft"])].reset_index(drop=True)
    if kept.empty:
        return None
    due = kept["due_date"].fillna(kept["issue_date"])
    undated = (kept["status"] == "paid") & kept["paid_date"].isna()
    if undated.any():
        findings.append(Finding(
            "warning", f"{int(undated.sum())} paid invoice(s) have no payment date: they count "
            "as open receivables", _files(kept)))
    written_off = kept["paid_date"].isna() & kept["written_off_date"].notna()
    closed = kept["paid_date"].where(~written_off, kept["written_off_date"])
    codes = kept["currency"].to_numpy(dtype=object)
    rate = _rates(codes, kept["issue_date"].to_numpy(), rates, reporting, kept, findings)
    table = pd.DataFrame({
        "invoice_id": kept["invoice_id"].to_numpy(dtype=object),
        "customer_id": kept["customer_id"].to_numpy(dtype=object),
        "issue_date": kept["issue_date"].to_numpy(),
        "due_date": due.to_numpy(),
        "paid_date": closed.to_numpy(),
        "amount": np.rint(np.maximum(kept["amount_due"].to_numpy(), 0) * rate) / 100,
        "status": kept["status"].to_numpy(dtype=object),
    })
    if foreign:
        table["currency"] = codes
        table["amount_native"] = np.maximum(kept["amount_due"].to_numpy(), 0) / 100
    return table


def _files(frame):
    names = sorted(frame["file"].dropna().unique())
    return ", ".join(names) or None
