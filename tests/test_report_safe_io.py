"""Safe writing and reading of report workbooks (csmetrics.report.safe_io).

Real files in tmp_path; the only stand-ins are saves that die half-way, which is how a
crash (power cut, full disk, killed process) looks from the file system, or during which
another run writes the same report.
"""

import re

import openpyxl
import pytest

from csmetrics.report.cells import write_text
from csmetrics.report.safe_io import (
    ReportError,
    load_workbook,
    protected_paths,
    save_atomically,
)


def _workbook(text):
    workbook = openpyxl.Workbook()
    write_text(workbook.active["A1"], text)
    return workbook


def _text(path):
    return openpyxl.load_workbook(path).active["A1"].value


def crashing_save(workbook, filename):
    """A save that writes the first bytes of the file and then dies."""
    with open(filename, "wb") as partial:
        partial.write(b"PK\x03\x04 half a zip")
    raise OSError("No space left on device")


def test_an_existing_report_is_kept_without_overwrite(tmp_path):
    target = save_atomically(_workbook("first"), tmp_path / "report.xlsx")
    with pytest.raises(ReportError, match="exists; pass --overwrite"):
        save_atomically(_workbook("second"), target)
    assert _text(target) == "first"


def test_a_report_written_by_another_run_meanwhile_is_kept(tmp_path):
    target = tmp_path / "report.xlsx"

    def raced_save(workbook, filename):
        save_atomically(_workbook("theirs"), target)
        workbook.save(filename)

    with pytest.raises(ReportError, match="exists; pass --overwrite"):
        save_atomically(_workbook("ours"), target, save=raced_save)
    assert _text(target) == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_overwrite_replaces_the_report(tmp_path):
    target = save_atomically(_workbook("first"), tmp_path / "report.xlsx")
    save_atomically(_workbook("second"), target, overwrite=True)
    assert _text(target) == "second"


def test_a_crash_mid_save_leaves_the_old_report_and_no_temporary_file(tmp_path):
    target = save_atomically(_workbook("first"), tmp_path / "report.xlsx")
    with pytest.raises(OSError, match="No space left"):
        save_atomically(_workbook("second"), target, overwrite=True, save=crashing_save)
    assert _text(target) == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_crash_mid_save_of_a_new_report_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        save_atomically(_workbook("new"), tmp_path / "report.xlsx", save=crashing_save)
    assert list(tmp_path.iterdir()) == []


def test_inputs_and_templates_are_never_written_even_with_overwrite(tmp_path):
    data = tmp_path / "exports"
    data.mkdir()
    (data / "mrr.csv").write_text("customer_id,month,mrr\nA,2025-01,10\n")
    template = tmp_path / "monthly_kpi_report.xlsx"
    _workbook("template").save(template)
    protected = protected_paths(data, template)
    for target in (data / "mrr.csv", template, data / ".." / "monthly_kpi_report.xlsx"):
        with pytest.raises(ReportError, match="template or an input file"):
            save_atomically(_workbook("report"), target, protected=protected, overwrite=True)
    assert (data / "mrr.csv").read_text().startswith("customer_id")
    assert _text(template) == "template"


def test_a_symlink_to_an_input_is_refused(tmp_path):
    data = tmp_path / "data.xlsx"
    _workbook("data").save(data)
    link = tmp_path / "out.xlsx"
    link.symlink_to(data)
    with pytest.raises(ReportError, match="template or an input file"):
        save_atomically(_workbook("x"), link, protected=protected_paths(data), overwrite=True)
    assert _text(data) == "data"


def test_a_csv_renamed_xlsx_is_refused_with_its_name(tmp_path):
    fake = tmp_path / "billing export.xlsx"
    fake.write_text("customer_id,month,mrr\n")
    with pytest.raises(ReportError, match=r"billing export\.xlsx is not an Excel workbook"):
        load_workbook(fake)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    fake = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReportError, match=r"archive\.xlsx cannot be read as an Excel workbook"):
        load_workbook(fake)


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


@pytest.mark.parametrize("part, encoding, padding", [
    ("xl/workbook.xml", "ascii", 0),
    ("xl/styles.xml", "utf-16-le", 0),
    ("xl/worksheets/sheet1.xml", "ascii", 2**20 - 4),  # the mark across two read chunks
])
def test_a_workbook_declaring_xml_entities_is_refused(tmp_path, part, encoding, padding):
    """The "billion laughs" shape: a DTD in any part is refused, whatever the parser
    openpyxl would use for it (lxml for the workbook and styles parts, defusedxml for the
    sheets), its encoding and where it falls in the part."""
    import zipfile

    plain = tmp_path / "plain.xlsx"
    _workbook("x").save(plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                dtd = " " * padding + '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                data = dtd.encode(encoding) + data
            target.writestr(item, data)
    declares = rf"bomb\.xlsx cannot be read safely.*{re.escape(part)} declares a DTD"
    with pytest.raises(ReportError, match=declares):
        load_workbook(bomb)
