"""The ``csmetrics`` command line, run in-process on real files (and once as the console
script): exit codes, the summary, safety rules and clear messages on bad input."""

import argparse
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from csmetrics import sample_data_path
from csmetrics.cli import _parser, main
from csmetrics.report.labels import label, sheet_name
from workbook_templates import TEMPLATE_NAMES, template_path

MONTH = "2025-12"


@pytest.fixture
def data(tmp_path):
    """A copy of the sample CSV exports."""
    folder = tmp_path / "exports"
    shutil.copytree(sample_data_path(), folder, ignore=shutil.ignore_patterns("*.py", "__*"))
    return folder


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _mistype_mrr(data):
    """Row 7 of the copy's mrr.csv with the amount typed as ``12O.50`` (a letter O)."""
    lines = (data / "mrr.csv").read_text().splitlines()
    cells = lines[6].split(",")
    cells[lines[0].split(",").index("mrr")] = "12O.50"
    lines[6] = ",".join(cells)
    (data / "mrr.csv").write_text("\n".join(lines) + "\n")


def _files(folder):
    return sorted(p.name for p in Path(folder).iterdir()) if Path(folder).exists() else []


def _workbooks(folder):
    """The reports of ``folder`` (the demo also writes the KPI report's PDF beside them)."""
    return [name for name in _files(folder) if name.endswith(".xlsx")]


def test_report_writes_every_template_and_a_summary(data, tmp_path, capsys):
    out = tmp_path / "reports"
    status, stdout, _ = _run(capsys, "report", "--data", data, "--month", MONTH, "--out", out)
    assert status == 0
    assert _files(out) == sorted(f"{t}_{MONTH}_All.xlsx" for t in TEMPLATE_NAMES)
    assert stdout.splitlines()[0].split() == ["template", "month", "segment", "status", "path"]
    assert f"{len(TEMPLATE_NAMES)} of {len(TEMPLATE_NAMES)} reports written" in stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_months_and_segments_multiply_the_reports(data, tmp_path, capsys, jobs):
    out = tmp_path / "reports"
    status, stdout, _ = _run(
        capsys, "report", "--data", data, "--months", "2025-11:2025-12", "--template",
        "nps_survey", "--template", "receivables_dso", "--segment-by", "segment", "--out", out,
        "--jobs", jobs,
    )
    assert status == 0
    assert len(_files(out)) == 2 * 2 * 3
    assert "nps_survey_2025-11_SMB.xlsx" in _files(out)
    assert "12 of 12 reports written" in stdout


def test_existing_reports_are_kept_without_overwrite(data, tmp_path, capsys):
    out = tmp_path / "reports"
    argv = ("report", "--data", data, "--month", MONTH, "--template", "nps_survey", "--out", out)
    assert _run(capsys, *argv)[0] == 0
    report = out / f"nps_survey_{MONTH}_All.xlsx"
    before = report.read_bytes()
    status, stdout, stderr = _run(capsys, *argv)
    assert status == 1
    assert "exists; pass --overwrite to replace it" in stderr
    assert "exists" not in stdout
    assert "0 of 1 reports written" in stdout
    assert report.read_bytes() == before
    assert _run(capsys, *argv, "--overwrite")[0] == 0
    assert _files(out) == [report.name]


def test_an_input_file_is_never_written_even_with_overwrite(data, tmp_path, capsys):
    """A workbook of exports saved where a report would go: the report is refused."""
    out = tmp_path / "reports"
    out.mkdir()
    workbook = out / f"nps_survey_{MONTH}_All.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.read_csv(data / "surveys.csv").to_excel(writer, sheet_name="surveys", index=False)
        pd.read_csv(data / "mrr.csv").to_excel(writer, sheet_name="mrr", index=False)
    before = workbook.read_bytes()
    status, _, stderr = _run(
        capsys, "report", "--data", workbook, "--month", MONTH, "--template", "nps_survey",
        "--out", out, "--overwrite",
    )
    assert status == 1
    assert "it is a template or an input file" in stderr
    assert workbook.read_bytes() == before


