"""The vectorised range reader keeps the per-cell rules, and Lite's JsNull is a blank.

``udfs.coerce.numbers`` reads a range in one numpy pass. The rules it must keep are
written out here cell by cell, as the module docstring states them, and compared on
whatever Excel (or a Python caller) can hand over: nested lists, ragged ones, rows of
one range, NumPy arrays, Python integers too large for a float.
"""

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from cents import in_cents
from excel_strategies import cell_values, excel_error_of, excel_values
from hypothesis import given
from hypothesis import strategies as st

import udfs
from csmetrics.errors import MetricError
from udfs import coerce


class JsNull:
    """Stands in for Pyodide's ``pyodide.ffi.JsNull``: JavaScript ``null`` in Python.

    xlwings Lite before 0.36.7 handed a blank cell over as this object, not ``None``.
    """

    def __repr__(self):
        return "jsnull"


def per_cell(value):
    """The documented rules, one cell at a time: ("ok", floats) or ("error", excel error)."""
    kept = []
    for cell in flatten(value):
        if excel_error_of(cell) is not None:
            return "error", excel_error_of(cell)
        if cell is None or isinstance(cell, (str, bool, np.bool_, JsNull)):
            continue
        if isinstance(cell, (dt.date, dt.time)) or not isinstance(cell, (int, float, Decimal)):
            return "error", "#VALUE!"
        try:
            number = float(cell)
        except (OverflowError, ValueError):  # too large an int; Decimal("sNaN")
            return "error", "#NUM!"
        if not math.isfinite(number):
            return "error", "#NUM!"
        kept.append(number)
    return "ok", kept


def flatten(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [cell for item in value for cell in flatten(item)]
    return [value]


def vectorised(value):
    try:
        return "ok", coerce.numbers("scores", value).tolist()
    except MetricError as error:
        return "error", error.excel_error


lite_cells = st.one_of(cell_values, st.builds(JsNull))
ranges = st.integers(1, 4).flatmap(
    lambda width: st.lists(st.lists(lite_cells, min_size=width, max_size=width), max_size=8)
)


@given(value=st.one_of(excel_values, ranges))
def test_the_vectorised_reader_keeps_the_per_cell_rules(value):
    assert vectorised(value) == per_cell(value)


@given(rows=st.lists(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=2,
                               max_size=2), max_size=6))
def test_a_numpy_range_reads_as_its_rows(rows):
    assert vectorised(np.array(rows).reshape(-1, 2)) == per_cell(rows)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([[9], [dt.date(2025, 1, 31)]], "scores (cell 2 of the range) must be a number, got "
                                        "the date 2025-01-31"),
        ([[9], [None], [float("nan")]], "scores (cell 3 of the range) must be a finite number"),
        ([[10**400]], "scores (cell 1 of the range) is too large"),
        ([[9, "#DIV/0!"], ["#N/A", 3]], "scores holds the Excel error #DIV/0!"),
        ([[dt.date(2025, 1, 31)], ["#N/A"]], "must be a number, got the date"),
    ],
)
def test_the_first_broken_cell_in_reading_order_is_named(value, message):
    with pytest.raises(MetricError, match=message.replace("(", r"\(").replace(")", r"\)")):
        coerce.numbers("scores", value)


def test_lite_blank_cells_are_blanks_everywhere():
    blank = JsNull()
    assert udfs.CS_NPS([[10], [blank], [3]]) == 0.0
    assert udfs.CS_DSO(150_000, 1_200_000, blank) == udfs.CS_DSO(150_000, 1_200_000) == 45.625
    assert udfs.CS_CRR(blank, 90, 30) == "#VALUE!"
    assert udfs.CS_COHORT_RETENTION(["A", "A"], ["2025-01", "2025-02"], [10, 25], blank) == [
        ["cohort", "0", "1"], [45658.0, 1.0, 1.0]
    ]
    assert coerce.column("months", [["2025-01"], [blank]]) == ["2025-01", None]


