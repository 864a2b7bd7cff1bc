"""Reports from a backend's ``mrr`` table of more rows than ``--max-input-rows``: the
backend brings back only the rows of the reported months, and computes by queries what the
reports read from the others (csmetrics.scale.history). The limit is lowered so that the
bundled sample takes that path, in DuckDB and in PostgreSQL: every report equals the files'
report of totals (same limit) and its Audit reads PASS after LibreOffice recalculates; a
small hand-made table shows which rows come back."""

import ibis
import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import (
    audit_rows,
    inputs_table,
    inputs_tables,
    kpi_values,
    report_cells,
    sheet_of,
)
from scale_backends import load_sample

from csmetrics import load_data, sample_data_path
from csmetrics.cli import main
from csmetrics.report.batch import EngineResults
from csmetrics.report.labels import label
from csmetrics.report.selection import rows_until
from csmetrics.scale.dataset import backend_dataset, backend_span
from csmetrics.scale.history import segment_histories, table_span
from csmetrics.scale.source import read_source
from csmetrics.tables.cohorts import cohort_retention, cohort_sizes

LIMIT = 100
"""Fewer MRR rows than the sample's table (8,000 and more) and than any report of its
November or December holds, so that the database and the files both write totals."""

RUNS = {
    "en": ("--lang", "en", "--months", "2025-11:2025-12"),
    "fr": ("--lang", "fr", "--month", "2025-12", "--template", "monthly_kpi_report",
           "--template", "cohort_retention"),
    "ro": ("--lang", "ro", "--month", "2025-12", "--template", "unit_economics",
           "--template", "cohort_retention"),
    "segments": ("--month", "2025-12", "--segment-by", "segment"),
}
"""The reports compared: every template over two months in English, two in French and in
Romanian, every template of each segment."""



def write(data, folder, *options, limit=LIMIT):
    assert main(["report", "--data", str(data), "--out", str(folder), "-q",
                 "--max-input-rows", str(limit), *options]) == 0
    return folder


@pytest.fixture(scope="module")
def sample_database(tmp_path_factory):
    """The sample's tables in a DuckDB file (months as DATE)."""
    path = tmp_path_factory.mktemp("partial_db") / "sample.duckdb"
    con = ibis.duckdb.connect(path)
    load_sample(con)
    con.disconnect()
    return path


@pytest.fixture(scope="module")
def reports(sample_database, postgres_url, tmp_path_factory):
    """``{(source, run): folder}`` of the reports of :data:`RUNS` from the files, from
    DuckDB, and (English and segments) from PostgreSQL."""
    load_sample(ibis.connect(postgres_url))
    root = tmp_path_factory.mktemp("partial")
    sources = {"files": sample_data_path(), "duckdb": f"duckdb:///{sample_database}",
               "postgresql": postgres_url}
    return {(source, run): write(data, root / f"{source}_{run}", *RUNS[run])
            for source, data in sources.items() for run in RUNS
            if source != "postgresql" or run in ("en", "segments")}


@pytest.mark.parametrize("source", ["duckdb", "postgresql"])
def test_every_report_from_a_partial_fetch_equals_the_files_report_of_totals(reports, source):
    compared = 0
    for (where, run), folder in reports.items():
        if where != source:
            continue
        files = reports["files", run]
        names = sorted(path.name for path in files.glob("*.xlsx"))
        assert names == sorted(path.name for path in folder.glob("*.xlsx")) and names
        for name in names:
            expected, found = files / name, folder / name
            assert len(kpi_values(found)) >= 3, name
            assert kpi_values(found) == kpi_values(expected), name
            assert report_cells(found) == report_cells(expected), name
            assert inputs_tables(found) == inputs_tables(expected), name
            compared += 1
    assert compared == {"duckdb": 10 + 2 + 2 + 15, "postgresql": 10 + 15}[source]


def test_a_report_from_a_partial_fetch_says_why_it_holds_totals(reports):
    workbook = openpyxl.load_workbook(
        reports["duckdb", "fr"] / "monthly_kpi_report_2025-12_Tous.xlsx")
    note = sheet_of(workbook, "audit")["A4"].value
    assert note.startswith("La table de MRR de la base de données compte plus de lignes "
                           f"que les {LIMIT} qu'un rapport garde dans sa feuille Données")
    assert "MrrData" not in sheet_of(workbook, "inputs").tables


