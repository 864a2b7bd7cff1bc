"""One real Spark for the tests: PySpark in local mode on Debian's
``openjdk-17-jre-headless`` (``.ci/run`` installs it; ``make test`` installs PySpark with
the ``test`` extra), one SparkSession per test run, stopped after.

Outside CI a machine without Java or PySpark skips the Spark tests, counted loudly at the
end of the run (as LibreOffice's); under ``CI`` they fail instead."""

import contextlib
import os
import shutil

import pytest

INSTALL = ("apt-get install --no-install-recommends openjdk-17-jre-headless and "
           "pip install -e '.[test]' (.ci/run and make test do)")
SKIP_REASON = f"Spark cannot start here: {INSTALL}"
# SCALE.md's local settings; the session in UTC, so that a TIMESTAMP month is the same
# month on every machine; Arrow to load the tests' pandas tables, which keeps a missing
# text a NULL (without it PySpark stores the text 'NaN').
SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": "1g",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def missing():
    """What keeps Spark from starting on this machine (Java, PySpark), or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no java on the PATH"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "no pyspark"
    return None


@contextlib.contextmanager
def spark_session(folder):
    """Start ``local[2]`` with its warehouse and scratch space in ``folder``; yield the
    session; stop it."""
    absent = missing()
    if absent:
        if not os.environ.get("CI"):
            pytest.skip(f"{SKIP_REASON} ({absent})")
        raise RuntimeError(f"{absent}: {INSTALL}")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("csmetrics-tests")
    for key, value in {**SETTINGS, "spark.sql.warehouse.dir": str(folder / "warehouse"),
                       "spark.local.dir": str(folder / "scratch")}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