def test_a_column_passes_errors_on_and_refuses_an_integer_too_large_for_a_float():
    # Found by the floors run: pandas 2.2 cannot build a table holding such an integer.
    with pytest.raises(MetricError, match=r"mrr \(cell 2 of the range\) is too large"):
        coerce.column("mrr", [[10], [10**400], ["#N/A"]])
    with pytest.raises(MetricError, match="mrr holds the Excel error #N/A"):
        coerce.column("mrr", [[10], ["#N/A"], [10**400]])
    assert udfs.CS_MRR_MOVEMENTS(0, 0, 10**400) == "#NUM!"


@pytest.mark.parametrize("error", [
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
    "#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!",
    "#BUSY!", "#EXTERNAL!", "#PYTHON!",
])
def test_each_excel_error_in_an_input_is_passed_on(error):
    """Every Excel error value, the seven classic ones and those of newer Excel versions,
    written out one by one (VBA's XlCVError and Office.js' ErrorCellValueType list them):
    in a range, in a single cell and in a raw column, each comes back from the UDF
    unchanged, as from Excel's own AVERAGE (``=AVERAGE(9, #SPILL!)`` is ``#SPILL!``).
    Skipped as text, a #SPILL! among NPS answers 9 would give 100 instead."""
    with pytest.raises(coerce.InputCellError) as raised:
        coerce.numbers("scores", [[9], [error]])
    assert raised.value.excel_error == error
    assert udfs.CS_NPS([[9], [error]]) == error
    assert udfs.CS_DSO(150_000, [[error]]) == error
    assert udfs.CS_DSO(150_000, 1_200_000, error) == error
    assert udfs.CS_MRR_MOVEMENTS(["A"], ["2025-01"], [[error]]) == error
    assert udfs.CS_MRR_MOVEMENTS([[error]], ["2025-01"], [[10]]) == error
    assert udfs.CS_COHORT_RETENTION(["A"], ["2025-01"], [[10]], error) == error


def test_the_udfs_know_exactly_these_errors():
    assert sorted(coerce.EXCEL_ERRORS) == sorted([
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
        "#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!",
        "#BUSY!", "#EXTERNAL!", "#PYTHON!",
    ])


@pytest.mark.parametrize(("code", "error"), [
    (-2146826288, "#NULL!"), (-2146826281, "#DIV/0!"), (-2146826273, "#VALUE!"),
    (-2146826265, "#REF!"), (-2146826259, "#NAME?"), (-2146826252, "#NUM!"),
    (-2146826246, "#N/A"), (-2146826245, "#GETTING_DATA"), (-2146826243, "#SPILL!"),
    (-2146826242, "#CONNECT!"), (-2146826241, "#BLOCKED!"), (-2146826240, "#UNKNOWN!"),
    (-2146826239, "#FIELD!"), (-2146826238, "#CALC!"),
])
def test_a_com_error_code_from_the_classic_add_in_is_its_error(code, error):
    """The classic add-in gets cells through COM, where pywin32 gives an error cell as the
    signed code 0x800A0000 + its XlCVError number n, that is -2147483648 + 655360 + n =
    -2146828288 + n: #NULL! (2000) -2146826288, #N/A (2042) -2146826246, #SPILL! (2045)
    -2146826243, #CALC! (2050) -2146826238. xlwings names the seven classic ones and hands
    the others over as these integers; read as numbers, a #SPILL! would add -2,146,826,243
    to a sum of MRR."""
    with pytest.raises(coerce.InputCellError) as raised:
        coerce.numbers("mrr", [[10.0], [code]])
    assert raised.value.excel_error == error
    assert udfs.CS_NPS([[9.0], [code]]) == error
    assert udfs.CS_DSO(150_000.0, code) == error
    assert udfs.CS_DSO(150_000.0, 1_200_000.0, [[code]]) == error
    assert udfs.CS_MRR_MOVEMENTS(["A", "A"], ["2025-01", "2025-02"], [[10.0], [code]]) == error


