"""The reader and command-line defects of issue 8, one test each, on real files: every one
failed before its fix (a traceback, a silent shift, a wrap-around, a lost file)."""

import os
import shutil
import stat
import subprocess
import sys
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from csmetrics import DataError, load_data, validate_data
from csmetrics.cli import main
from csmetrics.report.batch import plan_jobs, report_filename
from csmetrics.report.safe_io import save_atomically
from csmetrics.tables import workbooks
from csmetrics.tables.validate import check_table
from workbook_templates import TEMPLATE_NAMES

MONTH = pd.Period("2025-03", "M")


def csv_folder(tmp_path, text, name="mrr"):
    (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    return tmp_path


def problem_of(source, **options):
    with pytest.raises(DataError) as raised:
        load_data(source, **options)
    return str(raised.value)


def mrr_workbook(path, rows, *, extra_sheets=()):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mrr"
    sheet.append(["customer_id", "month", "mrr", "segment"])
    for row in rows:
        sheet.append(row)
    for title in extra_sheets:
        book.create_sheet(title)
    book.save(path)
    return path


def rewritten(source, target, change):
    """A copy of the zip ``source`` with ``change(name, data)`` giving each member's bytes
    (None drops the member)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


# -- CSV structure -------------------------------------------------------------------------

def test_a_row_with_more_fields_than_the_header_is_one_line_naming_it(tmp_path):
    folder = csv_folder(tmp_path, "customer_id,month,mrr\nA,2024-01,100\nB,2024-01,50,9\n")
    assert problem_of(folder) == "mrr.csv, row 3: 4 fields where the header has 3 (a comma " \
        "inside an unquoted value such as 1,200.50?)"


def test_every_row_one_field_longer_is_an_error_not_a_shift(tmp_path):
    folder = csv_folder(tmp_path, "customer_id,month,mrr\nA,2024-01,1,200.50\nB,2024-01,2,300\n")
    assert problem_of(folder).startswith("mrr.csv, row 2: 4 fields where the header has 3")


def test_a_duplicate_header_is_an_error(tmp_path):
    folder = csv_folder(tmp_path, "customer_id,month,mrr,MRR\nA,2024-01,100,5\n")
    assert problem_of(folder) == (
        "mrr.csv: columns 3 and 4 of the header are both named 'MRR'; rename one"
    )


def test_errors_after_a_quoted_line_break_name_the_record_and_the_line(tmp_path):
    text = 'customer_id,month,mrr,segment\nA,2024-01,100,"SMB\nnorth"\nB,2024-01,x,SMB\n'
    folder = csv_folder(tmp_path, text)
    problems = [str(p) for p in validate_data(folder)]
    assert problems == ["table 'mrr', row 3 (line 4 in a text editor), column 'mrr': cannot "
                        "read 'x' as an amount (a number such as 1250.50; no currency sign)"]
    (folder / "mrr.csv").write_text(text.replace(",x,", ",7,") + "C,2024-01,5,SMB,extra\n")
    assert problem_of(folder).startswith("mrr.csv, row 4 (line 5 in a text editor): 5 fields")


# -- values -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "header", "row"), [
    ("mrr", "customer_id,month,mrr", "A,2024-01,{amount}"),
    ("invoices", "invoice_id,customer_id,issue_date,due_date,paid_date,amount",
     "I1,A,2024-01-01,2024-01-31,,{amount}"),
])
def test_amounts_past_what_int64_cents_hold_are_refused(tmp_path, name, header, row):
    folder = csv_folder(tmp_path, f"{header}\n{row.format(amount='1e17')}\n", name)
    assert "must be at most 1e+13 (amounts are kept to the cent), got 1e+17" in problem_of(folder)


def test_a_column_total_past_int64_cents_is_refused():
    rows = 10_000  # 10 000 x 1e13 = 1e17 > 9.2e16
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(rows)], "month": "2024-01",
                          "mrr": np.full(rows, 1e13)})
    _, problems = check_table("mrr", frame)
    assert len(problems) == 1 and problems[0].row == 9_224 + 1
    assert "add up to 9.22e+16, more than the 9.22e+16" in str(problems[0])


def test_na_words_stay_text_in_a_workbook(tmp_path):
    words = ["NA", "N/A", "None", "null", "NaN"]
    path = mrr_workbook(tmp_path / "data.xlsx",
                        [[word, "2024-01", 10 + i, word] for i, word in enumerate(words)])
    mrr = load_data(path).mrr
    assert mrr["customer_id"].tolist() == words and mrr["segment"].tolist() == words


def test_control_characters_in_text_are_refused_with_their_row(tmp_path):
    folder = csv_folder(tmp_path, "customer_id,month,mrr,segment\nA,2024-01,1,SMB\n"
                                  "B,2024-01,2,SMB\x07\n")
    assert problem_of(folder) == (
        "table 'mrr', row 3, column 'segment': the text 'SMB\\x07' holds the control "
        "character U+0007, which a workbook cannot store; remove it"
    )


@pytest.mark.parametrize("character", ["\x08", "\x0b", "\x0c", "\x0e", "\x1f"])
def test_each_control_character_a_workbook_cannot_store_is_refused_in_an_id(tmp_path,
                                                                             character):
    """U+0000-U+0008, U+000B, U+000C and U+000E-U+001F (openpyxl's ILLEGAL_CHARACTERS_RE):
    one from each end of each range, inside a customer id (at its ends, those Python counts
    as white space are stripped with the spaces)."""
    folder = csv_folder(tmp_path, f"customer_id,month,mrr\nA,2024-01,1\nB{character}C,2024-01,2\n")
    assert (f"row 3, column 'customer_id': the text 'B\\x{ord(character):02x}C' holds the "
            f"control character U+{ord(character):04X}") in problem_of(folder)


def test_tab_and_line_breaks_are_kept_in_text(tmp_path):
    """Tab, line feed and carriage return are the control characters a workbook stores."""
    folder = csv_folder(tmp_path, 'customer_id,month,mrr,segment\nA,2024-01,1,"S\tM\rB\nC"\n')
    assert load_data(folder).mrr["segment"].tolist() == ["S\tM\rB\nC"]


@pytest.mark.parametrize(("month", "refused"), [
    ("1969-12", True), ("1970-01", False), ("2100-12", False), ("2101-01", True),
])
def test_months_from_1970_to_2100_are_read_and_the_next_one_out_refused(tmp_path, month,
                                                                        refused):
    folder = csv_folder(tmp_path, f"customer_id,month,mrr\nA,2024-01,1\nB,{month},2\n")
    if refused:
        assert (f"row 3, column 'month': reads as the month {month}, before 1970 or after "
                "2100") in problem_of(folder)
    else:
        assert str(load_data(folder).mrr["month"].max()) == max(month, "2024-01")


def test_an_amount_of_ten_thousand_billion_is_read_and_a_cent_more_refused(tmp_path):
    """The largest amount read is 10^13 units (1e+13); 10,000,000,000,000.01 is past it."""
    folder = csv_folder(tmp_path, "customer_id,month,mrr\nA,2024-01,10000000000000\n")
    assert load_data(folder).mrr["mrr"].tolist() == [1e13]
    folder = csv_folder(tmp_path, "customer_id,month,mrr\nA,2024-01,10000000000000.01\n")
    assert "row 2, column 'mrr': must be at most 1e+13" in problem_of(folder)


def test_a_bare_year_as_a_month_is_refused_showing_what_was_read(tmp_path):
    folder = csv_folder(tmp_path, "customer_id,month,mrr\nA,2025,100\n")
    assert problem_of(folder) == (
        "table 'mrr', row 2, column 'month': reads as the month 1905-07, before 1970 or after "
        "2100: is it a misreading (a year alone, such as 2025, reads as an Excel date serial)? "
        "write the full date"
    )


def test_parquet_decimal128_amounts_are_read(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import decimal

    import pyarrow.parquet as pq

    table = pa.table({
        "customer_id": ["A", "B"], "month": ["2024-01", "2024-01"],
        "mrr": pa.array([decimal.Decimal("1250.50"), decimal.Decimal("99.99")],
                        pa.decimal128(12, 2)),
    })
    pq.write_table(table, tmp_path / "mrr.parquet")
    assert load_data(tmp_path).mrr["mrr"].tolist() == [1250.5, 99.99]


# -- workbooks ----------------------------------------------------------------------------

def test_two_sheets_for_one_table_are_refused(tmp_path):
    path = mrr_workbook(tmp_path / "data.xlsx", [["A", "2024-01", 1, "SMB"]],
                        extra_sheets=["MRR "])
    assert problem_of(path) == ("data.xlsx: sheets 'mrr' and 'MRR ' both hold table 'mrr' "
                                "(names ignore case and spaces); keep one")


def _no_content_types(name, data):
    return None if name == "[Content_Types].xml" else data


def _external_entity(name, data):
    if name != "xl/worksheets/sheet1.xml":
        return data
    doctype = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    assert b"<t>A</t>" in data
    return doctype + data.replace(b"<t>A</t>", b"<t>&e;</t>", 1)


def _entity_expansion(name, data):
    if name != "xl/worksheets/sheet1.xml":
        return data
    laughs = (b'<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    assert b"<t>A</t>" in data
    return laughs + data.replace(b"<t>A</t>", b"<t>&c;</t>", 1)


@pytest.mark.parametrize("damage", [_no_content_types, _external_entity, _entity_expansion],
                         ids=["no content types", "external entity", "entity expansion"])
def test_a_damaged_or_hostile_workbook_is_one_line_naming_the_file(tmp_path, damage, capsys):
    good = mrr_workbook(tmp_path / "good.xlsx", [["A", "2024-01", 1, "SMB"]])
    bad = rewritten(good, tmp_path / "bad.xlsx", damage)
    message = problem_of(bad)
    assert message.startswith("bad.xlsx cannot be read safely as an Excel workbook")
    assert "\n" not in message and "root:" not in message  # one line; nothing expanded
    assert main(["validate", "--data", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and out.startswith("bad.xlsx cannot be read safely")


def test_a_corrupted_workbook_member_is_one_line_naming_the_file(tmp_path):
    good = mrr_workbook(tmp_path / "good.xlsx", [["A", "2024-01", 1, "SMB"]])
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5:start + 15] = bytes(10)  # damage the compressed stream
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    message = problem_of(bad)
    assert message.startswith("bad.xlsx cannot be read safely as an Excel workbook")
    assert "\n" not in message


def _sparse_sheet(path, title, last_cell):
    """A workbook whose sheet ``title`` holds A1 and ``last_cell``: a few bytes on disk that
    span a vast grid once read."""
    book = openpyxl.Workbook()
    book.active.title = "mrr"
    book.active.append(["customer_id", "month", "mrr"])
    book.active.append(["A", "2024-01", 1])
    sheet = book.create_sheet(title) if title != "mrr" else book.active
    sheet[last_cell] = "x"
    book.save(path)
    return path


def test_a_sheet_spanning_too_many_cells_is_refused_before_it_is_read(tmp_path):
    path = _sparse_sheet(tmp_path / "bomb.xlsx", "mrr", "XFD1048576")
    assert path.stat().st_size < 10_000
    assert problem_of(path) == (
        "bomb.xlsx, sheet 'mrr' spans 1,048,576 rows and 16,384 columns, more than the "
        "6,000,000 cells csmetrics reads from a sheet; export large tables as CSV or Parquet"
    )


def test_the_cell_limit_is_the_one_stated(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_CELLS", 1_000)
    path = _sparse_sheet(tmp_path / "big.xlsx", "mrr", "Z40")  # 26 x 40 = 1 040 cells
    assert "more than the 1,000 cells" in problem_of(path)


def test_a_part_unpacking_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_PART_BYTES", 2_000)
    path = mrr_workbook(tmp_path / "data.xlsx", [["A", "2024-01", 1, "x" * 3_000]])
    assert "unpacks to more than" in problem_of(path)


def test_sheets_not_named_after_a_table_are_not_read(tmp_path):
    path = _sparse_sheet(tmp_path / "data.xlsx", "Notes", "XFD1048576")
    assert load_data(path).mrr["mrr"].tolist() == [1.0]


def test_validate_and_report_say_no_table_was_found_in_a_workbook(tmp_path, capsys):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.save(tmp_path / "data.xlsx")
    data = str(tmp_path / "data.xlsx")
    for argv in (["validate", "--data", data],
                 ["report", "--data", data, "--month", "2024-01", "--out", str(tmp_path)]):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert "no table found in data.xlsx: expected sheets named mrr, invoices" in out + err
        assert "no problems found" not in out


def test_an_xlsm_workbook_is_read_for_its_values(tmp_path, capsys):
    path = mrr_workbook(tmp_path / "data.xlsm", [["A", "2024-01", 100, "SMB"]])
    assert main(["validate", "--data", str(path)]) == 0
    assert "no problems found" in capsys.readouterr().out
    assert load_data(path).mrr["mrr"].tolist() == [100.0]


# -- writing reports ----------------------------------------------------------------------

def test_demo_skips_a_damaged_report_and_writes_the_others(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    damaged = tmp_path / "reports" / f"nps_survey_{'2025-12'}_All.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("docProps/core.xml", "<cp:coreProperties><unclosed>")
    assert main(["demo"]) == 1
    out = capsys.readouterr().out
    assert f"{len(TEMPLATE_NAMES) - 1} of {len(TEMPLATE_NAMES)} reports written" in out
    assert len(list((tmp_path / "reports").glob("*.xlsx"))) == len(TEMPLATE_NAMES)


def test_reports_honour_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        target = save_atomically(openpyxl.Workbook(), tmp_path / "report.xlsx")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        os.umask(0o002)
        save_atomically(openpyxl.Workbook(), target, overwrite=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_temporary_files_of_a_killed_run_are_removed(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    left = tmp_path / f".report.xlsx.csmetrics-{int(ended.stdout)}-0a1b2c3d.part"
    left.write_bytes(b"PK half a zip")
    theirs = tmp_path / "notes.part"
    theirs.write_bytes(b"not ours")
    save_atomically(openpyxl.Workbook(), tmp_path / "other.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.part", "other.xlsx"]


def test_overwrite_replaces_a_link_in_the_reports_place_not_its_target(tmp_path):
    outside = tmp_path / "outside.xlsx"
    outside.write_bytes(b"the user's own file")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.xlsx").symlink_to(outside)
    save_atomically(openpyxl.Workbook(), out / "report.xlsx", overwrite=True)
    assert outside.read_bytes() == b"the user's own file"
    assert not (out / "report.xlsx").is_symlink()
    assert zipfile.is_zipfile(out / "report.xlsx")


def test_segment_file_names_stay_distinct_and_short(tmp_path):
    names = ["Ελλάδα", "日本", "L" * 300, "L" * 300 + "x"]
    jobs = plan_jobs(["nps_survey"], [MONTH], names, tmp_path)
    files = [job.path.name for job in jobs]
    assert len(set(files)) == len(names)
    assert max(map(len, files)) <= len("nps_survey_2025-03_") + 40 + 9 + len(".xlsx")
    assert report_filename("nps_survey", MONTH, "Île-de-France") == (
        "nps_survey_2025-03_Ile-de-France.xlsx")
    for job in jobs:
        save_atomically(openpyxl.Workbook(), job.path)  # no "File name too long"
    shutil.rmtree(tmp_path)
