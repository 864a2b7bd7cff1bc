"""The KPI catalogue is complete and is what every layer reads: the engine's columns, the
template formulas, the Audit checks, the texts and the docs page; a changed core constant
reaches every formula and text that states it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from generated_pages import page_on_disk_and_rendered

import csmetrics
from csmetrics.kpis import DERIVED, ENGINE_COLUMNS, KPI_BY_KEY, KPIS, RATIO_KPIS, placeholders
from csmetrics.report.audit_checks import CHECKS
from csmetrics.report.layout import SECTION_ORDER, TEMPLATE_KPIS
from udfs.registry import REGISTRY
from workbook_templates import formulas as fx

ROOT = Path(__file__).resolve().parents[1]
RATIOS = [pytest.param(kpi, id=kpi.key) for kpi in RATIO_KPIS]
NO_AUDIT_CHECK = {"repeat_purchase_rate", "ltv_12m"}
"""Ratios the Audit sheet does not recompute: counting customers with two orders needs the
per-customer block the Audit sheet has only for MRR; the trailing 12-month churn behind
ltv_12m needs 13 months of MRR rows, where the Inputs sheet holds the report month's."""


def test_keys_are_unique_and_every_kind_has_a_format():
    assert len(KPI_BY_KEY) == len(KPIS)
    assert all(kpi.number_format for kpi in KPIS)


@pytest.mark.parametrize("kpi", RATIOS)
def test_a_ratio_names_known_columns_and_a_registered_excel_function(kpi):
    known = set(KPI_BY_KEY) | set(ENGINE_COLUMNS)
    assert set(kpi.args) <= known and set(placeholders(kpi.native)) <= known
    excel = {udf.core: udf for udf in REGISTRY}[kpi.core]
    required = sum(not arg.optional for arg in excel.args)
    assert required <= len(kpi.args) <= len(excel.args)


def test_derived_columns_are_engine_columns_of_kpis():
    assert set(DERIVED) <= set(ENGINE_COLUMNS)
    assert all(set(placeholders(e)) <= set(KPI_BY_KEY) for e in DERIVED.values())


def test_every_section_named_is_laid_out_and_every_kpi_is_somewhere():
    for kpi in KPIS:
        for template, section in kpi.shown:
            assert section in SECTION_ORDER[template], (kpi.key, template, section)
    engine_only = {kpi.key for kpi in KPIS if not kpi.shown}
    assert engine_only == {"mrr_churn"}


def test_the_engine_fills_every_catalogue_column_in_order():
    table = csmetrics.monthly_metrics(csmetrics.sample_data_path())
    assert table.columns[1:].tolist() == [kpi.key for kpi in KPIS]


def test_every_shown_ratio_has_formulas_in_both_modes_and_an_audit_check():
    checks = {check.key: check for check in CHECKS}
    for kpi in RATIO_KPIS:
        if kpi.shown:
            assert kpi.key in fx.LIVE_FORMULAS and kpi.key in fx.NATIVE_FORMULAS, kpi.key
        if kpi.key not in NO_AUDIT_CHECK:
            assert checks[kpi.key].engine == kpi.key


def test_arithmetic_kpis_get_the_same_formula_in_both_modes_and_an_audit_check():
    cells = {"mrr_start": "B8", "mrr_end": "B14"}
    for mode in fx.MODES:
        assert fx.formula("arr", mode, "B$5", cells) == "=12*B14"
        assert fx.formula("net_new_mrr", mode, "B$5", cells) == "=B14-B8"
    checks = {check.key: check for check in CHECKS}
    assert checks["arr"].formula == "=12*{mrr_end}"
    assert checks["net_new_mrr"].tables == ("MrrData",)


def test_a_live_ratio_calls_its_excel_function_on_the_cells_of_its_arguments():
    cells = {key: f"B{row}" for row, key in enumerate(TEMPLATE_KPIS["monthly_kpi_report"], 1)}
    got = fx.formula("logo_quick_ratio", fx.LIVE, "B$5", cells)
    assert got == f"=CS_LOGO_QUICK_RATIO({cells['customers_new']},{cells['customers_lost']})"
    assert fx.formula("logo_quick_ratio", fx.NATIVE, "B$5", cells) == (
        f"={cells['customers_new']}/{cells['customers_lost']}"
    )


def test_docs_page_is_up_to_date():
    on_disk, rendered = page_on_disk_and_rendered("build_kpi_docs", "kpis.md")
    assert on_disk == rendered, "docs/kpis.md is stale: run `make docs`"


CHANGED_CUT_OFF = """
import json, sys
import csmetrics.satisfaction as core
core.PROMOTER_MIN = int(sys.argv[1])
from csmetrics.report.audit_checks import CHECKS
from csmetrics.report.labels import definition, label
from workbook_templates import formulas as fx
from workbook_templates.build_templates import build_template
report = build_template("nps_survey", "en")["Report"]
groups = {row[0].value: row[1].value for row in report.iter_rows(max_col=2)
          if row[0].value in (label("promoters"), label("passives"))}
print(json.dumps({
    "groups": list(groups.values()),
    "native": fx.formula("nps", fx.NATIVE, "B$5", {}),
    "moe": fx.formula("nps_moe", fx.NATIVE, "B$5", {}),
    "audit": next(c.formula for c in CHECKS if c.key == "nps"),
    "promoters": label("promoters", "fr"),
    "passives": label("passives", "en"),
    "definition": definition("nps", "en"),
    "nps": core.net_promoter_score([8, 8, 0]),
}))
"""


def _generated_with(promoter_min):
    run = subprocess.run([sys.executable, "-c", CHANGED_CUT_OFF, str(promoter_min)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(run.stdout)


def test_a_changed_promoter_cut_off_changes_every_formula_and_text_that_states_it():
    before, after = _generated_with(9), _generated_with(8)
    assert before["promoters"] == "Promoteurs (9-10)" and '">=9"' in before["native"]
    assert after["native"] == before["native"].replace('">=9"', '">=8"')
    assert after["moe"] == before["moe"].replace('">=9"', '">=8"')
    assert "{nps_8}:{nps_10}" in after["audit"] and "{nps_9}:{nps_10}" in before["audit"]
    assert after["promoters"] == "Promoteurs (8-10)"
    assert after["passives"] == "Passives (7-7)"
    assert "promoters (8-10)" in after["definition"]
    assert (before["nps"], after["nps"]) == (-100 / 3, 100 / 3)
    (promoters, passives), (promoters_8, passives_8) = before["groups"], after["groups"]
    first, last = (int(cell[1:]) for cell in promoters[5:-1].split(":"))
    assert promoters_8 == f"=SUM(B{first - 1}:B{last})"
    assert passives_8 == passives.replace(f"B{first - 1})", f"B{first - 2})")
