"""The layers stay apart: the core never imports the Excel face or xlwings, only the
report engine writes workbooks with openpyxl, and the top-level packages depend one way:
``csmetrics`` (the core) <- ``udfs`` (the Excel face) <- ``workbook_templates`` (the
template generator, which renders the live ``CS_`` formulas through the UDF registry)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "csmetrics"
CORE_FILES = sorted(CORE.rglob("*.py"))
LAYERS = ("csmetrics", "udfs", "workbook_templates")
"""The top-level packages, lowest first: each may import only those before it."""


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


def package_imports():
    """{package: first-party top-level packages its modules import}."""
    return {
        package: {
            name
            for path in sorted((ROOT / package).rglob("*.py"))
            for name in imported_packages(path)
            if name in LAYERS and name != package
        }
        for package in LAYERS
    }


@pytest.mark.parametrize("package", LAYERS)
def test_top_level_packages_depend_one_way(package):
    allowed = set(LAYERS[: LAYERS.index(package)])
    assert package_imports()[package] <= allowed


def test_the_layer_check_sees_the_generator_using_the_core_and_the_face():
    assert package_imports()["workbook_templates"] == {"csmetrics", "udfs"}
    assert package_imports()["udfs"] == {"csmetrics"}
