"""The template workbooks: the generator and the committed ``.xlsx`` files.

The ``.xlsx`` files under ``<lang>/`` are written by ``build_templates.py`` (``make
templates``) and committed; a test fails when they differ from what the generator makes.
What each template holds (the ``kpi_<key>`` cells, sections, Inputs tables) is the
report contract of :mod:`csmetrics.report.layout`, re-exported here; the batch filler
reads it from there, so the report engine never imports this package.
"""

from csmetrics.kpis import NUMBER_FORMATS
from csmetrics.report.cells import MONTH_FORMAT
from csmetrics.report.labels import LANGUAGES
from csmetrics.report.layout import (
    COHORT_SIZES_NAME,
    COHORT_TABLE_SIZE,
    HEADLINE_KEYS,
    NOTES_NAME,
    REVENUE_COHORT_NAME,
    SUMMARY_NAME,
    TABLE_COLUMNS,
    TARGETS_NAME,
    TEMPLATE_KPIS,
    TEMPLATE_NAMES,
    TEMPLATE_NEEDS,
    TEMPLATE_SECTIONS,
    TEMPLATE_TABLES,
    TOP_LIST_COLUMNS,
    TOP_LISTS,
    TOP_ROWS,
    TREND_KEYS,
    TREND_MONTHS,
    template_path,
)

__all__ = [
    "COHORT_SIZES_NAME",
    "COHORT_TABLE_SIZE",
    "HEADLINE_KEYS",
    "LANGUAGES",
    "MONTH_FORMAT",
    "NOTES_NAME",
    "NUMBER_FORMATS",
    "REVENUE_COHORT_NAME",
    "SUMMARY_NAME",
    "TABLE_COLUMNS",
    "TARGETS_NAME",
    "TEMPLATE_KPIS",
    "TEMPLATE_NAMES",
    "TEMPLATE_NEEDS",
    "TEMPLATE_SECTIONS",
    "TEMPLATE_TABLES",
    "TOP_LISTS",
    "TOP_LIST_COLUMNS",
    "TOP_ROWS",
    "TREND_KEYS",
    "TREND_MONTHS",
    "template_path",
]
