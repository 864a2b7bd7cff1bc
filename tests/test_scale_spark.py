"""Spark: the engine's definitions on PySpark in local mode, through the Ibis pyspark
backend, against the pandas engine; ``--engine spark`` on the command line.

Every Spark test lives in this file, so that under ``pytest-xdist --dist loadfile`` one
worker starts the run's one SparkSession (the ``spark`` fixture of conftest.py). The
cross-engine tests are those of test_scale_engines.py, collected here again with ``con``
a Spark connection: the same fixtures and parameters, ``mrr_movements`` and the other
table functions on Ibis pyspark tables, on Spark. The command line's ``--engine spark``
reads the sample as Parquet files and as a table of Spark's catalog."""

import os
import subprocess
import sys
from pathlib import Path

import ibis
import pandas as pd
import pytest
from report_samples import inputs_tables, kpi_values, report_cells
from test_cli_scale import MONTH, kpis, run
from test_scale_engines import (  # noqa: F401  (collected here, run on Spark)
    sample,
    test_blank_segments_and_a_segment_only_on_rows_at_zero,
    test_the_12_month_tape,
    test_the_cohorts_of_the_tape_and_the_sample,
    test_the_fx_split,
    test_the_movement_tape_in_every_column_type,
    test_the_sample_month_by_month,
    test_the_top_accounts_of_each_movement,
)

from csmetrics import load_data, sample_data_path


@pytest.fixture(scope="module")
def con(spark):
    """The Ibis pyspark backend on the run's SparkSession."""
    return ibis.pyspark.connect(spark)


@pytest.fixture(scope="module")
def parquet_sample(tmp_path_factory):
    """The bundled sample as Parquet files, months as DATE, dates as timestamps in
    microseconds (Spark reads no nanoseconds): the mrr table as a folder of two parts, the
    other tables one file each."""
    folder = tmp_path_factory.mktemp("parquet")
    for name, frame in load_data(sample_data_path()).tables().items():
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.PeriodDtype):
                frame = frame.assign(**{column: frame[column].dt.to_timestamp().dt.date})
        parts = {folder / f"{name}.parquet": frame}
        if name == "mrr":
            (folder / "mrr").mkdir()
            half = len(frame) // 2
            parts = {folder / "mrr" / "part-0.parquet": frame.iloc[:half],
                     folder / "mrr" / "part-1.parquet": frame.iloc[half:]}
        for path, rows in parts.items():
            rows.to_parquet(path, index=False, coerce_timestamps="us")
    return folder


def test_a_report_on_spark_equals_the_report_from_the_files(spark, parquet_sample, tmp_path,
                                                            capsys):
    args = ("--month", MONTH, "--template", "monthly_kpi_report", "-q")
    assert run(capsys, "report", "--data", parquet_sample, "--engine", "spark", "--out",
               tmp_path / "spark", *args)[0] == 0
    assert run(capsys, "report", "--data", sample_data_path(), "--out", tmp_path / "files",
               *args)[0] == 0
    from_files = kpis(tmp_path / "files")
    assert len(from_files) > 20 and kpis(tmp_path / "spark") == from_files


def test_a_report_of_totals_from_a_partial_fetch_on_spark_equals_the_files(
        spark, parquet_sample, tmp_path, capsys):
    """Past ``--max-input-rows`` (100; the sample's mrr table has 8,000 and more rows, its
    December reports 1,138 and more) Spark brings back only December's rows and 12 months
    before, and computes the cohort triangles (tests/test_scale_partial.py on DuckDB and
    PostgreSQL): every report equals the files' report of totals."""
    args = ("--month", MONTH, "--max-input-rows", "100", "-q")
    assert run(capsys, "report", "--data", parquet_sample, "--engine", "spark", "--out",
               tmp_path / "spark", *args)[0] == 0
    assert run(capsys, "report", "--data", sample_data_path(), "--out", tmp_path / "files",
               *args)[0] == 0
    names = sorted(path.name for path in (tmp_path / "files").glob("*.xlsx"))
    assert len(names) == 5
    assert names == sorted(path.name for path in (tmp_path / "spark").glob("*.xlsx"))
    for name in names:
        found, expected = tmp_path / "spark" / name, tmp_path / "files" / name
        assert kpi_values(found) == kpi_values(expected), name
        assert report_cells(found) == report_cells(expected), name
        assert inputs_tables(found) == inputs_tables(expected), name


