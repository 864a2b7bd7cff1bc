"""The layers stay apart: the core never imports the Excel face or xlwings, only the
report engine writes workbooks with openpyxl, and the top-level packages depend one way:
``csmetrics`` (the core) <- ``udfs`` (the Excel face) <- ``workbook_templates`` (the
template generator, which renders the live ``CS_`` formulas through the UDF registry)."""

import ast
import subprocess
import sys
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


SCALE = CORE / "scale"


@pytest.mark.parametrize("path", [*CORE_FILES, *sorted((ROOT / "udfs").rglob("*.py"))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_scale_engine_imports_ibis(path):
    if {"ibis", "duckdb", "pyspark"} & imported_packages(path):
        assert SCALE in path.parents


def test_importing_the_core_and_the_face_and_computing_in_memory_never_loads_ibis():
    script = ("import sys, pandas as pd, csmetrics, udfs\n"
              "mrr = pd.DataFrame({'customer_id': ['A'], 'month': ['2024-01'], 'mrr': [1.0]})\n"
              "csmetrics.mrr_movements(mrr); csmetrics.monthly_metrics(mrr)\n"
              "csmetrics.cohort_retention(mrr)\n"
              "print(sorted({name.split('.')[0] for name in sys.modules} & {'ibis', 'duckdb'}))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.strip()
    assert loaded == "[]"


def test_the_ibis_check_sees_the_scale_engine():
    assert "ibis" in imported_packages(SCALE / "engine.py")
