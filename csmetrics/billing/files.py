"""Reading a vendor's export files: the one place billing touches the CSV reader.

Every source reads its files through :func:`read_vendor_csv` (the engine's own safe CSV
reader, :func:`csmetrics.tables.io.read_csv_table`) and its columns through a
:class:`VendorTable`, which reads numbers and dates as the file's locale writes them. A
vendor's column names come from its map file (``csmetrics/billing/maps/<source>.toml``); a
file is recognised by its header (the columns the map requires), not by its name, so
exports keep the names users downloaded them with.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.billing.checks import BillingError, Finding, listed, more_rows
from csmetrics.billing.minor_units import readings, smallest_unit_to_cents
from csmetrics.billing.model import unstated
from csmetrics.errors import DataError
from csmetrics.tables import parse
from csmetrics.tables.io import read_csv_table
from csmetrics.tables.locales import CODE_PAGES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAPS = Path(__file__).parent / "maps"
UNITS = ("cents", "units")
LARGEST_AMOUNT = 1e15
"""No invoice line comes near a quadrillion of its currency's units (or smallest units);
beyond it, cents would leave the exact range of the arithmetic."""
WHOLE = r"^\s*[-+]?\d+\s*$"
"""An amount in a currency's smallest unit: digits, with an optional sign, nothing else."""
OFFSET = r"(?:Z|[+-]\d\d:?\d\d)$"
"""The end of an ISO 8601 time that names its offset from UTC (``Z``, ``+01:00``)."""
LAST_SECOND = r"[T ]23:59:59(?:[.,]\d+)?$"
"""A time in the last second of its day: an inclusive end (``23:59:59``, ``23:59:59.999``)."""


def read_vendor_csv(path, *, locale=None):
    """A vendor CSV as a :class:`~csmetrics.tables.io.RawTable` (cells as text).

    ``locale`` (``"fr"``, ``"ro"``, ...) gives the code page of a file not saved as UTF-8;
    the cells are read later, by :class:`VendorTable`, with the same locale.
    """
    return read_csv_table(Path(path), locale=locale)


def column_codes(frame, column, known):
    """``pd.factorize(frame[column])``: each row's code and the column's distinct values,
    found once per table (``known`` keeps them by column name) for every check that reads
    the column. The codes are kept in the smallest integers that hold them (a column of
    twenty dates in one byte a row, not eight), and the distinct values of a column of
    ids, each on one row, are the column itself, not a copy.

    >>> codes, distinct = column_codes(pd.DataFrame({"id": ["b", "a", "b"]}), "id", {})
    >>> codes.tolist(), codes.dtype.name, distinct.tolist()
    ([0, 1, 0], 'int8', ['b', 'a'])
    """
    if column not in known:
        codes, distinct = factorized(frame[column])
        if len(distinct) == len(codes):
            distinct = pd.Index(frame[column])
        known[column] = codes.astype(np.min_scalar_type(-len(distinct) - 1)), distinct
    return known[column]


def factorized(values):
    """``pd.factorize(values)``, then the memory pyarrow's allocator kept for its table of
    distinct values given back: for a million ids it is 200 MB, which would otherwise stay
    with the process while the rest of the export is read.

    >>> [part.tolist() for part in factorized(pd.Series(["b", "a", "b"]))]
    [[0, 1, 0], ['b', 'a']]
    """
    result = pd.factorize(values)
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    return result


