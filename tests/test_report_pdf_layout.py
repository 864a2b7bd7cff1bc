"""The reports' pages as LibreOffice prints them, in each language, on A4 and on Letter
(``--paper letter``): type large enough to read on paper, nothing cut at the page's edge,
no page mostly empty; the KPI report's board summary on the first page, each part of its
KPI block under its header, its detail pages full, no negative zero, words that must not
run into each other, the Trend charts' months on one line; the cohort report's right-hand
pages showing the cohort months beside the triangle and nothing else of column A.
Positions are read from ``pdftotext -bbox`` (points, from the top left of the page); the
sample data's 2025-12, whose targets table gives three headline KPIs a target and a
status."""

import html
import re
import statistics
import subprocess

import pandas as pd
import pytest
from libreoffice import requires_libreoffice

from csmetrics import sample_data_path
from csmetrics.cli import main
from csmetrics.report.labels import LANGUAGES, label, sheet_name
from csmetrics.report.layout import TEMPLATE_KPIS, TEMPLATE_NAMES, TEMPLATE_SECTIONS
from csmetrics.report.printing import PAPER_SIZES

MONTH = "2025-12"
GAP = 3.0
"""Points between a target and its status at least: about a space at the printed size."""


PAPER_POINTS = {"a4": (841.89, 595.3), "letter": (792.0, 612.0)}
"""Each paper's landscape page, width and height in points (1/72 inch): A4 297 x 210 mm,
Letter 11 x 8.5 inches."""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """``{(template, lang, paper): (page sizes, pages)}`` of every template's report, each
    page a list of (text, xMin, yMin, xMax, yMax) words (one LibreOffice call per
    language and paper)."""
    pdfs = {}
    for lang in LANGUAGES:
        for paper in PAPER_SIZES:
            out = tmp_path_factory.mktemp(f"layout_{lang}_{paper}")
            status = main(["report", "--data", str(sample_data_path()), "--month", MONTH,
                           "--lang", lang, "--currency", "EUR", "--paper", paper, "--pdf",
                           "--quiet", "--out", str(out)])
            assert status == 0
            for template in TEMPLATE_NAMES:
                [pdf] = out.glob(f"{template}_*.pdf")
                bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                                      text=True, check=True).stdout
                pages = bbox.split("<page ")[1:]
                pdfs[template, lang, paper] = (
                    [tuple(map(float, PAGE.match(page).groups())) for page in pages],
                    [[(html.unescape(text), *map(float, box))
                      for *box, text in WORD.findall(page)] for page in pages])
    return pdfs


@pytest.fixture(scope="module")
def every_pdf(rendered):
    """``{(template, lang): pages}`` of every template's report on A4."""
    return {(template, lang): pages for (template, lang, paper), (_, pages) in rendered.items()
            if paper == "a4"}


@pytest.fixture(scope="module")
def all_pages(every_pdf):
    """Each language's KPI report pages."""
    return {lang: every_pdf["monthly_kpi_report", lang] for lang in LANGUAGES}


@pytest.fixture(scope="module")
def first_pages(all_pages):
    """Each language's KPI report page 1."""
    return {lang: pages[0] for lang, pages in all_pages.items()}


def report_pages(pages, lang):
    """The pages of the Report sheet: those whose footer (the lowest line, left) names it
    (the Trend sheet's pages follow)."""
    return [page for page in pages if _footer(page) == sheet_name("report", lang)]


def _footer(page):
    lowest = max(w[2] for w in page)
    return min((w for w in page if w[2] > lowest - 1), key=lambda w: w[1])[0]


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")
PAGE = re.compile(r'width="([\d.]+)" height="([\d.]+)"')


def opening(title):
    """The first three words of a title (a chart's title may wrap after them)."""
    return " ".join(title.split()[:3])


def word_before(word, page):
    """The word left of ``word`` on its line (the nearest), or None."""
    _, x_min, y_min, _, _ = word
    left = [w for w in page if abs(w[2] - y_min) < 1 and w[3] < x_min]
    return max(left, key=lambda w: w[3], default=None)


def phrases(page, phrase):
    """The first words of each place where the words of ``phrase`` follow each other on a
    line."""
    first, *rest = phrase.split()
    found = []
    for word in page:
        if word[0] != first:
            continue
        last = word
        for expected in rest:
            right = [w for w in page if abs(w[2] - last[2]) < 1 and w[1] > last[3]]
            last = min(right, key=lambda w: w[1], default=None)
            if last is None or last[0] != expected:
                break
        else:
            found.append(word)
    return found


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_status_stands_apart_from_its_target(all_pages, lang):
    statuses = [(w, page) for page in all_pages[lang] for key in ("status_on", "status_off")
                for w in phrases(page, label(key, lang))]
    # three in the headline strip (MRR, logo churn, NPS) and five in the KPI block (those
    # and NRR, DSO): a status run into its target would be one word and not counted
    assert len(statuses) == 8, [w[0] for w, _ in statuses]
    for status, page in statuses:
        target = word_before(status, page)
        assert re.fullmatch(r"[\d.,%\u202f\u00a0]+|EUR|jours|zile|days", target[0]), target
        assert status[1] - target[3] >= GAP, (target, status)