@requires_libreoffice
def test_the_audit_of_every_report_from_a_partial_fetch_reads_pass(reports, tmp_path):
    staged = []
    for (source, run), folder in reports.items():
        if source == "files":
            continue
        for path in sorted(folder.glob("*.xlsx")):
            staged.append(tmp_path / f"{source}_{run}_{path.name}")
            staged[-1].write_bytes(path.read_bytes())
    copies = recalculate(staged, tmp_path / "recalculated")
    results = {copy.name: audit_rows(copy)[0] for copy in copies}
    assert len(results) == 29 + 25
    passed = {label("audit_pass", lang) for lang in ("en", "fr", "ro")}
    assert {name: result for name, result in results.items() if result not in passed} == {}


HAND_MONTH = pd.Period("2025-06", "M")


def hand_table():
    """37 rows, the report month June 2025 (M); a report of totals reads the rows of M and
    of M-12 (2024-06):

    - A pays 100 from 2024-06 (M-12) to 2024-12, in SMB, then Mid from 2024-11; its row
      of 2025-01 is at zero (churned five months before M): 8 rows, of which only
      2024-06 is fetched; its latest segment with MRR is Mid, on a row not fetched;
    - B pays 200 in SMB every month 2024-01 to 2025-06: 18 rows, 2024-06 and 2025-06
      fetched;
    - C (Mid) has zero rows 2025-03 to 2025-05 and starts paying 50 in M (new): 4 rows,
      2025-06 fetched;
    - D (SMB) pays 80 from 2024-01 to 2024-03 and 90 again in M (reactivation): 4 rows,
      2025-06 fetched;
    - E (SMB) pays 30 from 2024-02 to 2024-04: none of its 3 rows is fetched.

    Fetched: 1 + 2 + 1 + 1 + 0 = 5 rows. (The files' report of rows would hold 12: the
    month before, 2025-05, of B and C, and the earlier rows of C and D, who start paying
    in M.)
    """
    rows = []
    for customer, first, last, mrr, segment in (
            ("A", "2024-06", "2024-10", 100.0, "SMB"), ("A", "2024-11", "2024-12", 100.0, "Mid"),
            ("A", "2025-01", "2025-01", 0.0, "Mid"), ("B", "2024-01", "2025-06", 200.0, "SMB"),
            ("C", "2025-03", "2025-05", 0.0, "Mid"), ("C", "2025-06", "2025-06", 50.0, "Mid"),
            ("D", "2024-01", "2024-03", 80.0, "SMB"), ("D", "2025-06", "2025-06", 90.0, "SMB"),
            ("E", "2024-02", "2024-04", 30.0, "SMB")):
        rows += [(customer, month.start_time.date(), mrr, segment)
                 for month in pd.period_range(first, last, freq="M")]
    return pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"])


def test_only_the_rows_the_report_month_needs_come_back():
    con = ibis.duckdb.connect()
    tables = {"mrr": con.create_table("mrr", hand_table())}
    span = backend_span(tables, max_rows=36)
    dataset = backend_dataset(tables, [HAND_MONTH], span=span)
    fetched = dataset.mrr.assign(month=dataset.mrr["month"].astype(str))
    assert sorted(map(tuple, fetched[["customer_id", "month"]].to_numpy())) == [
        ("A", "2024-06"), ("B", "2024-06"), ("B", "2025-06"), ("C", "2025-06"),
        ("D", "2025-06"),
    ]
    assert (span.rows, str(span.first), str(span.last), span.currency) == (
        37, "2024-01", "2025-06", None)
    assert backend_span(tables, max_rows=37) is None
    assert len(backend_dataset(tables, [HAND_MONTH]).mrr) == 37