def load_map(name):
    """The column map of a source: ``{table: {"columns": {...}, "optional": {...}, ...}}``.

    >>> sorted(load_map("stripe")["tables"])
    ['credit_notes', 'invoices', 'lines']
    """
    path = MAPS / f"{name}.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class VendorTable:
    """One export file read for a source: typed columns by our names, problems as findings.

    ``columns`` maps our names to the vendor's headers (required and optional together);
    ``unit`` is how the file writes money (``cents``: in each currency's smallest unit, or
    ``units``: major units with decimals); ``decimals`` which reading of
    ``maps/currency_decimals.toml`` says how many decimals a smallest unit has;
    ``locale`` how it writes numbers and dates (None: only what reads one way).
    """

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    columns: dict
    unit: str = "units"
    locale: str | None = None
    decimals: str = "iso4217"
    findings: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)
    """:func:`column_codes` of the columns already looked at, by vendor column name."""

    def has(self, key):
        """Whether the file has the vendor column of ``key``."""
        return key in self.columns and self.columns[key] in self.frame.columns

    def _raw(self, key):
        if not self.has(key):
            return pd.Series(np.nan, index=self.frame.index, dtype="str")
        return self.frame[self.columns[key]]

    def _codes(self, key):
        """:func:`column_codes` of the column of ``key`` (None when the file lacks it)."""
        return column_codes(self.frame, self.columns[key], self.codes) if self.has(key) \
            else None

    def problem(self, bad, key, message):
        """Record an error finding for the rows marked ``bad`` in the column of ``key``,
        naming the first row and listing the others."""
        if np.any(bad):
            self.findings.append(Finding(
                "error", message + more_rows(self.rows[bad]), self.path.name,
                int(self.rows[bad][0]), self.columns[key]))

    def _report(self, bad, key, what, reading=None):
        """Error for the cells marked ``bad``; a cell that reads two ways says which
        ``--locale`` reads it each way (``reading.why``)."""
        if np.any(bad):
            at = np.flatnonzero(bad)[0]
            if reading is not None and reading.doubtful[at]:
                self.problem(bad, key, reading.why(at))
                return
            self.problem(bad, key, f"cannot read {self._raw(key).iloc[at]!r} as {what}")

    def _read(self, key, read, what, values=None):
        """``(values, bad)`` of the column read by ``read`` (a :mod:`~csmetrics.tables.parse`
        reader) in the table's locale, the bad and doubtful cells reported."""
        reading = read(self._raw(key) if values is None else values, self.locale)
        bad = reading.bad | reading.doubtful
        self._report(bad, key, what, reading)
        return reading.values, bad

    def lost_invoices(self, invoice_id, lost, source):
        """Error: lines whose invoice is not in the invoices file (no customer)."""
        if np.any(lost):
            self.problem(lost, "invoice_id", f"line of invoice {invoice_id[lost][0]!r}, which "
                         f"is not in the {source} invoices file: its customer cannot be found")

    def text(self, key):
        """The column as stripped text (an array; NaN for a blank). A column with no text
        at all (absent, empty or all blank) is an object array, so that string methods
        work on it on every supported pandas (2.2 gives such a column a float dtype)."""
        values = parse.text_codes(self._raw(key), factorized=self._codes(key))[0]
        if values.dtype.kind == "f":
            values = values.astype(object)
        return values.array

    def file_column(self):
        """The file's name on every row (a categorical: one name, no copies)."""
        return pd.Categorical.from_codes(np.zeros(len(self.rows), dtype=np.int8),
                                         [self.path.name])

    def required_text(self, key):
        """:meth:`text`, a blank cell being an error."""
        values = self.text(key)
        self.problem(pd.isna(values), key, "blank cell: every row needs a value")
        return values

    def cents(self, key, currency):
        """Money as whole cents (int64), each row read in its ``currency``; a blank cell is 0.

        Major units are multiplied by 100. An amount in the smallest unit is converted by
        :func:`~csmetrics.billing.minor_units.smallest_unit_to_cents`: 1000 JPY is 100000
        cents, 12500 fils (12.5 BHD) 1250 cents; one that is not a whole cent (1005 fils),
        or in a currency whose decimals the vendor does not document, is an error.
        """
        values, bad = self._read(key, parse.read_numbers, "an amount")
        amounts = values.fillna(0).to_numpy(dtype=float, copy=True)
        huge = ~bad & (np.abs(amounts) >= LARGEST_AMOUNT)
        if huge.any():
            self.problem(huge, key, f"{self._raw(key)[huge].iloc[0]!r} is too large for an "
                         f"invoice amount (at least {LARGEST_AMOUNT:g}): a damaged cell")
            amounts[huge] = 0
            bad = bad | huge
        if self.unit == "units":
            self._check_decimals(key, amounts, bad, currency)
            return self._units_as_cents(key, amounts, bad)
        raw = self._raw(key)
        written = ~bad & values.notna().to_numpy() & ~matching(raw, WHOLE, self._codes(key))
        if written.any():
            self.problem(written, key, (
                f"{raw[written].iloc[0]!r} has a decimal point (or exponent), but this column "
                "holds amounts in the currency's smallest unit (cents), which are whole "
                "numbers: the column looks re-saved in currency units; csmetrics does not "
                "guess which"))
        cents, not_whole, undocumented, decimals = smallest_unit_to_cents(
            amounts, currency, self.decimals)
        if not_whole.any():
            at = np.flatnonzero(not_whole)[0]
            self.problem(not_whole, key, (
                f"{self._raw(key).iloc[at]!r} {str(currency[at]).upper()} is in "
                f"1/{10 ** int(decimals[at])} of the currency (its smallest unit): "
                f"{amounts[at] / 10 ** int(decimals[at]):g} {str(currency[at]).upper()} is "
                "not a whole number of cents, and csmetrics does not round money"))
        if undocumented.any():
            at = np.flatnonzero(undocumented)[0]
            self.problem(undocumented, key, (
                f"{self._raw(key).iloc[at]!r} is in {str(currency[at]).upper()}, whose "
                "smallest unit is not a hundredth, and no documentation found says how "
                f"{self.decimals} writes such amounts (csmetrics/billing/maps/"
                f"currency_decimals.toml, [{self.decimals}]): it is not guessed"))
        return cents

    def stated_cents(self, key, currency):
        """:meth:`cents` of a column that may be absent or blank (an invoice's own figure
        for its lines): nullable Int64, <NA> where nothing is written."""
        if not self.has(key):
            return unstated(len(self.rows))
        cents = pd.array(self.cents(key, currency), dtype="Int64")
        cents[pd.isna(self.text(key))] = pd.NA
        return cents

    def _check_decimals(self, key, amounts, bad, currency):
        """Decimals written as a moved decimal point writes them: an amount written with
        more decimals than its currency has (``10.000`` EUR, ``1200.0`` JPY) is an error,
        unless the column writes most amounts of such currencies so; with fewer than three
        in four of the others in currencies of as many decimals, at least three
        (``1000.0`` among ``100.00``), a warning (Excel, which drops trailing zeros, also
        writes fewer)."""
        raw = self._raw(key)
        written = decimals_written(raw, amounts, self._codes(key))
        codes, known = pd.factorize(pd.Series(currency))
        iso = readings()["iso4217"][0]
        minor = np.append([iso.get(str(code).upper(), 2) for code in known], 2)[codes]
        valid = ~bad & raw.notna().to_numpy()
        for places in np.unique(minor[valid]):
            chosen = valid & (minor == places)
            counts = np.bincount(written[chosen])
            usual = int(np.argmax(counts))
            confident = counts[usual] >= 3 and counts[usual] >= 0.75 * chosen.sum()
            more = chosen & (written > places) & ~(confident & (written <= usual))
            fewer = chosen & confident & (written > 0) & (written < usual)
            for level, which in (("error", more), ("warning", fewer)):
                if which.any():
                    at = np.flatnonzero(which)[0]
                    than = (f"{str(known[codes[at]]).upper()} has {places}" if level == "error"
                            else "the column's other amounts in currencies of "
                            f"{places} decimals have {usual}")
                    self.findings.append(Finding(
                        level, f"{raw.iloc[at]!r} is written with {written[at]} decimal(s) "
                        f"where {than}: a moved decimal point?{more_rows(self.rows[which])}",
                        self.path.name, int(self.rows[at]), self.columns[key]))

    def _units_as_cents(self, key, amounts, bad):
        """Amounts in currency units as whole cents; one finer than a cent is an error."""
        exact = amounts * 100
        cents = np.rint(exact)
        finer = ~bad & ~(np.abs(exact - cents) <= 1e-6 * np.maximum(1, np.abs(exact)) + 1e-9)
        finer |= ~bad & (np.abs(cents) >= 2.0 ** 62)
        if finer.any():
            self.problem(finer, key, (
                f"{self._raw(key)[finer].iloc[0]!r} is not a whole number of cents (or too "
                "large to count in cents), and csmetrics does not round money"))
            cents[finer] = 0
        return cents.astype(np.int64)

    def numbers(self, key, *, blank=np.nan):
        """Plain numbers (floats); a blank cell is ``blank``."""
        values, bad = self._read(key, parse.read_numbers, "a number")
        return values.fillna(blank).to_numpy(dtype=float)

    def dates(self, key):
        """Calendar days (datetime64[ns]); NaT for a blank. A time with an offset from UTC
        (``2025-02-01T00:30:00+01:00``) is the instant it names, and its day the day in UTC
        (2025-01-31), as Stripe dates its periods."""
        values, _ = self._read(key, parse.read_dates, "a date (YYYY-MM-DD, optionally with "
                               "a time)", self._utc_text(key))
        return values.to_numpy()

    def _matching(self, key, pattern):
        """:func:`matching` of the column of ``key`` as :meth:`_utc_text` gives it."""
        text = self._utc_text(key)
        return matching(self._raw(key), pattern, self._codes(key)) if text is None else \
            matching(text, pattern)

    def period_bounds(self, key):
        """:meth:`dates` of a column of service period starts or (exclusive) ends: a time in
        the last second of a day (``2025-01-31 23:59:59`` or ``.999``) is the next midnight
        (2025-02-01), with an info finding. An end written so is the inclusive end of its
        day; a start written so begins when the day is over."""
        days = self.dates(key)
        last = self._matching(key, LAST_SECOND) & ~np.isnat(days)
        if last.any():
            at = np.flatnonzero(last)[0]
            self.findings.append(Finding(
                "info", f"{int(last.sum())} service period date(s) written in the last "
                f"second of a day (first {self._raw(key).iloc[at]!r}) read as the next "
                "midnight: an end so written is that day included"
                f"{more_rows(self.rows[last])}",
                self.path.name, int(self.rows[at]), self.columns[key]))
        return days + np.where(last, np.timedelta64(1, "D"), np.timedelta64(0, "D"))

    def _utc_text(self, key):
        """The column's text, each time written with an offset from UTC rewritten as the
        same instant in UTC, without offset; None when no cell names an offset (the
        column as it is)."""
        raw = self._raw(key)
        if not pd.api.types.is_string_dtype(raw.dtype):
            return None
        offset = matching(raw, OFFSET, self._codes(key))
        if not offset.any():
            return None
        text = raw.astype(object)
        instants = pd.to_datetime(text[offset].str.strip(), utc=True, errors="coerce",
                                  format="ISO8601")
        utc = instants.dt.tz_convert(None).dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
        text[offset] = utc.where(instants.notna(), text[offset])
        return text

    def flags(self, key):
        """Booleans; a blank cell is False."""
        values, bad = parse.parse_flag(self._raw(key))
        self._report(bad, key, "true or false")
        return values.fillna(False).to_numpy(dtype=bool)


