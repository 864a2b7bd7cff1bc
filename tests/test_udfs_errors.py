"""How the Excel face reads arguments and maps failures to Excel error values."""

import datetime as dt
import logging

import pytest
from excel_strategies import FACE_ERRORS

import udfs
from csmetrics.errors import DataError
from udfs.factory import STRICT_ENV, make_udf
from udfs.spec import Udf, number

CRR = udfs.CS_CRR  # (customers_start, customers_end, customers_new)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: udfs.CS_CRR(0, 90, 30), "#DIV/0!"),
        (lambda: udfs.CS_DSO(1_000, 0), "#DIV/0!"),
        (lambda: udfs.CS_QUICK_RATIO(10, 0, 0, 0, 0), "#DIV/0!"),
        (lambda: udfs.CS_NPS([[None], ["text"], [True]]), "#DIV/0!"),
        (lambda: udfs.CS_CES(None), "#DIV/0!"),
        (lambda: udfs.CS_CHURN_RATE(100, 120), "#NUM!"),
        (lambda: udfs.CS_CHURN_RATE(100, -1), "#NUM!"),
        (lambda: udfs.CS_NPS([9, 11]), "#NUM!"),
        (lambda: udfs.CS_NPS([9, 7.5]), "#NUM!"),
        (lambda: udfs.CS_LTV(50, 80, 0.02), "#NUM!"),
        (lambda: udfs.CS_DSO_COUNTBACK(1_000, [[100], [200]], [[31]]), "#NUM!"),
    ],
)
def test_metric_failures_become_excel_errors(call, error):
    assert call() == error


@pytest.mark.parametrize("bad", ["70", "", True, False, [[1], [2]]])
def test_a_single_number_argument_must_be_one_number(bad):
    assert CRR(bad, 90, 30) == "#VALUE!"
    assert udfs.CS_DSO(100, 1_000, bad) == "#VALUE!"


@pytest.mark.parametrize("blank", [None, [[None]], []])
def test_a_blank_required_argument_is_a_value_error(blank):
    assert CRR(70, blank, 30) == "#VALUE!"


@pytest.mark.parametrize("blank", [None, [[None]], [None]])
def test_a_blank_optional_argument_takes_its_default(blank):
    assert udfs.CS_DSO(150_000, 1_200_000, blank) == udfs.CS_DSO(150_000, 1_200_000) == 45.625
    assert udfs.CS_NRR(10_000, 500, 200, 900, blank) == pytest.approx(1.02)


def test_a_one_cell_range_is_the_same_as_its_value():
    assert CRR([[70]], [[90]], [[30]]) == CRR(70, 90, 30) == CRR([70], [90.0], [[30.0]])


def test_ranges_skip_blanks_text_and_booleans_like_average():
    messy = [[10, None], ["n/a", 0], [True, ""], [False, 9]]
    assert udfs.CS_NPS(messy) == udfs.CS_NPS([10, 0, 9]) == pytest.approx(100 / 3)
    assert udfs.CS_NPS(9) == 100.0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("#N/A", "#DIV/0!", 30), "#N/A"),
        ((70, "#REF!", "#N/A"), "#REF!"),
        (([["#NAME?"]], 90, 30), "#NAME?"),
        ((0, 90, "#N/A"), "#N/A"),
        (("text", "#N/A", 30), "#VALUE!"),
    ],
)
def test_input_errors_pass_through_first_one_wins(args, error):
    assert CRR(*args) == error


def test_an_error_inside_a_range_passes_through():
    assert udfs.CS_NPS([[9], [None], ["#NUM!"], ["#N/A"]]) == "#NUM!"
    assert udfs.CS_DSO_COUNTBACK(10, [1, "#DIV/0!"], [30, 30]) == "#DIV/0!"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10**400])
def test_nan_infinity_and_overflow_are_num_errors(value):
    assert CRR(value, 90, 30) == "#NUM!"
    assert udfs.CS_NPS([9, value]) == "#NUM!"


