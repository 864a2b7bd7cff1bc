"""The checks' work once per distinct value (csmetrics.tables.distinct): ids taken run by
run, months from a table of the days they span, control characters searched in Arrow, and
a table without a blank column found without a pass over its rows. Worked examples with
their values written out, then properties against pandas' and numpy's own conversions."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics import DataError, load_data, mrr_movements
from csmetrics.tables.distinct import factorize, month_ordinals, run_starts
from csmetrics.tables.parse import parse_ids, read_months
from csmetrics.tables.validate import check_table

STR_IS_ARROW = isinstance(pd.Series([""], dtype="str").dtype, pd.StringDtype)
"""pandas 3's ``str`` is Arrow text; pandas 2.2's (the floor) is object."""
ARROW_TEXT = ["string[pyarrow]", pd.ArrowDtype(pa.string()), *(["str"] if STR_IS_ARROW else [])]


@pytest.mark.parametrize("dtype", ARROW_TEXT)
def test_ids_in_runs_get_the_codes_of_their_sorted_values(dtype):
    """Runs C2 C2 | C1 C1 C1 | blank | C2: four runs, C2 in two of them. Sorted, C1 is
    code 0 and C2 code 1; the blank is -1."""
    ids = pd.Series(["C2", "C2", "C1", "C1", "C1", None, "C2", "C2"], dtype=dtype)
    assert run_starts(ids).tolist() == [0, 2, 5, 6]
    codes, distinct = factorize(ids, sort=True)
    assert codes.tolist() == [1, 1, 0, 0, 0, -1, 1, 1]
    assert distinct.tolist() == ["C1", "C2"]
    codes, distinct = factorize(ids)
    assert codes.tolist() == [0, 0, 1, 1, 1, -1, 0, 0]
    assert distinct.tolist() == ["C2", "C1"]


def test_ids_sorted_in_runs_are_numbered_in_order():
    """A B B C C C: the runs' values increase, so each run is the next code."""
    codes, distinct = factorize(pd.Series(list("ABBCCC"), dtype="str"), sort=True)
    assert codes.tolist() == [0, 1, 1, 2, 2, 2] and distinct.tolist() == ["A", "B", "C"]


def test_a_column_not_in_runs_is_factorised_row_by_row():
    """A B A B ...: every row starts a run, more than half of the probed rows."""
    assert run_starts(pd.Series(list("ABAB" * 10), dtype="str")) is None
    assert run_starts(pd.Series(list("AABB"), dtype=object)) is None  # not Arrow text


def test_ids_that_differ_only_in_spaces_are_one_id():
    """' A' (two rows), 'A' (two rows), 'B': the first two runs strip to the same id."""
    text, codes, ids = parse_ids(pd.Series([" A", " A", "A", "A", "B"], dtype="str"))
    assert text.tolist() == ["A", "A", "A", "A", "B"]
    assert codes.tolist() == [0, 0, 0, 0, 1] and ids.tolist() == ["A", "B"]


def test_a_customer_in_two_runs_repeating_a_month_is_named_with_its_first_row():
    """A's rows are lines 2-3 and 5-6 of the sheet; line 6 repeats A's 2024-01 of line 2."""
    mrr = pd.DataFrame({
        "customer_id": pd.Series(["A", "A", "B", "A", "A"], dtype="str"),
        "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01", "2024-03-01",
                                 "2024-01-01"]),
        "mrr": [10.0, 10.0, 5.0, 10.0, 10.0],
    })
    with pytest.raises(DataError) as raised:
        mrr_movements(mrr)
    assert str(raised.value) == (
        "table 'mrr', row 6, column 'month': customer_id 'A' and month 2024-01 already "
        "appears on row 2 (or load with on_duplicate='sum' to add them up)")


def test_a_control_character_in_arrow_ids_is_found():
    mrr = pd.DataFrame({"customer_id": pd.Series(["A", "A", "B\x07"], dtype="str"),
                        "month": ["2024-01", "2024-02", "2024-01"], "mrr": [1.0, 2.0, 3.0]})
    _, problems = check_table("mrr", mrr)
    assert [str(problem) for problem in problems] == [
        "table 'mrr', row 4, column 'customer_id': the text 'B\\x07' holds the control "
        "character U+0007, which a workbook cannot store; remove it"]


