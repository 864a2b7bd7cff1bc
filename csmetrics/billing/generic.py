"""Any billing system: one file of invoice lines and a mapping file (TOML) that says which
column is what.

The mapping has the shape of the vendor maps in ``maps/``: a ``[tables.lines]`` table with
``columns`` (required: customer_id, invoice_id, currency, amount, start) and ``optional``
columns (end, subscription_id, discount, tax, kind, status, proration, issue_date,
due_date, paid_date, written_off_date, line_id, invoice_total: the invoice's total as the
file states it, tax included and discounts taken off, checked against its lines),
``kinds`` and ``statuses`` (the file's words for
:data:`~csmetrics.billing.model.KINDS` and :data:`~csmetrics.billing.model.STATUSES`) and
these settings:

``unit``
    ``"cents"`` (in each currency's smallest unit) or ``"units"`` (default): how amounts
    are written.
``end``
    ``"exclusive"`` (default: the first day no longer served, as Stripe and ChartMogul
    write it) or ``"inclusive"`` (the last day served).
``amount_includes_tax``, ``amount_after_discount``
    whether ``amount`` already has the tax added or the discount taken off (default no).
``decimals`` (top level)
    for ``"cents"``, whose decimals a smallest unit has: a reading of
    ``maps/currency_decimals.toml`` (default ``"iso4217"``; ``"stripe"``, ...).
``locale`` (top level)
    how the file writes numbers and dates (see :func:`~csmetrics.billing.files.read_vendor_csv`).

Chargebee and Recurly are read through this module with their bundled maps.
"""

import csv
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.billing.checks import BillingError, Finding
from csmetrics.billing.codes import invoice_currency
from csmetrics.billing.files import files_named, find_tables, load_map, tomllib
from csmetrics.billing.mapping_schema import mapping_problems
from csmetrics.billing.model import (
    KINDS,
    STATUSES,
    Export,
    invoice_rows,
    line_items,
    no_cancellations,
)
from csmetrics.tables.io import undecodable_place

ONE_DAY = np.timedelta64(1, "D")


def read(folder, *, locale=None, mapping=None):
    """The lines file in ``folder`` read with the user's ``mapping`` (a TOML path or dict)."""
    if mapping is None:
        raise BillingError([Finding("error", "the generic source needs a mapping file "
                                    "(--mapping FILE.toml) saying which column is what")])
    return read_with_map(folder, "generic", _mapping(mapping), locale=locale)


def read_vendor(name):
    """A reader for a vendor whose bundled map (``maps/<name>.toml``) has this shape."""
    def read_export(folder, *, locale=None, mapping=None):
        spec = load_map(name)
        if Path(folder).is_file():
            raise _export_data_hint(folder, spec, BillingError([Finding(
                "error", "give the folder holding the export's files, not a file",
                Path(folder).name)]))
        try:
            return read_with_map(folder, name, _checked(_lines_map(spec), f"maps/{name}.toml"),
                                 locale=locale)
        except BillingError as error:
            raise _export_data_hint(folder, spec, error) from None
    read_export.__doc__ = f"The {name} export in ``folder`` (bundled map maps/{name}.toml)."
    return read_export


def _lines_map(spec):
    """The map without what only recognises files it does not read (``export_data``)."""
    return {key: value for key, value in spec.items() if key != "export_data"}


def _export_data_hint(folder, spec, error):
    """The error of a folder without the vendor's import file, saying so when it holds the
    vendor's "Export Data" download instead (a zip, or its unzipped LineItems.csv), with the
    columns found: such a download is recognised, not read (see the map's comment)."""
    wanted = set(spec.get("export_data", {}).get("columns", ()))
    folder = Path(folder)
    if not wanted:
        return error
    paths = [folder] if folder.is_file() else \
        files_named(folder, ".csv") + files_named(folder, ".zip")
    for path in paths:
        found = export_data_columns(path, wanted)
        if found is not None:
            return BillingError([Finding(
                "error", "this is Chargebee's \"Export Data\" download (columns: "
                f"{', '.join(found)}): it is recognised but not read, because no public "
                "source shows which of its columns hold the invoice's status and currency, "
                "nor confirms the unit of its amounts, and reading them on a guess could "
                "count void invoices or misread every amount a hundredfold; export the "
                "invoices with Chargebee's import/export format (invoice[id], "
                "line_items[amount][0], ...), or read LineItems.csv with --from generic and "
                "a mapping naming its columns, currency and unit", path.name, 1),
                *error.findings])
    return error


