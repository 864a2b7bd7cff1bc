"""Cell values to typed columns: text, numbers, dates, months and yes/no answers.

Each parser takes a column as a reader gives it (text from CSV, Python objects from XLSX,
typed values from Parquet or a DataFrame) and returns ``(values, bad)``: the parsed Series
and a boolean array marking the cells that hold something unreadable. A blank cell (empty
or only spaces) is never "bad" here: it comes back as NaN / NaT, and whether a blank is
allowed is the schema's business. Work is done once per distinct value, so a million rows
holding 36 months parse 36 strings.
"""

import datetime as dt
import decimal
import numbers
import re
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd

from csmetrics.tables.distinct import factorize, is_arrow_text, month_ordinals
from csmetrics.tables.locales import SUPPORTED, resolve_locale

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_LAST_SERIAL = 2_958_465  # 9999-12-31
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "oui", "da", "vrai"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "non", "nu", "faux"})


def parse_text(values):
    """Text with surrounding spaces removed; whole numbers written without ``.0``.

    >>> parse_text(pd.Series([" C1 ", 1001.0, None]))[0].tolist()
    ['C1', '1001', nan]
    """
    return text_codes(values)[0], np.zeros(len(values), dtype=bool)


def parse_ids(values):
    """Identifiers as :func:`parse_text` gives them, with their codes.

    Returns ``(text, codes, ids)``: ``ids`` are the distinct identifiers, sorted, and
    ``codes`` the position of each row's identifier among them (-1 for a blank).

    >>> text, codes, ids = parse_ids(pd.Series(["B", " A", "B", None]))
    >>> text.tolist(), codes.tolist(), ids.tolist()
    (['B', 'A', 'B', nan], [1, 0, 1, -1], ['A', 'B'])
    """
    return text_codes(values, sort=True)


def text_codes(values, *, sort=False, factorized=None):
    """:func:`parse_text` of ``values`` with its distinct texts, in one pass over the rows.

    Returns ``(text, codes, distinct)``: ``distinct`` holds each text once (in order of
    appearance, or sorted with ``sort``) and ``codes`` the position of each row's text in
    it (-1 for a blank).
    Stripping and conversion are done once per distinct value, never per row.
    ``factorized`` is ``pd.factorize(values)``, when the caller already has it (finding
    the distinct values of a million ids is most of the work).

    >>> text, codes, distinct = text_codes(pd.Series([" A", 7.0, "A", "7", None]))
    >>> text.tolist(), codes.tolist(), list(distinct)
    (['A', '7', 'A', '7', nan], [0, 1, 0, 1, -1], ['A', '7'])
    """
    strings = isinstance(values.dtype, pd.StringDtype)
    if factorized is None or (sort and strings):
        factorized = factorize(values, sort=sort and strings)  # mixed types do not sort
    codes, found = factorized
    if strings:
        cleaned = _stripped_index(found)
        if cleaned.equals(found):
            return values, codes, found
    else:
        cleaned = pd.Index([np.nan if _is_blank(v) else _text(v) for v in found], dtype=object)
    merged, distinct = pd.factorize(cleaned, sort=sort)
    codes = _recoded(codes, merged)
    if strings:
        text = pd.Series(distinct.take(codes, allow_fill=True), index=values.index)
    else:
        text = pd.Series([*distinct, np.nan], dtype=object).infer_objects().iloc[codes]
        text = text.set_axis(values.index)
    return text, codes, distinct


def _recoded(codes, new_codes):
    """``codes`` into a table of values, mapped through ``new_codes`` (the new code of each
    value); -1 (a blank) stays -1."""
    return np.append(np.asarray(new_codes, dtype=np.int64), -1)[codes]


def parse_number(values, locale=None):
    """Finite floats; text is read as ``locale`` writes numbers (see :func:`read_numbers`).

    A value that reads two ways, or that no convention reads, is bad.

    >>> numbers_, bad = parse_number(pd.Series(["12", "x", None, "-3", "1.250"]))
    >>> numbers_.tolist(), bad.tolist()
    ([12.0, nan, nan, -3.0, nan], [False, True, False, False, True])
    >>> parse_number(pd.Series(["1.250", "12,5"]), locale="ro")[0].tolist()
    [1250.0, 12.5]
    """
    reading = read_numbers(values, locale)
    return reading.values, reading.bad | reading.doubtful