def test_a_com_error_code_no_error_is_known_by_is_a_value_error_and_its_neighbours_numbers():
    """The block of Excel's error numbers 2000 to 2099 is -2146826288 to -2146826189; a
    code in it that names no known error (2044: -2146826244; 2051, a future error:
    -2146826237; 2099: -2146826189) is #VALUE!. Just outside the block, 1999
    (-2146826289) and 2100 (-2146826188) are integers like any other: numbers. A float
    with a code's value is a number too (COM hands numbers over as floats)."""
    for code in (-2146826244, -2146826237, -2146826189):
        assert udfs.CS_NPS([[9.0], [code]]) == "#VALUE!"
        assert udfs.CS_DSO(150_000.0, code) == "#VALUE!"
    assert coerce.number("days", -2146826289) == -2146826289.0
    assert coerce.number("days", -2146826188) == -2146826188.0
    assert coerce.numbers("mrr", [[-2146826289], [-2146826188]]).tolist() == [
        -2146826289.0, -2146826188.0]
    assert coerce.number("days", -2146826243.0) == -2146826243.0
    assert coerce.numbers("mrr", [[True], [-2146826243.0]]).tolist() == [-2146826243.0]


def test_text_that_only_looks_like_an_excel_error_is_text():
    """Excel's error values are upper case, en-US, as Office.js hands them over; "#n/a"
    typed as text, "#DATA!" (xlwings' name for a #GETTING_DATA read from a file, never an
    Excel cell) and "#SPILL" without its "!" are text, which a range skips: NPS of the one
    answer 9 is 100."""
    for text in ("#n/a", "#DATA!", "#SPILL", "SPILL!"):
        assert udfs.CS_NPS([[9], [text]]) == 100.0


def test_a_text_argument_is_one_cell_of_text():
    assert coerce.optional_text("mode", [["revenue"]], "logo") == "revenue"
    with pytest.raises(MetricError, match="mode must be a single cell, got 2 cells"):
        coerce.optional_text("mode", [["revenue"], ["logo"]], "logo")
    with pytest.raises(MetricError, match="mode must be text, got 5"):
        coerce.optional_text("mode", [[5]], "logo")


def test_a_python_number_of_another_type_is_a_number_not_a_blank():
    """Only Pyodide's JsNull is a blank: a Fraction (whose type name sorts before
    "JsNull") handed over by a Python caller is the number it holds."""
    assert coerce.number("customers_start", Fraction(9, 2)) == 4.5
    assert coerce.numbers("scores", [[Fraction(9, 2)], [None]]).tolist() == [4.5]


def test_a_jsnull_is_known_by_its_type_name_however_that_name_was_made():
    """Pyodide's JsNull type is made in C: its name is equal to "JsNull" but not the same
    string object as a constant in Python code (which a class statement's name is)."""
    made = type("".join(["Js", "Null"]), (), {})
    assert coerce.optional_number("days", made(), 365) == 365
    assert coerce.column("months", [["2025-01"], [made()]]) == ["2025-01", None]
    assert coerce.numbers("scores", [[9], [made()]]).tolist() == [9.0]
    assert coerce.column("mrr", [[Fraction(1, 2)]]) == [Fraction(1, 2)]


def test_a_number_argument_given_no_cell_is_blank():
    with pytest.raises(MetricError, match="customers_start is blank: give a number"):
        coerce.number("customers_start", [])


def test_a_cell_of_a_type_that_is_no_real_number_is_a_value_error_in_a_range():
    """A Python caller's complex number (no Excel cell holds one) is neither a blank, text,
    TRUE/FALSE nor a real number: in a range it is #VALUE!, named by its place, never
    taken as a number or skipped."""
    with pytest.raises(MetricError, match=r"scores \(cell 2 of the range\) must be a number, "
                                          r"got complex"):
        coerce.numbers("scores", [[9], [complex(1, 2)]])
    assert udfs.CS_NPS([[9], [complex(1, 2)]]) == "#VALUE!"