def export_data_columns(path, wanted):
    """The header of ``path`` (a CSV, or a zip holding a ``LineItems.csv``) when it holds
    every column of ``wanted``, else None."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if Path(n).name.lower() == "lineitems.csv"]
                if not names:
                    return None
                with archive.open(names[0]) as member:
                    first = member.readline(1 << 20)
        except (zipfile.BadZipFile, OSError):
            return None
    else:
        with path.open("rb") as handle:
            first = handle.readline(1 << 20)
    header = next(csv.reader([first.decode("utf-8-sig", "replace").strip()]), [])
    columns = [column.strip() for column in header]
    return columns if wanted <= set(columns) else None


def read_with_map(folder, name, spec, *, locale=None):
    """An :class:`~csmetrics.billing.model.Export` from one lines file and its map."""
    tables = find_tables(folder, name, spec=spec, locale=spec.get("locale", locale))
    table = tables["lines"]
    settings = spec["tables"]["lines"]
    currency = pd.Series(table.required_text("currency")).str.upper().array
    raw = table.cents("amount", currency)
    tax = table.cents("tax", currency) if table.has("tax") else \
        np.zeros(len(raw), dtype=np.int64)
    discount = table.cents("discount", currency) if table.has("discount") else \
        np.zeros_like(tax)
    amount = raw - (tax if settings.get("amount_includes_tax") else 0) \
        + (discount if settings.get("amount_after_discount") else 0)
    if not table.has("end"):
        end = np.full(len(raw), np.datetime64("NaT"))
    elif settings.get("end", "exclusive") == "inclusive":
        end = table.dates("end") + ONE_DAY
    else:
        end = table.period_bounds("end")
    prorated = table.flags("proration") if table.has("proration") else \
        np.zeros(len(raw), dtype=bool)
    kind = _words(table, "kind", settings.get("kinds", {}), KINDS, "recurring")
    kind = np.where(prorated & (kind == "recurring"), "proration",
                    np.where((kind == "recurring") & (amount < 0), "credit", kind))
    status = _words(table, "status", settings.get("statuses", {}), STATUSES, "paid")
    lines = line_items(
        line_id=table.text("line_id"),
        customer_id=table.required_text("customer_id"),
        subscription_id=table.text("subscription_id"),
        invoice_id=table.required_text("invoice_id"),
        status=status,
        currency=currency,
        amount=amount, discount=discount, tax=tax,
        start=table.period_bounds("start"), end=end, kind=kind.astype(object),
        file=table.file_column(), row=table.rows,
    )
    invoices = _invoices(lines, table)
    findings = list(table.findings)
    if "credit_notes" in tables:
        invoices = _credited(invoices, tables["credit_notes"], name)
        findings += tables["credit_notes"].findings
    return Export(lines, invoices, no_cancellations(), findings,
                  {"lines": table.columns,
                   "invoices": {**table.columns, "total": table.columns.get("invoice_total")}})


def _mapping(mapping):
    """The user's mapping (a dict, or a TOML file saved as UTF-8), checked against the
    schema (:mod:`~csmetrics.billing.mapping_schema`)."""
    if isinstance(mapping, dict):
        return _checked(mapping, "mapping")
    path = Path(mapping)
    if not path.is_file():
        raise BillingError([Finding("error", "no such mapping file", str(path))])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise BillingError([Finding(
            "error", f"the mapping file is not UTF-8 text: "
            f"{undecodable_place(problem, 'cp1252')}; save it as UTF-8 (Notepad: Save as, "
            "Encoding UTF-8; Excel is not a TOML editor)", path.name)]) from None
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise BillingError([Finding("error", f"not a TOML file: {problem}", path.name)]) \
            from None
    return _checked(spec, path.name, text)


def _checked(spec, name, text=None):
    """``spec`` when the schema allows every value in it, else a BillingError listing each
    value it does not allow (with its line in ``text``, when given)."""
    problems = mapping_problems(spec, name)
    if problems:
        raise BillingError([problem if text is None else
                            replace(problem, row=line_of_key(text, problem.column))
                            for problem in problems])
    return spec


def line_of_key(text, key):
    """The line (1 = first) of the TOML ``text`` that sets the dotted ``key`` under its
    table header; None when it is not written that way.

    >>> line_of_key('[tables.lines]\\nunit = "x"\\n[tables.lines.kinds]\\nabo = "y"\\n',
    ...             "tables.lines.kinds.abo")
    4
    """
    *table, leaf = key.split(".")
    header = f"[{'.'.join(table)}]"
    inside = not table
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == header
        elif inside and stripped.split("=")[0].strip().strip('"\'') == leaf:
            return number
    return None


def _words(table, key, words, known, default):
    """A column of vendor words mapped onto ours; an unknown word is an error."""
    if not table.has(key):
        return np.full(len(table.rows), default, dtype=object)
    text = pd.Series(table.text(key)).str.lower()
    mapped = text.map({word.lower(): ours for word, ours in words.items()})
    mapped = mapped.where(mapped.notna(), text.where(text.isin(known)))
    unknown = (mapped.isna() & text.notna()).to_numpy()
    if unknown.any():
        table.problem(unknown, key, f"unknown {key} {text[unknown].iloc[0]!r}; the map knows "
                      f"{', '.join(sorted(set(words) | set(known)))}")
    return mapped.fillna(default).to_numpy(dtype=object)


def _invoices(lines, table):
    """One invoice per invoice_id: its first line's customer, status and currency, the
    dates of the file (its lines' first service day when there is no issue date), what its
    lines owe (tax included), and that much paid when it is paid (a paid invoice is paid in
    full)."""
    frame = lines.assign(
        issue_date=_day(table, "issue_date", lines["start"]),
        due_date=_day(table, "due_date"), paid_date=_day(table, "paid_date"),
        written_off_date=_day(table, "written_off_date"),
        owed=lines["amount"] - lines["discount"] + lines["tax"],
        stated=table.stated_cents("invoice_total", lines["currency"].to_numpy()),
    )
    grouped = frame.groupby("invoice_id", sort=False)
    first = grouped.first()
    return invoice_rows(
        invoice_id=first.index.to_numpy(dtype=object),
        customer_id=first["customer_id"].to_numpy(), status=first["status"].to_numpy(),
        currency=first["currency"].to_numpy(), issue_date=grouped["issue_date"].min(),
        due_date=first["due_date"], paid_date=first["paid_date"],
        written_off_date=first["written_off_date"], amount_due=grouped["owed"].sum(),
        paid=np.where(first["status"] == "paid", grouped["owed"].sum(), 0),
        total=first["stated"].array,
        file=first["file"].to_numpy(), row=first["row"].to_numpy(),
    )


def _credited(invoices, credit_notes, name):
    """Invoices with the credit notes issued against them (cents, voided ones left out) as
    their ``refunded`` amount; a credit note of an invoice not in the export is an error."""
    invoice_id = credit_notes.required_text("invoice_id")
    total = credit_notes.cents("total", invoice_currency(invoice_id, invoices["invoice_id"],
                                                         invoices["currency"]))
    found = pd.Index(invoices["invoice_id"]).get_indexer(invoice_id)
    lost = (found < 0) & pd.notna(invoice_id)
    if lost.any():
        credit_notes.problem(lost, "invoice_id", f"credit note of invoice "
                             f"{invoice_id[lost][0]!r}, which is not in the {name} invoices file")
    live = ~pd.Series(credit_notes.text("status")).str.lower().isin(["voided"]).to_numpy()
    counted = live & (found >= 0)
    refunded = np.bincount(found[counted], weights=total[counted], minlength=len(invoices))
    return invoices.assign(refunded=refunded.astype(np.int64))


def _day(table, key, fallback=None):
    if table.has(key):
        return table.dates(key)
    if fallback is not None:
        return fallback.to_numpy()
    return np.full(len(table.rows), np.datetime64("NaT"), dtype="datetime64[ns]")
