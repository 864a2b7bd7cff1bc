"""Checking one input table and turning it into the normalised form the engine computes on.

:func:`check_table` returns the clean table and every problem found, each a
:class:`~csmetrics.errors.DataError` naming the table, the row as the user sees it and the
column. Nothing here reads files (:mod:`csmetrics.tables.io` does) or changes its input.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from csmetrics.errors import DataError
from csmetrics.tables import parse
from csmetrics.tables.distinct import NAT
from csmetrics.tables.locales import resolve_locale
from csmetrics.tables.periods import expand_periods
from csmetrics.tables.schema import (
    DATE,
    FIRST_DAY,
    FLAG,
    FRACTION,
    ID,
    KIND_WORDS,
    LAST_DAY,
    MAX_AMOUNT,
    MAX_TOTAL,
    MONEY,
    MONTH,
    MRR_PERIODS,
    QUANTITY,
    REQUIRED,
    SCORE,
    SURVEY,
    SURVEY_SCALES,
    TABLES,
    TARGET,
    TEXT,
    WHOLE_SCORES,
    ZERO,
)
from csmetrics.tables.targets import check_targets

ON_DUPLICATE = ("error", "sum")

READERS = {  # columns whose reading depends on the locale
    MONTH: parse.read_months,
    DATE: parse.read_dates,
    MONEY: parse.read_numbers,
    QUANTITY: parse.read_numbers,
    FRACTION: parse.read_numbers,
    SCORE: parse.read_numbers,
    TARGET: parse.read_shares,
}
PARSERS = {  # identifiers and text go through parse.parse_ids and parse.text_codes (codes too)
    SURVEY: lambda values: parse.parse_choice(values, tuple(SURVEY_SCALES)),
    FLAG: parse.parse_flag,
}


class CheckedTable(NamedTuple):
    """What :func:`checked_table` found: the clean table (None when there are problems),
    the problems, the customer codes of an mrr table (see :func:`check_mrr`) and notes
    on what was inferred (``"column 'mrr': decimal comma (...)"``)."""

    clean: pd.DataFrame | None
    problems: list
    customers: tuple | None
    notes: tuple


def check_table(
    name, frame, *, rows=None, header_row=1, mapping=None, on_duplicate="error", limit=None
):
    """Check a table as read and return it normalised, with every problem found.

    Parameters
    ----------
    name : str
        The table: ``mrr``, ``invoices``, ``surveys``, ``orders``, ``tickets``, ``spend`` or
        ``targets``.
    frame : pandas.DataFrame
        The table as read (text, Python objects or typed columns). Left unchanged.
    rows : array-like of int, optional
        The row number the user sees for each row of ``frame`` (a file line, a sheet row).
        Default: a sheet with its header in row 1, so the first data row is row 2.
    header_row : int or None, default 1
        Row of the header, named by a missing-column error; None when there is none.
    mapping : dict, optional
        ``{user_column: our_column}`` renames, matched without regard to case.
    on_duplicate : {"error", "sum"}, default "error"
        What two ``mrr`` rows for the same customer and month mean: a mistake, or amounts
        to add up (two subscriptions billed apart).
    limit : int, optional
        Describe at most this many cell problems (the first ones by row).

    Returns
    -------
    tuple
        ``(clean, problems)``: the normalised DataFrame (None when there are problems) and
        the list of :class:`~csmetrics.errors.DataError`, first row first.

    Examples
    --------
    >>> raw = pd.DataFrame({"Customer_ID": ["A", "B", "C"],
    ...                     "Month": ["2024-01", "2024-13", "2024-02"], "MRR": [10, 20, -1]})
    >>> clean, problems = check_table("mrr", raw)
    >>> for problem in problems:
    ...     print(problem)
    table 'mrr', row 3, column 'month': cannot read '2024-13' as a month (a date, YYYY-MM
    or an Excel date serial)
    table 'mrr', row 4, column 'mrr': must be >= 0, got -1
    >>> clean, _ = check_table("mrr", raw.iloc[[0]])
    >>> clean
      customer_id    month   mrr
    0           A  2024-01  10.0
    """
    checked = checked_table(name, frame, rows=rows, header_row=header_row, mapping=mapping,
                            on_duplicate=on_duplicate, limit=limit)
    return checked.clean, checked.problems


def check_mrr(frame, *, on_duplicate="error", limit=None):
    """:func:`check_table` of an ``mrr`` table, with the customer codes found on the way.

    Returns ``(clean, problems, customers)``: ``customers`` is ``(codes, ids)``, the
    position of each clean row's customer_id among the sorted distinct ``ids``, or None
    when rows were added up or spread from periods (the engine then computes its own).
    """
    checked = checked_table("mrr", frame, on_duplicate=on_duplicate, limit=limit)
    return checked.clean, checked.problems, checked.customers


def checked_table(name, frame, *, rows=None, lines=None, header_row=1, locale=None,
                  mapping=None, on_duplicate="error", limit=None, segments=None):
    """:func:`check_table` with the ``locale`` of the values and what was inferred.

    ``lines`` gives, for a CSV file, the line a text editor shows for each row when it
    differs from the record number (after a quoted line break). ``locale`` (a code such
    as ``"fr"``, see :func:`~csmetrics.tables.locales.resolve_locale`) says how numbers
    and dates are written; without it a value that reads two ways is a problem.
    ``segments``: for a ``spend`` table with a ``segment`` column, the segments of the
    checked ``mrr`` table (a spend row naming another one is a problem; None: no check). Returns a
    :class:`CheckedTable`.

    >>> raw = pd.DataFrame({"customer_id": ["A"], "month": ["31/01/2024"], "mrr": ["1,5"]})
    >>> checked_table("mrr", raw).notes
    ("column 'month': day-first dates, the way --locale fr, ro or de reads dates", "column 'mrr': \
decimal comma, the way --locale fr, ro or de reads numbers")
    >>> print(checked_table("mrr", raw.assign(mrr="1.500")).problems[0])
    table 'mrr', row 2, column 'mrr': '1.500' reads two ways: 1.5 with --locale en, 1500 with \
