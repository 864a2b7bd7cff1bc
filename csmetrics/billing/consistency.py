"""The checks of a whole export, between reading and normalising: read, check, normalise.

Reading (the vendor readers) types each column once and reports the cells it cannot read;
the checks here look at the export as a whole, in the model
(:class:`~csmetrics.billing.model.Export`): ids given twice, lines that do not add up to
their invoice, a line in another currency than its invoice. They return findings as data
and change nothing; :func:`~csmetrics.billing.normalise.normalise` runs only on an export
they find no error in. Each rule is written, with its source, in docs/interpretation.md
("Billing exports").
"""

import numpy as np
import pandas as pd

from csmetrics.billing.checks import Finding, first_rows, listed, more_rows
from csmetrics.billing.codes import id_codes, positions_of

DEFINITIONS = {
    "subtotal": ("its lines' amounts added up (before discount and tax)",
                 lambda sums: sums["amount"]),
    "total": ("its lines' amount - discount + tax added up",
              lambda sums: sums["amount"] - sums["discount"] + sums["tax"]),
}
"""The figures an invoice may state for its lines (the model's ``subtotal`` and ``total``),
each as the vendors define it and as computed from the lines."""


def check_export(export, *, complete=True, currency=None):
    """The findings of the whole-export checks of ``export`` (a list). When reading it
    already found errors (``complete`` False), only the checks of ids and currencies run:
    sums over cells that could not be read would mislead. ``currency`` is the reporting
    currency the user gave (None: none).

    >>> from csmetrics.billing.model import Export, invoice_rows, line_items, no_cancellations
    >>> invoices = invoice_rows(invoice_id=["in_1", "in_1"], file=["inv.csv"] * 2, row=[2, 3])
    >>> print(*check_export(Export(line_items(), invoices, no_cancellations(), [])))
    error: inv.csv, row 3, column 'invoice_id': invoice id 'in_1' is given twice, the rows
    differing (first at inv.csv, row 2): two invoices cannot share an id; keep the right row
    """
    findings = []
    invoice_ids, lines_invoice = id_codes(export.invoices["invoice_id"],
                                          export.lines["invoice_id"])
    findings += duplicate_ids(export, "invoices", "invoice_id", "invoice", invoice_ids)
    findings += duplicate_ids(export, "lines", "line_id", "line")
    invoice_of = positions_of(lines_invoice, invoice_ids)
    findings += line_currencies(export, invoice_of)
    findings += several_currencies(export, currency)
    if complete:
        findings += reconciliation(export, invoice_of, invoice_ids)
        findings += periods(export)
        findings += horizon(export)
        findings += customer_case(export)
    return findings


def duplicate_ids(export, table, column, what, codes=None):
    """Error: one id on two rows (in one file or two). Rows repeated cell for cell were
    already read once (:func:`~csmetrics.billing.rows.without_repeated_rows`), so the
    rows left differ: which is right cannot be told, and adding them up would count one
    record twice. ``codes`` are the ids' :func:`~csmetrics.billing.codes.id_codes`, when
    the caller has them."""
    frame = getattr(export, table)
    ids = frame[column]
    codes = id_codes(ids)[0] if codes is None else codes
    again = pd.Series(codes).duplicated(keep="first").to_numpy() & (codes >= 0)
    if not again.any():
        return []
    at = np.flatnonzero(again)[0]
    value = ids.iloc[at]
    first = frame[ids.eq(value).to_numpy()].iloc[0]
    return [Finding(
        "error", f"{what} id {value!r} is given twice, the rows differing (first at "
        f"{first['file']}, row {int(first['row'])}): two {what}s cannot share an id; keep "
        "the right row" + (f" ({int(again.sum())} ids given twice in all: "
                           f"{first_rows(frame['row'][again])})" if again.sum() > 1 else ""),
        str(frame["file"].iloc[at]), int(frame["row"].iloc[at]), export.header(table, column))]


