"""Shared pytest set-up: hypothesis profile, strict UDFs and the tests folder on the path."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

from udfs.factory import STRICT_ENV

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("csmetrics", max_examples=200, deadline=None)
settings.load_profile("csmetrics")


@pytest.fixture(autouse=True, scope="session")
def strict_udfs():
    """Every test runs with strict UDFs: a bug inside a UDF raises instead of showing as
    ``#VALUE!`` (a test of the lenient mode removes the variable with ``monkeypatch``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STRICT_ENV, "1")
        yield


@pytest.fixture(scope="session")
def postgres_url():
    """The URL of a PostgreSQL server started for this test session (tests/postgres_server)."""
    from postgres_server import postgres_server

    with postgres_server() as url:
        yield url