def test_validate_on_spark_reads_a_table_of_the_catalog(spark, parquet_sample, tmp_path,
                                                        capsys):
    spark.sql("CREATE DATABASE IF NOT EXISTS analytics")
    spark.read.parquet(str(parquet_sample / "mrr")).write.mode("overwrite").saveAsTable(
        "analytics.mrr_monthly")
    status, out, _ = run(capsys, "validate", "--data", tmp_path, "--engine", "spark",
                         "--table", "mrr=analytics.mrr_monthly")
    assert status == 0 and out.strip() == f"{tmp_path}: no problems found"
    status, _, err = run(capsys, "validate", "--data", tmp_path, "--engine", "spark",
                         "--table", "mrr=analytics.nowhere")
    assert status == 1 and "--table mrr=analytics.nowhere: no such table in Spark's" in err


def test_validate_on_spark_names_the_problems_of_a_parquet_file(spark, tmp_path, capsys):
    pd.DataFrame({"customer_id": ["A", "B"], "month": ["2024-01", "2024-13"],
                  "mrr": [-1.0, 5.0]}).to_parquet(tmp_path / "mrr.parquet", index=False)
    status, out, err = run(capsys, "validate", "--data", tmp_path, "--engine", "spark")
    assert status == 1 and "2 problems found" in err
    assert out.splitlines() == [
        f"{tmp_path}: table 'mrr', row (customer_id 'B', month 2024-13), column 'month': "
        "cannot read '2024-13' as a month (a date, YYYY-MM or an Excel date serial)",
        f"{tmp_path}: table 'mrr', row (customer_id 'A', month 2024-01), column 'mrr': "
        "must be >= 0, got -1"]


def test_spark_refuses_csv_files_whose_types_it_would_guess(tmp_path, capsys):
    status, _, err = run(capsys, "validate", "--data", sample_data_path(), "--engine", "spark")
    assert status == 1 and "--engine spark reads Parquet files, not CSV" in err


def test_a_parquet_file_spark_cannot_read_is_named(spark, tmp_path, capsys):
    pd.DataFrame({"customer_id": ["A"], "month": pd.to_datetime(["2024-01-01"]).as_unit("ns"),
                  "mrr": [1.0]}).to_parquet(tmp_path / "mrr.parquet", index=False)
    status, _, err = run(capsys, "validate", "--data", tmp_path, "--engine", "spark")
    assert status == 1
    assert f"{tmp_path / 'mrr.parquet'}: Spark cannot read it: " in err
    assert "Illegal Parquet type: INT64 (TIMESTAMP(NANOS,false))" in err


def test_the_command_line_on_spark_prints_only_its_own_lines(spark, parquet_sample, tmp_path):
    """``csmetrics validate --engine spark`` in a process of its own starts its own JVM,
    with settings from PYSPARK_SUBMIT_ARGS as a user's would be. Spark would print the
    JVM's incubator-module notice, log4j's default-profile lines, WARN lines (the host
    name, the native Hadoop library) and progress bars on stderr: none reach it. (The
    ``spark`` fixture is taken for its skip where Spark cannot start.)"""
    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": "--master local[1] --driver-memory 512m "
           "--conf spark.sql.shuffle.partitions=2 --conf spark.ui.enabled=false pyspark-shell"}
    done = subprocess.run(
        [Path(sys.executable).parent / "csmetrics", "validate", "--data", parquet_sample,
         "--engine", "spark"], capture_output=True, text=True, cwd=tmp_path, env=env,
        timeout=600)
    assert (done.returncode, done.stdout) == (0, f"{parquet_sample}: no problems found\n")
    assert "WARN" not in done.stderr and done.stderr == ""


def test_spark_that_cannot_start_is_an_error_after_its_own_lines(spark, parquet_sample,
                                                                 tmp_path):
    """With JAVA_HOME naming no Java, the JVM never starts: PySpark raises
    [JAVA_GATEWAY_EXITED]. The command ends with exit status 1 and one error line naming
    that and what Spark needs, after the lines Spark printed (spark-class: no java), and no
    Python traceback."""
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    done = subprocess.run(
        [Path(sys.executable).parent / "csmetrics", "validate", "--data", parquet_sample,
         "--engine", "spark"], capture_output=True, text=True, cwd=tmp_path, env=env,
        timeout=600)
    assert (done.returncode, done.stdout) == (1, "")
    spark_lines, _, error = done.stderr.rpartition("csmetrics: error: ")
    assert f"{tmp_path / 'no-java'}/bin/java" in spark_lines
    assert error.startswith("--engine spark: Spark did not start: [JAVA_GATEWAY_EXITED] ")
    assert error.endswith("(Spark's own lines above say why; it needs Java 17: apt-get "
                          "install --no-install-recommends openjdk-17-jre-headless, or "
                          "JAVA_HOME naming it)\n")
    assert "Traceback" not in done.stderr
