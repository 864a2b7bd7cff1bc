"""Finding and reading a vendor's export files: the one place billing touches the CSV reader.

Every source reads its files through :func:`read_vendor_csv` (the engine's own safe CSV
reader, :func:`csmetrics.tables.io.read_csv_table`) and its columns through a
:class:`~csmetrics.billing.vendor_table.VendorTable`, which reads numbers and dates as the
file's locale writes them. A vendor's column names come from its map file
(``csmetrics/billing/maps/<source>.toml``); a file is recognised by its header (the
columns the map requires), not by its name, so exports keep the names users downloaded
them with.
"""

import sys
from pathlib import Path

from csmetrics.billing.checks import BillingError, Finding, listed
from csmetrics.billing.minor_units import readings
from csmetrics.billing.rows import repeated_finding, repeats_as_rows, without_repeated_rows
from csmetrics.billing.vendor_table import VendorTable
from csmetrics.errors import DataError
from csmetrics.tables.io import read_csv_table
from csmetrics.tables.locales import CODE_PAGES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAPS = Path(__file__).parent / "maps"


UNITS = ("cents", "units")


def read_vendor_csv(path, *, locale=None):
    """A vendor CSV as a :class:`~csmetrics.tables.io.RawTable` (cells as text).

    ``locale`` (``"fr"``, ``"ro"``, ...) gives the code page of a file not saved as UTF-8;
    the cells are read later, by :class:`VendorTable`, with the same locale.
    """
    return read_csv_table(Path(path), locale=locale)


def load_map(name):
    """The column map of a source: ``{table: {"columns": {...}, "optional": {...}, ...}}``.

    >>> sorted(load_map("stripe")["tables"])
    ['credit_notes', 'invoices', 'lines']
    """
    path = MAPS / f"{name}.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


def find_tables(folder, source, *, spec=None, locale=None):
    """Read the files of ``folder`` that are the tables of ``source``'s map (or ``spec``).

    A CSV file is a table when its header holds every required column of that table. A
    column named with ``{i}`` (``line_items[amount][{i}]``) repeats for i = 0, 1, ... on
    one row: each repeat becomes a row of its own, with the row's other cells. Returns
    ``{table: VendorTable}``; a required table with no file is a
    :class:`~csmetrics.billing.checks.BillingError` naming the vendor columns expected and
    those of the file closest to them.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder (give the folder holding the export files)")
    spec = spec or load_map(source)
    decimals = _decimals(spec, source)
    paths, skipped = csv_files(folder)
    headers = {path: read_vendor_csv(path, locale=locale) for path in paths}
    found, missing = {}, []
    for table, table_spec in spec["tables"].items():
        required = [name.format(i=0) for name in table_spec["columns"].values()]
        matches = [path for path, raw in headers.items()
                   if set(required) <= {str(c).strip() for c in raw.frame.columns}]
        if not matches:
            if not table_spec.get("optional_table", False):
                missing.append(_missing_table(source, table, required, headers))
            continue
        if len(matches) > 1:
            names = ", ".join(path.name for path in matches)
            raise BillingError([Finding("error", f"two files look like the {source} {table} "
                                        f"export ({names}); keep one", str(folder))])
        if headers[matches[0]].frame.empty and not table_spec.get("optional_table", False):
            missing.append(Finding("error", f"this is the {source} {table} export, but it has "
                                   "its header and no row: export it again", matches[0].name, 1))
            continue
        known = {}
        wide, rows, repeated = without_repeated_rows(
            headers[matches[0]].frame.rename(columns=lambda c: str(c).strip()),
            headers[matches[0]].rows, required, known)
        columns = {**table_spec["columns"], **table_spec.get("optional", {})}
        frame, rows = repeats_as_rows(wide, rows, columns)
        found[table] = VendorTable(matches[0], frame, rows, columns,
                                   _unit(table_spec, source, table), locale, decimals,
                                   repeated_finding(matches[0].name, repeated)
                                   + _code_page_finding(matches[0].name,
                                                        headers[matches[0]].notes),
                                   known if frame is wide else {})
    if missing:
        raise BillingError(missing + skipped)
    if found:
        next(iter(found.values())).findings.extend(skipped)
    return found


HEADER_BYTES = 1 << 20
"""A header line longer than this (1 MiB) is not an export's: the file is skipped unread."""


MOST_COLUMNS = 10_000
"""A header of more columns than this is not an export's: the file is skipped unread."""


