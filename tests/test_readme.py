"""The README's examples run as written.

Every command of its shell blocks that starts with ``csmetrics`` or ``python -c`` runs, in
the order of the README, in one empty temporary folder (so that ``exports/`` and the
billing export folders are the copies of the sample data the README's own commands make),
and exits with 0; every Python block runs there too. Every Excel formula of its ``excel``
blocks gives the value written beside it, through the functions Excel calls. Its sample
rows are the first rows of the bundled sample data's files. Set-up commands (``make``,
``pip``, ``py``, ``xlwings``) are not run, and no other program may appear.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import udfs
from csmetrics import sample_data_path
from csmetrics.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
SET_UP = ("make", "pip", "py", "xlwings", ".venv\\Scripts\\activate", "source")
FORMULA = re.compile(r"^(=CS_\w+)\((.*)\)\s+gives\s+(\S+)$")


def blocks(language):
    return [body for lang, body in BLOCK.findall(README) if lang == language]


def commands(block):
    """The commands of a shell block: continuation lines joined, comments dropped."""
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines()
            if shlex.split(line, comments=True)]


def steps():
    """``("sh", argv)`` and ``("python", code)`` in the order of the README."""
    found = []
    for lang, body in BLOCK.findall(README):
        if lang == "sh":
            found += [("sh", argv) for argv in commands(body)]
        elif lang == "python":
            found.append(("python", body))
    return found


def test_every_shell_line_is_a_command_the_test_runs_or_a_set_up_step():
    programs = {argv[0] for kind, argv in steps() if kind == "sh"}
    assert programs <= {"csmetrics", "python", *SET_UP}, programs
    assert "csmetrics" in programs


def test_the_readme_examples_run_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    ran = 0
    for kind, step in steps():
        if kind == "python":
            subprocess.run([sys.executable, "-c", step], check=True, cwd=tmp_path)
        elif step[0] == "csmetrics":
            status = main(step[1:])
            said = capsys.readouterr()
            assert status == 0, f"{shlex.join(step)}\n{said.out}\n{said.err}"
        elif step[:2] == ["python", "-c"]:
            subprocess.run([sys.executable, *step[1:]], check=True, cwd=tmp_path)
        else:
            continue
        ran += 1
    assert ran >= 15
    assert (tmp_path / "exports" / "mrr.csv").exists()


def _cells(text):
    """An Excel argument: a number, or an array constant ``{1;2;3}`` as xlwings hands a
    column over (one list per row)."""
    if text.startswith("{"):
        return [[float(value)] for value in text.strip("{}").split(";")]
    return float(text)


def test_the_excel_examples_give_the_values_shown():
    formulas = [line for block in blocks("excel") for line in block.splitlines() if line]
    assert len(formulas) >= 3
    for line in formulas:
        name, arguments, expected = FORMULA.match(line).groups()
        function = getattr(udfs, name[1:])
        values = [_cells(a.strip()) for a in re.split(r",\s*(?![^{]*\})", arguments)]
        assert function(*values) == pytest.approx(float(expected)), line


def test_the_sample_rows_are_the_sample_datas():
    shown = {block.splitlines()[0]: block for block in blocks("csv")}
    for path in sorted(sample_data_path().glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert shown.get(lines[0]) == "\n".join(lines[:6]) + "\n", path.name


def test_the_first_screen_has_exactly_the_two_make_commands():
    first_screen = README.splitlines()[:30]
    commands_shown = [line.split("#")[0].strip() for line in first_screen
                      if line.startswith(("make ", "pip ", "csmetrics ", "python "))]
    assert commands_shown == ["make demo", "make test"]


def test_every_section_of_the_contents_exists():
    contents = README[README.index("## Contents"):].split("\n## ", 2)[0]
    anchors = re.findall(r"\]\(#([\w-]+)\)", contents)
    headings = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                for h in re.findall(r"^#{2,3} (.+)$", README, re.MULTILINE)}
    assert anchors and set(anchors) <= headings, set(anchors) - headings


def test_the_sheet_names_shown_are_the_templates():
    """The README's table of sheet names in English, French and Romanian is what the
    texts files name the sheets (a translator's change shows here)."""
    from csmetrics.report.labels import sheet_name

    rows = re.findall(r"^\| ([A-Z][\w ]+?)(?: \([\w ]+\))? \| (.+?) \| (.+?) \|$", README,
                      re.MULTILINE)
    keys = {"Start here": "start", "Report": "report", "Inputs": "inputs", "Trend": "trend",
            "Definitions": "definitions", "Audit": "audit"}
    shown = {keys[en]: (en, fr, ro) for en, fr, ro in rows if en in keys}
    assert set(shown) == set(keys.values())
    for key, names in shown.items():
        assert names == tuple(sheet_name(key, lang) for lang in ("en", "fr", "ro")), key
