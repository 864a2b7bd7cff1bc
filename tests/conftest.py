"""Shared pytest set-up: hypothesis profile, strict UDFs and the tests folder on the path."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

from udfs.factory import STRICT_ENV

sys.path.insert(0, str(Path(__file__).parent))

from libreoffice import SKIP_REASON  # noqa: E402  (tests/ is on the path from here)

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


def pytest_terminal_summary(terminalreporter):
    """End a run that skipped LibreOffice tests with a loud count of them and how to
    install it: skipped, they prove nothing about the templates and reports."""
    skipped = [report for report in terminalreporter.stats.get("skipped", [])
               if SKIP_REASON in str(report.longrepr)]
    if skipped:
        terminalreporter.write_sep(
            "!", f"{len(skipped)} LibreOffice tests SKIPPED, not passed: {SKIP_REASON}",
            red=True, bold=True)
