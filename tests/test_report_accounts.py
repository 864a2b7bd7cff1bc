"""The accounts behind the numbers: top movements, top overdue invoices, cohort sizes.

Hand-worked on a small tape of seven customers over 2024-12 to 2025-02 (report month
2025-02): three churn (A 100, then B and C 50 each: a tie, kept in id order), one contracts
(D 80 -> 60), one is new (E 30), one returns after a month at zero (F 40, -, 45: listed with
the new ones, the engine's ``reactivation``), one stays flat (G); nobody expands. Invoices
at 28 February: I2 (300, 50 days late) and I1 (300, 24 days) tie on amount, I6 (120, 14
days) is paid after the month end; I3 is not yet due, I5 falls due that day, I4 was paid
that day: none of those three is overdue.
"""

import subprocess

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import error_cells
from test_report_pdf import pages, text

from csmetrics import customer_movements, load_data, sample_data_path
from csmetrics.cli import main
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.labels import label
from csmetrics.report.pdf import write_pdfs
from csmetrics.tables.accounts import top_movements
from csmetrics.tables.cohorts import cohort_sizes
from csmetrics.tables.receivables import top_overdue
from workbook_templates import TOP_LISTS, template_path

MONTH = pd.Period("2025-02", "M")

MRR = """customer_id,month,mrr,segment
A,2025-01,100,Enterprise
B,2025-01,50,SMB
C,2025-01,50,SMB
D,2025-01,80,Mid
D,2025-02,60,Mid
E,2025-02,30,SMB
F,2024-12,40,Mid
F,2025-02,45,Mid
G,2024-12,10,SMB
G,2025-01,10,SMB
G,2025-02,10,SMB
"""

INVOICES = """invoice_id,customer_id,issue_date,due_date,amount,paid_date
I1,A,2025-01-05,2025-02-04,300,
I2,B,2024-12-10,2025-01-09,300,
I3,C,2025-02-01,2025-03-03,900,
I4,D,2025-01-01,2025-01-31,500,2025-02-28
I5,E,2025-01-20,2025-02-28,200,
I6,F,2025-01-15,2025-02-14,120,2025-03-05
"""

EXPECTED = {
    "churned": [("A", "Enterprise", 100.0, 0.0, -100.0), ("B", "SMB", 50.0, 0.0, -50.0),
                ("C", "SMB", 50.0, 0.0, -50.0)],
    "new": [("F", "Mid", 0.0, 45.0, 45.0), ("E", "SMB", 0.0, 30.0, 30.0)],
    "contracted": [("D", "Mid", 80.0, 60.0, -20.0)],
    "expanded": [],
}
EXPECTED_OVERDUE = [("B", "I2", "2025-01-09", 50, 300.0), ("A", "I1", "2025-02-04", 24, 300.0),
                    ("F", "I6", "2025-02-14", 14, 120.0)]
EXPECTED_SIZES = [("2024-12", 2, 50.0), ("2025-01", 4, 280.0), ("2025-02", 1, 30.0)]


def tape(folder, mrr=MRR):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mrr.csv").write_text(mrr, encoding="utf-8")
    (folder / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    return load_data(folder)


def rows(frame):
    return [tuple(row) for row in frame.itertuples(index=False)]


# --- the core -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_top_movements_of_the_tape(kind, tmp_path):
    data = tape(tmp_path)
    moves = customer_movements(data.mrr, segment_by="segment")
    assert rows(top_movements(moves, MONTH, kind)) == EXPECTED[kind]


def test_top_movements_keeps_the_ten_largest_and_reads_one_month():
    mrr = pd.DataFrame({"customer_id": [f"K{i:02d}" for i in range(12)] + ["Z", "Y", "Y"],
                        "month": ["2025-01"] * 12 + ["2024-12", "2025-01", "2025-02"],
                        "mrr": [10.0 * (i + 1) for i in range(12)] + [999.0, 5.0, 5.0]})
    moves = customer_movements(mrr)
    top = top_movements(moves, MONTH, "churned")
    assert top["mrr_previous"].tolist() == [120.0, 110.0, 100.0, 90.0, 80.0, 70.0, 60.0, 50.0,
                                            40.0, 30.0]
    assert top["segment"].tolist() == [""] * 10  # no segment column anywhere
    assert "Z" not in set(top["customer_id"])  # churned in 2025-01, not in the report month
    assert rows(top_movements(moves, MONTH - 1, "churned")) == [("Z", "", 999.0, 0.0, -999.0)]


def test_an_unknown_kind_is_an_error_naming_the_kinds():
    with pytest.raises(ValueError, match="churned, new, contracted, expanded"):
        top_movements(pd.DataFrame(), MONTH, "lost")


def test_top_overdue_of_the_tape(tmp_path):
    data = tape(tmp_path)
    found = top_overdue(data.invoices, MONTH).assign(
        due_date=lambda f: f["due_date"].dt.strftime("%Y-%m-%d"))
    assert rows(found) == EXPECTED_OVERDUE
    assert rows(top_overdue(data.invoices, MONTH, n=1))[0][1] == "I2"
    assert top_overdue(data.invoices, pd.Period("2024-12", "M")).empty  # nothing late yet


def test_cohort_sizes_of_the_tape(tmp_path):
    sizes = cohort_sizes(tape(tmp_path).mrr)
    assert [(str(c), n, m) for c, (n, m) in zip(sizes.index, sizes.to_numpy().tolist(),
                                                   strict=True)] == EXPECTED_SIZES


def words_of(pdf):
    """The text of a PDF in reading order, each run of white space one space (a chart
    title on two lines reads as one)."""
    found = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                           check=True).stdout
    return " ".join(found.split())


# --- filled workbooks -----------------------------------------------------------------------


