"""CS_MRR_MOVEMENTS and CS_COHORT_RETENTION agree with the pandas engine on the same rows."""

import datetime as dt

import pandas as pd
import pytest
from excel_strategies import FACE_ERRORS

import csmetrics
import udfs

EXCEL_EPOCH = dt.date(1899, 12, 30)


@pytest.fixture(scope="module")
def sample_mrr():
    """The bundled sample's billing rows, as the engine reads them."""
    return csmetrics.load_data(csmetrics.sample_data_path()).mrr


def as_excel_columns(mrr):
    """Three columns as xlwings hands them over: nested lists, months as YYYY-MM text."""
    return (
        [[v] for v in mrr["customer_id"]],
        [[str(m)] for m in mrr["month"]],
        [[float(v)] for v in mrr["mrr"]],
    )


def excel_date(period):
    return float((period.start_time.date() - EXCEL_EPOCH).days)


def test_mrr_movements_spill_equals_the_engine(sample_mrr):
    spilled = udfs.CS_MRR_MOVEMENTS(*as_excel_columns(sample_mrr))
    engine = csmetrics.mrr_movements(sample_mrr)
    assert spilled[0] == list(engine.columns)
    assert len(spilled) == len(engine) + 1
    for row, (_, expected) in zip(spilled[1:], engine.iterrows(), strict=True):
        assert row[0] == excel_date(expected["month"])
        assert row[1:] == [float(v) for v in expected.iloc[1:]]


@pytest.mark.parametrize("mode", ["logo", "revenue"])
def test_cohort_retention_spill_equals_the_engine(sample_mrr, mode):
    spilled = udfs.CS_COHORT_RETENTION(*as_excel_columns(sample_mrr), mode)
    engine = csmetrics.cohort_retention(sample_mrr, mode=mode)
    assert spilled[0] == ["cohort", *map(str, engine.columns)]
    for row, (cohort, expected) in zip(spilled[1:], engine.iterrows(), strict=True):
        assert row[0] == excel_date(cohort)
        assert row[1:] == [None if pd.isna(v) else float(v) for v in expected]


def test_rows_with_a_blank_cell_are_skipped():
    ids = [["A"], [None], ["A"]]
    months = [["2025-01"], ["2025-01"], ["2025-02"]]
    mrr = [[10], [99], [None]]
    alone = udfs.CS_MRR_MOVEMENTS([["A"]], [["2025-01"]], [[10]])
    assert udfs.CS_MRR_MOVEMENTS(ids, months, mrr) == alone


@pytest.mark.parametrize(
    ("ids", "months", "mrr", "error", "message"),
    [
        ([["A"], ["B"]], [["2025-01"]], [[1], [2]], "#VALUE!", "same length, got 2, 1 and 2"),
        ([["A"]], [["March"]], [[10]], "#VALUE!", "column 'month': cannot read 'March'"),
        ([["A"]], [["2025-01"]], [[-5]], "#VALUE!", "column 'mrr'"),
        ([["A"]], [["2025-01"]], [["#N/A"]], "#N/A", "holds the Excel error #N/A"),
        ([[None]], [[None]], [[None]], "#VALUE!", "table 'mrr'"),
    ],
)
def test_bad_columns_give_an_excel_error_and_a_message(ids, months, mrr, error, message):
    assert udfs.CS_MRR_MOVEMENTS(ids, months, mrr) == error
    assert message in udfs.CS_EXPLAIN("CS_MRR_MOVEMENTS", ids, months, mrr)


def test_an_unknown_cohort_mode_is_a_value_error():
    result = udfs.CS_COHORT_RETENTION([["A"]], [["2025-01"]], [[10]], "customers")
    assert result == "#VALUE!" and result in FACE_ERRORS