def parse_dates(values, locale=None):
    """Calendar days (datetime64[ns], time of day dropped); see :func:`read_dates`.

    >>> days, bad = parse_dates(pd.Series(["2024-03-31", 45382, "01/02/2024"]))
    >>> days.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2024-03-31', '2024-03-31', nan], [False, False, True])
    """
    reading = read_dates(values, locale)
    return reading.values, reading.bad | reading.doubtful


def parse_months(values, locale=None):
    """Calendar months (Period, freq ``M``) from any value :func:`parse_dates` accepts.

    >>> months, bad = parse_months(pd.Series(["2024-03", "2024-03-15", 45352.0]))
    >>> months.astype(str).tolist(), bad.tolist()
    (['2024-03', '2024-03', '2024-03'], [False, False, False])
    """
    reading = read_months(values, locale)
    return reading.values, reading.bad | reading.doubtful


@dataclass(frozen=True)
class Reading:
    """A column read under every convention considered, and what came of it.

    ``values`` holds the parsed cells (NaN / NaT where a cell is blank, bad or doubtful);
    ``bad`` marks cells no convention reads; ``doubtful`` cells that read two ways, or
    only in a way the rest of the column is not written; ``note`` says which convention
    was inferred (None when none had to be). :meth:`why` explains a doubtful cell.
    """

    values: pd.Series
    bad: np.ndarray
    doubtful: np.ndarray
    note: str | None = None
    explain: object = None

    def why(self, position):
        """Why the cell at ``position`` is doubtful, naming the ``--locale`` to pass."""
        return self.explain(position)


def read_numbers(values, locale=None):
    """Read a column of numbers the way ``locale`` writes them, or, without a locale, in
    the one way every value of the column agrees with.

    With a locale, text is read with its decimal and thousands separators only. Without
    one, each value is tried as every supported locale writes numbers (en ``1,250.50``,
    fr ``1 250,50``, de and ro ``1.250,50``); the column is read when the locales that
    read all its values give the same numbers, and a value they disagree on (``1.250``)
    is doubtful.

    Examples
    --------
    >>> reading = read_numbers(pd.Series(["12,5", "3"]))
    >>> reading.values.tolist(), reading.note
    ([12.5, 3.0], 'decimal comma, the way --locale fr, ro or de reads numbers')
    >>> reading = read_numbers(pd.Series(["1.250", "3"]))
    >>> reading.doubtful.tolist()
    [True, False]
    >>> print(reading.why(0))
    '1.250' reads two ways: 1.25 with --locale en, 1250 with --locale ro or de; pass --locale
    """
    if _is_number_dtype(values.dtype):
        result = values.astype(float)
        bad = np.isinf(result.to_numpy())
        return Reading(result.where(~bad) if bad.any() else result, bad,
                       np.zeros(len(values), dtype=bool))
    return _read(values, locale, "numbers")


def read_shares(values, locale=None):
    """:func:`read_numbers`, a value written with a trailing percent sign read as a share
    (``2 %`` and ``2,5%`` are 0.02 and 0.025): how a target for a rate may be written.

    >>> read_shares(pd.Series(["2 %", "0,5", 40]), locale="fr").values.tolist()
    [0.02, 0.5, 40.0]
    """
    percent = values.map(lambda v: isinstance(v, str) and v.strip().endswith("%"))
    bare = values.map(lambda v: v.strip().removesuffix("%").rstrip(" \u00a0\u202f")
                      if isinstance(v, str) else v)
    reading = read_numbers(bare, locale)
    shares = reading.values.where(~percent.to_numpy(), reading.values / 100)
    return Reading(shares, reading.bad, reading.doubtful, reading.note, reading.explain)