MIN_WORD_HEIGHT = 9.0
"""Points: the median height of a page's words (about the body text's size printed, 8 pt
type gives about 8.3); the report printed at about 60 % gave 6.6."""


EVERY_REPORT = [(template, lang, paper) for template in TEMPLATE_NAMES for lang in LANGUAGES
                for paper in PAPER_SIZES]


@requires_libreoffice
@pytest.mark.parametrize("template, lang, paper", EVERY_REPORT)
def test_every_page_prints_body_text_large_enough_to_read(rendered, template, lang, paper):
    sizes, pages = rendered[template, lang, paper]
    heights = [statistics.median(w[4] - w[2] for w in page) for page in pages if page]
    assert len(heights) == len(pages), "no empty page"
    assert min(heights) >= MIN_WORD_HEIGHT, heights
    for width, height in sizes:
        assert (width, height) == pytest.approx(PAPER_POINTS[paper], abs=0.5)


MARGIN = 36.0
"""Points of the pages' left and right margins (0.5 inch): LibreOffice clips what lies
beyond them (a title longer than its page, a chart drawn across a page's edge) and
``pdftotext`` still finds its words there."""


@requires_libreoffice
@pytest.mark.parametrize("template, lang, paper", EVERY_REPORT)
def test_no_word_is_cut_at_the_page_edge(rendered, template, lang, paper):
    sizes, pages = rendered[template, lang, paper]
    for number, ((width, _), page) in enumerate(zip(sizes, pages, strict=True), start=1):
        outside = [w[0] for w in page if w[1] < MARGIN - 1 or w[3] > width - MARGIN + 1]
        assert outside == [], (number, outside)


def page_fill(page):
    """How far down its page the body runs: from the header's top to the lowest word above
    the footer, over the header's top to the footer's bottom (1: to the footer)."""
    top, bottom = min(w[2] for w in page), max(w[4] for w in page)
    body = [w[4] for w in page if w[2] > top + 5 and w[4] < bottom - 5]
    return (max(body) - top) / (bottom - top)


HALF = 0.5
"""A page is mostly empty when its body ends above the middle of the page."""


@requires_libreoffice
@pytest.mark.parametrize("template, lang, paper", EVERY_REPORT)
def test_no_page_is_mostly_empty(rendered, template, lang, paper):
    """Every page runs at least half-way down; a report on one page may be shorter (the
    unit economics: its 14 KPIs and the chart beside them)."""
    _, pages = rendered[template, lang, paper]
    fills = [round(page_fill(page), 2) for page in pages]
    assert len(pages) == 1 or min(fills) >= HALF, fills


FULL = 0.75
"""The KPI report's detail pages before the last run at least this far down: the parts of
the report fill the pages, rather than each starting a half-empty one."""


@requires_libreoffice
@pytest.mark.parametrize("lang, paper", [(lang, paper) for lang in LANGUAGES
                                         for paper in PAPER_SIZES])
def test_the_kpi_detail_pages_are_full(rendered, lang, paper):
    _, pages = rendered["monthly_kpi_report", lang, paper]
    _, *detail = report_pages(pages, lang)
    fills = [round(page_fill(page), 2) for page in detail]
    assert len(detail) == 3, fills  # the KPI block on two, the lists of accounts ending
    assert min(fills[:-1]) >= FULL, fills


MONTH_LABEL = re.compile(r"(\d\d)\W(\d\d)")
"""A chart's month label, ``mm/yy`` with the date separator of the language."""


@requires_libreoffice
@pytest.mark.parametrize("lang, paper", [(lang, paper) for lang in LANGUAGES
                                         for paper in PAPER_SIZES])
def test_the_trend_charts_show_each_month_on_one_line(rendered, lang, paper):
    """Each Trend chart labels its 12 months whole (``01/25``), each on one line: at 12 cm
    LibreOffice printed ``01/2`` over ``5``."""
    _, pages = rendered["monthly_kpi_report", lang, paper]
    trend = [page for page in pages if _footer(page) == sheet_name("trend", lang)]
    labels = [w for page in trend for w in page if MONTH_LABEL.fullmatch(w[0])]
    months = pd.period_range(end=MONTH, periods=12, freq="M")
    expected = {month.strftime("%m%y") for month in months}
    assert {"".join(MONTH_LABEL.fullmatch(w[0]).groups()) for w in labels} == expected
    assert len(labels) == 12 * 3, "three charts, each month once"


