"""Shared pytest set-up: hypothesis profile, strict UDFs and the tests folder on the path."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

from udfs.factory import STRICT_ENV

sys.path.insert(0, str(Path(__file__).parent))

from libreoffice import SKIP_REASON  # noqa: E402  (tests/ is on the path from here)
from spark_session import SKIP_REASON as SPARK_SKIP_REASON  # noqa: E402

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


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """The test run's one local SparkSession (tests/spark_session): every test that uses
    it lives in tests/test_scale_spark.py, so one xdist worker starts it."""
    from spark_session import spark_session

    with spark_session(tmp_path_factory.mktemp("spark")) as session:
        yield session


def pytest_terminal_summary(terminalreporter):
    """End a run that skipped LibreOffice or Spark tests with a loud count of them and
    how to install what they need: skipped, they prove nothing."""
    for what, reason in (("LibreOffice", SKIP_REASON), ("Spark", SPARK_SKIP_REASON)):
        skipped = [report for report in terminalreporter.stats.get("skipped", [])
                   if reason in str(report.longrepr)]
        if skipped:
            terminalreporter.write_sep(
                "!", f"{len(skipped)} {what} tests SKIPPED, not passed: {reason}",
                red=True, bold=True)