def test_a_blank_row_is_dropped_when_every_column_has_a_blank():
    """Row 3 is blank in every column; each column has that blank, so no column settles
    that every row is filled: the row is dropped, and the rows keep their numbers."""
    mrr = pd.DataFrame({"customer_id": ["A", None, "B"], "month": ["2024-01", None, "2024-01"],
                        "mrr": [1.0, None, -2.0]})
    _, problems = check_table("mrr", mrr)
    assert [str(problem) for problem in problems] == [
        "table 'mrr', row 4, column 'mrr': must be >= 0, got -2"]


def test_date_cells_become_months_through_the_days_they_span():
    """The last minute of 31 March 2024, a blank, a day of 1969 (before the epoch)."""
    stamps = pd.Series(pd.to_datetime(["2024-03-31 23:59", None, "1969-12-31 08:00"]))
    months = read_months(stamps).values
    assert [str(month) for month in months.dropna()] == ["2024-03", "1969-12"]
    assert months.isna().tolist() == [False, True, False]
    assert month_ordinals(stamps.to_numpy()).tolist() == [(2024 - 1970) * 12 + 2,
                                                          np.iinfo(np.int64).min, -1]


def test_the_bench_shape_reads_as_written(tmp_path):
    """Three customers x 24 months as Parquet (Arrow text ids, microsecond dates), one row
    at zero: the bridge of the last month holds 2 customers, 30 + 20 = 50."""
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    frame = pd.DataFrame({
        "customer_id": np.repeat(["C1", "C2", "C3"], 24),
        "month": np.tile(months, 3),
        "mrr": np.concatenate([np.full(24, 30.0), np.full(24, 20.0),
                               np.r_[np.full(23, 5.0), 0.0]]),
    })
    frame.to_parquet(tmp_path / "mrr.parquet", index=False)
    bridge = mrr_movements(load_data(tmp_path).mrr)
    last = bridge.iloc[-1]
    assert (str(last["month"]), last["mrr_end"], last["churned"], last["customers_end"]) == (
        "2024-12", 50.0, 5.0, 2)


RUNS = st.lists(st.tuples(st.sampled_from(["a", "b", "B", " a", "é", "ab", "", None]),
                          st.integers(min_value=1, max_value=6)), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(RUNS, st.sampled_from(ARROW_TEXT), st.booleans())
def test_factorize_gives_what_pandas_gives(runs, dtype, sort):
    """Against pandas' own factorize of every row: the same codes and distinct values."""
    values = pd.Series([value for value, length in runs for _ in range(length)], dtype=dtype)
    codes, distinct = factorize(values, sort=sort)
    expected_codes, expected = pd.factorize(values, sort=sort)
    assert codes.tolist() == expected_codes.tolist()
    assert distinct.dtype == expected.dtype and distinct.tolist() == expected.tolist()


SPANS = {"ns": 10**17, "us": 10**14, "s": 10**10, "m": 10**8, "h": 10**6, "12h": 10**5,
         "D": 10**5, "3D": 10**4, "W": 10**4, "M": 10**3, "Y": 100}
"""Per unit of the stamps, how far from 1970 they are drawn (about 3,000 years at most)."""


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(SPANS)), st.data())
def test_month_ordinals_are_numpy_months(unit, data):
    """Against numpy's own conversion of each stamp to its month; a blank is NaT."""
    span = SPANS[unit]
    ticks = data.draw(st.lists(st.one_of(st.none(), st.integers(-span, span)), min_size=1,
                               max_size=50))
    stamps = np.array([np.iinfo(np.int64).min if tick is None else tick for tick in ticks],
                      dtype=np.int64).view(f"datetime64[{unit}]")
    expected = stamps.astype("datetime64[M]").view(np.int64)
    assert month_ordinals(stamps).tolist() == expected.tolist()


def test_rows_with_a_blank_key_cell_are_no_repeat_of_each_other():
    """A on rows 2 and 3 without a month: two blank cells, not a repeated key; A's
    2024-01 on rows 4 and 5 is the one repeat."""
    mrr = pd.DataFrame({
        "customer_id": pd.Series(["A", "A", "A", "A"], dtype="str"),
        "month": pd.to_datetime([None, None, "2024-01-01", "2024-01-01"]),
        "mrr": [1.0, 2.0, 3.0, 4.0],
    })
    _, problems = check_table("mrr", mrr)
    assert [str(problem) for problem in problems] == [
        "table 'mrr', row 2, column 'month': blank cell: every row needs a value",
        "table 'mrr', row 3, column 'month': blank cell: every row needs a value",
        "table 'mrr', row 5, column 'month': customer_id 'A' and month 2024-01 already "
        "appears on row 4 (or load with on_duplicate='sum' to add them up)"]
