"""The data checks of an ``mrr`` table as queries run by its backend.

The same problems as the pandas engine's checks (:mod:`csmetrics.tables.validate`), with
the same messages; a backend table has no row numbers, so the row is named by its key
(``(customer_id 'A', month 2024-03)``). One query counts every kind of problem; only the
kinds found fetch their first offenders (ten by default, in key order).
"""

from typing import NamedTuple

import ibis
import pandas as pd
from ibis import _

from csmetrics.errors import DataError
from csmetrics.tables.parse import ILLEGAL_CHARACTERS, control_characters
from csmetrics.tables.schema import FIRST_DAY, KIND_WORDS, LAST_DAY, MAX_AMOUNT, MONEY, MONTH

LIMIT = 10
MONTH_TEXT = r"^\s*[0-9]{4}-(0[1-9]|1[0-2])(-[0-9]{2})?\s*$"
BLANK = "blank cell: every row needs a value"
MONTHS_PER_YEAR = 12


class Found(NamedTuple):
    """One kind of problem: its first offenders, as DataErrors, and how many rows have it."""

    errors: list
    count: int


class _Check(NamedTuple):
    column: str
    offends: object  # boolean Ibis expression on the table
    describe: object  # row (dict) -> message


def find_problems(table, *, money="mrr", keyed=True, limit=LIMIT):
    """Every kind of problem of an ``mrr`` table (lower-case column names): a list of
    :class:`Found`, first the cell problems by column, then the repeated keys (when
    ``keyed``: two rows for one customer and month are a mistake, not amounts to add)."""
    checks = _cell_checks(table, money)
    counts = counts_query(table, checks).execute().iloc[0]
    found = []
    for i, check in enumerate(checks):
        count = 0 if pd.isna(counts[f"n{i}"]) else int(counts[f"n{i}"])
        if count:
            shown = dict.fromkeys(("customer_id", "month", check.column))
            rows = (table.filter(check.offends).select(*shown)
                    .order_by(["customer_id", "month"]).limit(limit).execute())
            errors = [DataError(check.describe(row), table="mrr", row=_key(row),
                                column=check.column) for row in rows.to_dict("records")]
            found.append(Found(errors, count))
    if keyed:
        repeated = _repeated_keys(table, limit)
        if repeated.count:
            found.append(repeated)
    return found


def counts_query(table, checks=None, *, money="mrr"):
    """One row: how many rows have each problem of ``checks`` (default: every check of
    an ``mrr`` table whose money column is ``money``), columns ``n0``, ``n1``, ..."""
    checks = _cell_checks(table, money) if checks is None else checks
    return table.aggregate(**{f"n{i}": ibis.ifelse(check.offends, 1, 0).sum()
                              for i, check in enumerate(checks)})


def repeated_keys_query(table):
    """The customer and month pairs (month numbers) of more than one row, with ``rows``."""
    keys = table.select(customer_id=table.customer_id.cast("string").strip(),
                        month=month_number(table.month))
    repeated = keys.group_by(["customer_id", "month"]).aggregate(rows=_.count())
    return repeated.filter(_.rows > 1)


def raise_first(table, *, money="mrr", keyed=True):
    """Raise the first problem :func:`find_problems` finds, if any."""
    for kind in find_problems(table, money=money, keyed=keyed, limit=1):
        raise kind.errors[0]


