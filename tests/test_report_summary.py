"""The written summary at the top of the monthly KPI report, in its three languages.

One month worked by hand: MRR 10,000 -> 10,450 (+450, +4.5 %), from new +800, expansion
+300, contraction -150 and churn -500 (800 + 300 - 150 - 500 = 450): the two largest
movements are new (+800) and churn (-500). Targets: MRR 10,000 (10,450 >= 10,000: met),
logo churn 2 % (5 % > 2 %, down is good: missed), NRR 105 % (98 % < 105 %: missed). The
largest churned account is Globex (-500, larger than Hooli's -150 contraction, which is
no churn), the largest expansion Initech (+300).
"""

import openpyxl
import pandas as pd
import pytest
from report_samples import latest_month

from csmetrics import load_data, sample_data_path
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.labels import LANGUAGES, label
from csmetrics.report.selection import ReportData
from csmetrics.report.written_summary import written_summary
from workbook_templates import SUMMARY_NAME, template_path

MONTH = pd.Period("2025-03", "M")


def _report(targets=None, movements=True):
    metrics = pd.DataFrame({
        "mrr_start": [10_000.0], "mrr_end": [10_450.0], "new": [800.0], "expansion": [300.0],
        "reactivation": [0.0], "contraction": [150.0], "churned": [500.0], "fx_impact": [0.0],
        "logo_churn": [0.05], "nrr": [0.98],
    }, index=[MONTH])
    moves = pd.DataFrame({
        "customer_id": ["Globex", "Hooli", "Initech", "Umbrella"],
        "segment": ["SMB", "SMB", "Enterprise", "SMB"],
        "month": pd.PeriodIndex([MONTH] * 4, freq="M"),
        "mrr_previous": [500.0, 400.0, 700.0, 0.0], "mrr": [0.0, 250.0, 1_000.0, 800.0],
        "change": [-500.0, -150.0, 300.0, 800.0],
        "movement": ["churned", "contraction", "expansion", "new"],
    })
    return ReportData(MONTH, "All", metrics, {}, moves if movements else None, None,
                      targets if targets is not None else
                      {"mrr_end": 10_000.0, "logo_churn": 0.02, "nrr": 1.05})


EXPECTED = {
    "en": "MRR rose by 450 EUR (+4.5%) to 10,450 EUR in 2025-03. The largest movements were "
          "new customers (+800 EUR) and churn (-500 EUR). On target: MRR at end of month. "
          "Off target: Customer (logo) churn rate and Net revenue retention. The largest "
          "churned account was Globex (-500 EUR); the largest expansion was Initech "
          "(+300 EUR).",
    "fr": "Le MRR a augmenté de 450 EUR (+4,5 %) pour atteindre 10 450 EUR en 2025-03. Les "
          "principaux mouvements sont les nouveaux clients (+800 EUR) et l'attrition "
          "(-500 EUR). Objectifs atteints : MRR en fin de mois. Objectifs manqués : Taux "
          "d'attrition des clients et Rétention nette du revenu. Le plus gros client perdu "
          "est Globex (-500 EUR) ; la plus forte expansion est celle de Initech (+300 EUR).",
    "ro": "MRR a crescut cu 450 EUR (+4,5 %), la 10.450 EUR în 2025-03. Cele mai mari "
          "mișcări au fost clienții noi (+800 EUR) și pierderile (-500 EUR). Ținte atinse: "
          "MRR la sfârșitul lunii. Ținte ratate: Rata de pierdere a clienților și Retenția "
          "netă a veniturilor. Cel mai mare client pierdut a fost Globex (-500 EUR); cea mai "
          "mare expansiune a fost la Initech (+300 EUR).",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_summary_of_a_hand_worked_month(lang):
    text = written_summary(_report(), lang, "EUR")
    assert text.replace("\xa0", " ") == EXPECTED[lang]
    assert "450\xa0EUR" in text, "a number and its currency stay on one line"
    assert 3 <= text.count(". ") + 1 <= 5


def test_the_targets_are_named_in_the_reports_order_whatever_the_tables():
    """The targets table's rows in another order (NRR, MRR, logo churn: as a database may
    return them) name the KPIs in the report's order all the same: MRR met, then logo
    churn and NRR missed, as the hand-worked month says."""
    targets = {"nrr": 1.05, "mrr_end": 10_000.0, "logo_churn": 0.02}
    assert written_summary(_report(targets), "en", "EUR").replace("\xa0", " ") == \
        EXPECTED["en"]


def test_a_fall_without_targets_or_accounts_says_what_it_knows():
    report = _report(targets={}, movements=False)
    fallen = ReportData(MONTH, "All", report.metrics.assign(mrr_end=9_550.0), {}, None, None)
    text = written_summary(fallen, "en").replace("\xa0", " ")
    assert text == ("MRR fell by 450 (-4.5%) to 9,550 in 2025-03. The largest movements were "
                    "new customers (+800) and churn (-500).")


def test_no_mrr_no_summary():
    report = ReportData(MONTH, "All", pd.DataFrame(index=[MONTH]), {}, None, None)
    assert written_summary(report, "fr") == ""


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    sample = load_data(sample_data_path())
    results = EngineResults.compute(sample)
    paths = {}
    for lang in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"summary_{lang}")
        jobs = plan_jobs(["monthly_kpi_report"], [latest_month(sample)], ["All"], folder)
        outcomes = run_batch(results, jobs, template_path=template_path, lang=lang,
                             currency="EUR")
        assert [o.status for o in outcomes] == [WRITTEN]
        paths[lang] = jobs[0].path
    return paths


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_filled_report_carries_the_summary_below_the_headline(filled, lang):
    workbook = openpyxl.load_workbook(filled[lang])
    [cell] = named_cells(workbook, SUMMARY_NAME)
    sheet = cell.parent
    assert sheet.cell(cell.row - 1, 1).value == label("section_summary", lang)
    assert any(str(merged).startswith(f"{cell.coordinate}:") for merged in sheet.merged_cells)
    text = cell.value.replace("\xa0", " ")
    start = {"en": "MRR rose by 23,669 EUR (+2.9%) to 830,559 EUR in 2025-12.",
             "fr": "Le MRR a augmenté de 23 669 EUR (+2,9 %) pour atteindre 830 559 EUR en "
                   "2025-12.",
             "ro": "MRR a crescut cu 23.669 EUR (+2,9 %), la 830.559 EUR în 2025-12."}
    assert text.startswith(start[lang])
    assert label("summary_live_note", lang) not in text
    assert not cell.font.i, "the summary reads as body text, not as a greyed note"
