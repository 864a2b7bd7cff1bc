"""The engine on Ibis (csmetrics.scale) against the pandas engine: every engine fixture
(the movement tape, the 12-month tape, the fx split, segments, the bundled sample) gives
the same tables, money to the cent, on DuckDB and on a PostgreSQL server the tests start;
a hypothesis property on DuckDB.

The two engines are each other's check: the movements and their sums are computed apart
(numpy arrays in memory; window queries in the backend); only the turning of the sums
into tables is shared."""

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from scale_backends import MONEY_TYPES, MONTH_TYPES, backend_table
from table_fixture import raw_tables
from table_strategies import mrr_tables
from test_movements_fx import _mrr as fx_table
from test_tables_annual import tape

import csmetrics
from csmetrics import cohort_retention, customer_movements, monthly_metrics, mrr_movements
from csmetrics.scale import cohort_sizes as backend_cohort_sizes
from csmetrics.scale import top_movements as backend_top_movements
from csmetrics.tables.accounts import TOP_KINDS, top_movements
from csmetrics.tables.cohorts import cohort_sizes

MONEY = ["mrr_start", "new", "expansion", "contraction", "churned", "reactivation",
         "mrr_end", "fx_impact", "mrr", "mrr_previous", "change", "arr", "net_new_mrr"]


BACKENDS = ("duckdb", "postgres")


@pytest.fixture(scope="module", params=BACKENDS)
def con(request):
    """A connection to each backend: DuckDB in memory, the session's PostgreSQL server."""
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    return ibis.connect(request.getfixturevalue("postgres_url"))


def assert_same(mine, theirs):
    """Equal tables: money columns in whole cents, every other value exactly."""
    for column in (c for c in MONEY if c in mine.columns):
        assert np.array_equal(np.rint(mine[column].to_numpy(float) * 100),
                              np.rint(theirs[column].to_numpy(float) * 100)), column
    pd.testing.assert_frame_equal(mine, theirs, check_exact=True)


@pytest.fixture(scope="module")
def sample():
    return csmetrics.load_data(csmetrics.sample_data_path()).mrr.assign(
        month=lambda frame: frame["month"].astype(str))


@pytest.mark.parametrize("month", MONTH_TYPES)
@pytest.mark.parametrize("money", MONEY_TYPES)
def test_the_movement_tape_in_every_column_type(con, month, money):
    mrr = raw_tables()["mrr"]
    table = backend_table(con, mrr, month=month, money=money)
    for segment_by in (None, "segment"):
        assert_same(mrr_movements(table, segment_by=segment_by, on_duplicate="sum"),
                    mrr_movements(mrr, segment_by=segment_by, on_duplicate="sum"))
    assert_same(customer_movements(table, on_duplicate="sum"),
                customer_movements(mrr, on_duplicate="sum"))


@pytest.mark.parametrize("mode", ["logo", "revenue"])
def test_the_cohorts_of_the_tape_and_the_sample(con, sample, mode):
    for mrr, on_duplicate in ((raw_tables()["mrr"], "sum"), (sample, "error")):
        table = backend_table(con, mrr)
        assert_same(cohort_retention(table, mode=mode, on_duplicate=on_duplicate),
                    cohort_retention(mrr, mode=mode, on_duplicate=on_duplicate))
        assert_same(backend_cohort_sizes(table, on_duplicate=on_duplicate),
                    cohort_sizes(mrr, on_duplicate=on_duplicate))


@pytest.mark.parametrize("segment_by", [None, "segment"])
def test_the_12_month_tape(con, segment_by):
    mrr = tape()
    figures = monthly_metrics(backend_table(con, mrr), segment_by=segment_by)
    assert_same(figures, monthly_metrics(mrr, segment_by=segment_by))
    assert figures["nrr_12m"].notna().sum() == (2 if segment_by is None else 4)


def test_blank_segments_and_a_segment_only_on_rows_at_zero(con):
    mrr = pd.DataFrame({
        "customer_id": ["A", "A", "B", "C", "C", "D"],
        "month": ["2024-01", "2024-02", "2024-01", "2024-01", "2024-02", "2024-02"],
        "mrr": [10.0, 12.0, 5.0, 7.0, 0.0, 0.0],
        "segment": ["SMB", "  ", None, "", "Enterprise", "Ghost"],
    })
    table = backend_table(con, mrr)
    bridge = mrr_movements(table, segment_by="segment")
    assert_same(bridge, mrr_movements(mrr, segment_by="segment"))
    assert sorted(set(bridge["segment"])) == ["(none)", "Enterprise", "Ghost", "SMB"]


FX_TAPES = [
    [("A", "2024-01", 90.0, "USD", 100.0), ("A", "2024-02", 114.0, "USD", 120.0)],
    [("A", "2024-01", 190.0, "USD", 200.0), ("A", "2024-02", 180.0, "USD", 200.0)],
    [("A", "2024-01", 92.01, "USD", 100.01), ("A", "2024-02", 138.03, "USD", 150.03)],
    [("A", "2024-01", 90.0, "USD", 100.0), ("B", "2024-01", 50.0, "EUR", 50.0),
     ("B", "2024-02", 60.0, "EUR", 60.0)],
    [("A", "2024-01", 1.03, "USD", 1.03), ("A", "2024-02", 3.00, "USD", 2.00)],
    [("A", "2024-01", 110.0, "USD", 100.0), ("A", "2024-02", 100.0, "EUR", 100.0),
     ("A", "2024-03", 0.0, "EUR", 0.0), ("A", "2024-04", 95.0, "USD", 100.0)],
    # an unchanged native price whose rate moved less than the rounding: all of it is fx
    [("A", "2024-01", 900.00, "USD", 1000.00), ("A", "2024-02", 900.01, "USD", 1000.00)],
]


@pytest.mark.parametrize("rows", FX_TAPES, ids=range(len(FX_TAPES)))
@pytest.mark.parametrize("money", ["decimal", "double"])
def test_the_fx_split(con, rows, money):
    mrr = fx_table(rows)
    table = backend_table(con, mrr, money=money)
    assert_same(mrr_movements(table), mrr_movements(mrr))
    assert_same(customer_movements(table), customer_movements(mrr))


@pytest.mark.parametrize("segment_by", [None, "segment"])
def test_the_sample_month_by_month(con, sample, segment_by):
    table = backend_table(con, sample, month="text")
    assert_same(monthly_metrics(table, segment_by=segment_by),
                monthly_metrics(sample, segment_by=segment_by))


@pytest.mark.parametrize("kind", list(TOP_KINDS))
def test_the_top_accounts_of_each_movement(con, sample, kind):
    table = backend_table(con, sample)
    moves = customer_movements(sample, segment_by="segment")
    for month in ("2024-06", "2025-12"):
        expected = top_movements(moves, pd.Period(month, "M"), kind)
        assert len(expected) > 0
        assert_same(backend_top_movements(table, month, kind, segment_by="segment"), expected)


@settings(max_examples=25)
@given(mrr_tables())
def test_any_table_gives_the_same_bridge_and_cohorts(mrr):
    con = ibis.duckdb.connect()
    table = backend_table(con, mrr, month="text")
    assert_same(mrr_movements(table, segment_by="segment"),
                mrr_movements(mrr, segment_by="segment"))
    assert_same(cohort_retention(table, mode="revenue"), cohort_retention(mrr, mode="revenue"))