def test_bad_data_is_named_by_file_row_and_column_and_nothing_is_written(
    data, tmp_path, capsys
):
    _mistype_mrr(data)
    out = tmp_path / "reports"
    status, stdout, stderr = _run(
        capsys, "report", "--data", data, "--month", MONTH, "--out", out
    )
    assert status == 1
    assert stderr.startswith(f"csmetrics: error: {data / 'mrr.csv'}: ")
    assert "row 7, column 'mrr'" in stderr and "12O.50" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_validate_lists_every_problem_and_writes_nothing(data, capsys):
    surveys = (data / "surveys.csv").read_text().splitlines()
    header = surveys[0].split(",")
    for line in (3, 9):
        cells = surveys[line - 1].split(",")
        cells[header.index("score")] = "eleven"
        surveys[line - 1] = ",".join(cells)
    (data / "surveys.csv").write_text("\n".join(surveys) + "\n")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    status, stdout, stderr = _run(capsys, "validate", "--data", data)
    assert status == 1
    problems = stdout.splitlines()
    assert len(problems) == 2
    for problem, row in zip(problems, (3, 9), strict=True):
        assert problem.startswith(f"{data / 'surveys.csv'}: table 'surveys', row {row}, ")
        assert "column 'score'" in problem
    assert "2 problems found (listed above)" in stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_validate_passes_the_sample(capsys):
    status, stdout, _ = _run(capsys, "validate", "--data", sample_data_path())
    assert status == 0
    assert stdout.strip().endswith("no problems found")


def test_an_xlsx_that_is_not_a_workbook_is_refused_by_name(tmp_path, capsys):
    fake = tmp_path / "billing.xlsx"
    fake.write_text("customer_id,month,mrr\nA,2025-01,10\n")
    for command in (("validate", "--data", fake),
                    ("report", "--data", fake, "--month", MONTH, "--out", tmp_path / "r")):
        status, _, stderr = _run(capsys, *command)
        assert status == 1
        assert f"{fake} is not an Excel workbook" in stderr
    assert not (tmp_path / "r").exists()


def test_a_month_outside_the_data_is_refused(data, tmp_path, capsys):
    status, _, stderr = _run(
        capsys, "report", "--data", data, "--month", "2031-01", "--out", tmp_path / "r"
    )
    assert status == 1
    assert "no MRR data for 2031-01: the data covers 2024-01 to 2025-12" in stderr


def test_a_malformed_month_is_a_usage_error(data, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "--data", str(data), "--month", "2025-13", "--out", str(tmp_path)])
    assert stop.value.code == 2
    assert "'2025-13' is not YYYY-MM or YYYY-MM:YYYY-MM" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_of_at_least_one(data, tmp_path, capsys, jobs):
    with pytest.raises(SystemExit) as stop:
        main(["report", "--data", str(data), "--month", MONTH, "--out", str(tmp_path),
              "--jobs", jobs])
    assert stop.value.code == 2
    assert f"{jobs!r} is not a whole number of at least 1" in capsys.readouterr().err


def test_an_unknown_segment_column_is_refused(data, tmp_path, capsys):
    status, _, stderr = _run(
        capsys, "report", "--data", data, "--month", MONTH, "--segment-by", "region",
        "--out", tmp_path / "r",
    )
    assert status == 1
    assert "--segment-by region: the MRR table has no such column" in stderr


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_lang_writes_labels_in_that_language(data, tmp_path, capsys, lang):
    out = tmp_path / lang
    status, stdout, _ = _run(
        capsys, "report", "--data", data, "--month", MONTH, "--template", "nps_survey",
        "--lang", lang, "--out", out,
    )
    assert status == 0
    everyone = {"fr": "Tous", "ro": "Toate"}[lang]  # the file names it as the sheets do
    assert [p.name for p in out.iterdir()] == [f"nps_survey_{MONTH}_{everyone}.xlsx"]
    _, table, *_ = stdout.splitlines()  # the summary table names the segment so too
    assert table.split()[:3] == ["nps_survey", MONTH, everyone], table
    workbook = openpyxl.load_workbook(out / f"nps_survey_{MONTH}_{everyone}.xlsx")
    assert workbook[sheet_name("audit", lang)]["A1"].value == label("audit_title", lang)
    report = workbook[sheet_name("report", lang)]
    report_texts = {c.value for row in report.iter_rows() for c in row}
    assert label("title_nps_survey", lang) in report_texts
    assert label("nps", lang) in report_texts


