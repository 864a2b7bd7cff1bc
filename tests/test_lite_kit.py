"""The xlwings Lite kit as Lite would load it: xlwings' own code registers and calls the
generated ``main.py``.

``csmetrics xlwings-lite`` writes ``main.py`` and ``requirements.txt``. A subprocess loads
that ``main.py`` the way xlwings Lite does (xlwings' Server/Lite decorators, set by
``XLWINGS_ON_SERVER=true``), runs ``custom_functions_meta`` and ``custom_functions_call`` on
it, as ``tests/test_udfs_xlwings.py`` does for ``udfs``, with blank, error and ``JsNull``
cells. Pyodide is not here: a stand-in ``pyodide.ffi`` module gives xlwings the ``JsNull``
class it checks for, and ``JsNull`` objects go into the calls where Lite puts them.
"""

import json
import os
import subprocess
import sys

import pytest

from csmetrics.cli import main
from udfs.registry import REGISTRY

SCRIPT = r"""
import asyncio, json, sys, types

class JsNull:
    pass

ffi = types.ModuleType("pyodide.ffi")
ffi.JsNull = JsNull
sys.modules["pyodide"] = types.ModuleType("pyodide")
sys.modules["pyodide.ffi"] = ffi
sys.path.insert(0, sys.argv[1])

import xlwings
import xlwings.server
import main

def call(func_name, *args):
    data = {"func_name": func_name, "args": list(args), "version": xlwings.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-US",
            "date_format": "M/d/yyyy"}
    return asyncio.run(xlwings.server.custom_functions_call(data, main))

blank = JsNull()
na_cell = {"type": "Error", "basicType": "Error", "basicValue": "#N/A",
           "errorType": "NotAvailable"}
out = {
    "meta": xlwings.server.custom_functions_meta(main),
    "nps": call("CS_NPS", [[10], [9], [8], [6], [3]]),
    "nps_blank_cells": call("CS_NPS", [[10], [""], [None], [blank], ["n/a"], [3]]),
    "nps_error_cell": call("CS_NPS", [[10], [na_cell], [3]]),
    "nps_only_blanks": call("CS_NPS", [[blank], [blank]]),
    "dso_jsnull_days": call("CS_DSO", [[150000]], [[1200000]], blank),
    "crr_jsnull_start": call("CS_CRR", blank, [[90]], [[30]]),
    "movements_jsnull_row": call("CS_MRR_MOVEMENTS", [["A"], [blank]], [["2025-01"], [blank]],
                                 [[10], [blank]]),
    "own": call("my_margin", [[200]], [[150]]),
}
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
"""

OWN_FUNCTION = '''

from xlwings import func


@func
def my_margin(revenue, cost):
    return (revenue - cost) / revenue
'''


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite")
    assert main(["xlwings-lite", "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def lite(kit, tmp_path_factory):
    """What xlwings makes of the generated main.py, with a function of the user's added."""
    with (kit / "main.py").open("a", encoding="utf-8") as main_py:
        main_py.write(OWN_FUNCTION)
    out = tmp_path_factory.mktemp("lite-out") / "out.json"
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial",
           "CSMETRICS_STRICT_UDFS": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(kit), str(out)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def test_main_py_registers_every_cs_function_and_the_users_own(lite):
    functions = {f["id"]: f for f in lite["meta"]["functions"]}
    expected = {spec.excel_name for spec in REGISTRY} | {"CS_EXPLAIN", "MY_MARGIN"}
    assert set(functions) == expected
    nps = functions["CS_NPS"]
    assert nps["name"] == "CS_NPS" and [p["name"] for p in nps["parameters"]] == ["scores"]


def test_blank_error_and_jsnull_cells_as_lite_hands_them_over(lite):
    assert lite["nps"] == [[0.0]]
    assert lite["nps_blank_cells"] == [[0.0]]
    assert lite["nps_error_cell"] == [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert lite["nps_only_blanks"] == [[{"type": "Error", "errorType": "Div0"}]]
    assert lite["dso_jsnull_days"] == [[45.625]]
    assert lite["crr_jsnull_start"] == [[{"type": "Error", "errorType": "Value"}]]
    assert lite["movements_jsnull_row"][1][:8] == [45658.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 10.0]
    assert lite["own"] == [[0.25]]


def test_requirements_pin_csmetrics_and_xlwings_but_not_pyodides_own(kit):
    lines = [line for line in (kit / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    from importlib.metadata import version

    assert lines == [f"csmetrics=={version('csmetrics')}", "xlwings>=0.36.7"]


def test_the_kit_is_not_written_over_existing_files(kit, capsys):
    before = (kit / "requirements.txt").read_text()
    (kit / "requirements.txt").write_text("mine\n")
    assert main(["xlwings-lite", "--out", str(kit)]) == 1
    assert "already exist" in capsys.readouterr().err
    assert (kit / "requirements.txt").read_text() == "mine\n"
    assert main(["xlwings-lite", "--out", str(kit), "--overwrite"]) == 0
    assert (kit / "requirements.txt").read_text() == before
