"""The known-value table through two adapters: the core (Python) and the Excel face."""

import pytest
from excel_strategies import SHAPES, excel_arguments
from known_values import KNOWN_VALUES

import csmetrics
import udfs
from udfs.registry import REGISTRY

BY_CORE = {spec.core.__name__: spec for spec in REGISTRY}
ROWS = [pytest.param(row, id=f"{row.function}-{i}") for i, row in enumerate(KNOWN_VALUES)]


def expected_cells(expected):
    """The known value as the Excel face shows it: a number, or a header row and values."""
    if isinstance(expected, tuple):
        return [list(expected._fields), pytest.approx([float(v) for v in expected])]
    return pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("row", ROWS)
def test_core_function_gives_the_known_value(row):
    result = getattr(csmetrics, row.function)(**row.kwargs)
    if isinstance(row.expected, tuple):
        assert result._fields == row.expected._fields
        assert list(result) == pytest.approx(list(row.expected))
    else:
        assert result == pytest.approx(row.expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("row", ROWS)
def test_excel_function_gives_the_known_value(row, shape):
    spec = BY_CORE[row.function]
    result = getattr(udfs, spec.excel_name)(*excel_arguments(spec, row.kwargs, shape))
    assert result == expected_cells(row.expected)