def invoice_currency(invoice_id, ids, currency):
    """The currency of the invoice of each of ``invoice_id``, from the invoices' ``ids`` and
    ``currency`` (the first of a repeated id; NaN for an invoice not found, which has an
    error of its own).

    >>> invoice_currency(["in_2", "in_9"], ["in_1", "in_2"], ["EUR", "JPY"]).tolist()
    ['JPY', nan]
    """
    known = pd.Series(np.asarray(currency, dtype=object), index=ids)
    known = known[~known.index.duplicated()]
    return pd.Series(invoice_id).map(known).to_numpy(dtype=object)


def matching(values, pattern, factorized=None):
    """Which cells of ``values`` are text that ``pattern`` (a regular expression) finds, once
    per distinct value: exports repeat the same dates and prices on many rows.
    ``factorized`` is ``pd.factorize(values)`` when the caller has it.

    >>> matching(pd.Series(["10", "10.5", None, "10"]), r"[.]").tolist()
    [False, True, False, False]
    """
    codes, distinct = factorized or pd.factorize(pd.Series(values, dtype=object))
    found = pd.Series(distinct, dtype=object).map(
        lambda value: isinstance(value, str) and re.search(pattern, value.strip()) is not None)
    return np.append(found.to_numpy(dtype=bool), False)[codes]


