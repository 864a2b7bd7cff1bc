"""One export file's columns read as our model's types, problems as findings.

A :class:`VendorTable` reads numbers and dates as the file's locale writes them, money as
whole cents (checking the decimals written), and each column's distinct values once
(:func:`~csmetrics.billing.codes.column_codes`).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.billing.checks import Finding, more_rows
from csmetrics.billing.codes import column_codes, decimals_written, matching
from csmetrics.billing.minor_units import readings, smallest_unit_to_cents
from csmetrics.billing.model import unstated
from csmetrics.tables import parse

LARGEST_AMOUNT = 1e15
"""No invoice line comes near a quadrillion of its currency's units (or smallest units);
beyond it, cents would leave the exact range of the arithmetic."""


WHOLE = r"^\s*[-+]?\d+\s*$"
"""An amount in a currency's smallest unit: digits, with an optional sign, nothing else."""


OFFSET = r"(?:Z|[+-]\d\d:?\d\d)$"
"""The end of an ISO 8601 time that names its offset from UTC (``Z``, ``+01:00``)."""


LAST_SECOND = r"[T ]23:59:59(?:[.,]\d+)?$"
"""A time in the last second of its day: an inclusive end (``23:59:59``, ``23:59:59.999``)."""


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
        """The column as stripped text (NaN for a blank): Arrow text where pandas reads
        text as Arrow (pandas 3), else a numpy object array, which pandas 2.2 groups by
        without a FutureWarning. A column with no text at all (absent, empty or all blank)
        is an object array, so that string methods work on it on every supported pandas
        (2.2 gives such a column a float dtype)."""
        values = parse.text_codes(self._raw(key), factorized=self._codes(key))[0]
        if values.dtype.kind == "f":
            values = values.astype(object)
        return values.to_numpy() if values.dtype == object else values.array

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
        return values.to_numpy(dtype=bool, na_value=False)
