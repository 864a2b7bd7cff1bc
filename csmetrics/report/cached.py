"""The value of every formula a filled report shows, saved with the formula.

A spreadsheet shows a formula cell's last computed value, which the file keeps beside the
formula (``<c><f>B8-C8</f><v>1250</v></c>``). openpyxl cannot store that value: its cell
writer (``openpyxl/cell/_writer.py``, ``lxml_write_cell``) always writes an empty ``<v>``
after a formula, so a viewer that does not recalculate (a mail preview, a quick-look
viewer, ``pandas.read_excel``) shows those cells blank. The formulas a filled report keeps
on its visible sheets are few and simple (a KPI's change, its status against the target,
the shares of a breakdown), so :func:`formula_values` computes them here, the way a
spreadsheet does, from the values the filler wrote, and :func:`save_with_values` writes
them into the saved sheets. Excel and LibreOffice show the same numbers after they
recalculate (the tests recalculate every report in LibreOffice and compare). The Audit
sheet keeps only its native formulas, with no stored value, so that the spreadsheet works
them out itself; a formula this module does not know is left to the spreadsheet too.

Supported: numbers, text, cell and range references of the same sheet, defined names of
one cell, structured references to a column of an Excel Table (``SpendData[month]``), the
operators ``+ - * /`` and comparisons, and the functions ``IF``, ``OR``, ``AND``,
``IFERROR``, ``SUM``, ``COUNT``, ``INDEX``, ``MATCH`` (exact), ``EDATE`` and ``ROUND``.
"""

import datetime
import functools
import math
import re
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.utils.cell import range_boundaries, range_to_tuple
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.writer.excel import ExcelWriter

from csmetrics.report.labels import sheet_names

SKIPPED_SHEETS = frozenset(sheet_names("audit"))
"""Sheets whose formulas are left without a stored value: the Audit's native checks."""

class ExcelError(str):
    """An error value (``#DIV/0!``): it flows through the operations as a spreadsheet's."""


DIV0, VALUE, NA = ExcelError("#DIV/0!"), ExcelError("#VALUE!"), ExcelError("#N/A")


class UnsupportedFormulaError(ValueError):
    """A formula using something this module does not compute."""


TOKEN = re.compile(r"""\s*(?:
    (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<table>[A-Za-z_][\w.]*\[[^\]]+\])
  | (?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)
  | (?P<function>[A-Z][A-Z0-9.]*)\(
  | (?P<cell>\$?[A-Z]{1,3}\$?\d+)(?![\w(!])
  | (?P<name>[A-Za-z_][\w.]*)(?![\w(!\[])
  | (?P<op><=|>=|<>|[-+*/=<>(),])
)""", re.VERBOSE)


def tokens(text):
    """The tokens of a formula (without its ``=``): ``(kind, text)`` pairs.

    >>> tokens('IF(B8="","",B8-C$8)')  # doctest: +NORMALIZE_WHITESPACE
    [('function', 'IF'), ('cell', 'B8'), ('op', '='), ('string', '""'), ('op', ','),
     ('string', '""'), ('op', ','), ('cell', 'B8'), ('op', '-'), ('cell', 'C$8'), ('op', ')')]
    """
    found, place = [], 0
    while place < len(text.rstrip()):
        match = TOKEN.match(text, place)
        if match is None:
            raise UnsupportedFormulaError(f"cannot read {text[place:]!r} of ={text}")
        found.append((match.lastgroup, match[match.lastgroup]))
        place = match.end()
    return found