def decimals_written(texts, values, factorized=None):
    """How many decimals each cell writes (0 for a whole number, a blank, or ``1,250``
    read as 1250), from its text and the value it was read as; once per distinct text
    (``factorized``: ``pd.factorize(texts)``, when the caller has it).

    >>> decimals_written(pd.Series(["100.00", "1000.0", "1,250", "1 250,5", None, "0.00"]),
    ...                  np.array([100.0, 1000.0, 1250.0, 1250.5, np.nan, 0.0])).tolist()
    [2, 1, 0, 1, 0, 2]
    """
    codes, distinct = factorized or pd.factorize(pd.Series(texts, dtype=object))
    first = np.zeros(len(distinct), dtype=np.int64)
    first[codes[::-1][codes[::-1] >= 0]] = np.flatnonzero(codes >= 0)[::-1]
    text = pd.Series(distinct, dtype=object).astype(str).str.strip()
    places = text.str.extract(r"[.,](\d+)$")[0].str.len().fillna(0).to_numpy(dtype=np.int64)
    value = np.abs(np.asarray(values, dtype=float)[first]) if len(first) else np.zeros(0)
    digits = pd.to_numeric(text.str.replace(r"\D", "", regex=True), errors="coerce") \
        .to_numpy(dtype=float)
    grouping = (places == 3) & (np.abs(value - digits) < 0.5)
    return np.append(np.where(grouping, 0, places), 0)[codes]


