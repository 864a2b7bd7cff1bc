"""``csmetrics import`` and ``--from`` on report, validate and demo, on the billing fixtures."""

import json
import shutil

import pandas as pd
import pytest
from billing_fixture import FIXTURES, MRR, RATES, expected_rows, rows_of

from csmetrics.cli import main


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_import_writes_mrr_invoices_and_the_log(tmp_path, capsys):
    out = tmp_path / "tables"
    status, stdout, _ = _run(capsys, "import", "--from", "stripe", "--data", FIXTURES / "stripe",
                             "--out", out, "--currency", "EUR", "--fx-rates", RATES)
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["import_log.txt", "invoices.csv",
                                                     "mrr.csv"]
    mrr = pd.read_csv(out / "mrr.csv", dtype={"month": str})
    assert mrr.columns.tolist() == ["customer_id", "month", "mrr", "currency", "mrr_native"]
    assert rows_of(mrr.assign(month=pd.PeriodIndex(mrr["month"], freq="M"))) == \
        expected_rows(MRR)
    log = (out / "import_log.txt").read_text()
    assert "csmetrics import --from stripe" in log
    assert "rules: discounts=subtract, refunds=ignore, uncollectible=exclude, churn=" in log
    assert "info: invoices.csv: 1 void invoice(s) left out of MRR" in log
    assert "1 void invoice(s)" in stdout and "wrote " in stdout
    invoices = pd.read_csv(out / "invoices.csv")
    assert invoices.columns.tolist()[:6] == ["invoice_id", "customer_id", "issue_date",
                                             "due_date", "amount", "paid_date"]
    assert "in_D1v" not in set(invoices["invoice_id"])


def test_the_written_tables_load_as_csmetrics_data(tmp_path, capsys):
    out = tmp_path / "tables"
    _run(capsys, "import", "--from", "chartmogul", "--data", FIXTURES / "chartmogul", "--out",
         out, "--currency", "EUR", "--fx-rates", RATES)
    status, stdout, _ = _run(capsys, "validate", "--data", out)
    assert status == 0 and "no problems found" in stdout


@pytest.mark.parametrize("argv, message", [
    ((), "several currencies (EUR, USD): give the reporting currency (--currency)"),
    (("--currency", "EUR"), "no USD to EUR rate in force on 2024-01-01"),
])
def test_bad_input_writes_nothing_and_says_why(tmp_path, capsys, argv, message):
    out = tmp_path / "tables"
    status, _, stderr = _run(capsys, "import", "--from", "stripe", "--data",
                             FIXTURES / "stripe", "--out", out, *argv)
    assert status == 1
    assert message in stderr and "nothing was written" in stderr
    assert not out.exists()


def test_an_unknown_source_is_a_command_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["import", "--from", "xero", "--data", str(FIXTURES), "--out", str(tmp_path)])
    assert stop.value.code == 2
    assert "invalid choice: 'xero'" in capsys.readouterr().err


def test_a_folder_without_the_vendor_files_names_the_columns_expected(tmp_path, capsys):
    status, _, stderr = _run(capsys, "import", "--from", "chartmogul", "--data",
                             FIXTURES / "stripe", "--out", tmp_path / "tables")
    assert status == 1
    assert "no file is the chartmogul invoices export: it needs the columns 'Customer " \
           "external ID', 'Invoice external ID', 'Invoiced date', 'Currency'" in stderr
    assert not (tmp_path / "tables").exists()


def test_existing_tables_are_kept_without_overwrite(tmp_path, capsys):
    out = tmp_path / "tables"
    out.mkdir()
    (out / "mrr.csv").write_text("keep me\n")
    argv = ("import", "--from", "stripe", "--data", FIXTURES / "stripe", "--out", out,
            "--currency", "EUR", "--fx-rates", RATES)
    status, _, stderr = _run(capsys, *argv)
    assert status == 1 and "already exists; nothing was written" in stderr
    assert (out / "mrr.csv").read_text() == "keep me\n"
    assert not (out / "invoices.csv").exists()
    assert _run(capsys, *argv, "--overwrite")[0] == 0
    assert (out / "mrr.csv").read_text().startswith("customer_id,month,mrr")


def test_validate_from_prints_the_findings(capsys):
    status, stdout, _ = _run(capsys, "validate", "--from", "stripe", "--data",
                             FIXTURES / "stripe", "--currency", "EUR", "--fx-rates", RATES)
    assert status == 0
    assert "info: invoice_line_items.csv: 1 one-off charge(s)" in stdout
    status, stdout, _ = _run(capsys, "validate", "--from", "stripe", "--data",
                             FIXTURES / "stripe")
    assert status == 1 and "several currencies" in stdout


