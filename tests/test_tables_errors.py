"""Bad data: each problem is a DataError naming the table, the row the user sees and the
column. CSV rows are file lines (the header is line 1); XLSX rows are sheet rows."""

import openpyxl
import pytest

from csmetrics import DataError, load_data, mrr_movements, validate_data

GOOD_MRR = "customer_id,month,mrr\nA,2024-01,100\nB,2024-01,50\n"


def folder_with(tmp_path, **files):
    """A data folder holding the given CSV texts, one file per table."""
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def first_problem(source, **options):
    with pytest.raises(DataError) as raised:
        load_data(source, **options)
    return raised.value


def test_missing_column_names_the_header_row_and_the_column(tmp_path):
    problem = first_problem(folder_with(tmp_path, mrr="customer_id,month,amount\nA,2024-01,1\n"))
    assert (problem.table, problem.row, problem.column) == ("mrr", 1, "mrr")
    assert str(problem).startswith("table 'mrr', row 1, column 'mrr': missing column")
    assert "customer_id, month, amount" in str(problem)


def test_unparsable_date(tmp_path):
    invoices = ("invoice_id,customer_id,issue_date,due_date,amount,paid_date\n"
                "I1,A,2024-01-05,2024-02-04,100,\n"
                "I2,A,31/13/2024,2024-03-01,100,\n")
    problem = first_problem(folder_with(tmp_path, invoices=invoices))
    assert str(problem) == (
        "table 'invoices', row 3, column 'issue_date': cannot read '31/13/2024' as a date "
        "(YYYY-MM-DD, dd/mm/yyyy, a date cell or an Excel date serial)"
    )


def test_unparsable_month(tmp_path):
    problem = first_problem(folder_with(tmp_path, mrr=GOOD_MRR + "C,2024-13,70\n"))
    assert (problem.table, problem.row, problem.column) == ("mrr", 4, "month")
    assert "cannot read '2024-13' as a month" in str(problem)


def test_negative_mrr(tmp_path):
    problem = first_problem(folder_with(tmp_path, mrr=GOOD_MRR + "C,2024-01,-70\n"))
    assert str(problem) == "table 'mrr', row 4, column 'mrr': must be >= 0, got -70"


@pytest.mark.parametrize(
    ("survey", "score", "message"),
    [
        ("nps", "11", "a nps score must lie between 0 and 10, got 11"),
        ("nps", "7.5", "a nps score must be a whole number, got 7.5"),
        ("csat", "6", "a csat score must lie between 1 and 5, got 6"),
        ("ces", "0", "a ces score must lie between 1 and 7, got 0"),
    ],
)
def test_score_outside_its_scale(tmp_path, survey, score, message):
    surveys = f"customer_id,date,survey,score\nA,2024-01-03,nps,9\nB,2024-01-04,{survey},{score}\n"
    problem = first_problem(folder_with(tmp_path, surveys=surveys))
    assert str(problem) == f"table 'surveys', row 3, column 'score': {message}"


def test_duplicate_customer_month_is_an_error_unless_summed(tmp_path):
    source = folder_with(tmp_path, mrr=GOOD_MRR + "A,2024-01,25\n")
    problem = first_problem(source)
    assert (problem.table, problem.row, problem.column) == ("mrr", 4, "month")
    assert "customer_id 'A' and month 2024-01 already appears on row 2" in str(problem)
    assert "on_duplicate='sum'" in str(problem)
    summed = load_data(source, on_duplicate="sum").mrr
    assert summed.set_index("customer_id").loc["A", "mrr"] == 125


@pytest.mark.parametrize(
    ("rows", "expected"),
    [  # rows in key order (compared with the next row), out of order (counted), and ids
        # so many that their codes are hashed
        ("A,2024-01,1\nA,2024-02,2\nA,2024-02,3\nB,2024-01,4\n", (4, "A", "2024-02", 3)),
        ("B,2024-01,4\nA,2024-02,2\nA,2024-01,1\nA,2024-02,3\n", (5, "A", "2024-02", 3)),
        ("B,2024-01,1\nA,2100-01,2\nA,2024-01,3\nA,2100-01,4\n", (5, "A", "2100-01", 3)),
    ],
)
def test_every_repeated_key_is_found_whatever_the_row_order(tmp_path, rows, expected):
    row, customer, month, first = expected
    problem = first_problem(folder_with(tmp_path, mrr="customer_id,month,mrr\n" + rows))
    assert str(problem) == (
        f"table 'mrr', row {row}, column 'month': customer_id '{customer}' and month {month} "
        f"already appears on row {first} (or load with on_duplicate='sum' to add them up)"
    )


def test_empty_table(tmp_path):
    problem = first_problem(folder_with(tmp_path, mrr=GOOD_MRR, tickets=(
        "ticket_id,customer_id,opened_date,resolved_first_contact\n")))
    assert str(problem) == "table 'tickets': no data rows below the header"


