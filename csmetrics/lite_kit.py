"""The xlwings Lite kit: the ``main.py`` and ``requirements.txt`` a user pastes into Lite.

xlwings Lite runs Python in Pyodide inside Excel (Windows, Mac, the web) and registers the
functions it finds in the workbook's ``main.py`` (https://lite.xlwings.org/custom-functions);
packages come from its ``requirements.txt`` tab (https://lite.xlwings.org/dependencies):
pure-Python ones such as csmetrics and xlwings are pinned as usual, while numpy and pandas
are Pyodide's own builds, tied to its version, and must not be pinned.

``main.py`` re-exports the ``udfs`` module's functions, the same ones the Windows add-in
imports; xlwings 0.36.7 or later is required (before it a blank cell reached a function as
Pyodide's ``JsNull``). This module only writes text: it imports neither xlwings nor udfs.
"""

from importlib.metadata import version

XLWINGS_FLOOR = "0.36.7"
KIT_FILES = ("main.py", "requirements.txt")

MAIN_PY = '''"""csmetrics' Excel functions in xlwings Lite: =CS_NPS(B2:B900), =CS_CRR(...).

Written by `csmetrics xlwings-lite` (csmetrics {version}). xlwings Lite registers every
function of this file that carries xlwings' @func decorator; the import below brings in
every CS_ function of csmetrics (and CS_EXPLAIN), decorated by csmetrics' `udfs` module,
the one the Windows add-in uses. The list with every argument: docs/functions.md in
csmetrics' repository.

To add a function of your own, write it below with xlwings' decorator, for example:

    from xlwings import func

    @func
    def my_margin(revenue, cost):
        return (revenue - cost) / revenue

then type =MY_MARGIN(B2, B3) in a cell. Give it a name that does not start with CS_.
"""

from udfs import *  # noqa: F403  (every CS_ function: udfs.__all__)
'''

REQUIREMENTS_TXT = """# csmetrics' Excel functions in xlwings Lite (csmetrics {version}).
# numpy and pandas come with Pyodide: do not pin them here.
csmetrics=={version}
xlwings>={xlwings_floor}
"""


def kit_files():
    """The kit's files and their text, for the installed csmetrics.

    Examples
    --------
    >>> files = kit_files()
    >>> sorted(files)
    ['main.py', 'requirements.txt']
    >>> [line for line in files["requirements.txt"].splitlines() if "xlwings" in line[:7]]
    ['xlwings>=0.36.7']
    """
    fields = {"version": version("csmetrics"), "xlwings_floor": XLWINGS_FLOOR}
    return {
        "main.py": MAIN_PY.format(**fields),
        "requirements.txt": REQUIREMENTS_TXT.format(**fields),
    }
