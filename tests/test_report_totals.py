"""Reports whose month has more MRR rows than an Inputs sheet holds: the Inputs hold totals
by segment and movement, the 12-month totals and the listed accounts, and the Audit checks
what those allow. The limit is lowered so that the bundled sample takes that path: every
``kpi_`` equals the normal report's, and LibreOffice recalculates the Audit to PASS (and
to FAIL when a total is altered)."""

import openpyxl
import pytest
from libreoffice import recalculate, requires_libreoffice
from report_samples import audit_rows, kpi_values, sheet_of

from csmetrics import sample_data_path
from csmetrics.cli import main
from csmetrics.report.audit import check_label
from csmetrics.report.labels import label
from csmetrics.report.layout import TEMPLATE_NAMES

MONTH = "2025-12"
LIMIT = 100
"""Fewer MRR rows than any report of the sample's December holds (1,138 for the monthly
report, every row for the cohort report)."""


def write(folder, *options):
    assert main(["report", "--data", str(sample_data_path()), "--month", MONTH, "--out",
                 str(folder), "-q", *options]) == 0
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """``{name: folder}``: the normal reports, the reports of totals in English, French
    and Romanian, and the segment reports of totals."""
    root = tmp_path_factory.mktemp("totals")
    return {
        "rows": write(root / "rows"),
        **{lang: write(root / lang, "--max-input-rows", str(LIMIT), "--lang", lang)
           for lang in ("en", "fr", "ro")},
        "segments": write(root / "segments", "--max-input-rows", str(LIMIT), "--segment-by",
                          "segment", "--template", "monthly_kpi_report"),
    }


def altered(path, folder, table, column, row=1, by=100.0):
    """A copy of a report whose Inputs table ``table`` holds, in data row ``row`` of
    ``column``, its value plus ``by``."""
    workbook = openpyxl.load_workbook(path)
    inputs = sheet_of(workbook, "inputs")
    first, top, last, _ = openpyxl.utils.cell.range_boundaries(inputs.tables[table].ref)
    header = [inputs.cell(top, c).value for c in range(first, last + 1)]
    cell = inputs.cell(top + row, first + header.index(column))
    cell.value += by
    copy = folder / f"altered_{table}_{column}.xlsx"
    workbook.save(copy)
    return copy


@pytest.fixture(scope="module")
def recalculated(reports, tmp_path_factory):
    """``{name: LibreOffice's recalculated copy}`` of every report of totals and of three
    altered copies of the monthly one."""
    staging = tmp_path_factory.mktemp("staged")
    monthly = reports["en"] / f"monthly_kpi_report_{MONTH}_All.xlsx"
    staged = {f"{key}/{path.name}": path for key in ("en", "fr", "ro", "segments")
              for path in sorted(reports[key].glob("*.xlsx"))}
    for table, column in (("MrrMovements", "mrr"), ("MrrYearAgo", "mrr_kept"),
                          ("TopAccounts", "change")):
        staged[f"altered {table}"] = altered(monthly, staging, table, column, by=1e6)
    renamed = {}
    for number, (name, path) in enumerate(staged.items()):
        renamed[name] = staging / f"{number:02d}_{path.name}"
        renamed[name].write_bytes(path.read_bytes())
    copies = recalculate(list(renamed.values()), tmp_path_factory.mktemp("recalculated"))
    by_name = {copy.name: copy for copy in copies}
    return {name: by_name[path.name] for name, path in renamed.items()}


@pytest.mark.parametrize("lang", ["en", "fr", "ro"])
def test_every_kpi_of_a_report_of_totals_equals_the_report_of_rows(reports, lang):
    names = sorted(path.name for path in reports["rows"].glob("*.xlsx"))
    assert len(names) == len(TEMPLATE_NAMES)
    for name in names:
        renamed = name.replace("_All", "_" + label("all_segments", lang))
        expected, found = kpi_values(reports["rows"] / name), kpi_values(reports[lang] / renamed)
        assert len(expected) >= 3 and found == expected, name


def test_the_inputs_hold_totals_and_the_listed_accounts_instead_of_the_rows(reports):
    workbook = openpyxl.load_workbook(reports["en"] / f"monthly_kpi_report_{MONTH}_All.xlsx")
    tables = sheet_of(workbook, "inputs").tables
    assert "MrrData" not in tables
    assert {"MrrMovements", "MrrYearAgo", "TopAccounts", "SurveyData"} <= set(tables)
    note = sheet_of(workbook, "audit")["A4"].value
    assert note.startswith(f"This month has 1138 MRR rows, more than the {LIMIT} ")
    normal = openpyxl.load_workbook(reports["rows"] / f"monthly_kpi_report_{MONTH}_All.xlsx")
    assert "MrrData" in sheet_of(normal, "inputs").tables
    assert sheet_of(normal, "audit")["A4"].value is None


@requires_libreoffice
def test_the_audit_of_totals_reads_pass_in_every_language_and_segment(recalculated):
    checked = {name: audit_rows(copy) for name, copy in recalculated.items()
               if not name.startswith("altered")}
    assert len(checked) == 3 * len(TEMPLATE_NAMES) + 3
    assert {name: result for name, (result, _) in checked.items()
            if result not in {label("audit_pass", lang) for lang in ("en", "fr", "ro")}} == {}
    _, rows = checked[f"en/monthly_kpi_report_{MONTH}_All.xlsx"]
    labels = {row[0]: row[5] for row in rows}
    for key in ("top_accounts_amounts", "top_accounts_counts", "year_ago_bounds",
                "bridge_difference", "nrr_12m", "grr_12m", "logo_retention_12m",
                "customers_start", "crr"):
        assert labels[check_label(key, "en")] == "OK"


@requires_libreoffice
@pytest.mark.parametrize(("table", "failing"), [
    ("MrrMovements", ("new", "mrr_end")),
    ("MrrYearAgo", ("year_ago_bounds", "grr_12m")),
    ("TopAccounts", ("top_accounts_amounts",)),
])
def test_the_audit_of_totals_reads_fail_when_a_total_is_altered(recalculated, table, failing):
    result, rows = audit_rows(recalculated[f"altered {table}"])
    failed = {row[0] for row in rows if row[5] == "FAIL"}
    assert result == "FAIL" and {check_label(key, "en") for key in failing} <= failed