def line_currencies(export, invoice_of):
    """Error: a line in another currency than its invoice (an invoice is billed in one).
    ``invoice_of`` is the position of each line's invoice (-1: none), as
    :func:`~csmetrics.billing.codes.positions_of` finds it."""
    lines, invoices = export.lines, export.invoices
    if lines.empty or invoices.empty:
        return []
    line_code, codes = pd.factorize(lines["currency"])  # a few currencies: compare codes
    invoice_code, named = pd.factorize(invoices["currency"])
    invoice_code = np.append(pd.Index(codes).get_indexer(named), -2)[invoice_code]
    theirs = np.where(invoice_of >= 0, np.append(invoice_code, -2)[invoice_of], -2)
    other = (theirs != -2) & (line_code >= 0) & (theirs != line_code)
    if not other.any():
        return []
    first = lines[other].iloc[0]
    return [Finding(
        "error", f"line of invoice {first['invoice_id']!r} is in {first['currency']}, its "
        f"invoice in {invoices['currency'].iloc[invoice_of[np.flatnonzero(other)[0]]]}: an "
        f"invoice is billed in one currency{more_rows(lines['row'][other])}",
        str(first["file"]), int(first["row"]), export.header("lines", "currency"))]


def several_currencies(export, currency):
    """Error: an export in several currencies with no reporting currency given (which one
    to report in, and at which rates, cannot be guessed).

    >>> from csmetrics.billing.model import Export, invoice_rows, line_items, no_cancellations
    >>> lines = line_items(currency=["EUR", "USD"])
    >>> print(*several_currencies(Export(lines, invoice_rows(), no_cancellations(), []), None))
    error: the export holds several currencies (EUR, USD): give the reporting currency
    (--currency) and the exchange rates (--fx-rates)
    """
    if currency is not None:
        return []
    codes = export_currencies(export)
    if len(codes) < 2:
        return []
    return [Finding("error", f"the export holds several currencies ({listed(codes)}): give "
                    "the reporting currency (--currency) and the exchange rates (--fx-rates)")]


def export_currencies(export):
    """The currencies of the export's lines and invoices, sorted."""
    return sorted(set(export.lines["currency"].dropna().unique())
                  | set(export.invoices["currency"].dropna().unique()))


def reconciliation(export, invoice_of, invoice_ids):
    """Error: an invoice whose own subtotal or total (where its file states one) is not
    what its lines add up to, to the cent; the message names the invoice, both sums and
    the likely cause. Lines from a credit note or adjustment are not the invoice's; void
    and draft invoices, which never count, are not reconciled. ``invoice_of`` is the
    position of each line's invoice (see :func:`line_currencies`), ``invoice_ids`` the
    invoices' ids as :func:`~csmetrics.billing.codes.id_codes`."""
    lines = export.lines
    counted = lines["on_invoice"].to_numpy() & (invoice_of >= 0) & \
        lines["invoice_id"].notna().to_numpy()
    sums = pd.DataFrame({name: added_up(invoice_of[counted], lines[name].to_numpy()[counted],
                                        len(invoice_ids))
                         for name in ("amount", "discount", "tax")})
    first = ~pd.Series(invoice_ids).duplicated().to_numpy()
    kept = first & ~export.invoices["status"].isin(["void", "draft"]).to_numpy()
    invoices = export.invoices[kept].set_index("invoice_id")
    sums = sums[kept]
    findings = []
    for stated, (words, computed) in DEFINITIONS.items():
        known = invoices[stated].notna().to_numpy()
        if not known.any():
            continue
        added = computed(sums).to_numpy()
        says = invoices[stated].to_numpy(dtype=np.float64, na_value=np.nan)
        off = known & (added != says)
        if not off.any():
            continue
        at = np.flatnonzero(off)[0]
        invoice = invoices.iloc[at]
        cause = likely_cause(int(says[at]), int(added[at]), sums.iloc[at])
        findings.append(Finding(
            "error", f"invoice {invoices.index[at]!r} states a {stated} of "
            f"{_money(says[at], invoice['currency'])}, but {words} is "
            f"{_money(added[at], invoice['currency'])}: {cause}"
            + (f" ({int(off.sum())} invoices do not add up: "
               f"{first_rows(invoices['row'][off])})" if off.sum() > 1 else ""),
            str(invoice["file"]), int(invoice["row"]), export.header("invoices", stated)))
    return findings


