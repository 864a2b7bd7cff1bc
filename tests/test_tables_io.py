"""Readers: CSV, XLSX and Parquet give the same Dataset, and reading changes nothing."""

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest
from table_fixture import raw_tables, write_csv_folder

from csmetrics import Dataset, load_data, mrr_movements

TABLE_NAMES = ("mrr", "invoices", "surveys", "orders", "tickets", "spend", "targets")
"""The tables of a data set, written out."""


def typed_tables():
    """The fixture with real dates, months as first days, yes/no as booleans."""
    tables = raw_tables()
    for name, table in tables.items():
        for column in table.columns:
            if column in ("month", "issue_date", "due_date", "paid_date", "date",
                          "order_date", "opened_date"):
                table[column] = pd.to_datetime(table[column])
        if name == "tickets":
            table["resolved_first_contact"] = table["resolved_first_contact"] == "yes"
    return tables


def write_workbook(path, tables):
    """One sheet per table (sheet names in another case), typed cells, plus a notes sheet."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "This sheet is not a table and is ignored."
    for name, table in tables.items():
        sheet = book.create_sheet(name.capitalize())
        sheet.append([column.upper() for column in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([_cell(value) for value in row])
    book.save(path)
    return path


def _cell(value):
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return None if pd.isna(value) else value


def write_parquet_folder(folder, tables):
    pytest.importorskip("pyarrow")  # the 'parquet' extra; the test extras include it
    folder.mkdir()
    for name, table in tables.items():
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def digests(paths):
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    return {
        "csv": write_csv_folder(root / "csv"),
        "xlsx": write_workbook(root / "data.xlsx", typed_tables()),
        "parquet": write_parquet_folder(root / "parquet", typed_tables()),
    }


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_every_reader_gives_the_same_dataset(sources, kind):
    from_csv = load_data(sources["csv"], on_duplicate="sum")
    other = load_data(sources[kind], on_duplicate="sum")
    assert sorted(other.tables()) == sorted(TABLE_NAMES)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(other, name), getattr(from_csv, name),
                                      obj=f"{kind} {name}")


def test_reading_changes_no_file(sources):
    files = [sources["xlsx"], *sources["csv"].iterdir(), *sources["parquet"].iterdir()]
    before = digests(files)
    for source in sources.values():
        load_data(source, on_duplicate="sum")
    assert digests(files) == before


def test_normalised_columns_and_types(sources):
    data = load_data(sources["csv"], on_duplicate="sum")
    assert isinstance(data, Dataset) and data.source == sources["csv"]
    assert data.mrr["month"].dtype == pd.PeriodDtype("M")
    assert data.invoices["paid_date"].isna().sum() == 1  # INV3 is open
    assert data.tickets["resolved_first_contact"].tolist() == [True, False, True]
    assert data.spend["gross_margin"].isna().tolist() == [False, False, True]
    assert data.orders["units"].dtype == float


def test_missing_tables_are_none(tmp_path):
    write_csv_folder(tmp_path, {"mrr": raw_tables()["mrr"]})
    data = load_data(tmp_path, on_duplicate="sum")
    assert data.invoices is None and data.spend is None and list(data.tables()) == ["mrr"]


def test_mapping_renames_the_users_columns(tmp_path):
    mrr = raw_tables()["mrr"].rename(columns={"customer_id": "Account", "mrr": "Monthly Fee"})
    write_csv_folder(tmp_path, {"mrr": mrr})
    data = load_data(tmp_path, on_duplicate="sum",
                     mapping={"mrr": {"account": "customer_id", "MONTHLY FEE": "mrr"}})
    assert data.mrr.columns.tolist() == ["customer_id", "month", "mrr", "segment"]


def test_mapping_of_an_unknown_table_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown tables"):
        load_data(write_csv_folder(tmp_path), mapping={"customers": {"id": "customer_id"}})


def test_semicolon_separated_csv_with_a_byte_order_mark(tmp_path):
    (tmp_path / "mrr.csv").write_bytes(
        "\ufeffCustomer_ID;Month;MRR\nA;2024-01;100\nA;2024-02;120\n".encode()
    )
    assert load_data(tmp_path).mrr["mrr"].tolist() == [100.0, 120.0]


def test_subscription_periods_are_spread_into_months(tmp_path):
    # A: 15 Jan to 14 Mar (active on the last days of January and February);
    # B: from 1 Feb, still running (up to March, the latest month the table mentions).
    periods = ("customer_id,start_date,end_date,mrr\nA,2024-01-15,2024-03-14,100\n"
               "B,2024-02-01,,50\nB,2024-03-01,2024-03-31,20\n")
    (tmp_path / "mrr.csv").write_text(periods)
    mrr = load_data(tmp_path).mrr
    assert [(r.customer_id, str(r.month), r.mrr) for r in mrr.itertuples()] == [
        ("A", "2024-01", 100.0), ("A", "2024-02", 100.0),
        ("B", "2024-02", 50.0), ("B", "2024-03", 70.0),
    ]
    # So A churns in March: 100 lost
    assert mrr_movements(mrr)["churned"].tolist() == [0, 0, 100]


def test_ids_written_as_numbers_in_a_workbook_read_as_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mrr"
    sheet.append(["customer_id", "month", "mrr"])
    sheet.append([1001, dt.datetime(2024, 1, 1), 99.5])
    sheet.append([1001.0, 45323, 99.5])  # the same customer; February as an Excel serial
    book.save(tmp_path / "data.xlsx")
    mrr = load_data(tmp_path / "data.xlsx").mrr
    assert mrr["customer_id"].tolist() == ["1001", "1001"]
    assert mrr["month"].astype(str).tolist() == ["2024-01", "2024-02"]


def test_the_sample_data_loads_and_is_small():
    from csmetrics import sample_data_path

    folder = sample_data_path()
    assert sum(path.stat().st_size for path in folder.glob("*.csv")) < 3_000_000
    data = load_data(folder)
    assert sorted(data.tables()) == sorted(TABLE_NAMES)
    assert data.mrr["customer_id"].nunique() == pytest.approx(500, rel=0.1)
    assert sorted(data.mrr["segment"].unique()) == ["Enterprise", "Mid-Market", "SMB"]


def test_the_sample_data_is_what_its_generator_writes(tmp_path):
    import importlib.util
    from pathlib import Path

    from csmetrics import sample_data_path

    script = Path(__file__).resolve().parent.parent / "tools" / "make_sample_data.py"
    spec = importlib.util.spec_from_file_location("make_sample_data", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.main(tmp_path)
    for shipped in sorted(sample_data_path().glob("*.csv")):
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name