--locale ro or de; pass --locale
    """
    if on_duplicate not in ON_DUPLICATE:
        raise ValueError(f"on_duplicate must be 'error' or 'sum', got {on_duplicate!r}")
    locale = resolve_locale(locale)
    table = TABLES[name]
    rows = np.arange(len(frame)) + 2 if rows is None else np.asarray(rows)
    frame, problem = _renamed(name, frame, mapping or {}, header_row)
    if problem:
        return CheckedTable(None, [problem], None, ())
    filled = _filled_rows(frame)
    if not filled.all():
        frame, rows = frame[filled], rows[filled]
        lines = None if lines is None else np.asarray(lines)[filled]
    if name == "mrr" and "month" not in frame.columns and "start_date" in frame.columns:
        table = MRR_PERIODS
    missing = [c.name for c in table.columns if not c.optional and c.name not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        return CheckedTable(None, [
            DataError(f"missing column (the columns are: {found})", table=name,
                      row=header_row, column=column)
            for column in missing
        ], None, ())
    if frame.empty:
        empty = DataError("no data rows below the header", table=name)
        return CheckedTable(None, [empty], None, ())
    problems = _Problems(name, rows, lines)
    clean, ids = _checked_columns(table, frame, problems, locale)
    if name == "surveys":
        _check_scores(clean, problems)
    if name == "targets":
        check_targets(clean, rows, problems)
    if table is MRR_PERIODS:
        _check_period_ends(clean, problems)
    if name == "spend" and "segment" in clean.columns:
        _check_spend_segments(clean, segments, problems)
    if table.key and not (on_duplicate == "sum" and name == "mrr"):
        _check_duplicates(table, clean, rows, ids, problems, suggest_sum=name == "mrr")
    errors = problems.errors(limit)
    notes = tuple(problems.notes)
    if errors:
        return CheckedTable(None, errors, None, notes)
    summing = on_duplicate == "sum"
    customers = None if summing or table is MRR_PERIODS else ids.get("customer_id")
    return CheckedTable(_finished(table, clean, sum_duplicates=summing), [], customers, notes)


def _filled_rows(frame):
    """Boolean array: the rows with a value in some cell. A column without a blank (found
    without a pass over the rows for Arrow text) settles it for every row.

    >>> _filled_rows(pd.DataFrame({"a": ["x", None], "b": [1.0, None]})).tolist()
    [True, False]
    """
    if any(not frame[name].hasnans for name in frame.columns):
        return np.ones(len(frame), dtype=bool)
    return ~frame.isna().all(axis=1).to_numpy()


def _renamed(name, frame, mapping, header_row):
    """The frame with lower-case column names, the user's renames applied."""
    wanted = {str(user).strip().lower(): ours for user, ours in mapping.items()}
    names = [str(column).strip().lower() for column in frame.columns]
    names = [wanted.get(column, column) for column in names]
    for position, column in enumerate(names):
        if column in names[:position]:
            return frame, DataError(
                "two columns have this name (names ignore case)",
                table=name, row=header_row, column=column,
            )
    return frame.set_axis(names, axis=1), None


