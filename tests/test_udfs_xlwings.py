"""The xlwings registration for real: xlwings Server's own code reads and calls ``udfs``.

On Linux the ``xlwings.func``/``xlwings.arg`` decorators are pass-through and accept any
mistake. With ``XLWINGS_ON_SERVER=true`` set before xlwings is first imported they are
xlwings Server's (also used by xlwings Lite): they check every ``arg`` against the
signature, and ``custom_functions_meta`` / ``custom_functions_call`` give what Office.js
registers and how it calls each function. That needs a fresh interpreter, so it runs in
a subprocess; ``noncommercial`` is xlwings' free licence key, accepted offline, used by
this test only (the library itself needs no key).
"""

import json
import os
import subprocess
import sys

import pytest
from excel_strategies import FACE_ERRORS

from udfs.registry import REGISTRY

SCRIPT = r"""
import asyncio, json, sys
import xlwings
import xlwings.server
import udfs

def call(func_name, *args):
    data = {"func_name": func_name, "args": list(args), "version": xlwings.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-US",
            "date_format": "M/d/yyyy"}
    return asyncio.run(xlwings.server.custom_functions_call(data, udfs))

na_cell = {"type": "Error", "basicType": "Error", "basicValue": "#N/A",
           "errorType": "NotAvailable"}
spill_cell = {"type": "Error", "basicType": "Error", "basicValue": "#SPILL!",
              "errorType": "Spill"}
python_cell = {"type": "Error", "basicType": "Error", "basicValue": "#PYTHON!",
               "errorType": "Python"}
out = {
    "meta": xlwings.server.custom_functions_meta(udfs),
    "crr": call("CS_CRR", [[70]], [[90]], [[30]]),
    "crr_zero_start": call("CS_CRR", [[0]], [[90]], [[30]]),
    "dso_blank_days": call("CS_DSO", [[150000]], [[1200000]], [[None]]),
    "dso_omitted_days": call("CS_DSO", [[150000]], [[1200000]], None),
    "crr_error_cell": call("CS_CRR", [[70]], [[na_cell]], [[30]]),
    "nps_error_in_range": call("CS_NPS", [[10], [9], [na_cell], [3]]),
    "nps_blanks_in_range": call("CS_NPS", [[10], [""], [None], ["n/a"], [3]]),
    "nps_spill_in_range": call("CS_NPS", [[10], [9], [spill_cell], [3]]),
    "crr_python_cell": call("CS_CRR", [[70]], [[python_cell]], [[30]]),
    "breakdown": call("CS_NPS_BREAKDOWN", [[10], [9], [8], [""], [6], [3]]),
    "explain": call("CS_EXPLAIN", [["CS_CRR"]], [[[0]], [[90]], [[30]]]),
    "movements": call("CS_MRR_MOVEMENTS", [["A"], ["A"], ["B"], [""]],
                      [["2025-01"], ["2025-02"], ["2025-02"], [""]], [[10], [25], [5], [""]]),
    "cohorts_blank_mode": call("CS_COHORT_RETENTION", [["A"], ["A"]],
                               [["2025-01"], ["2025-02"]], [[10], [25]], [[None]]),
}
try:
    xlwings.arg("customers_begin", doc="A misspelt argument.")(udfs.CS_CRR)
except Exception as error:
    out["misnamed_arg"] = str(error)
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """What xlwings Server makes of ``udfs``: registration metadata and some calls."""
    path = tmp_path_factory.mktemp("xlwings") / "out.json"
    env = {
        **os.environ,
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "CSMETRICS_STRICT_UDFS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(path.read_text())


def excel_error(name):
    """An Excel error value as xlwings hands it to Office.js (runtime 1.4)."""
    types = {"#DIV/0!": "Div0", "#NUM!": "Num", "#VALUE!": "Value", "#N/A": "NotAvailable"}
    return {"type": "Error", "errorType": types[name]}


def test_every_function_is_registered_with_its_help_and_argument_docs(server):
    functions = {f["id"]: f for f in server["meta"]["functions"]}
    assert set(functions) == {spec.excel_name for spec in REGISTRY} | {"CS_EXPLAIN"}
    for spec in REGISTRY:
        meta = functions[spec.excel_name]
        assert meta["name"] == spec.excel_name
        assert meta["description"] == spec.help
        assert [p["name"] for p in meta["parameters"]] == [a.name for a in spec.args]
        for param, arg in zip(meta["parameters"], spec.args, strict=True):
            assert param["description"] == arg.doc
            assert not param["description"].startswith("Positional argument")
            assert param.get("optional", False) == arg.optional
    explain = functions["CS_EXPLAIN"]["parameters"]
    assert [p["name"] for p in explain] == ["function_name", "arguments"]
    assert explain[1]["repeating"] is True


def test_office_js_calls_give_numbers_spills_and_real_errors(server):
    assert server["crr"] == [[pytest.approx(60 / 70)]]
    assert server["crr_zero_start"] == [[excel_error("#DIV/0!")]]
    assert server["dso_blank_days"] == server["dso_omitted_days"] == [[45.625]]
    assert server["nps_blanks_in_range"] == [[0.0]]
    assert server["breakdown"][0][0] == "promoters"
    assert server["breakdown"][1] == [2.0, 1.0, 2.0, 5.0, 0.4, 0.2, 0.4, 0.0]
    assert server["explain"] == [["CS_CRR: customers_start must be > 0, got 0"]]
    assert set(FACE_ERRORS) == {"#DIV/0!", "#NUM!", "#VALUE!", "#N/A"}


def test_error_cells_arrive_as_errors_and_pass_through(server):
    # Without err_to_str=True xlwings would hand the #N/A cells over as blanks: CS_CRR
    # would say #VALUE! and CS_NPS would skip the cell and answer 0.
    assert server["crr_error_cell"] == [[excel_error("#N/A")]]
    assert server["nps_error_in_range"] == [[excel_error("#N/A")]]


def test_newer_error_cells_arrive_as_their_text_and_pass_through_as_text(server):
    """Office.js hands an error cell over as an error object; xlwings (``pro/_xlofficejs.py``)
    gives the UDF its ``basicValue``, "#SPILL!", which csmetrics passes on. xlwings turns
    only the seven classic error texts back into error objects (``errorstr_to_errortype``),
    so a #SPILL! or #PYTHON! comes out as its text; skipped instead, the #SPILL! would
    leave answers 10, 9 and 3 and an NPS of (2 - 1) / 3 x 100 = 33.3."""
    assert server["nps_spill_in_range"] == [["#SPILL!"]]
    assert server["crr_python_cell"] == [["#PYTHON!"]]


def test_xlwings_rejects_an_arg_that_names_no_parameter(server):
    assert server["misnamed_arg"] == "Invalid argument name 'customers_begin'."


def test_table_metrics_spill_with_months_as_excel_dates(server):
    header, january, february = server["movements"]
    assert header[:3] == ["month", "mrr_start", "new"]
    assert january[:8] == [45658.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 10.0]  # 2025-01-01
    assert february[:8] == [45689.0, 10.0, 5.0, 15.0, 0.0, 0.0, 0.0, 30.0]
    assert server["cohorts_blank_mode"] == [["cohort", "0", "1"], [45658.0, 1.0, 1.0]]
