"""The registry is complete and consistent: API names, core signatures, help, docs, tests."""

import inspect
import re
from pathlib import Path

import pytest
from generated_pages import page_on_disk_and_rendered
from known_values import KNOWN_VALUES
from shared_folder import SHARED

import csmetrics
import udfs
from udfs.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
API_MD = SHARED / "API.md"
EXCEL_HELP_LIMIT = 255  # Application.MacroOptions truncates descriptions to 255 characters
SPECS = [pytest.param(spec, id=spec.excel_name) for spec in REGISTRY]


def api_scalar_names():
    """(Excel name, Python name) pairs of API.md's scalar metrics table."""
    text = API_MD.read_text(encoding="utf-8")
    table = text.split("## Scalar metrics")[1].split("\n## ")[0]
    return re.findall(r"^\| `(CS_\w+)` \| `(\w+)` \|", table, flags=re.MULTILINE)


def test_every_api_scalar_function_is_registered_and_exposed():
    pairs = api_scalar_names()
    assert len(pairs) >= 25
    registered = {spec.excel_name: spec.core.__name__ for spec in REGISTRY}
    for excel_name, python_name in pairs:
        assert registered.get(excel_name) == python_name, excel_name
        assert callable(getattr(udfs, excel_name))


def test_every_public_core_function_has_an_excel_function():
    metrics = {*csmetrics.SCALAR_METRICS, *csmetrics.TABLE_METRICS}
    assert metrics == {spec.core for spec in REGISTRY}


def test_excel_names_are_unique_upper_case_and_exposed():
    names = [spec.excel_name for spec in REGISTRY]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"CS_[A-Z0-9_]+", name)
        assert getattr(udfs, name).__name__ == name
    assert set(udfs.__all__) == {*names, "CS_EXPLAIN", "UDFS"}


@pytest.mark.parametrize("spec", SPECS)
def test_help_and_argument_docs_fit_excel(spec):
    assert spec.help and len(spec.help) <= EXCEL_HELP_LIMIT and "\n" not in spec.help
    for arg in spec.args:
        assert arg.name.isidentifier() and arg.name == arg.name.lower()
        assert arg.doc and len(arg.doc) <= EXCEL_HELP_LIMIT, arg.name


@pytest.mark.parametrize("spec", SPECS)
def test_arguments_map_onto_the_core_signature(spec):
    core = inspect.signature(spec.core).parameters
    keywords = [arg.keyword for arg in spec.args]
    assert len(keywords) == len(set(keywords))
    # A table metric's columns go through its ``inputs`` adapter; its options go straight on.
    adapted = set(inspect.signature(spec.inputs).parameters) if spec.inputs else set()
    required = {name for name, p in core.items() if p.default is inspect.Parameter.empty}
    assert required <= set(keywords) or spec.inputs
    for arg in spec.args:
        if arg.keyword in adapted:
            continue
        assert arg.keyword in core, arg.keyword
        if arg.optional:
            assert arg.default == core[arg.keyword].default, arg.name


@pytest.mark.parametrize("spec", SPECS)
def test_udf_signature_and_help_are_the_registry_entry(spec):
    function = getattr(udfs, spec.excel_name)
    parameters = inspect.signature(function).parameters
    assert list(parameters) == [arg.name for arg in spec.args]
    for arg in spec.args:
        optional = parameters[arg.name].default is not inspect.Parameter.empty
        assert optional == arg.optional
    assert function.__doc__ == spec.help


@pytest.mark.parametrize("spec", SPECS)
def test_every_function_has_a_known_value_and_a_docs_entry(spec):
    # The table metrics are checked against the engine instead (tests/test_udfs_tables.py).
    if spec.core not in csmetrics.TABLE_METRICS:
        assert spec.core.__name__ in {row.function for row in KNOWN_VALUES}
    docs = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    assert f"\n## {spec.excel_name}\n" in docs
    for arg in spec.args:
        assert f"| {arg.name} |" in docs


def test_docs_page_is_up_to_date():
    on_disk, rendered = page_on_disk_and_rendered("build_function_docs", "functions.md")
    assert on_disk == rendered, "docs/functions.md is stale: run `make docs`"


def test_the_seed_files_the_known_values_cite_exist():
    cited = {
        name for row in KNOWN_VALUES
        for name in re.findall(r"\.\./shared/seeds/(\S+?\.txt)", row.source)
    }
    assert len(cited) >= 3
    assert all((SHARED / "seeds" / name).is_file() for name in cited), cited
