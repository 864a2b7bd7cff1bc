"""Spreadsheet formulas evaluated on the CPU with the ``formulas`` package (no LibreOffice).

A :class:`VirtualSheet` lays the Inputs tables out as plain ranges (structured references
such as ``MrrData[mrr]`` become ``A2:A90``), holds the values of named cells (the month, the
other KPI cells), and evaluates one formula at a time with ``formulas.Parser``. Blank input
cells are real blanks (``schedula.EMPTY``), dates Excel serials, as a spreadsheet holds them.
"""

import datetime as dt
import math
import re

import formulas
import numpy as np
import schedula
from openpyxl.utils import get_column_letter

from csmetrics.report.layout import TABLE_COLUMNS

STRUCTURED = re.compile(r"(\w+Data)\[(\w+)\]")


def serial(value):
    """A date as the Excel serial a spreadsheet stores; other values unchanged."""
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    return value


class VirtualSheet:
    """Input tables as ranges, named cells as single cells, and a formula evaluator."""

    def __init__(self, data):
        self.values = {}
        self.columns = {}
        column = 1
        for table, names in TABLE_COLUMNS.items():
            rows = data.get(table, [])
            for position, name in enumerate(names):
                letter = get_column_letter(column)
                ref = f"{letter}2:{letter}{max(len(rows), 1) + 1}"
                cells = [serial(row[position]) for row in rows] or [None]
                self.values[ref] = np.array(
                    [[schedula.EMPTY if v is None else v] for v in cells], dtype=object
                )
                self.values[f"{letter}2"] = self.values[ref]  # a one-row range, as parsed
                self.columns[f"{table}[{name}]"] = ref
                column += 1
        self._next_cell = 1
        self._compiled = {}

    def cell(self, value):
        """A new single cell holding ``value``; returns its reference."""
        ref = f"ZZ{self._next_cell}"
        self._next_cell += 1
        self.values[ref] = value
        return ref

    def block(self, values):
        """A new one-column range holding ``values``; returns its reference."""
        first = f"ZY{self._next_cell}"
        ref = f"{first}:ZY{self._next_cell + len(values) - 1}"
        self._next_cell += len(values)
        self.values[ref] = np.array([[v] for v in values], dtype=object)
        self.values.setdefault(first, self.values[ref])  # a one-row range, as parsed
        return ref

    def plain(self, formula):
        """``formula`` with structured references replaced by the tables' ranges."""
        return STRUCTURED.sub(lambda m: self.columns[m.group(0)], formula)

    def evaluate(self, formula):
        """The value of ``formula``: a float, a string, or NaN for a spreadsheet error."""
        text = self.plain(formula)
        if text not in self._compiled:
            self._compiled[text] = formulas.Parser().ast(text)[1].compile()
        function = self._compiled[text]
        result = function(*(self._lookup(name.replace("$", "")) for name in function.inputs))
        return scalar(result)

    def _lookup(self, ref):
        """A stored value, or a range of consecutive single cells (``ZZ3:ZZ9``)."""
        if ref in self.values:
            return self.values[ref]
        first, last = (int(part[2:]) for part in ref.split(":"))
        return np.array([[self.values[f"ZZ{n}"]] for n in range(first, last + 1)], dtype=object)


def scalar(result):
    """One value out of what ``formulas`` returns (arrays, error tokens)."""
    while isinstance(result, np.ndarray):
        result = result.ravel()[0] if result.size else math.nan
    if isinstance(result, formulas.tokens.operand.XlError):
        return math.nan
    if isinstance(result, bool | np.bool_):
        return bool(result)
    if isinstance(result, int | float | np.integer | np.floating):
        return float(result)
    return result