def read_dates(values, locale=None, *, scope="column"):
    """Read a column of dates: date cells, ISO 8601 text (``2024-03-31``, ``2024-03``, with
    an optional time), Excel date serials (45382 is 2024-03-31 in Excel's 1900 system),
    and ``dd/mm/yyyy`` or ``mm/dd/yyyy`` text (``/``, ``.`` or ``-`` between) in the order
    ``locale`` writes dates. Without a locale a day-month date is read only when every such
    date of the column reads one way (``31/01/2024``); ``01/02/2024`` is doubtful.
    ``scope`` names what ``values`` are in a doubtful cell's explanation: a "column", or
    the dates of a whole "file" (see :func:`read_date_columns`).

    Examples
    --------
    >>> reading = read_dates(pd.Series(["31/01/2024", "2024-02-29"]))
    >>> reading.values.dt.strftime("%Y-%m-%d").tolist(), reading.note
    (['2024-01-31', '2024-02-29'], 'day-first dates, the way --locale fr, ro or de reads dates')
    >>> read_dates(pd.Series(["01/02/2024"]), locale="en").values.dt.month.tolist()
    [1]
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        result = values.dt.tz_localize(None) if values.dt.tz is not None else values
        return _date_reading(result, np.zeros(len(values), dtype=bool))
    if isinstance(values.dtype, pd.PeriodDtype):
        return _date_reading(values.dt.start_time, np.zeros(len(values), dtype=bool))
    if _is_number_dtype(values.dtype):
        result = pd.Series(excel_serial_dates(values.to_numpy(dtype=float)), index=values.index)
        return _date_reading(result, result.isna().to_numpy() & values.notna().to_numpy())
    reading = _read(values, locale, "dates", scope)
    days = reading.values.to_numpy(dtype=float)
    known = np.isfinite(days)
    stamps = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[ns]")
    stamps[known] = days[known].astype(np.int64).astype("datetime64[D]")
    return replace(reading, values=pd.Series(stamps, index=values.index))


def read_date_columns(columns, locale=None):
    """Read the date columns of one file in one date order: ``(readings, note)``.

    ``columns`` is ``{name: values}``; ``readings`` is ``{name: Reading}`` and ``note``
    says which order was inferred for which columns (None when none had to be). Without a
    locale, the day-month dates of all the columns together decide the order, so that
    ``31/03/2025`` in one column settles ``01/03/2025`` in another, and two columns that
    each read only one way, not the same way, are doubtful instead of read apart.

    Examples
    --------
    >>> readings, note = read_date_columns({"issue_date": pd.Series(["01/03/2025"]),
    ...                                     "due_date": pd.Series(["31/03/2025"])})
    >>> readings["issue_date"].values.dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-01']
    >>> note
    "columns 'issue_date', 'due_date': day-first dates, the way --locale fr, ro or de reads \
dates"
    """
    texts = [name for name, values in columns.items() if _holds_text(values)]
    if locale is not None or len(texts) < 2:
        readings = {name: read_dates(values, locale) for name, values in columns.items()}
        notes = [f"column '{name}': {reading.note}"
                 for name, reading in readings.items() if reading.note]
        return readings, "; ".join(notes) or None
    together = pd.Series(np.concatenate([columns[name].to_numpy(dtype=object) for name in texts]))
    reading = read_dates(together, scope="file")
    readings, start = {}, 0
    for name in texts:
        part = slice(start, start + len(columns[name]))
        readings[name] = Reading(
            reading.values.iloc[part].set_axis(columns[name].index), reading.bad[part],
            reading.doubtful[part], explain=lambda position, start=start: reading.why(
                start + position))
        start += len(columns[name])
    readings.update((name, read_dates(values)) for name, values in columns.items()
                    if name not in readings)
    if reading.note is None:
        return readings, None
    named = [name for name in texts if _holds_day_month(columns[name])]
    said = ", ".join(f"'{name}'" for name in named)
    return readings, f"column{'s' if len(named) > 1 else ''} {said}: {reading.note}"


def read_months(values, locale=None):
    """:func:`read_dates`, the dates as calendar months (Period, freq ``M``).

    >>> read_months(pd.Series(["15.03.2024"])).values.astype(str).tolist()
    ['2024-03']
    """
    if values.dtype == pd.PeriodDtype("M"):
        return Reading(values, np.zeros(len(values), dtype=bool), np.zeros(len(values), bool))
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        naive = values.dt.tz_localize(None) if values.dt.tz is not None else values
        months = pd.PeriodIndex.from_ordinals(month_ordinals(naive.to_numpy()), freq="M")
        unchanged = np.zeros(len(values), dtype=bool)
        return Reading(pd.Series(months, index=values.index), unchanged, unchanged)
    reading = read_dates(values, locale)
    return replace(reading, values=reading.values.dt.to_period("M"))


def parse_flag(values):
    """Booleans from yes/no, true/false, 1/0 (also oui/non, da/nu), any case.

    >>> flags, bad = parse_flag(pd.Series(["Yes", "no", 1, "maybe"]))
    >>> flags.tolist(), bad.tolist()
    ([True, False, True, nan], [False, False, False, True])
    """
    return _per_distinct(values, _flag)


def parse_choice(values, choices):
    """Lower-case text that must be one of ``choices`` (``"NPS "`` reads as ``"nps"``).

    >>> parse_choice(pd.Series(["NPS", "csat", "poll"]), ("nps", "csat", "ces"))[1].tolist()
    [False, False, True]
    """
    return _per_distinct(values, lambda v: _choice(v, choices))


ILLEGAL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037]")
"""Control characters a workbook cannot store (openpyxl's ``ILLEGAL_CHARACTERS_RE``)."""


def control_characters(texts):
    r"""The first control character of each text a workbook cannot store (NaN: none).

    Meant for distinct values (see :func:`text_codes`): one regular-expression scan of all
    of them joined (of each, in pyarrow, when they are Arrow text) finds that most columns
    hold none.

    >>> control_characters(pd.Series(["ok", "bell\x07", None, "tab\tand\nline"])).tolist()
    [nan, '\x07', nan, nan]
    >>> control_characters(pd.Index(["ok", "bell\x07"], dtype="string[pyarrow]")).tolist()
    [nan, '\x07']
    """
    if is_arrow_text(getattr(texts, "dtype", None)):
        if not pd.Series(texts).str.contains(ILLEGAL_CHARACTERS.pattern).any():
            return pd.Series(np.nan, index=range(len(texts)), dtype=object)
    strings = [str(text) for text in np.asarray(texts, dtype=object)]
    if not ILLEGAL_CHARACTERS.search("\n".join(strings)):
        return pd.Series(np.nan, index=range(len(strings)), dtype=object)
    return pd.Series(strings, dtype=object).str.extract(f"({ILLEGAL_CHARACTERS.pattern})",
                                                        expand=False)


def excel_serial_dates(serials):
    """Dates of Excel 1900-system serial numbers (NaT for a blank or impossible serial).

    Excel counts 1900-02-29, a day that did not exist, as serial 60; serials below it are
    one day off from the usual 1899-12-30 origin, and 60 itself is no date.

    >>> [str(d.date()) for d in excel_serial_dates(np.array([1.0, 59, 61, 45382.75]))]
    ['1900-01-01', '1900-02-28', '1900-03-01', '2024-03-31']
    """
    serials = np.floor(np.asarray(serials, dtype=float))
    valid = np.isfinite(serials) & (serials >= 1) & (serials <= EXCEL_LAST_SERIAL) & (serials != 60)
    days = np.where(valid, serials, 0).astype(np.int64) + (serials < 60)
    dates = EXCEL_EPOCH.to_datetime64() + days.astype("timedelta64[D]")
    return pd.DatetimeIndex(np.where(valid, dates, np.datetime64("NaT")))


_BAD = object()
_DAY_MONTH = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAYS_HELD = 106_700  # days from 1970 that datetime64[ns] holds either way (1677 to 2262)
_EPOCH = np.datetime64("1970-01-01", "D")


@cache
def _convention_groups(locale, aspect):
    """``[(codes, conventions)]``: the locales considered, one entry per distinct way of
    writing ``aspect`` ("numbers" or "dates"); only ``locale`` when one is given."""
    if locale is not None:
        conventions = resolve_locale(locale)
        return ((conventions.code,), conventions),
    groups = {}
    for code in SUPPORTED:
        conventions = resolve_locale(code)
        key = (conventions.decimal, conventions.groups) if aspect == "numbers" else (
            conventions.day_first)
        groups.setdefault(key, []).append(conventions)
    return tuple((tuple(c.code for c in same), same[0]) for same in groups.values())


def _read(values, locale, aspect, scope="column"):
    """Read ``values`` under each convention of :func:`_convention_groups` and keep the
    reading every value agrees with (see :func:`read_numbers`); ``scope`` is what the
    values are, for the explanation of a doubtful one ("column" or "file")."""
    if isinstance(locale, str):
        resolve_locale(locale)  # an unknown code is refused before any work
    groups = _convention_groups(locale, aspect)
    fixed, as_text, shown = _ASPECTS[aspect]
    codes, found = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(found, dtype=object)
    if pd.api.types.is_string_dtype(found.dtype) and found.dtype != object:
        is_text = np.ones(len(distinct), dtype=bool)
        texts = pd.Series(found).str.strip()  # vectorised (pyarrow) when pandas can
    else:
        is_text = np.fromiter((isinstance(v, str) for v in distinct), bool, len(distinct))
        texts = pd.Series(distinct[is_text], dtype="str").str.strip()
    blank = np.zeros(len(distinct), dtype=bool)
    blank[is_text] = texts.eq("").to_numpy(dtype=bool)
    readings = np.full((len(distinct), len(groups)), np.nan)
    readings[~is_text] = np.array([fixed(v) for v in distinct[~is_text]], dtype=float)[:, None]
    for column, (_, conventions) in enumerate(groups):
        readings[is_text, column] = as_text(texts, conventions)
    readable = ~np.isnan(readings)
    read_somehow = readable.any(axis=1)
    consistent = readable[read_somehow].all(axis=0)
    if consistent.any():
        chosen = readings[:, consistent]
        doubtful = read_somehow & (chosen != chosen[:, :1]).any(axis=1)
        result = np.where(doubtful, np.nan, chosen[:, 0])
        why = _two_ways(distinct, readings, groups, shown)
    else:
        best = int(readable.sum(axis=0).argmax())
        result, doubtful = readings[:, best], read_somehow & ~readable[:, best]
        consistent = np.arange(len(groups)) == best
        why = _mixed(distinct, readings, groups, best, aspect, scope)
    rows = np.where(codes < 0, len(distinct), codes)  # blanks point at a trailing NaN

    def at_rows(array, fill):
        return np.append(array, fill)[rows]

    return Reading(
        pd.Series(at_rows(result, np.nan), index=values.index),
        at_rows(~read_somehow & ~blank, False),
        at_rows(doubtful, False),
        _inferred(groups, consistent, aspect) if locale is None else None,
        lambda position: why(rows[position]),
    )


def _inferred(groups, consistent, aspect):
    """The note for a column whose values only some locales read, or None."""
    if consistent.all() or (aspect == "numbers" and consistent[0]):
        return None  # every locale reads it alike, or numbers as plain 1250.50
    used = [group for group, kept in zip(groups, consistent, strict=True) if kept]
    first = used[0][1]
    if aspect == "numbers":
        what = "decimal comma" if first.decimal == "," else "decimal point"
    else:
        what = "day-first dates" if first.day_first else "month-first dates"
    codes = [code for group_codes, _ in used for code in group_codes]
    return f"{what}, the way --locale {_either(codes)} reads {aspect}"


def _two_ways(distinct, readings, groups, shown):
    def why(index):
        ways = {}
        for column, (codes, _) in enumerate(groups):
            if np.isfinite(readings[index, column]):
                ways.setdefault(shown(readings[index, column]), []).extend(codes)
        choices = ", ".join(f"{value} with --locale {_either(codes)}"
                            for value, codes in ways.items())
        return f"{_quoted(distinct[index])} reads two ways: {choices}; pass --locale"
    return why


def _mixed(distinct, readings, groups, best, aspect, scope):
    fix = "the column one way" if scope == "column" else f"every {aspect[:-1]} of the file one way"

    def why(index):
        codes = [code for column, (group_codes, _) in enumerate(groups)
                 if np.isfinite(readings[index, column]) for code in group_codes]
        return (f"{_quoted(distinct[index])} is written as --locale {_either(codes)} writes "
                f"{aspect}, the rest of the {scope} as --locale {_either(groups[best][0])} "
                f"does; write {fix}")
    return why


def _either(codes):
    codes = list(codes)
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} or {codes[-1]}"


