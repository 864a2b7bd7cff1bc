"""Reports on spend split by segment, checked by LibreOffice: each segment's Audit recomputes
its CAC, CLV/CAC and payback from its own SpendData rows, and the all-customers Audit from
every row.

The sample's spend is split between its three segments (Enterprise 50 %, Mid-Market 30 %,
SMB the rest, to the cent); the gross margin stays the month's on every row.
"""

import dataclasses

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import audit_rows, latest_month, sheet_of
from test_report_fill import _alter_first_row

from csmetrics import load_data, sample_data_path
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.labels import label
from workbook_templates import template_path

SHARES = {"Enterprise": 0.5, "Mid-Market": 0.3}
SPEND_CHECKS = ("sales_marketing_cost", "cac", "clv_cac", "cac_payback_months")
REPORTS = (("monthly_kpi_report", "SMB"), ("monthly_kpi_report", "Mid-Market"),
           ("unit_economics", "SMB"), ("monthly_kpi_report", "All"))


def split_spend(spend):
    """Each month's spend row as one row per segment, the shares of :data:`SHARES` and the
    rest to SMB, amounts to the cent."""
    rows = []
    for row in spend.itertuples(index=False):
        parts = {name: round(row.sales_marketing_cost * share, 2)
                 for name, share in SHARES.items()}
        parts["SMB"] = round(row.sales_marketing_cost - sum(parts.values()), 2)
        rows += [(row.month, cost, row.gross_margin, name) for name, cost in parts.items()]
    return pd.DataFrame(rows, columns=["month", "sales_marketing_cost", "gross_margin",
                                       "segment"])


@pytest.fixture(scope="module")
def dataset():
    data = load_data(sample_data_path())
    return dataclasses.replace(data, spend=split_spend(data.spend))


@pytest.fixture(scope="module")
def reports(dataset, tmp_path_factory):
    """``{(template, segment): filled path}`` plus ``"altered"``: the SMB monthly report
    with the cost of one of its SpendData rows of the month raised by 1."""
    out = tmp_path_factory.mktemp("split_spend")
    month = latest_month(dataset)
    engines = {None: EngineResults.compute(dataset),
               "segment": EngineResults.compute(dataset, "segment")}
    paths = {}
    for template, segment in REPORTS:
        results = engines[None if segment == "All" else "segment"]
        [job] = plan_jobs([template], [month], [segment], out)
        [outcome] = run_batch(results, [job], template_path=template_path, lang="en")
        assert outcome.status == WRITTEN, outcome.message
        paths[template, segment] = job.path
    workbook = openpyxl.load_workbook(paths["monthly_kpi_report", "SMB"])
    first_day = month.start_time.to_pydatetime()
    _alter_first_row(sheet_of(workbook, "inputs"), "SpendData", "sales_marketing_cost",
                     lambda row: row["month"] == first_day, lambda value: value + 1.0)
    paths["altered"] = out / "altered_spend.xlsx"
    workbook.save(paths["altered"])
    return paths


@pytest.fixture(scope="module")
def recalculated(reports, tmp_path_factory):
    staging = tmp_path_factory.mktemp("split_spend_staging")
    staged = []
    for n, path in enumerate(reports.values()):
        staged.append(staging / f"report_{n}.xlsx")
        staged[-1].write_bytes(path.read_bytes())
    copies = recalculate(staged, tmp_path_factory.mktemp("split_spend_recalculated"))
    return dict(zip(reports, copies, strict=True))


def spend_rows(path):
    """The SpendData rows of a report's Inputs sheet, as dicts."""
    inputs = sheet_of(openpyxl.load_workbook(path), "inputs")
    table = inputs.tables["SpendData"]
    cells = [[c.value for c in row] for row in inputs[table.ref]]
    return [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]


def test_a_segment_report_holds_only_its_segments_spend_rows(reports, dataset):
    rows = spend_rows(reports["monthly_kpi_report", "SMB"])
    assert rows and {row["segment"] for row in rows} == {"SMB"}
    every = spend_rows(reports["monthly_kpi_report", "All"])
    assert {row["segment"] for row in every} == {"Enterprise", "Mid-Market", "SMB"}
    assert len(every) == 3 * len(rows)


@requires_libreoffice
@pytest.mark.parametrize(("template", "segment"), REPORTS)
def test_the_audit_recomputes_the_spend_figures_and_reads_pass(recalculated, template,
                                                              segment):
    result, rows = audit_rows(recalculated[template, segment])
    status = {r[0]: r[5] for r in rows}
    assert {key: status.get(label(key)) for key in SPEND_CHECKS} == dict.fromkeys(
        SPEND_CHECKS, label("audit_ok"))
    assert result == label("audit_pass")


@requires_libreoffice
def test_the_audit_reads_fail_when_a_spend_row_of_the_segment_is_altered(recalculated):
    result, rows = audit_rows(recalculated["altered"])
    failed = {r[0] for r in rows if r[5] == label("audit_fail")}
    assert result == label("audit_fail")
    assert failed == {label(key) for key in SPEND_CHECKS}, failed