@pytest.mark.parametrize("date", [dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 12)])
def test_dates_are_value_errors_in_cells_and_ranges(date):
    assert CRR(date, 90, 30) == "#VALUE!"
    assert udfs.CS_NPS([[9], [date]]) == "#VALUE!"


def test_nps_breakdown_spills_a_header_row_and_values():
    table = udfs.CS_NPS_BREAKDOWN([[10], [9], [8], [6], [None], [3]])
    assert table == [
        ["promoters", "passives", "detractors", "responses",
         "promoter_share", "passive_share", "detractor_share", "nps"],
        [2.0, 1.0, 2.0, 5.0, 0.4, 0.2, 0.4, 0.0],
    ]
    assert udfs.CS_NPS_BREAKDOWN([]) == "#DIV/0!"


def _udf(core, name="CS_TEST"):
    return make_udf(Udf(name, core, "Test function.", (number("x", "A number."),)))


def test_a_core_function_returning_a_table_spills_with_nan_as_num():
    table = _udf(lambda x: [["label", "value"], ["x", x], ["bad", float("nan")]])
    assert table(2) == [["label", "value"], ["x", 2.0], ["bad", "#NUM!"]]


def test_every_metric_error_maps_to_its_excel_error():
    def fails(x):
        raise DataError("no usable row", table="billing", row=3, column="mrr")

    assert _udf(fails)(1) == "#VALUE!"


def _bug(x):
    return 1 / 0


def test_strict_mode_reraises_bugs():
    with pytest.raises(ZeroDivisionError):
        _udf(_bug)(1)
    with pytest.raises(TypeError, match="rectangular"):
        _udf(lambda x: [[1, 2], [3]])(1)


def test_without_strict_mode_bugs_are_logged_and_shown_as_value(monkeypatch, caplog):
    monkeypatch.delenv(STRICT_ENV)
    with caplog.at_level(logging.ERROR, logger="udfs.factory"):
        assert _udf(_bug, "CS_BUGGY")(1) == "#VALUE!"
        assert _udf(_bug)(1, 2, 3) == "#VALUE!"
    assert "CS_BUGGY failed" in caplog.text and "ZeroDivisionError" in caplog.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("CS_CRR", 0, 90, 30), "CS_CRR: customers_start must be > 0, got 0"),
        (("cs_crr", 70, 90, 30), "OK"),
        (("CRR", 70, 90), "CS_CRR: customers_new is blank: give a number"),
        (("CS_DSO", 100, 1_000), "OK"),
        (("CS_NPS_BREAKDOWN", [[9], [10]]), "OK"),
        (("CS_NPS", [[9], ["#N/A"]]),
         "CS_NPS: scores holds the Excel error #N/A (from an input cell)"),
        (("CS_CHURN_RATE", 10, 11),
         "CS_CHURN_RATE: customers_lost (11) cannot exceed customers_start (10)"),
        (("CS_CRR", 1, 2, 3, 4), "CS_CRR takes 3 arguments (customers_start, customers_end, "
                                 "customers_new), got 4"),
    ],
)
def test_explain_gives_the_message_behind_an_error(args, message):
    assert udfs.CS_EXPLAIN(*args) == message


@pytest.mark.parametrize("name", ["CS_NOPE", "#N/A", None, 3, [["CS_CRR"], ["CS_NPS"]]])
def test_explain_says_when_the_function_name_is_wrong(name):
    message = udfs.CS_EXPLAIN(name, 1)
    assert "function" in message and message not in FACE_ERRORS
    assert not message.startswith("#")


def test_explain_logs_its_message(caplog):
    with caplog.at_level(logging.WARNING, logger="udfs.explain"):
        udfs.CS_EXPLAIN("CS_ARPA", 100, 0)
    assert "CS_ARPA: accounts must be > 0, got 0" in caplog.text
