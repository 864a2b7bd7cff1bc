"""What one registry entry says about an Excel function (see :mod:`udfs.registry`)."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Kind(Enum):
    """How an Excel argument is read (see :mod:`udfs.coerce`)."""

    NUMBER = "number"
    RANGE = "range of numbers"
    OPTIONAL = "optional number"
    COLUMN = "column of values"
    OPTIONAL_TEXT = "optional text"


@dataclass(frozen=True)
class Arg:
    """One Excel argument: its name in Excel, its help, how it is read, the core keyword."""

    name: str
    doc: str
    kind: Kind
    keyword: str
    default: Any = None

    @property
    def optional(self):
        """True when a blank or omitted cell takes ``default``."""
        return self.kind in (Kind.OPTIONAL, Kind.OPTIONAL_TEXT)


@dataclass(frozen=True)
class Udf:
    """One Excel function: its name, the core function it calls, its help and arguments.

    ``inputs``, when given, turns the Excel arguments (by keyword) into the core's keyword
    arguments: the table metrics take three columns and build one table from them.
    ``table``, when given, turns the core result into a 2-D list (header row first) that
    spills in dynamic-array Excel. A core function may also return such a list itself.
    """

    excel_name: str
    core: Callable
    help: str
    args: tuple
    inputs: Callable | None = None
    table: Callable | None = None


def number(name, doc, keyword=None):
    """A required single-number argument."""
    return Arg(name, doc, Kind.NUMBER, keyword or name)


def numbers(name, doc, keyword=None):
    """A range (or array) of numbers; blanks, text and booleans in it are skipped."""
    return Arg(name, doc, Kind.RANGE, keyword or name)


def optional(name, doc, default, keyword=None):
    """An optional single number; blank or omitted takes ``default``."""
    return Arg(name, doc, Kind.OPTIONAL, keyword or name, default)


def column(name, doc, keyword=None):
    """A column of a raw table: every cell kept in order, blanks as ``None``."""
    return Arg(name, doc, Kind.COLUMN, keyword or name)


def optional_text(name, doc, default, keyword=None):
    """An optional text argument; blank or omitted takes ``default``."""
    return Arg(name, doc, Kind.OPTIONAL_TEXT, keyword or name, default)


def record_table(record):
    """A named tuple as a two-row table: field names, then values.

    >>> from csmetrics import nps_breakdown
    >>> record_table(nps_breakdown([10, 6]))[0][:4]
    ['promoters', 'passives', 'detractors', 'responses']
    """
    return [list(record._fields), list(record)]