def test_validate_from_json_gives_every_finding_as_a_record(capsys):
    status, stdout, stderr = _run(capsys, "validate", "--from", "stripe", "--data",
                                  FIXTURES / "stripe", "--currency", "EUR", "--fx-rates",
                                  RATES, "--json")
    assert status == 0 and stderr == ""
    records = json.loads(stdout)
    assert {tuple(r) for r in records} == {("level", "table", "row", "column", "message")}
    assert {"level": "info", "table": "invoice_line_items.csv", "row": None, "column": None,
            "message": "1 one-off charge(s) (setup fees and the like) kept out of MRR"} \
        in records
    status, stdout, stderr = _run(capsys, "validate", "--from", "stripe", "--data",
                                  FIXTURES / "stripe", "--json")
    assert status == 1 and "1 problem found (listed in the JSON output)" in stderr
    errors = [r for r in json.loads(stdout) if r["level"] == "error"]
    assert [r["message"] for r in errors] == [
        "the export holds several currencies (EUR, USD): give the reporting currency "
        "(--currency) and the exchange rates (--fx-rates)"]


def test_validate_from_json_names_the_row_and_column_of_a_bad_cell(tmp_path, capsys):
    folder = tmp_path / "stripe"
    shutil.copytree(FIXTURES / "stripe", folder)
    path = folder / "invoice_line_items.csv"
    path.write_text(path.read_text().replace(",10000,eur,", ",100.00 €,eur,", 1))
    status, stdout, _ = _run(capsys, "validate", "--from", "stripe", "--data", folder,
                             "--currency", "EUR", "--fx-rates", RATES, "--json")
    assert status == 1
    bad = [r for r in json.loads(stdout) if r["level"] == "error"]
    assert (bad[0]["table"], bad[0]["row"], bad[0]["column"]) == \
        ("invoice_line_items.csv", 2, "amount")
    assert "cannot read '100.00 €' as an amount" in bad[0]["message"]


def test_validate_from_json_when_the_import_cannot_start_is_one_error_record(capsys):
    status, stdout, _ = _run(capsys, "validate", "--from", "generic", "--data",
                             FIXTURES / "generic", "--json")
    assert status == 1
    (record,) = json.loads(stdout)
    assert record["level"] == "error" and "needs a mapping file" in record["message"]


def test_report_from_an_export(tmp_path, capsys):
    out = tmp_path / "reports"
    status, stdout, _ = _run(capsys, "report", "--from", "stripe", "--data", FIXTURES / "stripe",
                             "--currency", "EUR", "--fx-rates", RATES, "--month", "2024-06",
                             "--template", "monthly_kpi_report", "--out", out)
    assert status == 0, stdout
    assert [p.name for p in out.iterdir()] == ["monthly_kpi_report_2024-06_All.xlsx"]


def test_demo_from_stripe(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, stdout, _ = _run(capsys, "demo", "--from", "stripe")
    assert status == 0
    assert "3 of 3 reports written; 2 templates skipped" in stdout
    assert "receivables_dso: skipped" not in stdout


def test_import_from_a_generic_export_with_its_mapping(tmp_path, capsys):
    out = tmp_path / "tables"
    status, _, stderr = _run(capsys, "import", "--from", "generic", "--data",
                             FIXTURES / "generic", "--mapping", FIXTURES / "generic.toml",
                             "--out", out)
    assert status == 0, stderr
    assert pd.read_csv(out / "mrr.csv")["mrr"].tolist() == [100.0, 100.0, 100.0, 90.0, 90.0,
                                                            90.0]


def test_the_written_tables_get_the_umask_s_mode_as_the_reports_do(tmp_path, capsys):
    import os
    out = tmp_path / "tables"
    previous = os.umask(0o022)
    try:
        status, _, _ = _run(capsys, "import", "--from", "stripe", "--data",
                            FIXTURES / "stripe", "--out", out, "--currency", "EUR",
                            "--fx-rates", RATES)
    finally:
        os.umask(previous)
    assert status == 0
    assert {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()} == {
        "mrr.csv": 0o644, "invoices.csv": 0o644, "import_log.txt": 0o644}


def test_the_readme_s_chartmogul_validate_example_passes_on_the_bundled_sample(capsys):
    # README "Billing exports in, monthly metrics out", with the options the sample needs
    # (it holds EUR and USD): csmetrics validate --from chartmogul --data
    # chartmogul-files/ --currency EUR --fx-rates rates.csv
    from csmetrics.sample_data import sample_exports_path
    status, stdout, stderr = _run(capsys, "validate", "--from", "chartmogul", "--data",
                                  sample_exports_path("chartmogul"), "--currency", "EUR",
                                  "--fx-rates", sample_exports_path("fx_rates.csv"))
    assert status == 0, stdout + stderr
    assert "no problems found" in stdout
