"""``csmetrics report --pdf``: a PDF of each report's pages beside its workbook, through
LibreOffice; a clear message (and the workbooks still written) when it is not installed.

Pages seen on the sample data's 2025-12 (LibreOffice 7.4): monthly KPI report 6 (the board
summary, three pages of detail, the Trend on two), NPS survey, receivables and DSO, unit
economics 1 each, cohort retention 4; body text about 10 pt high on the page
(test_report_pdf_layout.py measures every template's, on A4 and Letter). Numbers in the
PDF have the separators of the report's language, as CLDR (through Babel) writes them.
"""

import re
import shutil
import statistics
import subprocess

import openpyxl
import pytest
from babel.numbers import format_decimal
from libreoffice import requires_libreoffice, with_spaces

from csmetrics import load_data, sample_data_path
from csmetrics.cli import main
from csmetrics.report.labels import LANGUAGES, label
from csmetrics.report.pdf import NOT_INSTALLED, print_copy, write_pdfs

MONTH = "2025-12"
KPI = f"monthly_kpi_report_{MONTH}_All"
NPS = f"nps_survey_{MONTH}_All"


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def text(pdf):
    return subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf_reports")
    status = main(["report", "--data", str(sample_data_path()), "--month", MONTH, "--out",
                   str(out), "--template", "monthly_kpi_report", "--template", "nps_survey",
                   "--pdf", "--quiet"])
    return status, out


@requires_libreoffice
def test_each_report_gets_a_pdf_beside_it(written):
    status, out = written
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{KPI}.pdf", f"{KPI}.xlsx", f"{NPS}.pdf", f"{NPS}.xlsx",
    ]


@requires_libreoffice
def test_the_pdf_shows_the_report_pages_and_not_the_data(written):
    _, out = written
    assert pages(out / f"{KPI}.pdf") <= 6  # the board summary, 3 pages of detail, Trend
    assert pages(out / f"{NPS}.pdf") == 1
    shown = text(out / f"{KPI}.pdf")
    for words in (label("title_monthly_kpi_report", "en"), MONTH, "Net revenue retention",
                  "830,558.86"):  # the sample's MRR at the end of 2025-12
        assert words in shown
    assert label("audit_title", "en") not in shown
    assert "customer_id" not in shown  # the Inputs tables' header
    assert label("title_nps_survey", "en") in text(out / f"{NPS}.pdf")