SIGNATURES = {b"PK\x03\x04": "a zip archive (unzip it first)",
              b"%PDF": "a PDF document",
              b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls: save it as CSV UTF-8)",
              b"\x89PNG": "a PNG picture", b"PAR1": "a Parquet file"}
"""The first bytes of files that are often renamed ``.csv`` by mistake, and what they are."""


def files_named(folder, suffix):
    """The files of ``folder`` whose name ends in ``suffix``, in any case (``.CSV`` too),
    sorted by name."""
    return sorted(path for path in Path(folder).iterdir()
                  if path.suffix.lower() == suffix and path.is_file())


def csv_files(folder):
    """The CSV files of ``folder`` worth reading, and warnings for those skipped unread:
    a header line longer than :data:`HEADER_BYTES` or of more than :data:`MOST_COLUMNS`
    columns (a 10 MB header, a 300,000-column sheet beside the export: reading it would
    take gigabytes). A file that is not text at all (a zip archive renamed ``.csv``) is an
    error saying what it is."""
    paths, skipped = [], []
    for path in files_named(folder, ".csv"):
        with path.open("rb") as handle:
            start = handle.read(HEADER_BYTES + 1)
        for signature, what in SIGNATURES.items():
            if start.startswith(signature):
                raise BillingError([Finding("error", f"this is {what}, not a CSV file; "
                                            "nothing was read", path.name)])
        first = start.split(b"\n", 1)[0]
        columns = 1 + max(first.count(separator) for separator in (b",", b";", b"\t"))
        if len(first) > HEADER_BYTES:
            skipped.append(Finding("warning", "skipped unread: its header line is longer "
                                   f"than {HEADER_BYTES // (1 << 20)} MiB, no export's is",
                                   path.name, 1))
        elif columns > MOST_COLUMNS:
            skipped.append(Finding("warning", f"skipped unread: its header has {columns:,} "
                                   f"columns, more than the {MOST_COLUMNS:,} any export has",
                                   path.name, 1))
        else:
            paths.append(path)
    return paths, skipped


def _code_page_finding(name, notes):
    """An info finding for a file read in a Windows code page, naming the locales that
    read it so (``cp1252``: --locale en, fr or de)."""
    pages = [note.removeprefix("code page ") for note in notes if note.startswith("code page")]
    if not pages:
        return []
    locales = [code for code, page in CODE_PAGES.items() if page == pages[0]]
    return [Finding("info", f"not UTF-8: read as Windows code page {pages[0]}, the code page "
                    f"of --locale {', '.join(locales)}", name)]


def _unit(table_spec, source, table):
    """The table's ``unit`` (default ``units``); any other word than ``cents`` or
    ``units`` is an error."""
    unit = table_spec.get("unit", "units")
    if unit not in UNITS:
        raise BillingError([Finding(
            "error", f"the {source} map gives the {table} table the unit {unit!r}; it must "
            f"be one of {', '.join(UNITS)}")])
    return unit


def _decimals(spec, source):
    """The map's ``decimals`` reading (default ``iso4217``); an unknown one is an error."""
    decimals = spec.get("decimals", "iso4217")
    if decimals not in readings():
        raise BillingError([Finding(
            "error", f"the {source} map names the currency decimals {decimals!r}, which "
            f"maps/currency_decimals.toml does not have; it has {', '.join(readings())}")])
    return decimals


def _missing_table(source, table, required, headers):
    """A finding naming the vendor columns a table needs and the closest file's columns."""
    wanted = ", ".join(f"'{c}'" for c in required)
    if not headers:
        return Finding("error", f"no CSV file found; the {source} {table} export has the "
                       f"columns {wanted}")
    empty = [path.name for path, raw in headers.items() if len(raw.frame.columns) == 0]
    if empty:
        return Finding("error", f"no file is the {source} {table} export (its columns are "
                       f"{wanted}), and {', '.join(empty)} is empty (0 bytes, or blank "
                       "lines): export it again", empty[0], 1)
    closest = max(headers, key=lambda p: len(set(required) & set(headers[p].frame.columns)))
    columns = [str(c).strip() for c in headers[closest].frame.columns]
    lacking = ", ".join(f"'{c}'" for c in required if c not in columns)
    return Finding(
        "error", f"no file is the {source} {table} export: it needs the columns {wanted}; "
        f"the closest, {closest.name}, lacks {lacking} (its columns are: "
        f"{listed(columns) or 'none'})", closest.name, 1)