def first_positions(wanted, ids):
    """The position in ``ids`` of each of ``wanted`` (its first when repeated; -1 when
    absent): lookups that a repeated id, which the checks report, cannot break.

    >>> first_positions(["b", "x", "a"], pd.Index(["a", "b", "a"])).tolist()
    [1, -1, 0]
    """
    return positions_of(*reversed(id_codes(ids, wanted)))


def id_codes(*columns):
    """The ids of each of ``columns`` as codes of one numbering (-1 for a blank), found in
    one pass over them all: an id has the same code in every column.

    >>> [codes.tolist() for codes in id_codes(["a", "b"], pd.Series(["b", None, "c"]))]
    [[0, 1], [1, -1, 2]]
    """
    both = pd.concat([pd.Series(np.asarray(column) if isinstance(column, list) else column)
                      for column in columns], ignore_index=True)
    codes = factorized(both)[0]
    return np.split(codes, np.cumsum([len(column) for column in columns])[:-1])


def positions_of(wanted, ids):
    """The position of the first of ``ids`` (codes, as :func:`id_codes` gives them) that
    has each code of ``wanted`` (-1: none has it; a blank finds the first blank).

    >>> positions_of(np.array([1, 3, -1, 0]), np.array([0, 1, 0, -1])).tolist()
    [1, -1, 3, 0]
    """
    first = np.flatnonzero(~pd.Series(ids).duplicated().to_numpy())
    table = np.full(max(ids.max(initial=-1), wanted.max(initial=-1)) + 2, -1)
    table[ids[first]] = first
    return table[wanted]


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
                                   _repeated_finding(matches[0].name, repeated)
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


def without_repeated_rows(frame, rows, key, known=None):
    """The rows of ``frame`` with every row that repeats an earlier one cell for cell left
    out; returns ``(frame, rows, repeated)``, ``repeated`` being ``[(row, earlier row)]``.

    Rows alike in the ``key`` columns only are candidates; the whole row is compared among
    them (a row pasted twice, a page downloaded twice). Rows that differ in any cell are
    all kept: whether two of them are one record is for the checks to say. A key column
    whose every value is distinct (an id) settles it at once. ``known`` keeps the
    :func:`column_codes` found, for the rows kept.

    >>> frame = pd.DataFrame({"id": ["a", "b", "a", "a"], "amount": ["1", "2", "1", "3"]})
    >>> kept, rows, repeated = without_repeated_rows(frame, np.arange(4) + 2, ["id"])
    >>> kept["amount"].tolist(), rows.tolist(), repeated
    (['1', '2', '3'], [2, 3, 5], [(4, 2)])
    """
    key = [c for c in key if c in frame.columns] or list(frame.columns)
    known = {} if known is None else known
    codes = []
    for column in key:
        found, distinct = column_codes(frame, column, known)
        if len(distinct) == len(frame):
            return frame, rows, []
        codes.append((found, len(distinct)))
    candidates = _alike(codes)
    if not candidates.any():
        return frame, rows, []
    alike = frame[candidates]
    again = alike.duplicated(keep="first").to_numpy()
    if not again.any():
        return frame, rows, []
    first = alike.groupby(list(alike.columns), dropna=False, sort=False).ngroup().to_numpy()
    earliest = pd.Series(rows[candidates]).groupby(first).transform("min").to_numpy()
    repeated = [(int(row), int(origin)) for row, origin in
                zip(rows[candidates][again], earliest[again], strict=True)]
    drop = np.zeros(len(frame), dtype=bool)
    drop[np.flatnonzero(candidates)[again]] = True
    known.update({column: (found[~drop], distinct)
                  for column, (found, distinct) in known.items()})
    return frame[~drop].reset_index(drop=True), rows[~drop], repeated


