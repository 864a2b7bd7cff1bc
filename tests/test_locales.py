"""Locale-aware reading: French, Romanian, German and English Excel CSV files read with
their ``--locale``; without one, only what reads one way, and a clear error otherwise."""

import shutil

import pandas as pd
import pytest
from excel_csv import write_excel_csv

from csmetrics import DataError, load_data, sample_data_path
from csmetrics.cli import main
from csmetrics.tables.locales import resolve_locale
from csmetrics.tables.parse import read_numbers

EXPECTED_MRR = [1250.5, 99.0, 1_000_000.25]


def mrr_frame():
    return pd.DataFrame({
        "customer_id": ["Société A", "B; and sons", 'C "the third"'],
        "month": [pd.Period("2025-01", "M"), pd.Period("2025-02", "M"), pd.Period("2025-12", "M")],
        "mrr": EXPECTED_MRR,
        "segment": ["SMB", "Mid-Market", "Enterprise"],
    })


def excel_folder(tmp_path, locale, **options):
    folder = tmp_path / locale
    folder.mkdir()
    write_excel_csv(folder / "mrr.csv", mrr_frame(), locale, **options)
    return folder


def read_back(mrr):
    return [(r.customer_id, str(r.month), r.mrr) for r in mrr.itertuples()]


EXPECTED = [("Société A", "2025-01", 1250.5), ("B; and sons", "2025-02", 99.0),
            ('C "the third"', "2025-12", 1_000_000.25)]


@pytest.mark.parametrize("locale", ["en", "fr", "ro", "de"])
@pytest.mark.parametrize("grouped", [True, False], ids=["thousands", "plain"])
def test_each_locales_excel_csv_reads_with_its_locale(tmp_path, locale, grouped):
    folder = excel_folder(tmp_path, locale, grouped=grouped)
    assert read_back(load_data(folder, locale=locale).mrr) == EXPECTED


@pytest.mark.parametrize("group", [" ", "\u00a0", "\u202f"], ids=["space", "nbsp", "narrow nbsp"])
def test_french_thousands_separated_by_any_space(tmp_path, group):
    folder = excel_folder(tmp_path, "fr", group=group, utf8=True)
    assert read_back(load_data(folder, locale="fr").mrr) == EXPECTED


def test_romanian_code_page_letters_survive(tmp_path):
    (tmp_path / "mrr.csv").write_bytes(
        "customer_id;month;mrr;segment\r\nA;01.03.2025;1.250,50;Timişoara\r\n".encode("cp1250"))
    mrr = load_data(tmp_path, locale="ro").mrr
    assert mrr["segment"].tolist() == ["Timişoara"] and mrr["mrr"].tolist() == [1250.5]