def _cell_checks(table, money):
    checks = []
    for name in ("customer_id", "month", money):
        blank = table[name].isnull()
        if table[name].type().is_string():
            blank |= table[name].strip() == ""
        checks.append(_Check(name, blank, lambda row: BLANK))
    month = table.month
    readable = month.notnull()
    if month.type().is_string():
        unreadable = readable & ~month.re_search(MONTH_TEXT)
        checks.append(_Check("month", unreadable, lambda row: (
            f"cannot read {row['month']!r} as {KIND_WORDS[MONTH]}")))
        readable &= ~unreadable
    number = month_number(month)
    first, last = (pd.Period(day, "M") for day in (FIRST_DAY, LAST_DAY))
    outside = readable & ((number < number_of(first)) | (number > number_of(last)))
    checks.append(_Check("month", outside, lambda row: (
        f"reads as the month {_shown_month(row['month'])}, before {FIRST_DAY[:4]} or after "
        f"{LAST_DAY[:4]}: is it a misreading (a year alone, such as 2025, reads as an Excel "
        "date serial)? write the full date")))
    amount = table[money]
    if not amount.type().is_numeric():
        raise DataError(f"the column's type is {amount.type()}, not a number: cast it in the "
                        f"query, or store {KIND_WORDS[MONEY]}", table="mrr", column=money)
    limit = MAX_AMOUNT * 100 if money == "mrr_cents" else MAX_AMOUNT
    checks.append(_Check(money, amount > limit, lambda row: (
        f"must be at most {MAX_AMOUNT:.0e} (amounts are kept to the cent), got "
        f"{float(row[money]):g}")))
    checks.append(_Check(money, amount < 0, lambda row: f"must be >= 0, got {float(row[money]):g}"))
    for name in [column for column in table.columns if table[column].type().is_string()]:
        checks.append(_Check(name, table[name].re_search(ILLEGAL_CHARACTERS.pattern),
                             lambda row, name=name: _control(row[name])))
    return checks


def _repeated_keys(table, limit):
    """Customer and month pairs on more than one row."""
    repeated = repeated_keys_query(table)
    extra = repeated.aggregate(extra=(_.rows - 1).sum())["extra"].execute().iloc[0]
    count = 0 if pd.isna(extra) else int(extra)
    if not count:
        return Found([], 0)
    first = repeated.order_by(["customer_id", "month"]).limit(limit).execute()
    errors = []
    for row in first.to_dict("records"):
        month = month_of(int(row["month"]))
        errors.append(DataError(
            f"customer_id {row['customer_id']!r} and month {month} appears on {row['rows']} "
            "rows (or load with on_duplicate='sum' to add them up)",
            table="mrr", row=f"(customer_id {row['customer_id']!r}, month {month})",
            column="month"))
    return Found(errors, count)


def month_number(month):
    """``year * 12 + month - 1`` of a DATE, TIMESTAMP or ``YYYY-MM`` text column (null for
    text that is no month)."""
    kind = month.type()
    if kind.is_string():
        text = month.strip()
        readable = text.re_search(MONTH_TEXT)
        return ibis.ifelse(readable, text.substr(0, 4).cast("int64") * MONTHS_PER_YEAR
                           + text.substr(5, 2).cast("int64") - 1, ibis.null("int64"))
    if kind.is_date() or kind.is_timestamp():
        return month.year().cast("int64") * MONTHS_PER_YEAR + month.month().cast("int64") - 1
    raise DataError(f"a month column of type {kind} cannot be read: give a DATE, a TIMESTAMP "
                    "or YYYY-MM text", table="mrr", column="month")


def number_of(period):
    """The month number of a month (a Period), as :func:`month_number` gives it.

    >>> number_of(pd.Period("2024-03", "M")) == 2024 * 12 + 2
    True
    """
    return period.year * MONTHS_PER_YEAR + period.month - 1


def month_of(number):
    """The month (a Period) of a month number.

    >>> month_of(2024 * 12 + 2)
    Period('2024-03', 'M')
    """
    return pd.Period(year=number // MONTHS_PER_YEAR, month=number % MONTHS_PER_YEAR + 1,
                     freq="M")


def _shown_month(value):
    if isinstance(value, str):
        return value.strip()[:7]
    return str(pd.Timestamp(value).to_period("M"))


def _control(text):
    found = control_characters([text]).iloc[0]
    return (f"the text {text!r} holds the control character U+{ord(found):04X}, which a "
            "workbook cannot store; remove it")


def _key(row):
    month = row["month"]
    shown = "blank" if month is None or pd.isna(month) else _shown_month(month)
    customer = row["customer_id"]
    customer = "blank" if customer is None or pd.isna(customer) else repr(str(customer).strip())
    return f"(customer_id {customer}, month {shown})"