class _Evaluator:
    """Computes the formulas of one workbook, each cell once."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.values = {}

    def cell(self, ws, coordinate):
        key = (ws.title, coordinate.replace("$", ""))
        if key not in self.values:
            self.values[key] = None  # a circular reference reads as empty
            self.values[key] = self._cell_value(ws[key[1]])
        return self.values[key]

    def _cell_value(self, cell):
        value = cell.value
        if cell.data_type == "f":
            if not isinstance(value, str):
                raise UnsupportedFormulaError(f"{cell.coordinate} holds an array formula")
            formula = compiled(value[1:])
            if isinstance(formula, UnsupportedFormulaError):
                raise UnsupportedFormulaError(str(formula))  # a fresh one: no traceback kept
            return formula(self, cell.parent)
        if isinstance(value, datetime.date | datetime.datetime):
            return float(to_excel(value))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if cell.data_type == "e":
            return ExcelError(value)
        return value

    def name(self, name):
        defined = self.workbook.defined_names.get(name)
        if defined is None:
            raise UnsupportedFormulaError(f"no defined name {name}")
        sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(defined.attr_text)
        if (min_col, min_row) != (max_col, max_row):
            raise UnsupportedFormulaError(f"the name {name} holds more than one cell")
        ws = self.workbook[sheet]
        return self.cell(ws, ws.cell(min_row, min_col).coordinate)

    def table_column(self, reference):
        table_name, column = reference[:-1].split("[", 1)
        for ws in self.workbook.worksheets:
            table = ws.tables.get(table_name)
            if table is not None:
                min_col, min_row, max_col, max_row = range_boundaries(table.ref)
                header = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
                if column not in header:
                    break
                letter_column = min_col + header.index(column)
                return [self.cell(ws, ws.cell(r, letter_column).coordinate)
                        for r in range(min_row + 1, max_row + 1)]
        raise UnsupportedFormulaError(f"no table column {reference}")

    def block(self, ws, reference):
        min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
        return [self.cell(ws, ws.cell(r, c).coordinate)
                for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


@functools.cache
def compiled(text):
    """The formula ``text`` (without its ``=``) read once: a function of an evaluator and
    the formula's worksheet that computes its value, or the
    :class:`UnsupportedFormulaError` saying why it cannot be computed here.

    A batch fills each template many times over, every copy holding the same formula texts:
    reading each text once per process, not once per report, leaves the computing alone.

    >>> compiled('IF(2>1,"a","b")')(None, None), type(compiled("TODAY()")).__name__
    ('a', 'UnsupportedFormulaError')
    """
    try:
        return _Reader(tokens(text)).formula()
    except UnsupportedFormulaError as error:
        return error


class _Reader:
    """A recursive-descent reading of one formula into nested functions of ``(evaluator,
    ws)``: the operators and functions applied to the values of their operands."""

    def __init__(self, found):
        self.found, self.place = found, 0

    def formula(self):
        result = self.comparison()
        if self.place != len(self.found):
            raise UnsupportedFormulaError(f"unexpected {self.found[self.place][1]!r}")
        return result

    def peek(self):
        return self.found[self.place] if self.place < len(self.found) else (None, None)

    def take(self, text=None):
        kind, word = self.peek()
        if kind is None or (text is not None and word != text):
            raise UnsupportedFormulaError(f"expected {text!r}, found {word!r}")
        self.place += 1
        return kind, word

    def comparison(self):
        return self._binary(self.additive, COMPARISONS, compare)

    def additive(self):
        return self._binary(self.multiplicative, ("+", "-"), arithmetic)

    def multiplicative(self):
        return self._binary(self.unary, ("*", "/"), arithmetic)

    def _binary(self, operand, operators, combine):
        """Operands read by ``operand``, joined left to right by ``operators``."""
        left = operand()
        while self.peek()[0] == "op" and self.peek()[1] in operators:
            operator = self.take()[1]
            left = _joined(combine, operator, left, operand())
        return left

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return _joined(arithmetic, "-", _constant(0.0), self.unary())
        if self.peek() == ("op", "+"):
            self.take()
        return self.primary()

    def primary(self):
        kind, word = self.take()
        if kind == "number":
            return _constant(float(word))
        if kind == "string":
            return _constant(word[1:-1].replace('""', '"'))
        if kind == "cell":
            return lambda evaluator, ws: evaluator.cell(ws, word)
        if kind == "range":
            return lambda evaluator, ws: evaluator.block(ws, word)
        if kind == "table":
            return lambda evaluator, ws: evaluator.table_column(word)
        if kind == "name":
            if word.upper() in ("TRUE", "FALSE"):
                return _constant(word.upper() == "TRUE")
            return lambda evaluator, ws: evaluator.name(word)
        if kind == "function":
            return self.call(word)
        if word == "(":
            inner = self.comparison()
            self.take(")")
            return inner
        raise UnsupportedFormulaError(f"unexpected {word!r}")

    def call(self, function):
        if function not in FUNCTIONS:
            raise UnsupportedFormulaError(f"function {function} is not computed here")
        arguments = []
        if self.peek() != ("op", ")"):
            arguments.append(self.comparison())
            while self.peek() == ("op", ","):
                self.take()
                arguments.append(self.comparison())
        self.take(")")
        apply = FUNCTIONS[function]
        return lambda evaluator, ws: apply(*(argument(evaluator, ws) for argument in arguments))


def _constant(value):
    return lambda evaluator, ws: value


def _joined(combine, operator, left, right):
    """``combine(operator, left, right)`` of the values of two operands, as a spreadsheet
    computes both before it applies the operator."""
    return lambda evaluator, ws: combine(operator, left(evaluator, ws), right(evaluator, ws))


COMPARISONS = ("=", "<>", "<", ">", "<=", ">=")


def _scalar(value):
    if isinstance(value, list):
        raise UnsupportedFormulaError("a range where one value is expected")
    return value


def _error(*values):
    return next((v for v in values if isinstance(v, ExcelError)), None)


def _number(value):
    """A value as a number in arithmetic: empty is 0, TRUE 1; text is ``#VALUE!``."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        raise _ValueError
    return value