def fill(data, folder, templates, *, segment_by=None, segments=("All",), lang="en"):
    results = EngineResults.compute(data, segment_by)
    jobs = plan_jobs(templates, [MONTH], list(segments), folder)
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = run_batch(results, jobs, template_path=template_path, lang=lang)
    assert [o.message for o in outcomes if o.status != WRITTEN] == []
    return {(job.template, job.segment): job.path for job in jobs}


def block(path, name, width):
    workbook = openpyxl.load_workbook(path)
    cells = [cell.value for cell in named_cells(workbook, name)]
    return [tuple(cells[i:i + width]) for i in range(0, len(cells), width)]


def listed(path, name, width=5):
    """The filled rows of a list, dates as text; the blank rows must all be at the end."""
    found = block(path, name, width)
    filled = [r for r in found if any(v is not None for v in r)]
    assert found[len(filled):] == [(None,) * width] * (len(found) - len(filled))
    return [tuple(v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else v for v in r)
            for r in filled]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("accounts")
    data = tape(folder / "data")
    paths = fill(data, folder / "en", ["monthly_kpi_report", "receivables_dso",
                                       "cohort_retention"])
    paths["fr"] = fill(data, folder / "fr", ["monthly_kpi_report"], lang="fr")[
        "monthly_kpi_report", "All"]
    paths["SMB"] = fill(data, folder / "seg", ["monthly_kpi_report"], segment_by="segment",
                        segments=["SMB"])["monthly_kpi_report", "SMB"]
    changed = tape(folder / "changed", MRR.replace("C,2025-01,50", "C,2025-01,70"))
    paths["changed"] = fill(changed, folder / "changed_out", ["monthly_kpi_report"])[
        "monthly_kpi_report", "All"]
    return paths


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_kpi_report_lists_the_accounts(written, kind):
    path = written["monthly_kpi_report", "All"]
    found = listed(path, f"top_{kind}")
    if EXPECTED[kind]:
        assert found == EXPECTED[kind]
    else:
        assert found == [("no expanded accounts in 2025-02", None, None, None, None)]


def test_an_empty_list_has_a_greyed_note_in_each_language(written):
    workbook = openpyxl.load_workbook(written["fr"])
    note = named_cells(workbook, "top_expanded")[0]
    assert note.value == "aucune expansion en 2025-02"
    assert note.font.italic and note.font.color.rgb.endswith("808080")
    first = named_cells(workbook, "top_churned")[0]
    assert first.value == "A" and not first.font.italic and first.font.name == "Calibri"


def test_a_segment_report_lists_only_its_accounts(written):
    assert listed(written["SMB"], "top_churned") == EXPECTED["churned"][1:]
    assert listed(written["SMB"], "top_new") == [EXPECTED["new"][1]]


def test_one_changed_input_row_changes_the_list(written):
    assert [r[0] for r in listed(written["changed"], "top_churned")] == ["A", "C", "B"]
    assert listed(written["changed"], "top_churned")[1] == ("C", "SMB", 70.0, 0.0, -70.0)


def test_the_dso_report_lists_the_overdue_invoices(written):
    assert listed(written["receivables_dso", "All"], "top_overdue") == EXPECTED_OVERDUE


def test_the_cohort_report_shows_each_cohorts_size_beside_its_row(written):
    path = written["cohort_retention", "All"]
    months = [r[0] for r in block(path, "cohort_table", 25)[1:4]]
    sizes = block(path, "cohort_sizes", 2)
    assert [(m.strftime("%Y-%m"), *s) for m, s in zip(months, sizes, strict=False)] == \
        EXPECTED_SIZES
    assert sizes[3:] == [(None, None)] * 21


@pytest.mark.parametrize("template", list(TOP_LISTS))
def test_the_live_template_says_who_fills_the_lists(template):
    workbook = openpyxl.load_workbook(template_path(template, "ro"))
    for name in TOP_LISTS[template]:
        values = [cell.value for cell in named_cells(workbook, name)]
        assert values[0] == label("top_live_note", "ro")
        assert values[1:] == [None] * (len(values) - 1)
        assert len(values) == 10 * 5  # ten rows of five columns


@requires_libreoffice
def test_libreoffice_shows_the_lists_without_an_error_value(written, tmp_path):
    paths = [written["monthly_kpi_report", "All"], written["receivables_dso", "All"],
             written["cohort_retention", "All"]]
    for copy in recalculate(paths, tmp_path / "recalculated"):
        assert error_cells(copy) == [], copy.name
    kpi, dso, cohort = write_pdfs(paths)
    assert pages(kpi) <= 8 and pages(dso) <= 2 and pages(cohort) == 4
    shown = words_of(kpi)
    for words in ("Top churned accounts", "Enterprise", "-100", "+45",
                  "no expanded accounts in 2025-02", label("chart_retention_trend"),
                  label("chart_logo_churn_trend")):
        assert words in shown, words
    assert "I2" in text(dso) and "2025-01-09" in text(dso)


@requires_libreoffice
def test_the_sample_dso_and_cohort_pdfs_keep_their_page_counts(tmp_path):
    """The receivables report on at most two pages; the cohort report on four: each of its
    two triangles on two pages side by side (ages 0-12, then 13-23 and the sizes)."""
    status = main(["report", "--data", str(sample_data_path()), "--month", "2025-12", "--out",
                   str(tmp_path), "--template", "receivables_dso", "--template",
                   "cohort_retention", "--pdf", "--quiet"])
    assert status == 0
    dso = tmp_path / "receivables_dso_2025-12_All.pdf"
    cohort = tmp_path / "cohort_retention_2025-12_All.pdf"
    assert pages(dso) <= 2 and pages(cohort) == 4
    assert label("section_top_overdue") in text(dso)
    assert label("cohort_mrr_start") in text(cohort)