def test_blank_lines_do_not_shift_the_row_numbers(tmp_path):
    text = "customer_id,month,mrr\nA,2024-01,100\n\n\nB,2024-01,-5\n"
    problem = first_problem(folder_with(tmp_path, mrr=text))
    assert problem.row == 5  # the fifth line of the file


def test_blank_required_cell(tmp_path):
    problem = first_problem(folder_with(tmp_path, mrr=GOOD_MRR + ",2024-01,70\n"))
    assert (problem.row, problem.column) == (4, "customer_id")
    assert "blank cell" in str(problem)


def test_unreadable_yes_no_answer_and_survey_name(tmp_path):
    tickets = ("ticket_id,customer_id,opened_date,resolved_first_contact\n"
               "T1,A,2024-01-02,yes\nT2,A,2024-01-03,perhaps\n")
    surveys = "customer_id,date,survey,score\nA,2024-01-03,poll,9\n"
    problems = validate_data(folder_with(tmp_path, surveys=surveys, tickets=tickets))
    assert [(p.table, p.row, p.column) for p in problems] == [
        ("surveys", 2, "survey"), ("tickets", 3, "resolved_first_contact")]
    assert "cannot read 'perhaps' as yes or no" in str(problems[1])


def test_a_margin_given_as_a_percentage(tmp_path):
    spend = "month,sales_marketing_cost,gross_margin\n2024-01,5000,78\n"
    problem = first_problem(folder_with(tmp_path, spend=spend))
    assert str(problem) == ("table 'spend', row 2, column 'gross_margin': must be a fraction "
                            "between 0 and 1, got 78")


def test_a_period_that_ends_before_it_starts(tmp_path):
    periods = ("customer_id,start_date,end_date,mrr\nA,2024-01-01,2024-06-30,100\n"
               "B,2024-05-01,2024-03-31,50\n")
    problem = first_problem(folder_with(tmp_path, mrr=periods))
    assert (problem.row, problem.column) == (3, "end_date")
    assert "ends (2024-03-31) before it starts (2024-05-01)" in str(problem)


def test_validate_data_lists_every_problem_first_row_first(tmp_path):
    mrr = "customer_id,month,mrr\nA,2024-01,-1\nB,someday,5\nC,2024-01,x\n"
    spend = "month,cost\n2024-01,5\n"
    problems = validate_data(folder_with(tmp_path, mrr=mrr, spend=spend))
    assert [(p.table, p.row, p.column) for p in problems] == [
        ("mrr", 2, "mrr"), ("mrr", 3, "month"), ("mrr", 4, "mrr"),
        ("spend", 1, "sales_marketing_cost"),
    ]


def test_validate_data_reports_an_unusable_source_instead_of_raising(tmp_path):
    problems = validate_data(tmp_path / "nowhere")
    assert len(problems) == 1 and "no such folder or file" in str(problems[0])
    assert "no table found" in str(validate_data(tmp_path)[0])


def test_two_files_for_one_table(tmp_path):
    folder_with(tmp_path, mrr=GOOD_MRR)
    (tmp_path / "MRR.parquet").write_bytes(b"")
    assert "two files hold table 'mrr'" in str(first_problem(tmp_path))


def test_a_csv_file_that_is_not_utf8(tmp_path):
    (tmp_path / "mrr.csv").write_bytes("customer_id,month,mrr\nSoci\xe9t\xe9,2024-01,5\n"
                                       .encode("cp1252"))
    problem = first_problem(tmp_path)
    assert str(problem).startswith("mrr.csv is not UTF-8")
    assert "save it as 'CSV UTF-8'" in str(problem)


def test_workbook_problems_name_the_sheet_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MRR"
    for row in (["Customer_ID", "Month", "MRR"], ["A", "2024-01", 100], [None, None, None],
                ["B", "2024-01", -3]):
        sheet.append(row)
    book.save(tmp_path / "data.xlsx")
    problem = first_problem(tmp_path / "data.xlsx")
    assert str(problem) == "table 'mrr', row 4, column 'mrr': must be >= 0, got -3"


def test_a_dataframe_given_directly_counts_rows_as_in_a_sheet():
    import pandas as pd

    frame = pd.DataFrame({"customer_id": ["A", "B"], "month": ["2024-01", "2024-01"],
                          "mrr": [5, -1]})
    with pytest.raises(DataError, match=r"^table 'mrr', row 3, column 'mrr'"):
        mrr_movements(frame)


def test_segment_by_an_unknown_column():
    import pandas as pd

    frame = pd.DataFrame({"customer_id": ["A"], "month": ["2024-01"], "mrr": [5]})
    with pytest.raises(DataError, match="column 'region': no such column to segment by"):
        mrr_movements(frame, segment_by="region")