class _ValueError(Exception):
    pass


def arithmetic(operator, left, right):
    """``left operator right`` as a spreadsheet computes it.

    >>> arithmetic("-", 5.0, None), arithmetic("/", 1.0, 0.0), arithmetic("+", "a", 1.0)
    (5.0, '#DIV/0!', '#VALUE!')
    """
    left, right = _scalar(left), _scalar(right)
    error = _error(left, right)
    if error:
        return error
    try:
        a, b = _number(left), _number(right)
    except _ValueError:
        return VALUE
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    return DIV0 if b == 0 else a / b


def _rank(value):
    """Excel's order of types in a comparison: numbers < text < logical values."""
    return 2 if isinstance(value, bool) else 1 if isinstance(value, str) else 0


def compare(operator, left, right):
    """A comparison as a spreadsheet makes it: an empty cell equals ``""`` and 0, text is
    compared without case, and any text is greater than any number.

    >>> compare("=", None, ""), compare("=", 3.0, ""), compare(">=", 0.9, 0.85)
    (True, False, True)
    >>> compare("=", None, None), compare("<", None, 1.0), compare(">", "a", 2.0)
    (True, True, True)
    """
    left, right = _scalar(left), _scalar(right)
    error = _error(left, right)
    if error:
        return error
    if left is None and right is None:
        left = right = 0.0
    elif left is None:
        left = type(right)()
    elif right is None:
        right = type(left)()
    if _rank(left) != _rank(right):
        a, b = _rank(left), _rank(right)
    elif isinstance(left, str):
        a, b = left.lower(), right.lower()
    else:
        a, b = left, right
    return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b,
            ">=": a >= b}[operator]


def _truth(value):
    value = _scalar(value)
    if isinstance(value, ExcelError):
        return value
    if isinstance(value, str):
        return VALUE
    return bool(value)


def _if(condition, when_true, when_false=False):
    truth = _truth(condition)
    if isinstance(truth, ExcelError):
        return truth
    return when_true if truth else when_false


def _logical(combine):
    def logical(*values):
        truths = [_truth(v) for v in values]
        return _error(*truths) or combine(truths)
    return logical


def _iferror(value, fallback):
    return fallback if isinstance(_scalar(value), ExcelError) else value


def _flat(values):
    for value in values:
        if isinstance(value, list):
            yield from value
        else:
            yield value


def _sum(*values):
    items = list(_flat(values))
    return _error(*items) or math.fsum(
        v for v in items if isinstance(v, float) and not isinstance(v, bool))


def _count(*values):
    return float(sum(isinstance(v, float) for v in _flat(values)))


def _index(values, position):
    position = _scalar(position)
    if _error(position):
        return position
    if not isinstance(values, list) or not 1 <= position <= len(values):
        return ExcelError("#REF!")
    return values[int(position) - 1]


def _match(value, values, kind=1.0):
    if kind != 0:
        raise UnsupportedFormulaError("MATCH other than exact (0)")
    value = _scalar(value)
    if _error(value):
        return value
    for position, candidate in enumerate(values, start=1):
        if candidate is not None and compare("=", value, candidate) is True:
            return float(position)
    return NA


def _edate(start, months):
    start, months = _scalar(start), _scalar(months)
    error = _error(start, months)
    if error:
        return error
    day = from_excel(_number(start)).date()
    month = day.month - 1 + int(months)
    year, month = day.year + month // 12, month % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return float(to_excel(datetime.date(year, month, min(day.day, last))))


def _round(value, digits):
    """ROUND: half away from zero, as spreadsheets round.

    >>> _round(-0.04, 1.0), _round(2.25, 1.0), _round(-2.5, 0.0)
    (0.0, 2.3, -3.0)
    """
    value, digits = _scalar(value), _scalar(digits)
    error = _error(value, digits)
    if error:
        return error
    try:
        value, digits = _number(value), int(_number(digits))
    except _ValueError:
        return VALUE
    scale = 10.0 ** digits
    rounded = math.floor(abs(value) * scale + 0.5) / scale
    return math.copysign(rounded, value) if rounded else 0.0


