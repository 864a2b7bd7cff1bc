"""Data shared by the report and command-line tests: the bundled sample, one customer
renamed to a formula (the injection case), and the latest month of the data."""

import dataclasses
import zipfile

import openpyxl
import pandas as pd
from lxml import etree
from openpyxl.utils.cell import range_boundaries

from csmetrics import load_data, sample_data_path
from csmetrics.report.audit import FIRST_CHECK_ROW
from csmetrics.report.batch import WRITTEN, EngineResults, plan_jobs, run_batch
from csmetrics.report.cells import named_cells
from csmetrics.report.labels import LANGUAGES, label, sheet_names
from workbook_templates import template_path

STATUSES = {label(key, lang) for key in ("audit_ok", "audit_fail", "audit_not_applicable")
            for lang in LANGUAGES}
ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "Err:")
READ_SHEETS = tuple(name for key in ("report", "trend", "audit") for name in sheet_names(key))
"""The sheets a reader reads, in every language: none may show an error value."""

INJECTION = '=HYPERLINK("http://x","y")'
"""A customer id that a careless writer would turn into a live link formula."""

RENAMED = "C0001"
"""The sample customer renamed to ``INJECTION`` (it pays in every month of the sample)."""


def sample_with_injection():
    """The sample dataset with customer ``RENAMED`` called ``INJECTION`` in every table."""
    dataset = load_data(sample_data_path())
    renamed = {}
    for field in ("mrr", "invoices", "surveys", "orders", "tickets"):
        frame = getattr(dataset, field)
        renamed[field] = frame.assign(customer_id=frame["customer_id"].replace(RENAMED, INJECTION))
    return dataclasses.replace(dataset, **renamed)


def latest_month(dataset):
    """The last month of the MRR table (the month the demo reports on)."""
    return dataset.mrr["month"].max()


def audit_rows(path):
    """``(audit_result, rows)`` of a recalculated report: each check's first six columns."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    result = named_cells(workbook, "audit_result")[0].value
    rows = [r for r in sheet_of(workbook, "audit").iter_rows(min_row=FIRST_CHECK_ROW, max_col=6,
                                                              values_only=True)
            if r[5] in STATUSES]
    return result, rows


def audit_verdicts(names, copies):
    """``{name: (audit_result, {check label: (native value, status)})}`` of recalculated
    reports, each named by its place in ``names``."""
    verdicts = {}
    for name, copy in zip(names, copies, strict=True):
        result, rows = audit_rows(copy)
        verdicts[name] = (result, {row[0]: (row[1], row[5]) for row in rows})
    return verdicts


def kpi_values(path):
    """``{kpi_ name: value}`` of a filled report."""
    workbook = openpyxl.load_workbook(path)
    values = {}
    for name, defined in workbook.defined_names.items():
        if name.startswith("kpi_"):
            [(sheet, cell)] = defined.destinations
            values[name] = workbook[sheet][cell.replace("$", "")].value
    return values


TOTALS_TABLES = ("MrrMovements", "MrrYearAgo", "TopAccounts")
"""The Inputs tables that hold the MRR totals (csmetrics.report.aggregates)."""


def report_cells(path):
    """Every cell of the Report sheet, the written summary (``SUMMARY_NAME``) included: its
    sentence on targets names them in the report's order, whatever the order a database
    hands the ``targets`` table's rows back in."""
    workbook = openpyxl.load_workbook(path)
    return {cell.coordinate: cell.value for row in sheet_of(workbook, "report").iter_rows()
            for cell in row}


def inputs_table(path, name):
    """The rows of the Inputs table ``name`` of a report, its header first."""
    return inputs_tables(path)[name]


def inputs_tables(path):
    """``{name: rows}`` of the Inputs tables of totals of a report (:data:`TOTALS_TABLES`),
    each with its header first, and whether it has ``MrrData`` (the MRR rows)."""
    inputs = sheet_of(openpyxl.load_workbook(path), "inputs")
    return {name: [[cell.value for cell in row] for row in inputs[ref]]
            for name, ref in inputs.tables.items() if name in TOTALS_TABLES + ("MrrData",)}


def sheet_of(workbook, key):
    """The sheet ``key`` of a workbook in whichever language it was written."""
    [name] = [name for name in sheet_names(key) if name in workbook.sheetnames]
    return workbook[name]


def error_cells(path):
    """``[(sheet, cell, value)]`` of every error value on the sheets a reader reads."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    return [
        (sheet, cell.coordinate, cell.value)
        for sheet in READ_SHEETS if sheet in workbook.sheetnames
        for row in workbook[sheet].iter_rows() for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(ERRORS)
    ]


def with_mrr_changed(path, folder, customer, month, mrr):
    """A copy of a filled report in ``folder`` (``altered_<name>``) whose Inputs row of
    ``customer`` in ``month`` (``"2024-01"``) holds ``mrr``."""
    workbook = openpyxl.load_workbook(path)
    inputs = sheet_of(workbook, "inputs")
    min_col, min_row, max_col, max_row = range_boundaries(inputs.tables["MrrData"].ref)
    header = [inputs.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    for row in range(min_row + 1, max_row + 1):
        values = {h: inputs.cell(row, min_col + i).value for i, h in enumerate(header)}
        if values["customer_id"] == customer and values["month"].strftime("%Y-%m") == month:
            inputs.cell(row, min_col + header.index("mrr")).value = mrr
            break
    else:
        raise AssertionError(f"no row of {customer} in {month} on the Inputs sheet")
    copy = folder / f"altered_{path.name}"
    workbook.save(copy)
    return copy


def reports_of_tape(mrr, folder, template, months):
    """The reports ``template`` of ``months`` (``"2025-01"`` ...) over all customers of an
    MRR tape (a frame), written as a user's ``mrr.csv`` in ``folder`` and reported on;
    their paths, in the order of ``months``."""
    mrr.to_csv(folder / "mrr.csv", index=False)
    results = EngineResults.compute(load_data(folder), None)
    out = folder / "reports"
    out.mkdir()
    jobs = plan_jobs([template], [pd.Period(m, "M") for m in months], ["All"], out)
    outcomes = run_batch(results, jobs, template_path=template_path)
    assert [o.message for o in outcomes if o.status != WRITTEN] == []
    return [job.path for job in jobs]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


AUDIT_SHEETS = sheet_names("audit")


def stored_formula_values(path, skipped=AUDIT_SHEETS):
    """``{(sheet, cell): stored value}`` of every formula cell of the visible sheets of a
    workbook but ``skipped``, read from its XML: the ``<v>`` text (``""`` for an empty
    text result, ``t="str"``), ``None`` when the formula was saved without a value."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target").lstrip("/") for rel in rels}
        stored = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            if sheet.get("name") in skipped or sheet.get("state") in ("hidden", "veryHidden"):
                continue
            part = targets[sheet.get(_RELATIONSHIP)]
            part = part if part.startswith("xl/") else f"xl/{part}"
            for cell in etree.fromstring(archive.read(part)).iter(f"{_MAIN}c"):
                if cell.find(f"{_MAIN}f") is None:
                    continue
                value = cell.find(f"{_MAIN}v")
                text = None if value is None else value.text
                if text is None and value is not None and cell.get("t") == "str":
                    text = ""
                stored[sheet.get("name"), cell.get("r")] = text
    return stored
