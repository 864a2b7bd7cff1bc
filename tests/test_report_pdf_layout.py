"""The monthly KPI report's first page as LibreOffice prints it, in each language: words
that must not run into each other. Positions are read from ``pdftotext -bbox`` (points,
from the top left of the page); the sample data's 2025-12, whose targets table gives three
headline KPIs a target and a status."""

import html
import re
import subprocess

import pytest
from libreoffice import requires_libreoffice

from csmetrics import sample_data_path
from csmetrics.cli import main
from csmetrics.report.labels import LANGUAGES, label

MONTH = "2025-12"
GAP = 3.0
"""Points between a target and its status at least: about a space at the printed size."""


@pytest.fixture(scope="module")
def first_pages(tmp_path_factory):
    """Each language's KPI report page 1 as (text, xMin, yMin, xMax, yMax) words."""
    pages = {}
    for lang in LANGUAGES:
        out = tmp_path_factory.mktemp(f"layout_{lang}")
        status = main(["report", "--data", str(sample_data_path()), "--month", MONTH,
                       "--template", "monthly_kpi_report", "--lang", lang, "--currency", "EUR",
                       "--pdf", "--quiet", "--out", str(out)])
        assert status == 0
        [pdf] = out.glob("*.pdf")
        pages[lang] = words(pdf, page=1)
    return pages


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")


def words(pdf, page):
    bbox = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(html.unescape(text), *map(float, box)) for *box, text in WORD.findall(bbox)]


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
def test_a_status_stands_apart_from_its_target(first_pages, lang):
    page = first_pages[lang]
    statuses = [w for key in ("status_on", "status_off") for w in phrases(page, label(key, lang))]
    # three in the headline strip (MRR, logo churn, NPS) and five in the KPI block (those
    # and NRR, DSO): a status run into its target would be one word and not counted
    assert len(statuses) == 8, [w[0] for w in statuses]
    for status in statuses:
        target = word_before(status, page)
        assert re.fullmatch(r"[\d.,%\u202f\u00a0]+|EUR|jours|zile|days", target[0]), target
        assert status[1] - target[3] >= GAP, (target, status)


BRIDGE = ("new", "expansion", "reactivation", "contraction", "churned", "fx_impact")
"""The MRR bridge chart's bars, left to right (the KPI names label them)."""


@requires_libreoffice
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_bridge_chart_labels_its_bars_level(first_pages, lang):
    page = first_pages[lang]
    # the KPI block's last header (column G), the rightmost; the charts are right of it
    note = max((w for w in page if w[0] == label("note", lang)), key=lambda w: w[3])
    charts = [w for w in page if w[1] > note[3]]
    [title] = phrases(charts, label("chart_mrr_bridge", lang))
    [below] = phrases(charts, label("chart_nps_distribution", lang))
    chart = [w[0] for w in charts if title[4] < w[2] < below[2]]
    # pdftotext reads level text only: labels set at an angle are not found as words
    for key in BRIDGE:
        for word in label(key, lang).split():
            assert word in chart, (key, word, chart)
            chart.remove(word)
