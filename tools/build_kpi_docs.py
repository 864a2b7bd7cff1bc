"""Write docs/kpis.md from the KPI catalogue: ``python tools/build_kpi_docs.py``.

One row per monthly KPI of ``csmetrics/kpis.py``: its key and ``kpi_`` name, English name,
kind and number format, the core function and Excel function computing it, the engine
columns it takes, its native spreadsheet expression, the templates showing it and its
sources. A test fails when the file on disk differs from what this script writes
(``make docs``).
"""

import sys
from pathlib import Path

from csmetrics.kpis import ENGINE_COLUMNS, KPIS
from csmetrics.report.labels import definition, label, source
from workbook_templates.formulas import EXCEL_NAMES

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "kpis.md"

INTRO = """\
# Monthly KPIs

Generated from the KPI catalogue `csmetrics/kpis.py` by `tools/build_kpi_docs.py` (`make
docs`); do not edit by hand. Each KPI is a column of `csmetrics.monthly_metrics`, a
`kpi_<key>` cell of the templates that show it, and, for a ratio, an Audit check of the
filled reports. A ratio is computed by its core function from the engine columns listed,
written in a live template as its `CS_` function over the same cells, and in a native
template and the Audit sheet as its native expression. Names and definitions in French
and Romanian are in `csmetrics/report/texts/`.
"""


def render():
    """The whole page."""
    parts = [INTRO, "## Catalogue\n", _table(), "## Definitions\n"]
    parts += [f"- **{label(kpi.key)}** (`{kpi.key}`): {definition(kpi.key)} "
              f"*{source(kpi.key)}.*" for kpi in KPIS]
    parts += ["", "## Engine columns\n", "Columns a ratio takes that are not KPIs.\n",
              "| column | holds |", "|---|---|"]
    parts += [f"| `{name}` | {what} |" for name, what in ENGINE_COLUMNS.items()]
    return "\n".join(parts) + "\n"


def _table():
    rows = ["| key | name | kind (format) | computed by | from | native | templates |",
            "|---|---|---|---|---|---|---|"]
    for kpi in KPIS:
        computed = "engine sums and counts"
        if kpi.core is not None:
            computed = f"`{kpi.core.__name__}`"
            if kpi.core in EXCEL_NAMES:
                computed += f" / `{EXCEL_NAMES[kpi.core]}`"
        shown = ", ".join(f"{template} ({section.removeprefix('section_')})"
                          for template, section in kpi.shown)
        rows.append(
            f"| `{kpi.key}` | {label(kpi.key)} | {kpi.kind} (`{kpi.number_format}`) "
            f"| {computed} | {', '.join(f'`{a}`' for a in kpi.args)} "
            f"| {f'`{kpi.native}`' if kpi.native else ''} | {shown} |"
        )
    return "\n".join(rows) + "\n"


def main():
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