def _checked_columns(table, frame, problems, locale):
    """Parse every column, reporting unreadable, blank and out-of-range cells.

    Returns the parsed columns and ``{column: (codes, ids)}`` for the identifier columns.
    """
    clean = {}
    ids = {}
    known = {column.name for column in table.columns}
    dates, dates_note = parse.read_date_columns(
        {c.name: frame[c.name] for c in table.columns if c.kind == DATE and c.name in frame},
        locale)
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        raw = frame[column.name]
        doubtful = np.zeros(len(raw), dtype=bool)
        if column.kind in (ID, TEXT):
            coded = parse.parse_ids if column.kind == ID else parse.text_codes
            values, codes, distinct = coded(raw)
            if column.kind == ID:
                ids[column.name] = (codes, distinct)
            bad = np.zeros(len(raw), dtype=bool)
            _check_characters(values, codes, distinct, column.name, problems)
        elif column.kind in READERS:
            reading = dates.get(column.name) or READERS[column.kind](raw, locale)
            values, bad, doubtful = reading.values, reading.bad, reading.doubtful
            problems.add_once(doubtful, column.name, reading.why, raw)
            note = dates_note if column.kind == DATE else reading.note and (
                f"column '{column.name}': {reading.note}")
            if note and note not in problems.notes:
                problems.notes.append(note)
        else:
            values, bad = PARSERS[column.kind](raw)
        problems.add(bad, column.name, _unreadable(raw, KIND_WORDS[column.kind], locale))
        if values.hasnans:  # found without a pass over the rows for Arrow text
            blank = values.isna().to_numpy() & ~bad & ~doubtful
            if column.blank == REQUIRED:
                problems.add(blank, column.name, lambda _: "blank cell: every row needs a value")
            elif column.blank == ZERO:
                values = values.where(~blank, 0.0)
        _check_range(column, values, problems)
        clean[column.name] = values
    for name in frame.columns:
        if name not in known and frame[name].notna().any():
            clean[name], codes, distinct = parse.text_codes(frame[name])
            _check_characters(clean[name], codes, distinct, name, problems)
    return pd.DataFrame(clean), ids


def _check_characters(text, codes, distinct, column, problems):
    """Report text holding a control character, which no workbook can store. Each distinct
    text (``distinct``, indexed by ``codes``) is searched once."""
    found = parse.control_characters(distinct)
    holds = found.notna().to_numpy()
    if not holds.any():
        return
    problems.add(np.append(holds, False)[codes], column, lambda i: (
        f"the text {text.iloc[i]!r} holds the control character "
        f"U+{ord(found.iloc[codes[i]]):04X}, which a workbook cannot store; remove it"
    ))


