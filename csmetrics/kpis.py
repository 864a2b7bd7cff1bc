"""The KPI catalogue: one row per monthly KPI, the single definition every layer reads.

One :class:`Kpi` row says what a monthly KPI is: its key (the column of
``monthly_metrics``, the ``kpi_<key>`` cell of the templates), its kind (how it is shown),
the core function that computes it and the engine columns it takes, the native
spreadsheet expression of the ratio, the template sections it appears in and its source
articles. From these rows, and nowhere else, come:

- the engine's ratio columns (:func:`csmetrics.tables.monthly.ratio_columns`);
- the live template formulas, ``CS_`` functions found through the UDF registry, and the
  native template formulas (:mod:`workbook_templates.formulas`);
- the Audit sheet's ratio checks (:mod:`csmetrics.report.audit_checks`);
- the ``kpi_<key>`` names, number formats and sections of the templates
  (:mod:`csmetrics.report.layout`) and the docs page ``docs/kpis.md``.

The names and definitions people read are in the translators' files
``csmetrics/report/texts/<lang>.json``. How to add a KPI: ``CONTRIBUTING.md``.

Placeholders in ``native`` (and in :data:`DERIVED`) name other KPIs or the engine
columns of :data:`ENGINE_COLUMNS`; each consumer renders them with its own references.

Examples
--------
>>> KPI_BY_KEY["crr"].native
'({customers_end}-{customers_new})/{customers_start}'
>>> KPI_BY_KEY["crr"].name, KPI_BY_KEY["crr"].number_format
('kpi_crr', '0.0%')
"""

from collections.abc import Callable
from string import Formatter
from typing import NamedTuple

from csmetrics.receivables import days_sales_outstanding
from csmetrics.retention import (
    customer_churn_rate,
    customer_retention_rate,
    logo_quick_ratio,
    product_return_rate,
    repeat_purchase_rate,
)
from csmetrics.revenue import (
    arpa,
    expansion_mrr_rate,
    gross_mrr_churn_rate,
    gross_revenue_retention,
    mrr_churn_rate,
    net_mrr_churn_rate,
    net_revenue_retention,
    quick_ratio,
    revenue_growth_rate,
)
from csmetrics.satisfaction import first_contact_resolution_rate
from csmetrics.unit_economics import (
    cac_payback_months,
    clv_cac_ratio,
    customer_acquisition_cost,
    subscription_ltv,
)

MONTHS_PER_YEAR = 12
"""Months in a year: ARR is 12 x MRR, the year figures look 12 months back."""

UP = 1
DOWN = -1
NEUTRAL = 0
"""Directions: a KPI whose rise is good news (MRR, NRR), bad news (churn, DSO), or
neither (the MRR at the start, the NPS margin of error)."""

MONEY = "money"
PERCENT = "percent"
COUNT = "count"
DAYS = "days"
MONTHS = "months"
RATIO = "ratio"
SCORE = "score"

NUMBER_FORMATS = {
    PERCENT: "0.0%",
    MONEY: "#,##0.00",
    COUNT: "#,##0",
    DAYS: "0.0",
    MONTHS: "0.0",
    RATIO: "0.00",
    SCORE: "0.0",
}
"""The spreadsheet number format of each kind (templates, filled reports, Audit)."""

CHANGE_FORMATS = {
    PERCENT: '+0.0" pp";-0.0" pp";0.0" pp"',
    MONEY: "+#,##0.00;-#,##0.00;0.00",
    COUNT: "+#,##0;-#,##0;0",
    DAYS: "+0.0;-0.0;0.0",
    MONTHS: "+0.0;-0.0;0.0",
    RATIO: "+0.00;-0.00;0.00",
    SCORE: "+0.0;-0.0;0.0",
}
"""The format of a month-on-month change of each kind: signed, rates in percentage points
(the change of a rate is multiplied by :data:`POINTS`)."""

POINTS = 100
"""Percentage points per unit of a rate: 0.021 - 0.015 is +0.6 pp."""