def added_up(position, cents, size):
    """Cents (int64) added up by ``position`` (0 to ``size`` - 1), exactly: ``np.bincount``
    adds floats, exact below 2**53, so each amount is added as its bits above and below
    the 28th; exact for any number of lines up to 2**24 per position, amounts below
    2**57 cents (the readers refuse one of 10**17).

    >>> added_up(np.array([1, 0, 1]), np.array([5, 7, 2 ** 56 + 1]), 3).tolist()
    [7, 72057594037927942, 0]
    """
    cents = np.asarray(cents, dtype=np.int64)
    high = np.bincount(position, weights=cents >> 28, minlength=size)
    low = np.bincount(position, weights=cents & 0xFFFFFFF, minlength=size)
    return (high.astype(np.int64) << 28) + low.astype(np.int64)


def likely_cause(stated, added, sums):
    """Why an invoice's lines may not add up to its own figure.

    >>> import pandas as pd
    >>> sums = pd.Series({"amount": 100, "discount": 0, "tax": 20})
    >>> print(likely_cause(10000, 100, sums))
    the lines look written in currency units where cents are expected (a hundredth of the
    invoice)
    >>> print(likely_cause(12000, 10000, sums.replace(20, 2000)))
    the difference is the lines' tax: are the line amounts tax-inclusive?
    """
    if added and stated == 100 * added:
        return ("the lines look written in currency units where cents are expected (a "
                "hundredth of the invoice)")
    if stated and added == 100 * stated:
        return ("the lines look written in cents where currency units are expected (a "
                "hundred times the invoice)")
    if sums["tax"] and abs(stated - added) == abs(sums["tax"]):
        return "the difference is the lines' tax: are the line amounts tax-inclusive?"
    if sums["discount"] and abs(stated - added) == abs(sums["discount"]):
        return "the difference is the lines' discount: is it taken off twice, or not at all?"
    if added == 0:
        return "no line of this invoice was found: is the lines file complete?"
    return ("a line is missing, extra, or its amount changed (compare the invoice's lines "
            "in both files)")


def _money(cents, currency):
    return f"{cents / 100:.2f} {currency}"


SHORTEST_PLAN = np.timedelta64(7, "D")
"""A recurring line shorter than this is more likely a damaged period than a plan."""


def periods(export):
    """The service periods of the lines that can carry MRR (recurring and proration lines of
    invoices that are neither void nor draft): an error when one has no period or ends on or
    before its start; a warning for a recurring line billed above or below zero that covers
    no month end (it gives no MRR in any month) and for one shorter than a week."""
    lines = export.lines
    counted = lines["kind"].isin(["recurring", "proration"]).to_numpy() & \
        ~lines["status"].isin(["void", "draft"]).to_numpy()
    start, end = lines["start"].to_numpy(), lines["end"].to_numpy()
    column = export.header("lines", "end")
    bad = counted & (np.isnat(start) | np.isnat(end) | ~(end > start))
    if bad.any():
        return [_line_finding(lines, bad, "error", column, "a recurring line needs a service "
                              "period with its end after its start")]
    recurring = counted & (lines["kind"] == "recurring").to_numpy() & \
        (lines["amount"] != 0).to_numpy()  # a trial at 0 may be a few days
    no_month_end = recurring & (end.astype("M8[M]") == start.astype("M8[M]"))
    short = recurring & ~no_month_end & (end - start < SHORTEST_PLAN)
    findings = []
    if no_month_end.any():
        findings.append(_line_finding(
            lines, no_month_end, "warning", column, "a recurring line whose service period "
            "covers no month end gives no MRR in any month (is its end written as the last "
            "day served where the first day no longer served is meant?)"))
    if short.any():
        findings.append(_line_finding(lines, short, "warning", column, "a recurring line "
                                      "shorter than a week: is its period damaged?"))
    return findings