@pytest.mark.parametrize("paper, size", [("letter", 1), ("a4", 9)])
def test_paper_sets_every_sheet_of_the_report(data, tmp_path, capsys, paper, size):
    """``--paper letter`` (United States, Canada) prints every sheet on Letter, the Audit
    the filler adds too; A4 (9) is the default the templates carry."""
    status, *_ = _run(capsys, "report", "--data", data, "--month", MONTH, "--template",
                      "nps_survey", "--paper", paper, "--out", tmp_path)
    assert status == 0
    [path] = tmp_path.glob("*.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert {ws.title: ws.page_setup.paperSize for ws in workbook.worksheets} == dict.fromkeys(
        workbook.sheetnames, size)


def test_templates_lists_each_with_a_description_and_its_file(capsys):
    status, stdout, _ = _run(capsys, "templates", "--lang", "fr")
    assert status == 0
    lines = stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(TEMPLATE_NAMES)
    for name, line in zip(TEMPLATE_NAMES, lines, strict=True):
        assert label(f"title_{name}", "fr") in line
        assert line.endswith(f"  {template_path(name, 'fr')}")
        assert template_path(name, "fr").is_file()


@pytest.mark.parametrize("lang", ["en", "ro"])
def test_templates_copy_writes_the_workbooks_of_a_language(tmp_path, capsys, lang):
    folder = tmp_path / "mine"
    status, stdout, _ = _run(capsys, "templates", "--copy", folder, "--lang", lang)
    assert status == 0
    assert _files(folder) == sorted(f"{name}.xlsx" for name in TEMPLATE_NAMES)
    assert stdout.splitlines() == [str(folder / f"{name}.xlsx") for name in TEMPLATE_NAMES]
    for name in TEMPLATE_NAMES:
        assert (folder / f"{name}.xlsx").read_bytes() == template_path(name, lang).read_bytes()


def test_templates_copy_keeps_files_of_the_same_name(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "nps_survey.xlsx").write_bytes(b"my work")
    status, _, stderr = _run(capsys, "templates", "--copy", folder)
    assert status == 1
    assert "nps_survey.xlsx already exist(s); pass --overwrite" in stderr
    assert _files(folder) == ["nps_survey.xlsx"]
    assert (folder / "nps_survey.xlsx").read_bytes() == b"my work"
    assert _run(capsys, "templates", "--copy", folder, "--overwrite")[0] == 0
    assert (folder / "nps_survey.xlsx").read_bytes() == template_path("nps_survey").read_bytes()


