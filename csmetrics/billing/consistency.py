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

from csmetrics.billing.checks import Finding, first_rows

DEFINITIONS = {
    "subtotal": ("its lines' amounts added up (before discount and tax)",
                 lambda sums: sums["amount"]),
    "total": ("its lines' amount - discount + tax added up",
              lambda sums: sums["amount"] - sums["discount"] + sums["tax"]),
}
"""The figures an invoice may state for its lines (the model's ``subtotal`` and ``total``),
each as the vendors define it and as computed from the lines."""


def check_export(export):
    """The findings of the whole-export checks of ``export`` (a list, errors first).

    >>> from csmetrics.billing.model import Export, invoice_rows, line_items, no_cancellations
    >>> invoices = invoice_rows(invoice_id=["in_1", "in_1"], file=["inv.csv"] * 2, row=[2, 3])
    >>> print(*check_export(Export(line_items(), invoices, no_cancellations(), [])))
    error: inv.csv, row 3, column 'invoice_id': invoice id 'in_1' is given twice, the rows
    differing (first at inv.csv, row 2): two invoices cannot share an id; keep the right row
    """
    findings = []
    findings += duplicate_ids(export, "invoices", "invoice_id", "invoice")
    findings += duplicate_ids(export, "lines", "line_id", "line")
    findings += line_currencies(export)
    findings += reconciliation(export)
    return findings


def duplicate_ids(export, table, column, what):
    """Error: one id on two rows (in one file or two). Rows repeated cell for cell were
    already read once (:func:`~csmetrics.billing.files.without_repeated_rows`), so the
    rows left differ: which is right cannot be told, and adding them up would count one
    record twice."""
    frame = getattr(export, table)
    ids = frame[column]
    again = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
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


def line_currencies(export):
    """Error: a line in another currency than its invoice (an invoice is billed in one)."""
    lines, invoices = export.lines, export.invoices
    if lines.empty or invoices.empty:
        return []
    known = invoices.drop_duplicates("invoice_id").set_index("invoice_id")["currency"]
    invoice_currency = lines["invoice_id"].map(known)
    other = (invoice_currency.notna() & lines["currency"].notna()
             & (invoice_currency != lines["currency"])).to_numpy()
    if not other.any():
        return []
    first = lines[other].iloc[0]
    return [Finding(
        "error", f"line of invoice {first['invoice_id']!r} is in {first['currency']}, its "
        f"invoice in {invoice_currency[other].iloc[0]}: an invoice is billed in one currency "
        f"({first_rows(lines['row'][other])})", str(first["file"]), int(first["row"]),
        export.header("lines", "currency"))]



def reconciliation(export):
    """Error: an invoice whose own subtotal or total (where its file states one) is not
    what its lines add up to, to the cent; the message names the invoice, both sums and
    the likely cause. Lines from a credit note or adjustment are not the invoice's; void
    and draft invoices, which never count, are not reconciled."""
    invoices = export.invoices.drop_duplicates("invoice_id").set_index("invoice_id")
    invoices = invoices[~invoices["status"].isin(["void", "draft"]).to_numpy()]
    lines = export.lines[export.lines["on_invoice"].to_numpy()]
    sums = lines.groupby("invoice_id", sort=False)[["amount", "discount", "tax"]].sum() \
        .reindex(invoices.index, fill_value=0)
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