def _alike(codes):
    """Which rows are alike in every column of ``codes`` (``[(codes, distinct count)]``)
    with another row, as ``DataFrame.duplicated(keep=False)`` says, on the codes alone.

    >>> _alike([(np.array([0, 1, 0, -1, -1]), 2), (np.array([0, 0, 0, 1, 1]), 2)]).tolist()
    [True, False, True, True, True]
    """
    combined = np.zeros(len(codes[0][0]), dtype=np.int64)
    for found, count in codes:
        combined = pd.factorize(combined * (count + 1) + found + 1)[0]
    return np.bincount(combined)[combined] > 1


def _code_page_finding(name, notes):
    """An info finding for a file read in a Windows code page, naming the locales that
    read it so (``cp1252``: --locale en, fr or de)."""
    pages = [note.removeprefix("code page ") for note in notes if note.startswith("code page")]
    if not pages:
        return []
    locales = [code for code, page in CODE_PAGES.items() if page == pages[0]]
    return [Finding("info", f"not UTF-8: read as Windows code page {pages[0]}, the code page "
                    f"of --locale {', '.join(locales)}", name)]


def _repeated_finding(name, repeated):
    """An info finding for the rows read once because they repeat an earlier one."""
    if not repeated:
        return []
    row, origin = repeated[0]
    return [Finding("info", f"{len(repeated)} row(s) repeat an earlier row cell for cell "
                    f"(first: row {row} repeats row {origin}), as a row pasted twice or a "
                    "page downloaded twice does: each read once, never added up"
                    f"{more_rows([r for r, _ in repeated])}", name, row)]


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


def repeats_as_rows(frame, rows, columns):
    """One row per repeat ``i`` of the ``{i}`` columns (those with any cell filled), every
    index present read (``[0]`` and ``[2]`` without ``[1]`` too); the frame unchanged when
    no column repeats.

    >>> frame = pd.DataFrame({"invoice[id]": ["in_1"], "items[amount][0]": ["10"],
    ...                       "items[amount][1]": ["5"], "items[amount][2]": [None]})
    >>> wide, rows = repeats_as_rows(frame, np.array([2]), {"invoice_id": "invoice[id]",
    ...                                                   "amount": "items[amount][{i}]"})
    >>> wide.to_dict("list"), rows.tolist()
    ({'invoice[id]': ['in_1', 'in_1'], 'items[amount][{i}]': ['10', '5']}, [2, 2])
    """
    patterns = [name for name in columns.values() if "{i}" in name]
    if not patterns:
        return frame, rows
    fixed = [c for c in frame.columns if not any(_is_repeat(c, p) for p in patterns)]
    indexes = sorted({int(_repeat_index(c, p)) for c in frame.columns for p in patterns
                      if _is_repeat(c, p)})
    parts, numbers = [], []
    for index in indexes:
        part = frame[fixed].copy()
        for pattern in patterns:
            name = pattern.format(i=index)
            part[pattern] = frame[name] if name in frame.columns else np.nan
        filled = part[patterns].notna().any(axis=1).to_numpy()
        parts.append(part[filled])
        numbers.append(rows[filled])
    if not parts:
        return frame[fixed].iloc[:0].assign(**{p: [] for p in patterns}), rows[:0]
    order = np.argsort(np.concatenate(numbers), kind="stable")
    return (pd.concat(parts, ignore_index=True).iloc[order].reset_index(drop=True),
            np.concatenate(numbers)[order])


def _is_repeat(column, pattern):
    head, _, tail = pattern.partition("{i}")
    return column.startswith(head) and column.endswith(tail) and \
        _repeat_index(column, pattern).isdigit()


def _repeat_index(column, pattern):
    head, _, tail = pattern.partition("{i}")
    return column[len(head):len(column) - len(tail)] if tail else column[len(head):]


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