FUNCTIONS = {
    "IF": _if,
    "ROUND": _round,
    "OR": _logical(any),
    "AND": _logical(all),
    "IFERROR": _iferror,
    "SUM": _sum,
    "COUNT": _count,
    "INDEX": _index,
    "MATCH": _match,
    "EDATE": _edate,
}


def formula_values(workbook):
    """``{worksheet index (1-based): {coordinate: value}}``: the value of each formula
    this module computes on every sheet but the Audit and the hidden ones.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> ws = wb.active
    >>> ws["A1"], ws["A2"], ws["B1"], ws["B2"] = 3.0, None, '=IF(OR(A1="",A2=""),"",A1-A2)', "=A1/2"
    >>> formula_values(wb)
    {1: {'B1': '', 'B2': 1.5}}
    """
    evaluator = _Evaluator(workbook)
    values = {}
    for index, ws in enumerate(workbook.worksheets, start=1):
        if ws.title in SKIPPED_SHEETS or ws.sheet_state != "visible":
            continue
        sheet = {}
        for cell in ws._cells.values():  # every cell held (see cells.held_cells), unsorted
            if cell.data_type == "f":
                try:
                    sheet[cell.coordinate] = evaluator.cell(ws, cell.coordinate)
                except UnsupportedFormulaError:
                    continue
        if sheet:
            values[index] = sheet
    return values


def _stored(value):
    """The ``t`` attribute and the ``<v>`` text of a computed value.

    >>> _stored(12.5), _stored("on target"), _stored(True), _stored(DIV0), _stored(None)
    ((None, '12.5'), ('str', 'on target'), ('b', '1'), ('e', '#DIV/0!'), (None, '0'))
    """
    if isinstance(value, ExcelError):
        return "e", str(value)
    if isinstance(value, bool):
        return "b", str(int(value))
    if isinstance(value, str):
        return "str", value
    text = repr(float(value or 0.0))
    return None, text.removesuffix(".0")


FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v/>|<v></v>|<v />)</c>')
"""A formula cell as openpyxl's cell writer writes it (``lxml_write_cell``, or
``etree_write_cell`` without lxml): no ``t`` attribute, the formula, an empty ``<v>``.
A regular expression rather than an XML parser: five times faster on a report's sheet,
and the tests read every formula's value back."""


def with_values(xml, values):
    """A worksheet part (bytes, as openpyxl writes it) with ``values`` (``{coordinate:
    value}``) stored in its formula cells.

    >>> with_values(b'<c r="D8" s="3"><f>B8-C8</f><v></v></c>', {"D8": 2.5})
    b'<c r="D8" s="3"><f>B8-C8</f><v>2.5</v></c>'
    >>> with_values(b'<c r="F8"><f>IF(B8&gt;1,"a&amp;b","")</f><v/></c>', {"F8": "a&b"})
    b'<c r="F8" t="str"><f>IF(B8&gt;1,"a&amp;b","")</f><v>a&amp;b</v></c>'
    """
    def stored(match):
        coordinate = match[1].decode()
        if coordinate not in values:
            return match[0]
        kind, text = _stored(values[coordinate])
        kind = b"" if kind is None else b' t="%s"' % kind.encode()
        return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (
            match[1], match[2], kind, match[3], escape(text).encode())

    return FORMULA_CELL.sub(stored, xml)


class _ValuesArchive(ZipFile):
    """A zip archive that stores the computed values in the worksheet parts written to it."""

    def __init__(self, path, values):
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True)
        self.parts = {f"xl/worksheets/sheet{index}.xml": sheet
                      for index, sheet in values.items()}

    def write(self, filename, arcname=None, *args, **kwargs):
        if arcname in self.parts:
            with open(filename, "rb") as part:
                self.writestr(arcname, with_values(part.read(), self.parts[arcname]))
        else:
            super().write(filename, arcname, *args, **kwargs)


def save_with_values(workbook, path):
    """Save ``workbook`` like ``Workbook.save``, each formula of :func:`formula_values`
    with its value.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from pathlib import Path
    >>> wb = openpyxl.Workbook()
    >>> wb.active["A1"], wb.active["A2"] = 2.0, "=A1*3"
    >>> path = Path(tempfile.mkdtemp(), "book.xlsx")
    >>> save_with_values(wb, path)
    >>> openpyxl.load_workbook(path, data_only=True).active["A2"].value
    6
    """
    values = formula_values(workbook)
    workbook.properties.modified = datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None)
    with _ValuesArchive(path, values) as archive:
        ExcelWriter(workbook, archive).save()
