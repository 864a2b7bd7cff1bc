"""The template contract: what each template workbook holds, and where the files are.

The template generator (``workbook_templates/build_templates.py``) writes workbooks to this
contract and the batch filler fills them by it, so both import it from here: the report
engine never imports the generator. The KPIs of each section come from the catalogue
(:data:`csmetrics.kpis.KPIS`, field ``shown``); this module fixes the order of the
sections, the Inputs tables and the blocks' sizes.
"""

import importlib.util
from pathlib import Path

from csmetrics.kpis import COHORTS, KPIS, MONTHLY, NPS_SURVEY, RECEIVABLES, UNIT_ECONOMICS
from csmetrics.report.labels import LANGUAGES
from csmetrics.report.selection import INPUT_TABLES
from csmetrics.tables.accounts import TOP_COLUMNS, TOP_KINDS
from csmetrics.tables.receivables import OVERDUE_COLUMNS
from csmetrics.tables.schema import TABLES

TEMPLATE_NAMES = (MONTHLY, NPS_SURVEY, RECEIVABLES, UNIT_ECONOMICS, COHORTS)

SECTION_ORDER = {
    MONTHLY: ("section_mrr", "section_customers", "section_revenue_retention",
              "section_experience", "section_orders", "section_receivables",
              "section_unit_economics"),
    NPS_SURVEY: ("section_experience",),
    RECEIVABLES: ("section_receivables", "section_ageing"),
    UNIT_ECONOMICS: ("section_customers", "section_mrr", "section_unit_economics"),
    COHORTS: ("section_customers",),
}
"""The KPI blocks of each template, top to bottom (section text keys)."""

TEMPLATE_SECTIONS = {
    name: tuple(
        (section, tuple(kpi.key for kpi in KPIS if (name, section) in kpi.shown))
        for section in sections
    )
    for name, sections in SECTION_ORDER.items()
}
"""Each template's KPI block: (section text key, KPI keys) in the order shown."""

TEMPLATE_KPIS = {
    name: tuple(key for _, keys in sections for key in keys)
    for name, sections in TEMPLATE_SECTIONS.items()
}
"""The KPI keys each template shows, one ``kpi_<key>`` cell each."""

TABLE_COLUMNS = {
    excel: tuple(column.name for column in TABLES[table].columns if column.in_templates)
    for excel, table in INPUT_TABLES.items()
}
"""The columns of each Inputs table, in order (header row of the Excel Table): the
columns of the input table of :mod:`csmetrics.tables.schema` it is filled from (those
``in_templates``)."""

TEMPLATE_TABLES = {
    MONTHLY: tuple(TABLE_COLUMNS),
    NPS_SURVEY: ("SurveyData",),
    RECEIVABLES: ("InvoiceData",),
    UNIT_ECONOMICS: ("MrrData", "SpendData"),
    COHORTS: ("MrrData",),
}
"""The Inputs tables each template holds, left to right."""

TEMPLATE_NEEDS = {
    MONTHLY: ("mrr",),
    NPS_SURVEY: ("surveys",),
    RECEIVABLES: ("invoices",),
    UNIT_ECONOMICS: ("mrr", "spend"),
    COHORTS: ("mrr",),
}
"""The ``Dataset`` tables without which a template is not written (its report would show
nothing but blanks): skipped by default, an error when asked for by ``--template``."""

HEADLINE_KEYS = ("mrr_end", "arr", "net_new_mrr", "nrr_12m", "logo_churn", "nps")
"""The headline strip at the top of the monthly KPI report: each with its prior month and
change, coloured by the KPI's direction."""

TOP_ROWS = 10
"""Rows of each list of accounts (``top_<kind>`` blocks): the largest first, the rest
blank."""

TOP_LISTS = {
    MONTHLY: tuple(f"top_{kind}" for kind in TOP_KINDS),
    RECEIVABLES: ("top_overdue",),
}
"""The lists of accounts on each template's Report sheet, one named block of
:data:`TOP_ROWS` rows each: the month's largest churned, new, contracted and expanded
accounts (:func:`csmetrics.tables.accounts.top_movements`; the monthly report shows them
one under the other, the churned accounts on the page of the NPS answers, the other three
on the last page), the largest overdue invoices
(:func:`csmetrics.tables.receivables.top_overdue`)."""

TOP_LIST_COLUMNS = {
    **{f"top_{kind}": TOP_COLUMNS for kind in TOP_KINDS},
    "top_overdue": OVERDUE_COLUMNS,
}
"""The columns of each list's block, left to right."""

COHORT_SIZES_NAME = "cohort_sizes"
"""The two columns beside the cohort triangle's rows: each cohort's customers and starting
MRR (:func:`csmetrics.tables.cohorts.cohort_sizes`)."""

NOTES_NAME = "report_notes"
"""The Report sheet's column beside the KPI block where the filler says why a figure is
blank ("no CSAT answers in 2026-03")."""

TARGETS_NAME = "report_targets"
"""The monthly report's Target column beside the KPI block: the filler writes each KPI's
target from the ``targets`` table (empty without one); the Status column beside it says,
by a native formula, whether the month's value meets it (the KPI's direction)."""

SUMMARY_NAME = "report_summary"
"""The monthly report's written summary below the headline strip: one cell (merged over
the width of the KPI block) the filler writes (:mod:`csmetrics.report.written_summary`)."""

TREND_KEYS = tuple(kpi.key for kpi in KPIS if kpi.trend)
"""The ``trend_<key>`` columns of the monthly report's Trend sheet."""

TREND_MONTHS = 12
"""Months of the Trend sheet, the report month last."""

COHORT_AGES = 24
"""Months since first payment shown in the cohort table (0 to 23)."""

COHORT_TABLE_SIZE = COHORT_AGES + 1
"""The ``cohort_table`` block is 25 x 25: a header row and column, then 24 x 24 shares."""

REVENUE_COHORT_NAME = "revenue_cohort_table"
"""The revenue-retention triangle below the logo one, the same 25 x 25 layout: each
cohort's MRR n months after its first month over its starting MRR (the ``cohort_sizes``
column beside the logo triangle); expansion can take a share above 100 %."""


def template_path(name, lang="en"):
    """Path of the committed template ``name`` in language ``lang``.

    The files are package data of ``workbook_templates``; the path is found without
    importing that package (it builds the files and imports this one).

    Examples
    --------
    >>> template_path("nps_survey", "fr").parts[-3:]
    ('workbook_templates', 'fr', 'nps_survey.xlsx')
    """
    if name not in TEMPLATE_NAMES:
        raise KeyError(f"unknown template {name!r}: use one of {', '.join(TEMPLATE_NAMES)}")
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    folder = Path(importlib.util.find_spec("workbook_templates").origin).parent
    return folder / lang / f"{name}.xlsx"