def _line_finding(lines, which, level, column, message):
    first = lines[which].iloc[0]
    shown = "blank" if pd.isna(first["end"]) else str(pd.Timestamp(first["end"]).date())
    return Finding(level, f"{message}: line of invoice {first['invoice_id']!r}, "
                   f"{_day(first['start'])} to {shown}{more_rows(lines['row'][which])}",
                   str(first["file"]), int(first["row"]), column)


def _day(value):
    return "blank" if pd.isna(value) else str(pd.Timestamp(value).date())


LATE = np.timedelta64(366, "D")
"""An invoice this long after all the others is more likely a typo in its date than the
export's last invoice."""


def horizon(export):
    """A warning for an invoice dated more than a year after every other one: MRR is
    reported up to the month of the latest invoice, so one mistyped year (2052 for 2025)
    would stretch the report over decades of churn."""
    days = np.sort(export.invoices["issue_date"].dropna().to_numpy())
    if days.size < 2 or days[-1] - days[-2] <= LATE:
        return []
    invoices = export.invoices
    at = np.flatnonzero(invoices["issue_date"].to_numpy() == days[-1])[0]
    return [Finding(
        "warning", f"invoice {invoices['invoice_id'].iloc[at]!r} is dated {_day(days[-1])}, "
        f"more than a year after every other invoice (the one before: {_day(days[-2])}); MRR "
        "would be reported up to its month: is its date mistyped?",
        str(invoices["file"].iloc[at]), int(invoices["row"].iloc[at]),
        export.header("invoices", "issue_date"))]


def customer_case(export):
    """A warning for a subscription billed to customer ids that differ only in case
    (``C1`` and ``c1``): two customers to csmetrics, most likely one to the user. Each
    distinct id is folded once; subscriptions and customers are compared by their codes."""
    named = export.lines["subscription_id"].notna().to_numpy() & \
        export.lines["customer_id"].notna().to_numpy()
    if not named.any():
        return []
    subscription, subscriptions = pd.factorize(export.lines["subscription_id"][named])
    customer, customers = pd.factorize(export.lines["customer_id"][named])
    folded = pd.factorize(pd.Series(np.asarray(customers, dtype=object)).astype(str)
                          .str.casefold())[0]
    mixed = (_distinct_per(subscription, customer, len(subscriptions)) > 1) & \
        (_distinct_per(subscription, folded[customer], len(subscriptions)) == 1)
    if not mixed.any():
        return []
    first = min(subscriptions[mixed])
    rows = export.lines[named & (export.lines["subscription_id"] == first).to_numpy()]
    names = listed(repr(name) for name in pd.unique(rows["customer_id"]))
    other = rows[rows["customer_id"] != rows["customer_id"].iloc[0]].iloc[0]
    return [Finding(
        "warning", f"subscription {first!r} is billed to customer ids that differ only "
        f"in case ({names}): they count as {rows['customer_id'].nunique()} customers; "
        f"write them alike if they are one ({int(mixed.sum())} subscription(s) so)",
        str(other["file"]), int(other["row"]), export.header("lines", "customer_id"))]


def _distinct_per(group, value, size):
    """How many distinct ``value`` codes each of ``size`` groups has.

    >>> _distinct_per(np.array([0, 0, 1, 0]), np.array([3, 3, 1, 2]), 3).tolist()
    [2, 1, 0]
    """
    span = int(value.max(initial=0)) + 1
    pairs = pd.unique(group.astype(np.int64) * span + value)
    return np.bincount(pairs // span, minlength=size)