def _quoted(value):
    return repr(value.strip() if isinstance(value, str) else value)


@cache
def _number_pattern(decimal, groups):
    group = "[" + "".join(re.escape(g) for g in sorted(groups)) + "]"
    point = re.escape(decimal)
    digit = "[0-9]"  # not \d, which also matches other scripts' digits
    return (rf"[+-]?(?:(?:{digit}+|{digit}{{1,3}}(?:{group}{digit}{{3}})+)(?:{point}{digit}*)?"
            rf"|{point}{digit}+)(?:[eE][+-]?{digit}+)?"), group


def _numbers_as(texts, conventions):
    """Floats of stripped texts (a ``str`` Series) as ``conventions`` write numbers (NaN:
    unreadable). Every step is a vectorised string method (pyarrow's when installed)."""
    pattern, group = _number_pattern(conventions.decimal, conventions.groups)
    written = texts.where(texts.str.fullmatch(pattern).fillna(False).astype(bool), "")
    plain = written.str.replace(group, "", regex=True)
    if conventions.decimal != ".":
        plain = plain.str.replace(conventions.decimal, ".", regex=False)
    numbers_ = pd.to_numeric(plain, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(numbers_), numbers_, np.nan)


def _fixed_number(value):
    number = _number(value)
    return np.nan if number is _BAD else number


