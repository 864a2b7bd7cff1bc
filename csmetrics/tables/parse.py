"""Cell values to typed columns: text, numbers, dates, months and yes/no answers.

Each parser takes a column as a reader gives it (text from CSV, Python objects from XLSX,
typed values from Parquet or a DataFrame) and returns ``(values, bad)``: the parsed Series
and a boolean array marking the cells that hold something unreadable. A blank cell (empty
or only spaces) is never "bad" here: it comes back as NaN / NaT, and whether a blank is
allowed is the schema's business. Work is done once per distinct value, so a million rows
holding 36 months parse 36 strings.
"""

import datetime as dt
import numbers
import re

import numpy as np
import pandas as pd

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
    if isinstance(values.dtype, pd.StringDtype):
        return _stripped(values), np.zeros(len(values), dtype=bool)
    return _per_distinct(values, _text)


def parse_ids(values):
    """Identifiers as :func:`parse_text` gives them, with their codes.

    Returns ``(text, codes, ids)``: ``ids`` are the distinct identifiers, sorted, and
    ``codes`` the position of each row's identifier among them (-1 for a blank).

    >>> text, codes, ids = parse_ids(pd.Series(["B", " A", "B", None]))
    >>> text.tolist(), codes.tolist(), ids.tolist()
    (['B', 'A', 'B', nan], [1, 0, 1, -1], ['A', 'B'])
    """
    if isinstance(values.dtype, pd.StringDtype):
        codes, distinct = pd.factorize(values, sort=True)
        if _stripped_index(distinct).equals(distinct):
            return values, codes, distinct
    text, _ = parse_text(values)
    codes, distinct = pd.factorize(text, sort=True)
    return text, codes, distinct


def parse_number(values):
    """Finite floats; text such as ``" 12.50 "`` is read, ``"12,5"`` or ``True`` is bad.

    >>> numbers_, bad = parse_number(pd.Series(["12.50", "x", None, "-3"]))
    >>> numbers_.tolist(), bad.tolist()
    ([12.5, nan, nan, -3.0], [False, True, False, False])
    """
    if _is_number_dtype(values.dtype):
        result = values.astype(float)
        bad = np.isinf(result.to_numpy())
        return result.where(~bad), bad
    result, bad = _per_distinct(values, _number)
    return result.astype(float), bad


def parse_dates(values):
    """Calendar days (datetime64[ns], time of day dropped) from dates, ISO text or serials.

    Accepted: date and datetime values, ISO 8601 text (``2024-03-31``, ``2024-03``, with an
    optional time) and Excel date serials (numbers, or text holding a number: 45382 is
    2024-03-31 in Excel's 1900 date system).

    >>> days, bad = parse_dates(pd.Series(["2024-03-31", 45382, "31/03/2024"]))
    >>> days.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2024-03-31', '2024-03-31', nan], [False, False, True])
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        result = values.dt.tz_localize(None) if values.dt.tz is not None else values
        bad = np.zeros(len(values), dtype=bool)
    elif isinstance(values.dtype, pd.PeriodDtype):
        result, bad = values.dt.start_time, np.zeros(len(values), dtype=bool)
    elif _is_number_dtype(values.dtype):
        result = pd.Series(excel_serial_dates(values.to_numpy(dtype=float)), index=values.index)
        bad = result.isna().to_numpy() & values.notna().to_numpy()
    else:
        result, bad = _per_distinct(values, _date)
    return pd.to_datetime(result).dt.normalize().astype("datetime64[ns]"), bad


def parse_months(values):
    """Calendar months (Period, freq ``M``) from any value :func:`parse_dates` accepts.

    >>> months, bad = parse_months(pd.Series(["2024-03", "2024-03-15", 45352.0]))
    >>> months.astype(str).tolist(), bad.tolist()
    (['2024-03', '2024-03', '2024-03'], [False, False, False])
    """
    unchanged = np.zeros(len(values), dtype=bool)
    if values.dtype == pd.PeriodDtype("M"):
        return values, unchanged
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        naive = values.dt.tz_localize(None) if values.dt.tz is not None else values
        codes, distinct = pd.factorize(naive.to_numpy())  # few distinct dates: convert those
        ordinals = np.asarray(distinct).astype("datetime64[M]").astype(np.int64)
        ordinals = np.append(ordinals, np.iinfo(np.int64).min)  # NaT for a blank (-1)
        months = pd.PeriodIndex.from_ordinals(ordinals[codes], freq="M")
        return pd.Series(months, index=values.index), unchanged
    days, bad = parse_dates(values)
    return days.dt.to_period("M"), bad


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


def _stripped(strings):
    """A text column with spaces stripped and empty strings blank; the column itself when
    nothing needs changing (work is done on the distinct values)."""
    codes, distinct = pd.factorize(strings)
    cleaned = _stripped_index(distinct)
    if cleaned.equals(distinct):
        return strings
    return pd.Series(cleaned.take(codes, allow_fill=True), index=strings.index)


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