def test_a_currency_formatted_cell_of_the_classic_add_in_is_a_number():
    """The classic add-in hands a cell formatted as currency or accounting over as a
    Decimal (pywin32 reads COM's currency type so: xlwings issues 65 and 640); it is the
    number it holds, as in xlwings Lite. NPS of 9, 10 and 3: (2 - 1) / 3 x 100; DSO of
    150,000.00 owed on 1,200,000.00 of sales over 365 days: 45.625 days; the MRR bridge of
    10.50 then 25.00 is 10.50 new, then 14.50 of expansion (in cents)."""
    assert udfs.CS_NPS([[Decimal("9")], [Decimal("10")], [Decimal("3")]]) == pytest.approx(
        100 / 3, rel=1e-12)
    assert udfs.CS_DSO(Decimal("150000.00"), Decimal("1200000.00")) == 45.625
    assert coerce.number("receivables", Decimal("1234.5678")) == 1234.5678
    header, january, february = udfs.CS_MRR_MOVEMENTS(
        [["A"], ["A"]], [["2025-01"], ["2025-02"]], [[Decimal("10.50")], [Decimal("25.00")]])
    assert header[1:4] == ["mrr_start", "new", "expansion"]
    assert in_cents(january[1:4]) == [0, 1_050, 0]
    assert in_cents(february[1:4]) == [1_050, 0, 1_450]
    read = coerce.column("mrr", [[Decimal("10.50")], ["x"], [7]])
    assert read == [10.5, "x", 7] and type(read[0]) is float


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN", "1E+400"])
def test_a_decimal_that_is_no_finite_number_is_a_num_error(text):
    """NaN, infinities (no cell holds them; a Python caller may) and a Decimal too large
    for a float are #NUM!, in a single cell and in a range."""
    assert udfs.CS_DSO(Decimal(text), 1_200_000.0) == "#NUM!"
    assert udfs.CS_NPS([[9.0], [Decimal(text)]]) == "#NUM!"


def test_a_signalling_nan_decimal_in_a_table_column_is_refused_as_a_nan_amount():
    """A table column reads a Decimal as its float: Decimal("sNaN"), which pandas cannot
    even test for NaN, becomes NaN, an amount the MRR table refuses (#VALUE!)."""
    assert math.isnan(coerce.column("mrr", [[Decimal("sNaN")]])[0])
    assert udfs.CS_MRR_MOVEMENTS([["A"]], [["2025-01"]], [[Decimal("sNaN")]]) == "#VALUE!"


def test_an_unhashable_cell_beside_text_is_a_value_error():
    """A Python caller's dict (no Excel cell holds one: xlwings Lite hands a data-type cell
    over as its basicValue) is #VALUE!, named by its place, even in a range that holds text
    (which is looked up among the Excel errors, as a dict cannot be)."""
    with pytest.raises(MetricError, match=r"scores \(cell 3 of the range\) must be a number, "
                                          r"got dict"):
        coerce.numbers("scores", [[9], ["n/a"], [{"type": "Entity"}]])
    assert udfs.CS_NPS([[9], ["n/a"], [{"type": "Entity"}]]) == "#VALUE!"


@pytest.mark.parametrize("value, expected", [
    ([[9, [10, 3]]], [9.0, 10.0, 3.0]),  # a list inside a row
    ([[(9, 10)], [3]], [9.0, 10.0, 3.0]),  # a tuple inside a row
    ([[np.array([9, 10]), 3]], [9.0, 10.0, 3.0]),  # a numpy array inside a row
    ([[9], [[-2146826281]]], "#DIV/0!"),  # a COM error code one level down
])
def test_rows_nesting_sequences_read_cell_by_cell(value, expected):
    """A list of rows whose rows hold lists, tuples or arrays (a Python caller's) is read
    cell by cell, as any other shape: its numbers in reading order, and the classic
    add-in's COM error code -2146826281 (0x800A07D7, error 2007) one level down is still
    #DIV/0!."""
    if isinstance(expected, str):
        assert udfs.CS_NPS(value) == expected
    else:
        assert coerce.numbers("scores", value).tolist() == expected


def test_a_range_of_a_list_row_a_tuple_row_and_a_lone_cell_reads_cell_by_cell():
    """A Python caller may nest a range any way: a list row, a tuple row and a lone cell
    are the cells 9, 10 and 3, in that order."""
    assert coerce.numbers("scores", [[9], (10,), 3]).tolist() == [9.0, 10.0, 3.0]
    assert coerce.column("mrr", [[9], (10,), 3]) == [9, 10, 3]