def word_heights(pdf):
    """The height (points) of every word on each page, from ``pdftotext -bbox``."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    boxes = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"')
    return [[float(high) - float(low) for low, high in boxes.findall(page)]
            for page in html.split("<page ")[1:]]


@requires_libreoffice
def test_every_page_has_the_header_and_a_readable_scale(written):
    _, out = written
    pdf = out / f"{KPI}.pdf"
    count = pages(pdf)
    for page in range(1, count + 1):
        shown = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                               capture_output=True, text=True, check=True).stdout
        assert f"{MONTH} · All" in shown, page
        assert re.search(rf"\b{page}\s*/\s*{count}\b", shown), page
        assert label("title_monthly_kpi_report", "en") in shown, page
    for page, heights in enumerate(word_heights(pdf), start=1):
        assert statistics.median(heights) >= 9, page  # 11 pt text at 82 % or more


def test_the_print_copy_hides_all_but_the_report_sheets(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Inputs"
    for name in ("Report", "Audit", "Trend"):
        workbook.create_sheet(name).print_area = "A1:F40"
    workbook.save(tmp_path / "book.xlsx")
    assert print_copy(tmp_path / "book.xlsx", tmp_path / "copy.xlsx") == ["Report", "Trend"]
    copy = openpyxl.load_workbook(tmp_path / "copy.xlsx")
    assert {ws.title: ws.sheet_state for ws in copy.worksheets} == {
        "Inputs": "hidden", "Report": "visible", "Audit": "hidden", "Trend": "visible",
    }
    assert copy.active.title == "Report"
    assert not copy["Audit"].print_area  # LibreOffice prints a hidden sheet that has one
    assert copy["Report"].print_area == "'Report'!$A$1:$F$40"


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("soffice") is None and shutil.which("libreoffice") is None


def test_without_libreoffice_the_workbooks_are_written_and_the_status_says_so(
    no_libreoffice, tmp_path, capsys
):
    out = tmp_path / "reports"
    status, stdout, stderr = _run(capsys, "report", "--data", sample_data_path(), "--month",
                                  MONTH, "--out", out, "--template", "nps_survey", "--pdf")
    assert status == 1
    assert sorted(p.name for p in out.iterdir()) == [f"{NPS}.xlsx"]
    assert "1 of 1 reports written" in stdout
    assert stderr == f"csmetrics: {NOT_INSTALLED}, or leave out --pdf\n"
    assert "LibreOffice (soffice) was not found" in NOT_INSTALLED


@pytest.mark.parametrize("quiet", [True, False])
def test_the_demo_without_libreoffice_says_so_and_succeeds(no_libreoffice, tmp_path, capsys,
                                                           monkeypatch, quiet):
    monkeypatch.chdir(tmp_path)
    status, stdout, stderr = _run(capsys, "demo", *(["--quiet"] if quiet else []))
    assert status == 0
    assert stderr == f"csmetrics: {NOT_INSTALLED}\n"
    assert not list((tmp_path / "reports").glob("*.pdf"))
    if not quiet:
        assert "5 of 5 reports written\n" in stdout
        assert "PDF" not in stdout
        assert stdout.endswith(f"Reports are in {(tmp_path / 'reports').resolve()}\n")


@requires_libreoffice
def test_the_demo_shows_the_kpi_report_as_a_pdf(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, stdout, _ = _run(capsys, "demo")
    assert status == 0
    assert [p.name for p in (tmp_path / "reports").glob("*.pdf")] == [f"{KPI}.pdf"]
    assert f"PDF written: reports/{KPI}.pdf" in stdout


@pytest.fixture(scope="module")
def pdf_by_language(tmp_path_factory):
    """The monthly KPI report of MONTH in each language, its PDFs made by one
    ``write_pdfs`` of the three workbooks together in one folder."""
    folder = tmp_path_factory.mktemp("pdf_languages")
    for lang in LANGUAGES:
        out = tmp_path_factory.mktemp(f"report_{lang}")
        assert main(["report", "--data", str(sample_data_path()), "--month", MONTH, "--lang",
                     lang, "--currency", "EUR", "--template", "monthly_kpi_report", "--out",
                     str(out), "--quiet"]) == 0
        [workbook] = out.glob("*.xlsx")  # named in its language: ..._All, _Tous, _Toate
        workbook.rename(folder / f"{lang}.xlsx")
    pdfs = write_pdfs([folder / f"{lang}.xlsx" for lang in LANGUAGES])
    return {lang: text(pdf) for lang, pdf in zip(LANGUAGES, pdfs, strict=True)}


@requires_libreoffice
@pytest.mark.parametrize("lang, cldr_locale", [("en", "en_US"), ("fr", "fr_FR"),
                                                ("ro", "ro_RO")])
def test_the_pdf_writes_numbers_with_the_separators_of_the_reports_language(
    pdf_by_language, lang, cldr_locale
):
    mrr = load_data(sample_data_path()).mrr
    closing_mrr = mrr.loc[mrr["month"].astype(str) == MONTH, "mrr"].sum()
    expected = {locale: with_spaces(format_decimal(closing_mrr, "#,##0.00", locale=locale))
                for locale in ("en_US", "fr_FR", "ro_RO")}  # CLDR's separators, via Babel
    shown = with_spaces(pdf_by_language[lang])
    assert f"{expected[cldr_locale]} EUR" in shown
    assert [words for words in expected.values() if words in shown] == [expected[cldr_locale]]