MONTHLY = "monthly_kpi_report"
NPS_SURVEY = "nps_survey"
RECEIVABLES = "receivables_dso"
UNIT_ECONOMICS = "unit_economics"
COHORTS = "cohort_retention"


class Kpi(NamedTuple):
    """One monthly KPI of the catalogue.

    Attributes
    ----------
    key : str
        Column of ``monthly_metrics``; ``kpi_<key>`` in the templates.
    kind : str
        One of the kinds above: how the value is formatted.
    core : callable or None
        The core function computing it (None for the sums and counts of the engine).
    args : tuple of str
        For a ratio: the engine columns (KPI keys or :data:`ENGINE_COLUMNS`) passed to
        ``core``, in order; the live formula passes the same, in the same order.
    native : str or None
        For a ratio: its expression in plain spreadsheet arithmetic over placeholders.
        For a KPI without ``core`` (``arr``, ``net_new_mrr``): the arithmetic over other
        KPIs the templates and the Audit sheet compute it by, where the engine computes
        it in its table module (:mod:`csmetrics.tables.annual`).
    shown : tuple of (str, str)
        ``(template, section)`` of each template block it appears in; within a section
        the KPIs follow the catalogue's order.
    trend : bool
        Shown as a 12-month column of the monthly report's Trend sheet.
    sources : tuple of str
        Source articles (``shared/seeds`` numbers); empty for a standard definition.
    direction : int
        :data:`UP` when a rise is good news, :data:`DOWN` when it is bad news, else
        :data:`NEUTRAL`: the colour of its change (green good, red bad).
    blank_reason : str
        Why it is blank in a month without its data or with a zero denominator: the text
        key of the note the report writes beside it (``no_csat_answers``: "no CSAT
        answers in 2026-03"; words in ``csmetrics/report/texts``), ``no_data`` unless a
        sharper reason applies.
    """

    key: str
    kind: str
    core: Callable | None = None
    args: tuple = ()
    native: str | None = None
    shown: tuple = ()
    trend: bool = False
    sources: tuple = ()
    direction: int = NEUTRAL
    blank_reason: str = "no_data"

    @property
    def name(self):
        """The workbook name of its cell: ``kpi_<key>``."""
        return f"kpi_{self.key}"

    @property
    def number_format(self):
        """The number format of its kind."""
        return NUMBER_FORMATS[self.kind]

    @property
    def change_format(self):
        """The format of its month-on-month change (signed; rates in pp)."""
        return CHANGE_FORMATS[self.kind]

    @property
    def change_scale(self):
        """What a change is multiplied by to be shown: :data:`POINTS` for a rate."""
        return POINTS if self.kind == PERCENT else 1

    @property
    def is_ratio(self):
        """True when the engine computes it from other columns with ``core``."""
        return bool(self.args)


def _in(*places):
    """``("template:section", ...)`` as ``((template, section), ...)``."""
    return tuple(tuple(place.split(":")) for place in places)


_MRR = (f"{MONTHLY}:section_mrr",)
_CUSTOMERS = (f"{MONTHLY}:section_customers", f"{UNIT_ECONOMICS}:section_customers",
              f"{COHORTS}:section_customers")
_RETENTION = (f"{MONTHLY}:section_revenue_retention",)
_RECEIVABLES = (f"{MONTHLY}:section_receivables", f"{RECEIVABLES}:section_receivables")
_AGEING = (f"{RECEIVABLES}:section_ageing",)
_UNIT = (f"{MONTHLY}:section_unit_economics", f"{UNIT_ECONOMICS}:section_unit_economics")

