"""The data checks of csmetrics.scale as queries: the pandas engine's messages, the row
named by its key, the first ten offenders of each kind and how many rows have it."""

import ibis
import pandas as pd
import pytest

from csmetrics import DataError, mrr_movements
from csmetrics.scale.checks import find_problems


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def con(request):
    """DuckDB in memory, and the session's PostgreSQL server: the same messages on both."""
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    return ibis.connect(request.getfixturevalue("postgres_url"))


def table(con, rows, name, columns=("customer_id", "month", "mrr")):
    return con.create_table(name, pd.DataFrame(rows, columns=list(columns)), overwrite=True)


def first_problem(mrr):
    with pytest.raises(DataError) as raised:
        mrr_movements(mrr)
    return str(raised.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("A", "2024-01", -1.5), "table 'mrr', row (customer_id 'A', month 2024-01), column "
         "'mrr': must be >= 0, got -1.5"),
        (("A", "2024-13", 1.0), "table 'mrr', row (customer_id 'A', month 2024-13), column "
         "'month': cannot read '2024-13' as a month (a date, YYYY-MM or an Excel date serial)"),
        (("A", "1905-07", 1.0), "table 'mrr', row (customer_id 'A', month 1905-07), column "
         "'month': reads as the month 1905-07, before 1970 or after 2100: is it a misreading "
         "(a year alone, such as 2025, reads as an Excel date serial)? write the full date"),
        (("  ", "2024-01", 1.0), "table 'mrr', row (customer_id '', month 2024-01), column "
         "'customer_id': blank cell: every row needs a value"),
        (("A", "2024-01", None), "table 'mrr', row (customer_id 'A', month 2024-01), column "
         "'mrr': blank cell: every row needs a value"),
        (("b\x07", "2024-01", 1.0), "table 'mrr', row (customer_id 'b\\x07', month 2024-01), "
         "column 'customer_id': the text 'b\\x07' holds the control character U+0007, which a "
         "workbook cannot store; remove it"),
        (("A", "2024-01", 2e13), "table 'mrr', row (customer_id 'A', month 2024-01), column "
         "'mrr': must be at most 1e+13 (amounts are kept to the cent), got 2e+13"),
    ],
    ids=["negative", "month", "year", "blank id", "blank mrr", "control", "too large"],
)
def test_each_problem_is_named_as_the_pandas_engine_names_it(con, row, message):
    rows = [("Z", "2024-01", 5.0), row]
    assert first_problem(table(con, rows, "one_problem")) == message


def test_two_rows_for_one_customer_and_month_are_counted_unless_summed(con):
    mrr = table(con, [("A", "2024-01", 1.0), (" A", "2024-01", 2.0), ("A", "2024-01", 3.0),
                      ("B", "2024-02", 4.0)], "repeated")
    assert first_problem(mrr) == (
        "table 'mrr', row (customer_id 'A', month 2024-01), column 'month': customer_id 'A' "
        "and month 2024-01 appears on 3 rows (or load with on_duplicate='sum' to add them up)")
    assert mrr_movements(mrr, on_duplicate="sum")["mrr_end"].tolist() == [6.0, 4.0]


def test_the_first_ten_offenders_of_each_kind_and_their_count(con):
    rows = [(f"C{n:02d}", "2024-01", -1.0 * n) for n in range(1, 26)]
    rows += [("D", "2024-14", 1.0), ("E\x01", "2024-02", 2.0)]
    found = find_problems(table(con, rows, "many"))
    assert [(len(kind.errors), kind.count) for kind in found] == [(1, 1), (10, 25), (1, 1)]
    negative = found[1].errors
    assert [error.row for error in negative[:2]] == ["(customer_id 'C01', month 2024-01)",
                                                     "(customer_id 'C02', month 2024-01)"]
    assert {error.column for error in negative} == {"mrr"}


def test_a_dated_month_outside_the_calendar_and_a_text_amount(con):
    dated = con.create_table("dated", pd.DataFrame({
        "customer_id": ["A"], "month": pd.to_datetime(["2101-01-01"]), "mrr": [1.0]}),
        overwrite=True)
    assert "reads as the month 2101-01, before 1970 or after 2100" in first_problem(dated)
    text = table(con, [("A", "2024-01", "12")], "text_amount")
    assert first_problem(text) == (
        "table 'mrr', column 'mrr': the column's type is string, not a number: cast it in the "
        "query, or store an amount (a number such as 1250.50; no currency sign)")


def test_a_missing_column_and_an_unknown_segment_column(con):
    mrr = table(con, [("A", "2024-01", 1.0)], "no_mrr", ("customer_id", "month", "amount"))
    assert first_problem(mrr) == (
        "table 'mrr', row 1, column 'mrr': missing column (the columns are: customer_id, "
        "month, amount)")
    good = table(con, [("A", "2024-01", 1.0)], "good")
    with pytest.raises(DataError, match="no such column to segment by"):
        mrr_movements(good, segment_by="region")