def _check_range(column, values, problems):
    if column.kind in (MONTH, DATE):
        _check_calendar(column, values, problems)
    if column.kind == MONEY:
        _check_amounts(column, values, problems)
    if column.kind in (MONEY, QUANTITY) and values.min() < 0:
        problems.add(values.lt(0).to_numpy(), column.name, _got(values, "must be >= 0"))
    elif column.kind == FRACTION:
        outside = (values.lt(0) | values.gt(1)).to_numpy()
        problems.add(outside, column.name, _got(values, "must be a fraction between 0 and 1"))


def _check_calendar(column, values, problems):
    unit = "month" if column.kind == MONTH else "date"
    if isinstance(values.dtype, pd.PeriodDtype):  # compared as month numbers, not as days
        ordinals = values.array.asi8
        first, last = (pd.Period(day, "M") for day in (FIRST_DAY, LAST_DAY))
        first_ordinal = first.ordinal + (first.start_time != pd.Timestamp(FIRST_DAY))
        if ordinals.size and first_ordinal <= ordinals.min() and ordinals.max() <= last.ordinal:
            return  # every month inside, none blank (a blank is the smallest integer)
        outside = values.notna().to_numpy() & (
            (ordinals < first_ordinal) | (ordinals > last.ordinal))
    else:
        outside = (values.lt(FIRST_DAY) | values.gt(LAST_DAY)).to_numpy()
    problems.add(outside, column.name, lambda i: (
        f"reads as the {unit} {values.iloc[i]}, before {FIRST_DAY[:4]} or after {LAST_DAY[:4]}: "
        "is it a misreading (a year alone, such as 2025, reads as an Excel date serial)? "
        "write the full date"
    ))


def _check_amounts(column, values, problems):
    largest = values.max()  # NaN when every cell is blank: no comparison holds
    if largest > MAX_AMOUNT:
        problems.add(values.gt(MAX_AMOUNT).to_numpy(), column.name, _got(
            values, f"must be at most {MAX_AMOUNT:.0e} (amounts are kept to the cent)"))
    if not largest * len(values) > MAX_TOTAL:  # no total can pass it: no need to add up
        return
    counted = values.where(values.between(0, MAX_AMOUNT), 0)
    if counted.sum() <= MAX_TOTAL:  # the running total never passes it: no need to run it
        return
    running = counted.cumsum().to_numpy()
    past = np.flatnonzero(running > MAX_TOTAL)[:1]
    problems.add(np.isin(np.arange(len(values)), past), column.name, lambda i: (
        f"the amounts up to this row add up to {running[i]:.3g}, more than the "
        f"{MAX_TOTAL:.3g} that the engine's cent arithmetic holds"
    ))


def _check_scores(clean, problems):
    scores = clean["score"]
    values = scores.to_numpy()
    for survey, (low, high) in SURVEY_SCALES.items():
        asked = clean["survey"].eq(survey).to_numpy()
        outside = asked & ((values < low) | (values > high))
        rule = f"a {survey} score must lie between {low} and {high}"
        problems.add(outside, "score", _got(scores, rule))
        if survey in WHOLE_SCORES:
            broken = asked & ~outside & np.isfinite(values) & (values != np.round(values))
            problems.add(broken, "score", _got(scores, f"a {survey} score must be a whole number"))


def _check_period_ends(clean, problems):
    early = (clean["end_date"] < clean["start_date"]).to_numpy()
    problems.add(early, "end_date", lambda i: (
        f"the period ends ({clean['end_date'].iloc[i].date()}) before it starts "
        f"({clean['start_date'].iloc[i].date()})"
    ))


def _check_spend_segments(clean, segments, problems):
    """A spend table split by segment: each month gives one gross margin (the company's,
    as the LTV of every segment takes it), and each row a segment of the mrr table."""
    if "gross_margin" in clean.columns:
        margins = clean["gross_margin"].fillna(-1.0)
        first = margins.groupby(clean["month"]).transform("first")
        problems.add((margins != first).to_numpy(), "gross_margin", lambda i: (
            f"{_shown(float(clean['gross_margin'].iloc[i]))} differs from the month's other spend "
            "rows: the gross margin is the company's, the same on every row of a month"
        ))
    if segments is None:
        return
    known = sorted(segments)
    unknown = (clean["segment"].notna() & ~clean["segment"].isin(known)).to_numpy()
    problems.add(unknown, "segment", lambda i: (
        f"{_shown(clean['segment'].iloc[i])} is no segment of the mrr table "
        f"({', '.join(map(repr, known)) or 'it has none'}): its spend would count in no "
        "segment's CAC"
    ))


