"""The command line on data beyond files: a database URL (``--data duckdb:///...``,
``--table``), a folder read through DuckDB (``--engine duckdb --memory-limit``), and a
password in a URL that is never shown."""

import json

import duckdb
import ibis
import openpyxl
import pandas as pd
import pytest
from scale_backends import load_sample

from csmetrics import sample_data_path
from csmetrics.cli import main
from csmetrics.report.layout import TEMPLATE_NAMES
from csmetrics.scale.connect import folder_tables
from csmetrics.tables.sizes import ROWS_VARIABLE, duckdb_rows, folder_rows

MONTH = "2025-12"
PASSWORD = "s3cret-Pa55"


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The sample's tables in a DuckDB file (months as DATE), the mrr table also under
    another schema and name with amounts as DECIMAL."""
    path = tmp_path_factory.mktemp("db") / "sales.duckdb"
    con = ibis.duckdb.connect(path)
    load_sample(con)
    con.raw_sql("CREATE SCHEMA analytics; CREATE TABLE analytics.mrr_monthly AS "
                "SELECT customer_id, month, CAST(mrr AS DECIMAL(14, 2)) AS mrr, segment "
                "FROM mrr")
    con.disconnect()
    return path


def kpis(folder, segment="All"):
    """``{name: value}`` of the monthly KPI report of ``segment`` in ``folder``: each
    ``kpi_`` cell, each list of accounts (``top_``, the values of its block) and every cell
    of its Audit sheet (the engine's numbers and each customer's movement of the month)."""
    path = folder / f"monthly_kpi_report_{MONTH}_{segment}.xlsx"
    workbook = openpyxl.load_workbook(path)
    values = {}
    for name, defined in workbook.defined_names.items():
        if name.startswith(("kpi_", "top_")):
            [(sheet, cells)] = defined.destinations
            found = workbook[sheet][cells.replace("$", "")]
            values[name] = found.value if name.startswith("kpi_") else [
                cell.value for row in found for cell in row]
    audit = workbook["Audit"]
    values["Audit"] = [[cell.value for cell in row] for row in audit.iter_rows()]
    return values


def test_a_report_from_a_database_equals_the_report_from_the_files(database, tmp_path, capsys):
    args = ("--month", MONTH, "--template", "monthly_kpi_report", "-q")
    assert run(capsys, "report", "--data", sample_data_path(), "--out", tmp_path / "files",
               *args)[0] == 0
    assert run(capsys, "report", "--data", f"duckdb:///{database}", "--out",
               tmp_path / "db", *args)[0] == 0
    assert run(capsys, "report", "--data", f"duckdb:///{database}", "--table",
               "mrr=analytics.mrr_monthly", "--out", tmp_path / "decimal", *args)[0] == 0
    from_files, from_db = kpis(tmp_path / "files"), kpis(tmp_path / "db")
    assert len(from_files) > 20 and from_db == from_files
    assert kpis(tmp_path / "decimal") == from_files
    for data, out in ((sample_data_path(), "files_by_segment"),
                      (f"duckdb:///{database}", "db_by_segment")):
        assert run(capsys, "report", "--data", data, "--segment-by", "segment", "--out",
                   tmp_path / out, *args)[0] == 0
    for segment in ("Enterprise", "Mid-Market", "SMB"):
        assert kpis(tmp_path / "db_by_segment", segment) == kpis(tmp_path / "files_by_segment",
                                                                 segment)


def test_a_report_from_postgresql_equals_the_report_from_the_files(postgres_url, tmp_path,
                                                                   capsys):
    load_sample(ibis.connect(postgres_url))
    args = ("--month", MONTH, "--template", "monthly_kpi_report", "-q")
    assert run(capsys, "report", "--data", postgres_url, "--out", tmp_path / "pg", *args)[0] == 0
    assert run(capsys, "report", "--data", sample_data_path(), "--out", tmp_path / "files",
               *args)[0] == 0
    assert kpis(tmp_path / "pg") == kpis(tmp_path / "files")


def test_table_maps_a_table_held_under_another_name(database, tmp_path, capsys):
    status, out, _ = run(capsys, "validate", "--data", f"duckdb:///{database}",
                         "--table", "mrr=analytics.mrr_monthly")
    assert status == 0 and out.strip() == f"duckdb:///{database}: no problems found"
    status, _, err = run(capsys, "validate", "--data", f"duckdb:///{database}",
                         "--table", "mrr=analytics.nowhere")
    assert status == 1 and "--table mrr=analytics.nowhere: no such table" in err


def test_validate_shows_the_first_ten_of_each_problem_and_their_count(tmp_path, capsys):
    path = tmp_path / "bad.duckdb"
    con = ibis.duckdb.connect(path)
    con.create_table("mrr", pd.DataFrame({
        "customer_id": [f"C{n:02d}" for n in range(30)],
        "month": ["2024-01"] * 29 + ["2024-13"],
        "mrr": [-1.0] * 25 + [5.0] * 5}))
    con.disconnect()
    status, out, err = run(capsys, "validate", "--data", f"duckdb:///{path}")
    lines = out.splitlines()
    assert status == 1 and "26 problems found" in err
    assert lines[0] == (f"duckdb:///{path}: table 'mrr', row (customer_id 'C29', month "
                        "2024-13), column 'month': cannot read '2024-13' as a month (a date, "
                        "YYYY-MM or an Excel date serial)")
    assert lines[1].endswith("row (customer_id 'C00', month 2024-01), column 'mrr': must be "
                             ">= 0, got -1")
    assert lines[11] == "  ... and 15 more rows with this problem" and len(lines) == 12
    status, out, _ = run(capsys, "validate", "--data", f"duckdb:///{path}", "--json")
    records = json.loads(out)
    assert [r["rows_with_this_problem"] for r in records] == [1] + [25] * 10


def test_engine_duckdb_reads_a_folder_out_of_core(tmp_path, capsys):
    status, out, _ = run(capsys, "validate", "--data", sample_data_path(), "--engine", "duckdb",
                         "--memory-limit", "500MB")
    assert status == 0 and out.strip().endswith("no problems found")
    assert run(capsys, "report", "--data", sample_data_path(), "--engine", "duckdb",
               "--memory-limit", "500MB", "--month", MONTH, "--template",
               "monthly_kpi_report", "--out", tmp_path / "duck", "-q")[0] == 0
    assert run(capsys, "report", "--data", sample_data_path(), "--month", MONTH, "--template",
               "monthly_kpi_report", "--out", tmp_path / "pandas", "-q")[0] == 0
    assert kpis(tmp_path / "duck") == kpis(tmp_path / "pandas")


def test_the_memory_limit_and_the_spill_folder_reach_duckdb(tmp_path):
    con, _ = folder_tables(sample_data_path(), memory_limit="300MB", temp_directory=tmp_path)
    settings = con.raw_sql("SELECT current_setting('memory_limit'), "
                           "current_setting('temp_directory')").fetchone()
    assert settings[0] == "286.1 MiB" and settings[1] == str(tmp_path)


@pytest.mark.parametrize("command", ["validate", "report"])
@pytest.mark.parametrize("as_json", [False, True])
def test_a_password_in_a_url_is_never_shown(tmp_path, capsys, command, as_json):
    url = f"postgres://ana:{PASSWORD}@127.0.0.1:9/sales"
    argv = [command, "--data", url]
    if command == "report":
        argv += ["--month", MONTH, "--out", tmp_path / "out"]
    status, out, err = run(capsys, *argv, *(["--json"] if as_json else []))
    assert status == 1
    assert PASSWORD not in out + err
    assert "postgres://ana:***@127.0.0.1:9/sales" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_demo_takes_the_data_and_engine_options_of_report(database, tmp_path, capsys):
    status, _, err = run(capsys, "demo", "--data", f"duckdb:///{database}", "--out",
                         tmp_path / "db", "-q")
    assert status == 0, err
    assert run(capsys, "report", "--data", sample_data_path(), "--month", MONTH, "--template",
               "monthly_kpi_report", "--out", tmp_path / "files", "-q")[0] == 0
    assert kpis(tmp_path / "db") == kpis(tmp_path / "files")
    assert {p.name for p in (tmp_path / "db").glob("*.xlsx")} == {
        f"{name}_{MONTH}_All.xlsx" for name in TEMPLATE_NAMES}
    status, _, err = run(capsys, "demo", "--engine", "duckdb", "--out", tmp_path / "x")
    assert status == 1 and "--engine read(s) --data: give it too" in err


def bad_month_folder(folder):
    """A folder whose mrr.csv has an unreadable month on its last line (line 4)."""
    folder.mkdir()
    (folder / "mrr.csv").write_text("customer_id,month,mrr\nA,2024-01,10\nB,2024-01,20\n"
                                    "C,2024-13,30\n", encoding="utf-8")
    return folder


def test_a_folder_of_more_rows_than_the_threshold_is_computed_by_duckdb(tmp_path, capsys,
                                                                       monkeypatch):
    folder = bad_month_folder(tmp_path / "exports")
    monkeypatch.setenv(ROWS_VARIABLE, "2")
    status, out, err = run(capsys, "validate", "--data", folder)
    assert status == 1 and err.splitlines()[0] == (
        f"csmetrics: {folder} holds 3 rows, more than 2: computing with DuckDB out of core "
        "(--engine pandas: in memory)")
    assert "row (customer_id 'C', month 2024-13), column 'month'" in out
    status, out, err = run(capsys, "validate", "--data", folder, "--engine", "pandas")
    assert status == 1 and "DuckDB" not in err and "row 4, column 'month'" in out
    monkeypatch.setenv(ROWS_VARIABLE, "3")
    status, out, err = run(capsys, "validate", "--data", folder)
    assert "DuckDB" not in err and "row 4, column 'month'" in out


def test_a_report_switched_to_duckdb_equals_the_report_in_memory(tmp_path, capsys,
                                                                 monkeypatch):
    args = ("--data", sample_data_path(), "--month", MONTH, "--template", "monthly_kpi_report")
    assert run(capsys, "report", *args, "--out", tmp_path / "pandas", "-q")[0] == 0
    monkeypatch.setenv(ROWS_VARIABLE, "1000")
    status, _, err = run(capsys, "report", *args, "--out", tmp_path / "duck")
    assert status == 0 and "computing with DuckDB out of core" in err
    assert kpis(tmp_path / "duck") == kpis(tmp_path / "pandas")


def test_the_rows_of_a_folder_are_counted_in_its_csv_and_parquet_files(tmp_path):
    (tmp_path / "mrr.csv").write_text("customer_id,month,mrr\nA,2024-01,1\nB,2024-01,2",
                                      encoding="utf-8")
    (tmp_path / "invoices").mkdir()
    for part in range(2):
        pd.DataFrame({"invoice_id": ["x", "y", "z"]}).to_parquet(
            tmp_path / "invoices" / f"part{part}.parquet")
    (tmp_path / "notes.csv").write_text("a\n1\n2\n3\n", encoding="utf-8")
    assert folder_rows(tmp_path) == 2 + 6
    assert duckdb_rows({}, memory=3 * 10**9) == 5_000_000


def test_a_duckdb_file_is_read_only_and_a_missing_one_is_not_made(database, tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    status, _, err = run(capsys, "validate", "--data", f"duckdb:///{missing}")
    assert status == 1 and f"cannot connect to duckdb:///{missing}" in err
    assert not missing.exists()
    with duckdb.connect(str(database), read_only=True):
        status, out, _ = run(capsys, "validate", "--data", f"duckdb:///{database}")
    assert status == 0 and out.strip().endswith("no problems found")
