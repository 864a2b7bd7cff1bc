"""Whatever Excel (or a Python caller) hands a UDF, it answers with a cell value."""

import pytest
from excel_strategies import FACE_ERRORS, excel_values, holds_error, is_cell_result
from hypothesis import given
from hypothesis import strategies as st

import udfs
from udfs.registry import REGISTRY


def assert_cell_or_spill(result):
    if isinstance(result, list):
        assert result and all(isinstance(row, list) for row in result)
        assert len({len(row) for row in result}) == 1
        for row in result[1:]:
            assert all(is_cell_result(value) for value in row), row
    else:
        assert is_cell_result(result), result


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.excel_name) for s in REGISTRY])
@given(data=st.data())
def test_any_arguments_give_a_number_or_an_excel_error(spec, data):
    args = data.draw(st.lists(excel_values, min_size=len(spec.args), max_size=len(spec.args)))
    result = getattr(udfs, spec.excel_name)(*args)
    assert_cell_or_spill(result)
    if isinstance(result, str) and not holds_error(args):
        assert result in FACE_ERRORS


@given(name=st.sampled_from([s.excel_name for s in REGISTRY]), args=st.lists(excel_values))
def test_explain_always_answers_with_text(name, args):
    message = udfs.CS_EXPLAIN(name, *args)
    assert isinstance(message, str) and message and not message.startswith("#")
