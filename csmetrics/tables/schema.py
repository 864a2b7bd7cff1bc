"""The input tables (six of data, one of targets): their columns, what each column holds
and how blanks are read.

Column names are matched without regard to case or surrounding spaces. A table may carry
more columns than these (a region, a plan): they are kept, as text, so that
``segment_by`` can name them.
"""

from typing import NamedTuple

from csmetrics.satisfaction import NPS_SCALE

ID = "id"
TEXT = "text"
MONTH = "month"
DATE = "date"
MONEY = "money"
QUANTITY = "quantity"
FRACTION = "fraction"
SURVEY = "survey"
SCORE = "score"
FLAG = "flag"
TARGET = "target"

KIND_WORDS = {
    ID: "an identifier",
    TEXT: "text",
    MONTH: "a month (a date, YYYY-MM or an Excel date serial)",
    DATE: "a date (YYYY-MM-DD, dd/mm/yyyy, a date cell or an Excel date serial)",
    MONEY: "an amount (a number such as 1250.50; no currency sign)",
    QUANTITY: "a number",
    FRACTION: "a fraction between 0 and 1 (80 % is 0.8)",
    SURVEY: "a survey name: nps, csat or ces",
    SCORE: "a number",
    FLAG: "yes or no (also true/false, 1/0)",
    TARGET: "a number (a rate as a share, 0.02, or with a percent sign, 2 %)",
}

MAX_AMOUNT = 10**13
"""The largest amount read (ten thousand billion): below it a float holds every cent
exactly (2**53 cents is about 9.0e13 units)."""
MAX_TOTAL = (2**63 - 1) // 100
"""The largest total of a money column (about 9.2e16): the engine adds amounts up in
int64 cents, which would wrap around past it."""
FIRST_DAY, LAST_DAY = "1970-01-01", "2100-12-31"
"""Dates and months outside these are refused as misreadings (a year ``2025`` alone reads
as the Excel date serial 2025, 1905-07-17)."""

REQUIRED = "required"  # a blank cell is an error
KEEP = "keep"  # a blank cell stays blank (NaN / NaT): an open invoice, an unknown margin
ZERO = "zero"  # a blank cell reads as 0 (no units returned)


class Column(NamedTuple):
    """One column of an input table; ``in_templates``: a column of the template workbooks'
    Inputs table of the same data (the billing import's currency columns are not)."""

    name: str
    kind: str
    blank: str = REQUIRED
    optional: bool = False
    in_templates: bool = True


class Table(NamedTuple):
    """One input table: its columns and the columns that identify a row (no two alike)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()


SURVEY_SCALES = {"nps": NPS_SCALE, "csat": (1, 5), "ces": (1, 7)}
WHOLE_SCORES = frozenset({"nps"})

TABLES = {
    table.name: table
    for table in (
        Table(
            "mrr",
            (
                Column("customer_id", ID),
                Column("month", MONTH),
                Column("mrr", MONEY),
                Column("segment", TEXT, KEEP, optional=True),
                Column("currency", TEXT, KEEP, optional=True, in_templates=False),
                Column("mrr_native", MONEY, KEEP, optional=True, in_templates=False),
            ),
            key=("customer_id", "month"),
        ),
        Table(
            "invoices",
            (
                Column("invoice_id", ID),
                Column("customer_id", ID),
                Column("issue_date", DATE),
                Column("due_date", DATE),
                Column("paid_date", DATE, KEEP),
                Column("amount", MONEY),
            ),
            key=("invoice_id",),
        ),
        Table(
            "surveys",
            (
                Column("customer_id", ID),
                Column("date", DATE),
                Column("survey", SURVEY),
                Column("score", SCORE),
            ),
        ),
        Table(
            "orders",
            (
                Column("customer_id", ID),
                Column("order_date", DATE),
                Column("units", QUANTITY),
                Column("units_returned", QUANTITY, ZERO),
            ),
        ),
        Table(
            "tickets",
            (
                Column("ticket_id", ID),
                Column("customer_id", ID),
                Column("opened_date", DATE),
                Column("resolved_first_contact", FLAG),
            ),
            key=("ticket_id",),
        ),
        Table(
            "spend",
            (
                Column("month", MONTH),
                Column("sales_marketing_cost", MONEY),
                Column("gross_margin", FRACTION, KEEP, optional=True),
                Column("segment", TEXT, optional=True),
            ),
            key=("month", "segment"),
        ),
        Table(
            "targets",
            (
                Column("metric", TEXT),
                Column("target", TARGET),
                Column("segment", TEXT, KEEP, optional=True),
            ),
        ),
    )
}

TABLE_NAMES = tuple(TABLES)

MRR_PERIODS = Table(
    "mrr",
    (
        Column("customer_id", ID),
        Column("start_date", DATE),
        Column("end_date", DATE, KEEP),
        Column("mrr", MONEY),
        Column("segment", TEXT, KEEP, optional=True),
    ),
)
"""The ``mrr`` table given as subscription periods instead of one row per month."""
