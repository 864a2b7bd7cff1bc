"""Spark: the engine's definitions on PySpark in local mode, through the Ibis pyspark
backend, against the pandas engine; ``--engine spark`` on the command line.

Every Spark test lives in this file, so that under ``pytest-xdist --dist loadfile`` one
worker starts the run's one SparkSession (the ``spark`` fixture of conftest.py). The
cross-engine tests are those of test_scale_engines.py, collected here again with ``con``
a Spark connection: the same fixtures and parameters, on Spark."""

import ibis
import pytest
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


@pytest.fixture(scope="module")
def con(spark):
    """The Ibis pyspark backend on the run's SparkSession."""
    return ibis.pyspark.connect(spark)