def _check_duplicates(table, clean, rows, ids, problems, *, suggest_sum):
    """Report the rows repeating another row's key (``ids``: codes of id columns); a key
    column the table does not have (the spend's optional segment) is left out."""
    names = [name for name in table.key if name in clean.columns]
    key = clean[names]
    blank = None  # rows with a blank in a key column: None while there are none
    codes = None  # each row's key as one number, a digit per column (blanks set apart)
    for name in names:  # computed in place: each a pass over the rows, not a new array
        digits, low, count, blanks = (_id_digits(*ids[name]) if name in ids
                                      else _key_digits(key[name]))
        if blanks is not None:
            blank = blanks if blank is None else blank | blanks
        if codes is None:
            codes = np.subtract(digits, low, dtype=np.int64)
        else:
            codes *= count
            codes += digits
            codes -= low
    if blank is not None:
        codes[blank] = -1
    suspects = np.flatnonzero(_shared(codes))
    repeated = pd.Series(codes[suspects]).duplicated().to_numpy()
    if not repeated.any():
        return
    first = pd.Series(suspects).groupby(codes[suspects]).transform("min").to_numpy()
    first_of = dict(zip(suspects, first, strict=True))
    hint = " (or load with on_duplicate='sum' to add them up)" if suggest_sum else ""

    def describe(i):
        what = " and ".join(f"{name} {_shown(key[name].iloc[i])}" for name in names)
        return f"{what} already appears on row {rows[first_of[i]]}{hint}"

    mask = np.zeros(len(codes), dtype=bool)
    mask[suspects[repeated]] = True
    problems.add(mask, names[-1], describe)


def _key_digits(values):
    """A key column as digits (see :func:`_id_digits`): the month numbers of a month
    column, the codes of any other.

    >>> months = pd.Series(pd.PeriodIndex(["2024-03", None, "2024-01"], freq="M"))
    >>> digits, low, count, blank = _key_digits(months)
    >>> (digits[[0, 2]] - low).tolist(), count, blank.tolist()
    ([2, 0], 3, [False, True, False])
    """
    if not isinstance(values.dtype, pd.PeriodDtype):
        return _id_digits(*pd.factorize(values))
    ordinals = values.array.asi8
    blank = ordinals == NAT if ordinals.min() == NAT else None  # a blank: the least integer
    found = ordinals if blank is None else ordinals[~blank]
    low, high = (found.min(), found.max()) if found.size else (0, -1)
    return ordinals, int(low), int(high - low + 1), blank


def _id_digits(codes, distinct):
    """``(digits, low, count, blank)`` of a column's codes: ``digits - low`` lies in
    ``range(count)`` on every row but the blanks (``blank``, or None when there are none).

    >>> _id_digits(np.array([1, 0, 1]), ["a", "b"])
    (array([1, 0, 1]), 0, 2, None)
    """
    return codes, 0, len(distinct), (codes < 0 if codes.min() < 0 else None)


def _shared(codes):
    """Boolean array: the rows whose (non-negative) code some other row also has. Compared
    with the next row when the codes are in order (rows sorted by their key, as most
    exports are), counted in a dense array when they are few enough, else by hashing.

    >>> _shared(np.array([0, 3, 5])).tolist(), _shared(np.array([0, 3, 3, -1, -1])).tolist()
    ([False, False, False], [False, True, True, False, False])
    """
    if np.all(codes[1:] > codes[:-1]):  # in key order, each once (a blank at most once)
        return np.zeros(codes.size, dtype=bool)
    valid = codes >= 0
    if not valid.any():
        return valid
    if np.all(codes[1:] >= codes[:-1]):
        same = codes[1:] == codes[:-1]
        shared = np.zeros(codes.size, dtype=bool)
        shared[1:] = same
        shared[:-1] |= same
        return valid & shared
    if codes.max() <= 4 * codes.size + 1_000:
        counts = np.bincount(codes[valid])
        return valid & (counts[np.where(valid, codes, 0)] > 1)
    return valid & pd.Series(codes).duplicated(keep=False).to_numpy()


