"""The layers stay apart: the core never imports the Excel face or xlwings, and only the
report engine writes workbooks with openpyxl."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "csmetrics"
CORE_FILES = sorted(CORE.rglob("*.py"))


def imported_packages(path):
    """Top-level package names a module imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_neither_xlwings_nor_the_excel_face(path):
    assert not imported_packages(path) & {"xlwings", "udfs"}


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_only_the_report_engine_imports_openpyxl(path):
    if "openpyxl" in imported_packages(path):
        assert path.relative_to(CORE).parts[0] == "report"


def test_the_checks_see_imports():
    assert "xlwings" in imported_packages(CORE.parent / "udfs" / "factory.py")
