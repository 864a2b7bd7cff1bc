"""The messages a user meets on data csmetrics will not guess about: each says where, what,
and what to do, once per decision (not once per row), in plain words."""

import json

import pytest

from csmetrics import DataError, load_data, validate_data
from csmetrics.cli import main


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _write(folder, name, text):
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_a_file_that_is_not_utf8_names_the_line_and_column(tmp_path):
    (tmp_path / "mrr.csv").write_bytes(
        "customer_id,month,mrr\nA,2024-01,5\nSoci\xe9t\xe9,2024-01,5\n".encode("cp1252"))
    problem = validate_data(tmp_path)[0]
    assert str(problem).startswith(
        "mrr.csv is not UTF-8 text: line 3, column 5 holds the byte 0xE9 (é in cp1252)")
    assert "byte 3" not in str(problem)


def test_a_utf16_file_with_a_broken_character_names_the_line_and_column(tmp_path):
    text = "customer_id\tmonth\tmrr\r\nAB\t2025-01\t10.5\r\n".encode("utf-16-le")
    broken = text[:-6] + b"\x00\xdc" + text[-4:]  # a lone low surrogate in the last field
    (tmp_path / "mrr.csv").write_bytes(b"\xff\xfe" + broken)
    assert "line 2, column 15" in str(validate_data(tmp_path)[0])


def test_validate_ends_with_what_it_found_and_what_to_do(tmp_path, capsys):
    _write(tmp_path, "mrr", "customer_id,month,mrr\nA,2024-01,x\nB,2024-01,-1\n")
    status, _, stderr = _run(capsys, "validate", "--data", tmp_path)
    assert status == 1
    assert stderr == (f"{tmp_path}: 2 problems found (listed above); correct them and run "
                      "csmetrics validate again\n")
    _write(tmp_path, "mrr", "customer_id,month,mrr\nA,2024-01,x\n")
    status, _, stderr = _run(capsys, "validate", "--data", tmp_path, "--json")
    assert stderr == (f"{tmp_path}: 1 problem found (listed in the JSON output); correct it "
                      "and run csmetrics validate again\n")


def test_ambiguous_dates_are_one_problem_per_column_with_a_count_and_examples(tmp_path):
    days = ["01/02/2025", "03/04/2025", "01/02/2025", "05/06/2025", "07/08/2025"]
    rows = "".join(f"C{n},{day},10\n" for n, day in enumerate(days))
    _write(tmp_path, "mrr", "customer_id,month,mrr\n" + rows)
    (problem,) = validate_data(tmp_path)
    assert (problem.table, problem.row, problem.column) == ("mrr", 2, "month")
    assert str(problem) == (
        "table 'mrr', row 2, column 'month': '01/02/2025' reads two ways: 2025-01-02 with "
        "--locale en, 2025-02-01 with --locale fr, ro or de; pass --locale (5 cells of this "
        "column are in the same case, such as '01/02/2025' on row 2, '03/04/2025' on row 3 "
        "and '05/06/2025' on row 5)")


def test_one_date_order_for_the_whole_file(tmp_path):
    """``31/03/2025`` in due_date settles the order of ``01/03/2025`` in issue_date."""
    _write(tmp_path, "invoices", "invoice_id,customer_id,issue_date,due_date,paid_date,amount\n"
           "I1,A,01/03/2025,31/03/2025,,100\nI2,A,01/04/2025,01/05/2025,,100\n")
    data = load_data(tmp_path)
    assert data.invoices["issue_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-03-01", "2025-04-01"]
    assert data.invoices["due_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-03-31", "2025-05-01"]
    assert data.notes == ("invoices.csv read with columns 'issue_date', 'due_date': day-first "
                          "dates, the way --locale fr, ro or de reads dates",)


def test_two_date_orders_in_one_file_are_an_error(tmp_path):
    """Each column alone reads one way, but not the same way: never read silently."""
    _write(tmp_path, "invoices", "invoice_id,customer_id,issue_date,due_date,paid_date,amount\n"
           "I1,A,01/13/2025,02/12/2025,,100\nI2,A,02/14/2025,02/13/2025,,100\n"
           "I3,A,01/01/2025,31/01/2025,,100\n")
    (problem,) = validate_data(tmp_path)
    assert (problem.row, problem.column) == (4, "due_date")
    assert "'31/01/2025' is written as --locale fr, ro or de writes dates, the rest of the " \
        "file as --locale en does; write every date of the file one way" in str(problem)


def test_json_messages_do_not_repeat_the_place(tmp_path, capsys):
    _write(tmp_path, "mrr", "customer_id,month,mrr\nA,2024-01,12O.50\n")
    status, stdout, _ = _run(capsys, "validate", "--data", tmp_path, "--json")
    (record,) = json.loads(stdout)
    assert status == 1
    assert record == {
        "file": str(tmp_path / "mrr.csv"), "table": "mrr", "row": 2, "column": "mrr",
        "message": "cannot read '12O.50' as an amount (a number such as 1250.50; no currency "
                   "sign)"}


def test_a_data_error_keeps_its_reason_apart_from_its_place():
    error = DataError("must be >= 0, got -1", table="mrr", row=3, column="mrr")
    assert (str(error), error.reason) == (
        "table 'mrr', row 3, column 'mrr': must be >= 0, got -1", "must be >= 0, got -1")


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_with_a_locale_every_date_column_reads_its_way(tmp_path, locale):
    _write(tmp_path, "invoices", "invoice_id,customer_id,issue_date,due_date,paid_date,amount\n"
           "I1,A,01/03/2025,02/04/2025,,100\n")
    invoices = load_data(tmp_path, locale=locale).invoices
    month = 1 if locale == "en" else 3
    assert invoices["issue_date"].dt.month.tolist() == [month]
    assert invoices["due_date"].dt.month.tolist() == [month + 1]