KPIS = (
    Kpi("mrr_start", MONEY, shown=_in(*_MRR), trend=True),
    Kpi("new", MONEY, shown=_in(*_MRR), trend=True, direction=UP),
    Kpi("expansion", MONEY, shown=_in(*_MRR), trend=True, sources=("001", "004"), direction=UP),
    Kpi("reactivation", MONEY, shown=_in(*_MRR), trend=True, direction=UP),
    Kpi("contraction", MONEY, shown=_in(*_MRR), trend=True, direction=DOWN),
    Kpi("churned", MONEY, shown=_in(*_MRR), trend=True, direction=DOWN),
    Kpi("fx_impact", MONEY,
        native="{mrr_end}-{mrr_start}-{new}-{expansion}-{reactivation}+{contraction}+{churned}",
        shown=_in(*_MRR)),
    Kpi("mrr_end", MONEY, shown=_in(*_MRR, f"{UNIT_ECONOMICS}:section_mrr"), trend=True,
        sources=("001", "003"), direction=UP),
    Kpi("net_new_mrr", MONEY, native="{mrr_end}-{mrr_start}", shown=_in(*_MRR), trend=True,
        direction=UP),
    Kpi("arr", MONEY, native=f"{MONTHS_PER_YEAR}*{{mrr_end}}", shown=_in(*_MRR), trend=True,
        direction=UP),
    Kpi("customers_start", COUNT, shown=_in(*_CUSTOMERS), trend=True),
    Kpi("customers_new", COUNT, shown=_in(*_CUSTOMERS), trend=True, direction=UP),
    Kpi("customers_lost", COUNT, shown=_in(*_CUSTOMERS), trend=True, direction=DOWN),
    Kpi("customers_end", COUNT, shown=_in(*_CUSTOMERS), trend=True, direction=UP),
    Kpi("crr", PERCENT, customer_retention_rate,
        ("customers_start", "customers_end", "customers_new"),
        "({customers_end}-{customers_new})/{customers_start}",
        _in(f"{MONTHLY}:section_customers", f"{COHORTS}:section_customers"), True,
        ("001", "002"), direction=UP, blank_reason="no_customers_start"),
    Kpi("logo_churn", PERCENT, customer_churn_rate, ("customers_start", "customers_lost"),
        "{customers_lost}/{customers_start}", _in(*_CUSTOMERS), True,
        ("000", "001", "003", "004"), direction=DOWN, blank_reason="no_customers_start"),
    Kpi("gross_mrr_churn", PERCENT, gross_mrr_churn_rate,
        ("mrr_start", "churned", "contraction"), "({churned}+{contraction})/{mrr_start}",
        _in(*_RETENTION), sources=("004",), direction=DOWN, blank_reason="no_mrr_start"),
    Kpi("net_mrr_churn", PERCENT, net_mrr_churn_rate,
        ("mrr_start", "churned", "contraction", "expansion"),
        "({churned}+{contraction}-{expansion})/{mrr_start}", _in(*_RETENTION),
        sources=("004",), direction=DOWN, blank_reason="no_mrr_start"),
    Kpi("mrr_churn", PERCENT, mrr_churn_rate, ("mrr_start", "mrr_kept", "expansion"),
        "({churned}+{contraction}-{expansion})/{mrr_start}", sources=("000",), direction=DOWN,
        blank_reason="no_mrr_start"),
    Kpi("expansion_rate", PERCENT, expansion_mrr_rate, ("mrr_start", "expansion"),
        "{expansion}/{mrr_start}", _in(*_RETENTION), sources=("004",), direction=UP,
        blank_reason="no_mrr_start"),
    Kpi("grr", PERCENT, gross_revenue_retention, ("mrr_start", "churned", "contraction"),
        "({mrr_start}-{churned}-{contraction})/{mrr_start}", _in(*_RETENTION), True, direction=UP,
        blank_reason="no_mrr_start"),
    Kpi("nrr", PERCENT, net_revenue_retention,
        ("mrr_start", "churned", "contraction", "expansion"),
        "({mrr_start}-{churned}-{contraction}+{expansion})/{mrr_start}", _in(*_RETENTION),
        True, direction=UP, blank_reason="no_mrr_start"),
    Kpi("nrr_12m", PERCENT, shown=_in(*_RETENTION), direction=UP, blank_reason="no_year_ago"),
    Kpi("grr_12m", PERCENT, shown=_in(*_RETENTION), direction=UP, blank_reason="no_year_ago"),
    Kpi("logo_retention_12m", PERCENT, shown=_in(*_RETENTION), direction=UP,
        blank_reason="no_year_ago"),
    Kpi("mrr_growth_yoy", PERCENT, shown=_in(*_RETENTION), direction=UP,
        blank_reason="no_year_ago"),
    Kpi("revenue_growth", PERCENT, revenue_growth_rate, ("mrr_start", "mrr_end_existing"),
        "({expansion}-{contraction}-{churned})/{mrr_start}", _in(*_RETENTION),
        sources=("000",), direction=UP, blank_reason="no_mrr_start"),
    Kpi("quick_ratio", RATIO, quick_ratio,
        ("new", "expansion", "reactivation", "contraction", "churned"),
        "({new}+{expansion}+{reactivation})/({contraction}+{churned})", _in(*_RETENTION),
        direction=UP, blank_reason="no_mrr_lost"),
    Kpi("arpa", MONEY, arpa, ("mrr_end", "customers_end"), "{mrr_end}/{customers_end}",
        _in(*_RETENTION, f"{UNIT_ECONOMICS}:section_mrr"), True, ("001",), direction=UP,
        blank_reason="no_customers_end"),
    Kpi("logo_quick_ratio", RATIO, logo_quick_ratio, ("customers_new", "customers_lost"),
        "{customers_new}/{customers_lost}", _in(f"{MONTHLY}:section_customers"), direction=UP,
        blank_reason="no_customers_lost"),
    Kpi("logo_churn_12m", PERCENT, shown=_in(f"{MONTHLY}:section_customers",
                                             f"{UNIT_ECONOMICS}:section_customers"),
                                             direction=DOWN, blank_reason="short_history"),
    Kpi("nps", SCORE, shown=_in(f"{MONTHLY}:section_experience",
                                f"{NPS_SURVEY}:section_experience"),
        trend=True, sources=("000", "003", "004"), direction=UP, blank_reason="no_nps_answers"),
    Kpi("nps_moe", SCORE, shown=_in(f"{NPS_SURVEY}:section_experience"),
        blank_reason="no_nps_answers"),
    Kpi("nps_responses", COUNT, shown=_in(f"{MONTHLY}:section_experience",
                                          f"{NPS_SURVEY}:section_experience")),
    Kpi("csat", PERCENT, shown=_in(f"{MONTHLY}:section_experience"), sources=("003", "004"),
        direction=UP, blank_reason="no_csat_answers"),
    Kpi("ces", SCORE, shown=_in(f"{MONTHLY}:section_experience"), sources=("003", "004"),
        blank_reason="no_ces_answers"),
    Kpi("fcr", PERCENT, first_contact_resolution_rate, ("tickets_resolved", "tickets_opened"),
        "{tickets_resolved}/{tickets_opened}", _in(f"{MONTHLY}:section_experience"),
        sources=("001",), direction=UP, blank_reason="no_tickets"),
    Kpi("repeat_purchase_rate", PERCENT, repeat_purchase_rate, ("repeat_buyers", "buyers"),
        "{repeat_buyers}/{buyers}", _in(f"{MONTHLY}:section_orders"), sources=("000",),
        direction=UP, blank_reason="no_orders"),
    Kpi("return_rate", PERCENT, product_return_rate, ("units_returned", "units_sold"),
        "{units_returned}/{units_sold}", _in(f"{MONTHLY}:section_orders"), sources=("000",),
        direction=DOWN, blank_reason="no_orders"),
    Kpi("credit_sales", MONEY, shown=_in(*_RECEIVABLES)),
    Kpi("receivables", MONEY, shown=_in(*_RECEIVABLES)),
    Kpi("dso", DAYS, days_sales_outstanding, ("receivables", "credit_sales", "days"),
        "{receivables}/{credit_sales}*{days}", _in(*_RECEIVABLES), sources=("000",),
        direction=DOWN, blank_reason="no_credit_sales"),
    Kpi("dso_countback", DAYS, shown=_in(f"{RECEIVABLES}:section_receivables"), direction=DOWN,
        blank_reason="no_credit_sales"),
    Kpi("ar_current", MONEY, shown=_in(*_AGEING)),
    Kpi("ar_1_30", MONEY, shown=_in(*_AGEING)),
    Kpi("ar_31_60", MONEY, shown=_in(*_AGEING)),
    Kpi("ar_61_90", MONEY, shown=_in(*_AGEING)),
    Kpi("ar_over_90", MONEY, shown=_in(*_AGEING), direction=DOWN),
    Kpi("sales_marketing_cost", MONEY, shown=_in(*_UNIT), blank_reason="no_spend"),
    Kpi("cac", MONEY, customer_acquisition_cost, ("sales_marketing_cost", "customers_new"),
        "{sales_marketing_cost}/{customers_new}", _in(*_UNIT), sources=("003",), direction=DOWN,
        blank_reason="no_new_customers"),
    Kpi("ltv", MONEY, subscription_ltv, ("arpa", "gross_margin", "logo_churn"),
        "{arpa}*{gross_margin}/{logo_churn}", _in(*_UNIT), sources=("001", "003"), direction=UP,
        blank_reason="no_customers_lost"),
    Kpi("ltv_12m", MONEY, subscription_ltv, ("arpa", "gross_margin", "logo_churn_12m"),
        "{arpa}*{gross_margin}/{logo_churn_12m}", _in(*_UNIT), sources=("001", "003"),
        direction=UP, blank_reason="short_history"),
    Kpi("clv_cac", RATIO, clv_cac_ratio, ("ltv", "cac"), "{ltv}/{cac}", _in(*_UNIT),
        sources=("003",), direction=UP),
    Kpi("cac_payback_months", MONTHS, cac_payback_months, ("cac", "arpa", "gross_margin"),
        "{cac}/({arpa}*{gross_margin})", _in(*_UNIT), direction=DOWN),
)

KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}

RATIO_KPIS = tuple(kpi for kpi in KPIS if kpi.is_ratio)
"""The ratio layer: KPIs the engine computes from other columns, in catalogue order (a
ratio may take one listed before it: ``clv_cac`` takes ``ltv`` and ``cac``)."""

ARITHMETIC_KPIS = tuple(kpi for kpi in KPIS if kpi.native and not kpi.is_ratio)
"""KPIs the spreadsheets compute by plain arithmetic over other KPI cells (``12*{mrr_end}``)
and the engine computes on its own, from whole cents."""

DERIVED = {
    "mrr_kept": "{mrr_start}-{churned}-{contraction}",
    "mrr_end_existing": "{mrr_start}+{expansion}-{contraction}-{churned}",
}
"""Engine columns computed from KPI columns: the MRR left from the customers at the
start before (``mrr_kept``) and after (``mrr_end_existing``) their upgrades."""

ENGINE_COLUMNS = {
    "mrr_kept": "MRR at the end from the customers at the start, before upgrades",
    "mrr_end_existing": "MRR at the end from the customers at the start",
    "gross_margin": "the month's gross margin (spend table; 1.0 without one)",
    "days": "days in the month",
    "tickets_resolved": "tickets opened in the month resolved at the first contact",
    "tickets_opened": "tickets opened in the month",
    "repeat_buyers": "customers with two or more orders in the month",
    "buyers": "customers with an order in the month",
    "units_returned": "units returned on the month's orders",
    "units_sold": "units sold on the month's orders",
}
"""Columns a ratio takes that are not KPIs, with what they hold (docs, renderers)."""


def placeholders(expression):
    """The names an expression's ``{placeholders}`` refer to, in order of first use.

    >>> placeholders("({churned}+{contraction})/{mrr_start}")
    ('churned', 'contraction', 'mrr_start')
    """
    names = (name for _, name, _, _ in Formatter().parse(expression) if name)
    return tuple(dict.fromkeys(names))


def render(expression, references):
    """``expression`` with each placeholder replaced by its reference.

    >>> render("{mrr_end}/{customers_end}", {"mrr_end": "B9", "customers_end": "B13"})
    'B9/B13'
    """
    return expression.format_map({name: references[name] for name in placeholders(expression)})