def _days_as(texts, conventions):
    """Days since 1970 of stripped texts, day-month dates in the order of ``conventions``."""
    return np.fromiter((_day_text(text, conventions.day_first) for text in texts), float,
                       len(texts))


def _day_text(text, day_first):
    match = _DAY_MONTH.match(text)
    if match is None:
        return _fixed_day(text)
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    day, month = (first, second) if day_first else (second, first)
    try:
        days = (np.datetime64(dt.date(year, month, day), "D") - _EPOCH).astype(np.int64)
    except ValueError:
        return np.nan
    return float(days) if abs(days) < _DAYS_HELD else np.nan


def _fixed_day(value):
    day = _date(value)
    if day is _BAD:
        return np.nan
    days = (day.to_datetime64().astype("datetime64[D]") - _EPOCH).astype(np.int64)
    return float(days) if abs(days) < _DAYS_HELD else np.nan


def _shown_number(number):
    return np.format_float_positional(number, trim="-")


def _shown_day(days):
    return str(_EPOCH + int(days))


_ASPECTS = {
    "numbers": (_fixed_number, _numbers_as, _shown_number),
    "dates": (_fixed_day, _days_as, _shown_day),
}


def _date_reading(result, bad):
    days = pd.to_datetime(result).dt.normalize().astype("datetime64[ns]")
    return Reading(days, bad, np.zeros(len(bad), dtype=bool))


