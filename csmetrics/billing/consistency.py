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

