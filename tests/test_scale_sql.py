"""The engine's queries compile for each warehouse dialect, by Ibis itself (never DuckDB SQL
translated by SQLGlot: a LAG with a frame clause, which Spark rejects, would pass unseen;
see ../shared/SCALE.md, pitfalls). A construct a dialect cannot express fails here."""

import ibis
import numpy as np
import pytest

from csmetrics.scale import checks
from csmetrics.scale.engine import bridge_query, cohort_query, retention_query, top_query
from csmetrics.scale.movements import moves
from csmetrics.scale.source import Source, normalised

DIALECTS = ("bigquery", "snowflake", "trino", "postgres", "pyspark", "duckdb")


class SparkOptions(ibis.config.Config):
    """The options the pyspark backend registers when it connects, which its compiler
    reads (SCALE.md, pitfall 2): compiling without a Spark session needs them."""

    treat_nan_as_null: bool = False


@pytest.fixture(autouse=True)
def spark_options(monkeypatch):
    if ibis.options.pyspark is None:
        monkeypatch.setattr(ibis.options, "pyspark", SparkOptions())
MONTHS = {"date": "date", "timestamp": "timestamp", "text": "string"}


def queries(month):
    """Every query the engine sends, on an unbound table with ``month`` of that type."""
    table = ibis.table({"customer_id": "string", "month": MONTHS[month],
                        "mrr": "decimal(14, 2)", "segment": "string", "currency": "string",
                        "mrr_native": "decimal(14, 2)"}, name="mrr")
    rows = normalised(table, segment="segment")
    source = Source(rows, 2024 * 12, 2025 * 12 + 11, np.array(["SMB", "Enterprise"]), True)
    plain = Source(normalised(table, summed=True), 2024 * 12, 2025 * 12 + 11, None, False)
    return {
        "movements": moves(source),
        "bridge": bridge_query(source),
        "bridge, summed, unsegmented": bridge_query(plain),
        "retention": retention_query(source),
        "cohorts": cohort_query(plain),
        "top": top_query(source, "2025-03", "churned"),
        "checks": checks.counts_query(table),
        "repeated keys": checks.repeated_keys_query(table),
    }


@pytest.mark.parametrize("month", list(MONTHS))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_query_compiles_for_the_dialect(dialect, month):
    for name, query in queries(month).items():
        sql = ibis.to_sql(query, dialect=dialect)
        assert "SELECT" in sql.upper(), name


@pytest.mark.parametrize("dialect", ["pyspark"])
def test_lag_carries_no_frame_clause_where_the_dialect_forbids_it(dialect):
    sql = ibis.to_sql(queries("date")["movements"], dialect=dialect)
    assert "LAG(" in sql.upper()
    for call in sql.upper().split("LAG(")[1:]:
        over = call.split(")", 2)[1]  # the OVER clause of this LAG
        assert "UNBOUNDED FOLLOWING" not in over