def _holds_text(values):
    """Whether a column may hold dates written as text (it is not typed dates or numbers)."""
    dtype = values.dtype
    return not (_is_number_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
                or isinstance(dtype, pd.PeriodDtype))


def _holds_day_month(values):
    """Whether a column holds a day-month date written as text (``31/03/2025``)."""
    distinct = pd.Series(pd.unique(values.dropna()), dtype=object)
    texts = distinct[distinct.map(lambda value: isinstance(value, str))]
    return bool(texts.str.strip().str.match(_DAY_MONTH.pattern).any())


def _is_number_dtype(dtype):
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _per_distinct(values, convert):
    """Convert each distinct value once; blanks give NaN, ``_BAD`` results flag the cell."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    codes = np.where(codes < 0, len(distinct), codes)  # blanks point at the trailing NaN
    converted = [np.nan if _is_blank(v) else convert(v) for v in distinct]
    bad = np.array([c is _BAD for c in converted] + [False])
    cleaned = pd.Series([np.nan if c is _BAD else c for c in converted] + [np.nan], dtype=object)
    result = cleaned.infer_objects().iloc[codes]
    return result.set_axis(values.index), bad[codes]


def _stripped_index(distinct):
    cleaned = distinct.str.strip()
    return cleaned.where(cleaned != "")


def _is_blank(value):
    return isinstance(value, str) and not value.strip()


def _text(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value == value.replace(hour=0, minute=0, second=0):
        return value.date().isoformat()
    return str(value)


def _number(value):
    if isinstance(value, bool | np.bool_):
        return _BAD
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else _BAD
    if not isinstance(value, numbers.Real | str):
        return _BAD
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        return _BAD
    return number if np.isfinite(number) else _BAD


def _date(value):
    try:
        day = _timestamp(value)
        return day if day is _BAD else day.as_unit("ns")
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
        return _BAD  # a date pandas cannot hold (before 1677 or after 2262)


def _timestamp(value):
    if isinstance(value, pd.Period):
        return value.start_time
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        parsed = pd.to_datetime(value.strip(), format="ISO8601", errors="coerce")
        return _BAD if pd.isna(parsed) else parsed
    number = _number(value)
    if number is _BAD:
        return _BAD
    parsed = excel_serial_dates([number])[0]
    return _BAD if pd.isna(parsed) else parsed


def _flag(value):
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Real):
        return {1: True, 0: False}.get(value, _BAD)
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else _BAD
    return _BAD


def _choice(value, choices):
    word = _text(value).lower()
    return word if word in choices else _BAD