def test_a_customer_who_stopped_paying_is_totalled_in_its_latest_segment(tmp_path):
    """A paid 100 twelve months before June in SMB, moved to Mid and stopped in January:
    the year-ago totals put it in Mid (paying 0 now), as the files' report does; B pays
    200 in SMB then and now. New C (Mid, 50) and returning D (SMB, 90) are listed. The
    files' report holds 12 MRR rows (:func:`hand_table`), more than 10: totals too."""
    folder = tmp_path / "hand"
    folder.mkdir()
    hand_table().to_csv(folder / "mrr.csv", index=False)
    con = ibis.duckdb.connect(tmp_path / "hand.duckdb")
    con.create_table("mrr", hand_table())
    con.disconnect()
    name = "monthly_kpi_report_2025-06_All.xlsx"
    options = ("--month", "2025-06", "--template", "monthly_kpi_report")
    from_files = write(folder, tmp_path / "files", *options, limit=10) / name
    from_db = write(f"duckdb:///{tmp_path / 'hand.duckdb'}", tmp_path / "db", *options,
                    limit=10) / name
    header = ["segment", "customers", "customers_paying", "mrr_year_ago", "mrr_now",
              "mrr_kept"]
    expected = [header, ["Mid", 1, 0, 100, 0, 0], ["SMB", 1, 1, 200, 200, 200]]
    assert inputs_table(from_files, "MrrYearAgo") == expected
    assert inputs_table(from_db, "MrrYearAgo") == expected
    assert [row[:3] for row in inputs_table(from_db, "TopAccounts")] == [
        ["customer_id", "segment", "movement"], ["D", "SMB", "reactivation"],
        ["C", "Mid", "new"]]
    assert kpi_values(from_db) == kpi_values(from_files)


@pytest.mark.parametrize("segment_by", [None, "segment"])
def test_the_cut_triangles_equal_those_of_the_rows_up_to_each_month(sample_database,
                                                                    segment_by):
    """Each segment's history cut at a month gives the triangles and sizes the pandas
    engine computes from the segment's rows up to that month."""
    mrr = ibis.duckdb.connect(sample_database, read_only=True).table("mrr")
    source = read_source(mrr, segment_by=segment_by)
    months = [pd.Period(month, "M") for month in ("2024-01", "2024-07", "2025-06", "2025-12")]
    histories = segment_histories(source, mrr, months)
    engine = EngineResults.compute(load_data(sample_data_path()), segment_by)
    assert list(histories) == engine.segments()
    for name, history in histories.items():
        rows = engine.segment(name).tables["mrr"]
        for month in months:
            upto = rows_until(rows, "mrr", month)
            cohorts, found = history.at(month)
            pd.testing.assert_frame_equal(cohorts, cohort_retention(upto))
            pd.testing.assert_frame_equal(found.revenue, cohort_retention(upto, mode="revenue"))
            pd.testing.assert_frame_equal(found.sizes, cohort_sizes(upto))


@pytest.mark.parametrize(("columns", "currency"), [
    ({"currency": ["eur", " EUR"]}, "EUR"),
    ({"currency": ["EUR", "USD"]}, None),
    ({"currency": ["EUR", None]}, None),
    ({"currency": ["USD", "USD"], "mrr_native": [10.0, 20.0]}, "USD"),
    ({"currency": ["USD", "USD"], "mrr_native": [11.0, 20.0]}, None),
])
def test_the_whole_tables_currency_is_read_by_a_query(columns, currency):
    """As ``data_currency`` reads it from the rows: one code on every row (case and spaces
    aside), and amounts not converted (``mrr_native`` within half a cent of ``mrr``)."""
    frame = pd.DataFrame({"customer_id": ["A", "B"], "month": ["2025-01", "2025-02"],
                          "mrr": [10.0, 20.0], **columns})
    span = table_span(ibis.duckdb.connect().create_table("mrr", frame))
    assert (span.rows, str(span.first), str(span.last), span.currency) == (
        2, "2025-01", "2025-02", currency)


def test_a_month_outside_the_whole_table_is_refused_before_any_row_is_fetched(
        sample_database, tmp_path, capsys):
    """The sample's months run from 2024-01 to 2025-12: a month after them is refused as
    for files, not fetched as no rows."""
    status = main(["report", "--data", f"duckdb:///{sample_database}", "--month", "2026-01",
                   "--out", str(tmp_path), "--max-input-rows", str(LIMIT)])
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        "csmetrics: error: no MRR data for 2026-01: the data covers 2024-01 to 2025-12")