def test_a_romanian_thousands_separator_is_never_read_as_a_decimal_point(tmp_path, capsys):
    """The headline misreading: ``1.250`` (1,250 lei) used to pass as 1.25."""
    (tmp_path / "mrr.csv").write_text("customer_id;month;mrr\nA;2025-01;1.250\nB;2025-01;7\n")
    assert main(["validate", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{tmp_path / 'mrr.csv'}: table 'mrr', row 2, column 'mrr': '1.250' reads two ways: "
        "1.25 with --locale en, 1250 with --locale ro or de; pass --locale"
    )
    assert load_data(tmp_path, locale="ro").mrr["mrr"].tolist() == [1250.0, 7.0]
    assert load_data(tmp_path, locale="en").mrr["mrr"].tolist() == [1.25, 7.0]


def test_a_day_month_date_that_reads_two_ways_is_an_error_naming_the_locales(tmp_path):
    (tmp_path / "mrr.csv").write_text("customer_id,month,mrr\nA,01/02/2025,10\n")
    with pytest.raises(DataError) as raised:
        load_data(tmp_path)
    assert str(raised.value) == (
        "table 'mrr', row 2, column 'month': '01/02/2025' reads two ways: 2025-01-02 with "
        "--locale en, 2025-02-01 with --locale fr, ro or de; pass --locale"
    )
    assert str(load_data(tmp_path, locale="fr").mrr["month"][0]) == "2025-02"


def test_a_convention_is_inferred_only_when_every_value_agrees_and_is_said(tmp_path, capsys):
    (tmp_path / "mrr.csv").write_text("customer_id;month;mrr\nA;31/01/2025;12,5\n"
                                      "A;28/02/2025;1 250,5\n")
    assert main(["validate", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "mrr.csv read with ';' separator; column 'month': day-first dates, the way --locale "
        "fr, ro or de reads dates; column 'mrr': decimal comma, the way --locale fr reads "
        "numbers",
        f"{tmp_path}: no problems found",
    ]


def test_a_column_written_two_ways_is_an_error(tmp_path):
    (tmp_path / "mrr.csv").write_text("customer_id;month;mrr\nA;2025-01;12,5\nB;2025-01;3.5\n"
                                      "C;2025-01;4,5\n")
    with pytest.raises(DataError, match="row 3, column 'mrr': '3.5' is written as --locale en "
                                        "writes numbers, the rest of the column as --locale fr"):
        load_data(tmp_path)


def test_with_a_locale_only_its_way_is_read(tmp_path):
    (tmp_path / "mrr.csv").write_text("customer_id;month;mrr\nA;2025-01;1250.50\n")
    with pytest.raises(DataError) as raised:
        load_data(tmp_path, locale="fr")
    assert str(raised.value) == (
        "table 'mrr', row 2, column 'mrr': cannot read '1250.50' as an amount (a number such "
        "as 1250.50; no currency sign); --locale fr reads numbers written as 1 250,50 and "
        "dates as dd/mm/yyyy or yyyy-mm-dd"
    )


def test_a_code_page_file_without_locale_names_the_code_page_to_pass(tmp_path, capsys):
    write_excel_csv(tmp_path / "mrr.csv", mrr_frame(), "fr")
    assert main(["validate", "--data", str(tmp_path)]) == 1
    assert "pass the locale of its code page (--locale en, fr or de for cp1252, --locale ro " \
        "for cp1250)" in capsys.readouterr().out
    assert main(["validate", "--data", str(tmp_path), "--locale", "fr"]) == 0
    assert "mrr.csv read with ';' separator; code page cp1252" in capsys.readouterr().out


def test_excel_unicode_text_reads_without_a_locale(tmp_path):
    text = "customer_id\tmonth\tmrr\r\nŞtefan\t2025-01\t10.5\r\n"
    (tmp_path / "mrr.csv").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    mrr = load_data(tmp_path).mrr
    assert mrr["customer_id"].tolist() == ["Ştefan"] and mrr["mrr"].tolist() == [10.5]


def test_an_unknown_locale_lists_the_supported_ones(tmp_path, capsys):
    with pytest.raises(ValueError, match="the supported locales are en, fr, ro, de"):
        load_data(sample_data_path(), locale="pt")
    with pytest.raises(SystemExit) as raised:
        main(["validate", "--data", str(tmp_path), "--locale", "pt"])
    assert raised.value.code == 2
    assert "invalid choice: 'pt'" in capsys.readouterr().err


@pytest.mark.parametrize(("code", "decimal", "groups", "day_first", "code_page"), [
    # CLDR 46 (babel 2.16+): en 1,234.56 M/d/yy; fr 1 234,56 with U+202F, dd/MM/y;
    # ro 1.234,56 dd.MM.y; de 1.234,56 dd.MM.yy. Code pages: Microsoft's ANSI code pages.
    ("en", ".", {","}, False, "cp1252"),
    ("fr", ",", {" ", "\u00a0", "\u202f"}, True, "cp1252"),
    ("ro", ",", {"."}, True, "cp1250"),
    ("de", ",", {"."}, True, "cp1252"),
])
def test_locale_conventions_are_cldrs(code, decimal, groups, day_first, code_page):
    conventions = resolve_locale(code)
    assert (conventions.decimal, set(conventions.groups), conventions.day_first,
            conventions.code_page) == (decimal, groups, day_first, code_page)


def test_report_reads_french_excel_exports_with_locale_fr(tmp_path, capsys):
    """The sample data saved as French Excel saves it: the same reports' data."""
    french = tmp_path / "fr"
    french.mkdir()
    plain = load_data(sample_data_path())
    for name in ("mrr", "spend"):
        table = pd.read_csv(sample_data_path() / f"{name}.csv", dtype=str)
        for column in table.columns:
            if column == "month":
                table[column] = pd.PeriodIndex(table[column], freq="M")
            elif column in ("mrr", "sales_marketing_cost", "gross_margin"):
                table[column] = table[column].astype(float)
        write_excel_csv(french / f"{name}.csv", table, "fr")
    read = load_data(french, locale="fr")
    pd.testing.assert_frame_equal(read.mrr, plain.mrr)
    out = tmp_path / "reports"
    assert main(["report", "--data", str(french), "--locale", "fr", "--month", "2025-12",
                 "--template", "monthly_kpi_report", "--out", str(out), "--quiet"]) == 0
    assert "mrr.csv read with ';' separator; code page cp1252" in capsys.readouterr().err
    shutil.rmtree(out)


def test_numbers_parse_as_each_locale_writes_them():
    values = pd.Series(["1 250,50", "1.250,50", "1,250.50", "-3", "0,5", ".5"])
    assert read_numbers(values, "fr").values.tolist()[:1] == [1250.5]
    assert read_numbers(values, "ro").values.tolist()[1] == 1250.5
    assert read_numbers(values, "en").values.tolist()[2] == 1250.5
    assert read_numbers(values, "de").values.tolist()[3:5] == [-3.0, 0.5]
    assert read_numbers(values, "en").values.tolist()[5] == 0.5