@requires_libreoffice
@pytest.mark.parametrize("lang, paper", [(lang, paper) for lang in LANGUAGES
                                         for paper in PAPER_SIZES])
def test_the_cohort_pages_show_each_triangle_under_its_whole_title(rendered, lang, paper):
    """Four pages: the customer triangle's ages 0-12 (under the KPI block), then 13-23
    with the cohort sizes, then the same two for the revenue triangle. The right-hand
    pages repeat column A's cohort months only: not the KPI labels, whose values are on
    the left-hand page, nor the report's title rows. Each page shows its triangle's title
    whole."""
    _, pages = rendered["cohort_retention", lang, paper]
    assert len(pages) == 4
    kpi_labels = {label(key, lang) for key in TEMPLATE_KPIS["cohort_retention"]}
    for number, (page, title) in enumerate(zip(pages, ("section_cohorts",) * 2
                                               + ("section_revenue_cohorts",) * 2,
                                               strict=True), start=1):
        words = [w[0] for w in page]
        for word in label(title, lang).split():
            assert word in words, (number, word)
            words.remove(word)
        text = " ".join(w[0] for w in page)
        shown = [key for key in kpi_labels if key in text]
        assert (shown != []) == (number == 1), (number, shown)
        assert (label("report_month", lang) in text) == (number == 1), number
    # the cohort sizes (starting MRR in EUR) beside the customer triangle's right half
    assert ["EUR" in {w[0] for w in page} for page in pages] == [False, True, False, False]


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_first_page_is_the_board_summary(all_pages, lang):
    first, *rest = report_pages(all_pages[lang], lang)
    for key in ("section_headline", "section_summary", "chart_mrr_bridge", "chart_mrr_trend"):
        assert phrases(first, opening(label(key, lang))), key
    assert not phrases(first, label("section_customers", lang)), "the KPI block comes after"
    summary = label("summary_mrr_up", lang).split("{")[0].split()
    assert phrases(first, " ".join(summary)), "the written summary is on the first page"
    words = {w[0] for page in rest for w in page}
    assert label("section_customers", lang).split()[0] in words


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_page_of_the_kpi_block_starts_with_its_header(all_pages, lang):
    sections = [label(section, lang) for section, _ in TEMPLATE_SECTIONS["monthly_kpi_report"]]
    block_pages = [page for page in report_pages(all_pages[lang], lang)
                   if any(phrases(page, section) for section in sections)]
    assert len(block_pages) >= 2
    for page in block_pages:
        [header] = phrases(page, label("indicator", lang))
        first_section = min((w for section in sections for w in phrases(page, section)),
                            key=lambda w: w[2])
        assert header[2] < first_section[2], "the header is above the page's first section"


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_negative_zero_is_printed(all_pages, lang):
    printed = [w[0] for page in all_pages[lang] for w in page]
    assert [w for w in printed if re.fullmatch(r"[-\u2212]0(?:[.,]0+)?", w)] == []


BRIDGE = ("new", "expansion", "reactivation", "contraction", "churned", "fx_impact")
"""The MRR bridge chart's bars, left to right (the KPI names label them)."""


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_bridge_chart_labels_its_bars_level(first_pages, lang):
    page = first_pages[lang]
    # the bridge chart is below the summary, left of the MRR trend chart
    [title] = phrases(page, label("chart_mrr_bridge", lang))
    beside = min(phrases(page, opening(label("chart_mrr_trend", lang))),
                 key=lambda w: abs(w[2] - title[2]))  # the headline may start alike
    chart = [w[0] for w in page if w[2] > title[4] and w[3] < beside[1]]
    # pdftotext reads level text only: labels set at an angle are not found as words
    for key in BRIDGE:
        for word in label(key, lang).split():
            assert word in chart, (key, word, chart)
            chart.remove(word)


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_nps_answers_table_is_on_one_page_under_its_header(all_pages, lang):
    # the table's title at the left margin (the chart beside it has the same title)
    [(page, title)] = [(page, w) for page in report_pages(all_pages[lang], lang)
                       for w in phrases(page, label("section_distribution", lang)) if w[1] < 100]
    [header] = [w for w in page if w[0] == label("score", lang) and w[2] > title[2]]
    scores = {w[0] for w in page if w[2] > header[4] and w[1] < header[3] + 5}
    assert {str(score) for score in range(11)} <= scores