def test_demo_writes_into_reports_and_replaces_only_its_own_files(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    status, stdout, _ = _run(capsys, "demo")
    assert status == 0
    assert len([f for f in _files("reports") if f.endswith(".xlsx")]) == len(TEMPLATE_NAMES)
    assert f"Reports are in {tmp_path / 'reports'}" in stdout
    assert _run(capsys, "demo", "--quiet")[0] == 0
    mine = tmp_path / "reports" / f"nps_survey_{MONTH}_All.xlsx"
    openpyxl.Workbook().save(mine)
    before = mine.read_bytes()
    status, stdout, stderr = _run(capsys, "demo")
    assert status == 1
    assert mine.read_bytes() == before
    assert f"{len(TEMPLATE_NAMES) - 1} of {len(TEMPLATE_NAMES)} reports written" in stdout
    assert stderr.startswith(f"csmetrics: not written: nps_survey {MONTH} All: ")


def test_demo_out_quiet_and_json(tmp_path, capsys):
    out = tmp_path / "demo"
    status, stdout, stderr = _run(capsys, "demo", "--out", out, "-q")
    assert (status, stdout, stderr) == (0, "", "")
    assert len(_workbooks(out)) == len(TEMPLATE_NAMES)
    status, stdout, _ = _run(capsys, "demo", "--out", out, "--json")
    records = json.loads(stdout)
    assert status == 0
    assert [r["template"] for r in records] == list(TEMPLATE_NAMES)
    assert {(r["month"], r["segment"], r["status"]) for r in records} == {
        (MONTH, "All", "written")
    }
    assert [Path(r["path"]) for r in records] == [
        out / f"{name}_{MONTH}_All.xlsx" for name in TEMPLATE_NAMES
    ]


def test_demo_in_french_names_its_files_and_shows_the_currency_in_french(tmp_path, capsys):
    """``demo --lang fr``: French sheets, files named ``..._Tous`` as the sheets name the
    segment, money in the sample data's own currency (its mrr.csv says EUR)."""
    out = tmp_path / "demo"
    assert _run(capsys, "demo", "--out", out, "--lang", "fr", "-q")[0] == 0
    assert _workbooks(out) == sorted(f"{t}_{MONTH}_Tous.xlsx" for t in TEMPLATE_NAMES)
    workbook = openpyxl.load_workbook(out / f"monthly_kpi_report_{MONTH}_Tous.xlsx")
    [(sheet, ref)] = workbook.defined_names["kpi_mrr_end"].destinations
    assert sheet == sheet_name("report", "fr")
    assert workbook[sheet][ref.replace("$", "")].number_format == '#,##0.00" EUR"'


def test_validate_json_lists_each_problem_with_its_place(data, capsys):
    _mistype_mrr(data)
    status, stdout, _ = _run(capsys, "validate", "--data", data, "--json")
    assert status == 1
    problems = json.loads(stdout)
    assert {(p["table"], p["row"], p["column"]) for p in problems} >= {("mrr", 7, "mrr")}
    assert all(p["file"] == str(data / "mrr.csv") for p in problems)
    assert not any("table 'mrr'" in p["message"] for p in problems)
    status, stdout, _ = _run(capsys, "validate", "--data", sample_data_path(), "--json")
    assert (status, json.loads(stdout)) == (0, [])


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"csmetrics {version('csmetrics')}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "exit status:" in top and "csmetrics report --data" in top
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"report", "demo", "templates", "validate", "import",
                                    "xlwings-lite"}
    for name, command in commands.choices.items():
        for action in command._actions:
            assert action.help, (name, action.option_strings)
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        assert "``" not in text and ":func:" not in text, name


def test_the_console_script_reports_errors_without_a_traceback(tmp_path):
    script = Path(sys.executable).parent / "csmetrics"
    listed = subprocess.run([script, "templates"], capture_output=True, text=True)
    assert listed.returncode == 0 and "monthly_kpi_report" in listed.stdout
    failed = subprocess.run(
        [script, "report", "--data", tmp_path / "missing", "--month", MONTH,
         "--out", tmp_path / "out"],
        capture_output=True, text=True,
    )
    assert failed.returncode == 1
    assert failed.stderr == f"csmetrics: error: {tmp_path / 'missing'}: no such file or folder\n"


def test_the_command_line_runs_without_xlwings(tmp_path):
    """xlwings is for the Excel face only: the commands never import it."""
    code = (
        "import sys; sys.modules['xlwings'] = None; from csmetrics.cli import main; "
        "sys.exit(main(['demo', '--out', sys.argv[1], '-q']) "
        "or main(['xlwings-lite', '--out', sys.argv[1] + '-lite']))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "demo")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(_workbooks(tmp_path / "demo")) == len(TEMPLATE_NAMES)