def _finished(table, clean, *, sum_duplicates):
    """Final dtypes, money in whole cents, and the mrr table in one row per month."""
    for column in table.columns:
        if column.name not in clean.columns:
            continue
        if column.kind == MONEY:
            clean[column.name] = clean[column.name].round(2)
        elif column.kind == FLAG:
            clean[column.name] = clean[column.name].astype(bool)
        elif column.kind in (QUANTITY, SCORE, FRACTION, TARGET):
            clean[column.name] = clean[column.name].astype(float)
    if table is MRR_PERIODS:
        clean = expand_periods(clean)
    elif table.name == "mrr" and sum_duplicates:
        clean = _summed_duplicates(clean)
    return clean.reset_index(drop=True)


def _summed_duplicates(mrr):
    """One row per customer and month, amounts of repeated rows added up."""
    if not mrr.duplicated(["customer_id", "month"]).any():
        return mrr
    others = {name: "last" for name in mrr.columns if name not in ("customer_id", "month")}
    others.update({name: "sum" for name in ("mrr", "mrr_native") if name in mrr.columns})
    summed = mrr.groupby(["customer_id", "month"], sort=False, as_index=False).agg(others)
    return summed.assign(mrr=summed["mrr"].round(2))


class _Problems:
    """Cell problems found column by column, reported in row order."""

    def __init__(self, table, rows, lines=None):
        self.table = table
        self.rows = rows
        self.lines = lines
        self.found = []
        self.notes = []

    def add(self, mask, column, describe):
        positions = np.flatnonzero(mask)
        if positions.size:
            self.found.append((positions, column, describe))

    def add_once(self, mask, column, describe, raw):
        """One problem for all the cells of ``mask``, which one decision settles (a date
        order, a locale): at the first, with their count and three of their values
        (``raw``, the column as read)."""
        positions = np.flatnonzero(mask)
        if positions.size < 2:
            self.add(mask, column, describe)
            return
        firsts = raw.iloc[positions].reset_index(drop=True).drop_duplicates().index[:3]
        examples = [f"{_shown(raw.iloc[positions[k]])} on row {self.rows[positions[k]]}"
                    for k in firsts]
        listed = ", ".join(examples[:-1]) + f" and {examples[-1]}" if len(examples) > 1 \
            else examples[0]
        self.found.append((positions[:1], column, lambda i: (
            f"{describe(i)} ({positions.size} cells of this column are in the same case, "
            f"such as {listed})")))

    def errors(self, limit=None):
        if not self.found:
            return []
        positions = np.concatenate([found[0] for found in self.found])
        which = np.concatenate([np.full(found[0].size, n) for n, found in enumerate(self.found)])
        order = np.lexsort((which, positions))[:limit]
        return [
            DataError(
                self.found[which[k]][2](positions[k]),
                table=self.table,
                row=int(self.rows[positions[k]]),
                column=self.found[which[k]][1],
                line=None if self.lines is None else int(self.lines[positions[k]]),
            )
            for k in order
        ]


def _unreadable(raw, what, locale):
    written = "" if locale is None else (
        f"; --locale {locale.code} reads numbers written as {locale.number_example} "
        f"and dates as {'dd' if locale.day_first else 'mm'}{locale.date_separator}"
        f"{'mm' if locale.day_first else 'dd'}{locale.date_separator}yyyy or yyyy-mm-dd")
    return lambda i: f"cannot read {_shown(raw.iloc[i])} as {what}{written}"


def _got(values, rule):
    return lambda i: f"{rule}, got {values.iloc[i]:g}"


def _shown(value):
    if isinstance(value, pd.Period):
        return str(value)
    return repr(value.strip() if isinstance(value, str) else value)
