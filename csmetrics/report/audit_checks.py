"""The checks of the ``Audit`` sheet: native formulas that recompute the headline numbers.

Each :class:`Check` is one row of the sheet. Its formula is written in plain spreadsheet
functions (SUM, SUMIFS, COUNTIFS, SUMPRODUCT, AVERAGEIFS, NORMSINV) that Excel and
LibreOffice both know, over the rows written to the ``Inputs`` sheet. Placeholders:

- ``{MrrData[mrr]}``: the cells of a column of an ``Inputs`` table (header excluded);
- ``{Movements[current]}``: a column of the per-customer movements block of the sheet;
- ``{Cohort[current]}``: a column of its block of the customers paying 12 months earlier;
- ``{month}``, ``{prior_month}``, ``{next_month}``, ``{month_end}``, ``{days}``,
  ``{year_ago}``: the sheet's date cells (first days of months, last day of the report
  month, its days, the first day of the same month a year earlier);
- ``{crr}``, ``{nps_9}``: the recomputed value of another check, so rates are built from
  the recomputed counts and amounts, as the engine builds them.
- ``{code[churned]}``: a movement's word in the report's language, quoted (``"perdu"``):
  the movements block shows the words, so the formulas compare with the same words.

A check whose ``engine`` is a KPI key is compared with the engine's value of that key; a
check with ``engine=None`` is an identity whose expected value is 0.
"""

import math
from typing import NamedTuple

from csmetrics.kpis import (
    COUNT,
    KPI_BY_KEY,
    KPIS,
    MONEY,
    MONTHS_PER_YEAR,
    PERCENT,
    placeholders,
    render,
)
from csmetrics.report.layout import TOP_ROWS
from csmetrics.satisfaction import (
    CSAT_SATISFIED_MIN,
    DETRACTOR_MAX,
    NPS_SCALE,
    NPS_SCORES,
    PROMOTER_MIN,
)
from csmetrics.tables.economics import REVENUE_MARGIN
from csmetrics.tables.receivables import AGEING, ageing_bounds

CENT = 0.005
"""Money agrees when it differs by less than half a cent."""

EXACT = 1e-9
"""Rates, scores and counts agree when they differ by less than this."""


class Check(NamedTuple):
    """One recomputed number: label key, native formula, tables it reads, engine key, kind."""

    key: str
    formula: str
    tables: tuple
    engine: str | None
    kind: str

    @property
    def tolerance(self):
        """Half a cent for money, ``EXACT`` for everything else."""
        return CENT if self.kind == MONEY else EXACT


def _kpi(key, formula, *tables):
    return Check(key, formula, tables, key, KPI_BY_KEY[key].kind)


def _identity(key, formula, kind, *tables):
    return Check(key, formula, tables, None, kind)


def _in_month(table, column):
    """COUNTIFS/SUMIFS criteria pairs keeping the rows dated in the report month."""
    cells = "{" + table + "[" + column + "]}"
    return f'{cells},">="&{{month}},{cells},"<"&{{next_month}}'


_MRR = "MrrData"
_SAME_MONTH_MRR = "SUMIFS({MrrData[mrr]},{MrrData[month]},"

MRR_CHECKS = (
    _kpi("mrr_start", "=" + _SAME_MONTH_MRR + "{prior_month})", _MRR),
    _kpi("mrr_end", "=" + _SAME_MONTH_MRR + "{month})", _MRR),
    _kpi("new", "=SUMIFS({Movements[current]},{Movements[check]},{code[new]})", _MRR),
    _kpi(
        "expansion",
        "=SUMPRODUCT(({Movements[check]}={code[expansion]})"
        "*({Movements[current]}-{Movements[previous]}-{Movements[fx]}))",
        _MRR,
    ),
    _kpi(
        "contraction",
        "=SUMPRODUCT(({Movements[check]}={code[contraction]})"
        "*({Movements[previous]}+{Movements[fx]}-{Movements[current]}))",
        _MRR,
    ),
    _kpi("churned", "=SUMIFS({Movements[previous]},{Movements[check]},{code[churned]})", _MRR),
    _kpi(
        "reactivation",
        "=SUMIFS({Movements[current]},{Movements[check]},{code[reactivation]})",
        _MRR,
    ),
    Check("fx_impact", "=SUM({Movements[fx]})", (_MRR,), "fx_impact", MONEY),
    _identity(
        "bridge_difference",
        "={mrr_start}+{new}+{expansion}+{reactivation}-{contraction}-{churned}+{fx_impact}"
        "-{mrr_end}",
        MONEY,
        _MRR,
    ),
    Check("movements_start_total", "=SUM({Movements[previous]})", (_MRR,), "mrr_start", MONEY),
    Check("movements_end_total", "=SUM({Movements[current]})", (_MRR,), "mrr_end", MONEY),
    _identity(
        "movement_mismatches",
        "=SUMPRODUCT(--({Movements[movement]}<>{Movements[check]}))",
        COUNT,
        _MRR,
    ),
    _kpi("customers_start", '=COUNTIFS({MrrData[month]},{prior_month},{MrrData[mrr]},">0")', _MRR),
    _kpi("customers_end", '=COUNTIFS({MrrData[month]},{month},{MrrData[mrr]},">0")', _MRR),
    _kpi(
        "customers_new",
        "=COUNTIF({Movements[check]},{code[new]})"
        "+COUNTIF({Movements[check]},{code[reactivation]})",
        _MRR,
    ),
    _kpi("customers_lost", "=COUNTIF({Movements[check]},{code[churned]})", _MRR),
)

_YEAR_AGO_MRR = "SUMIFS({MrrData[mrr]},{MrrData[month]},{year_ago})"
_THEN, _NOW = "{Cohort[year_ago_mrr]}", "{Cohort[current]}"

YEAR_CHECKS = (
    _identity("cohort_difference", f"=SUM({_THEN})-{_YEAR_AGO_MRR}", MONEY, _MRR),
    _kpi("mrr_growth_yoy", f"=({{mrr_end}}-{_YEAR_AGO_MRR})/{_YEAR_AGO_MRR}", _MRR),
    _kpi("nrr_12m", f"=SUM({_NOW})/{_YEAR_AGO_MRR}", _MRR),
    _kpi("grr_12m", f"=SUMPRODUCT({_THEN}-({_THEN}>{_NOW})*({_THEN}-{_NOW}))/{_YEAR_AGO_MRR}",
         _MRR),
    _kpi(
        "logo_retention_12m",
        f'=COUNTIF({_NOW},">0")/COUNTIFS({{MrrData[month]}},{{year_ago}},{{MrrData[mrr]}},">0")',
        _MRR,
    ),
)
"""The 12-month figures, over the cohort block (one row per customer paying 12 months
earlier, its MRR then and now re-read from the Inputs rows of both months): the block's
MRR then adds up to the Inputs rows of that month (no customer left out or counted
twice); each customer's MRR now is capped at its MRR then, for GRR, by subtracting the
excess where there is one (``then - (then > now) * (then - now)``: plain arithmetic
that SUMPRODUCT evaluates alike in Excel and LibreOffice, where an ``IF`` or ``MIN``
over arrays inside it would need an array formula in older Excel). Without a month 12
months earlier both sides are empty: not applicable."""

_SURVEY = "SurveyData"
_NPS_ANSWERS = '{SurveyData[survey]},"nps",' + _in_month(_SURVEY, "date")
_NPS_MIN, _NPS_MAX = NPS_SCALE
_PROMOTERS = f"SUM({{nps_{PROMOTER_MIN}}}:{{nps_{_NPS_MAX}}})"
_DETRACTORS = f"SUM({{nps_{_NPS_MIN}}}:{{nps_{DETRACTOR_MAX}}})"

NPS_DISTRIBUTION_CHECKS = tuple(
    Check(
        f"nps_{score}",
        f"=COUNTIFS({_NPS_ANSWERS},{{SurveyData[score]}},{score})",
        (_SURVEY,),
        f"nps_{score}",
        COUNT,
    )
    for score in NPS_SCORES
)

SURVEY_CHECKS = (
    *NPS_DISTRIBUTION_CHECKS,
    _kpi("nps_responses", f"=COUNTIFS({_NPS_ANSWERS})", _SURVEY),
    _kpi("nps", f"=100*({_PROMOTERS}-{_DETRACTORS})/{{nps_responses}}", _SURVEY),
    _kpi(
        "nps_moe",
        f"=NORMSINV(0.975)*100*SQRT(({_PROMOTERS}/{{nps_responses}}"
        f"+{_DETRACTORS}/{{nps_responses}}"
        f"-(({_PROMOTERS}-{_DETRACTORS})/{{nps_responses}})^2)/{{nps_responses}})",
        _SURVEY,
    ),
    _kpi(
        "csat",
        '=COUNTIFS({SurveyData[survey]},"csat",' + _in_month(_SURVEY, "date")
        + f',{{SurveyData[score]}},">={CSAT_SATISFIED_MIN}")'
        + '/COUNTIFS({SurveyData[survey]},"csat",' + _in_month(_SURVEY, "date") + ")",
        _SURVEY,
    ),
    _kpi(
        "ces",
        '=AVERAGEIFS({SurveyData[score]},{SurveyData[survey]},"ces",'
        + _in_month(_SURVEY, "date") + ")",
        _SURVEY,
    ),
)

_INVOICE = "InvoiceData"
_ISSUED_BY_END = '{InvoiceData[issue_date]},"<="&{month_end}'
_PAID_BY_END = '{InvoiceData[paid_date]},"<="&{month_end}'


def _owed(*due_criteria):
    """SUMIFS of the invoices owed at month end (issued by then, not paid by then)."""
    criteria = "".join("," + c for c in due_criteria)
    issued = f"SUMIFS({{InvoiceData[amount]}},{_ISSUED_BY_END}{criteria})"
    paid = f"SUMIFS({{InvoiceData[amount]}},{_ISSUED_BY_END},{_PAID_BY_END}{criteria})"
    return f"={issued}-{paid}"


def _due(operator, days_before_end):
    """A due-date criterion relative to the month end: ``">="`` and 30 -> due >= end - 30."""
    day = f"({{month_end}}-{days_before_end})" if days_before_end else "{month_end}"
    return f'{{InvoiceData[due_date]}},"{operator}"&{day}'


def _bucket(above, up_to):
    """Due-date criteria of the invoices (above, up_to] days overdue at month end."""
    return (*(() if up_to is None else (_due(">=", up_to),)),
            *(() if above is None else (_due("<", above),)))


INVOICE_CHECKS = (
    _kpi(
        "credit_sales",
        "=SUMIFS({InvoiceData[amount]}," + _in_month(_INVOICE, "issue_date") + ")",
        _INVOICE,
    ),
    _kpi("receivables", _owed(), _INVOICE),
    *(
        _kpi(key, _owed(*_bucket(above, up_to)), _INVOICE)
        for key, (above, up_to) in zip(AGEING, ageing_bounds(), strict=True)
    ),
)

_SPEND = "SpendData"
_MARGIN = (
    f"IF(COUNT({{SpendData[gross_margin]}})=0,{REVENUE_MARGIN},"
    "SUMIFS({SpendData[gross_margin]},{SpendData[month]},{month})"
    "/MAX(1,COUNTIFS({SpendData[month]},{month})))"
)
"""The month's gross margin (the same on each of its spend rows, one per segment when spend
is split by segment), or the engine's revenue margin when the data gives none (no spend
table, or one without margins): the margin the engine's LTV used."""
SPEND_CHECKS = (
    _kpi(
        "sales_marketing_cost",
        "=SUMIFS({SpendData[sales_marketing_cost]},{SpendData[month]},{month})",
        _SPEND,
    ),
)

_ORDER = "OrderData"
_TICKET = "TicketData"

ENGINE_COLUMN_CHECKS = {
    "days": ("{days}", ()),
    "gross_margin": (_MARGIN, (_SPEND,)),
    "units_returned": (
        "SUMIFS({OrderData[units_returned]}," + _in_month(_ORDER, "order_date") + ")",
        (_ORDER,),
    ),
    "units_sold": (
        "SUMIFS({OrderData[units]}," + _in_month(_ORDER, "order_date") + ")", (_ORDER,)
    ),
    "tickets_resolved": (
        "COUNTIFS({TicketData[resolved_first_contact]},TRUE,"
        + _in_month(_TICKET, "opened_date") + ")",
        (_TICKET,),
    ),
    "tickets_opened": ("COUNTIFS(" + _in_month(_TICKET, "opened_date") + ")", (_TICKET,)),
}
"""The Audit's own aggregate, and its tables, of each engine column a ratio takes that is
not a KPI; a ratio taking a column not here (the repeat buyers) gets no check."""


def ratio_checks(aggregates):
    """The Audit check of each ratio of the catalogue (and of each KPI it computes by
    arithmetic over others, ``arr``): its native expression over the
    recomputed values of the checks it reads (``{customers_end}``) and the aggregates of
    :data:`ENGINE_COLUMN_CHECKS`, reading the tables they read.

    Examples
    --------
    >>> for check in ratio_checks(MRR_CHECKS)[:3]:
    ...     print(check.key, check.formula, check.tables)
    net_new_mrr ={mrr_end}-{mrr_start} ('MrrData',)
    arr =12*{mrr_end} ('MrrData',)
    crr =({customers_end}-{customers_new})/{customers_start} ('MrrData',)
    """
    tables_of = {check.key: check.tables for check in aggregates}
    checks = []
    for kpi in (kpi for kpi in KPIS if kpi.native and kpi.key not in tables_of):
        names = placeholders(kpi.native)
        if not all(name in tables_of or name in ENGINE_COLUMN_CHECKS for name in names):
            continue
        references = {
            name: ENGINE_COLUMN_CHECKS[name][0] if name in ENGINE_COLUMN_CHECKS else f"{{{name}}}"
            for name in names
        }
        tables = [
            table for name in names
            for table in (ENGINE_COLUMN_CHECKS[name][1] if name in ENGINE_COLUMN_CHECKS
                          else tables_of[name])
        ]
        check = _kpi(kpi.key, "=" + render(kpi.native, references), *dict.fromkeys(tables))
        tables_of[kpi.key] = check.tables
        checks.append(check)
    return tuple(checks)


_FIRST_PAID = "({Cohort[paid_before]}=0)"
_COHORT_START = f"SUMPRODUCT({_FIRST_PAID}*{_THEN})"

REVENUE_COHORT_CHECKS = (
    Check("revenue_cohort_start", f"=IF({_COHORT_START}=0,NA(),{_COHORT_START})", (_MRR,),
          "revenue_cohort_start", MONEY),
    Check("revenue_cohort_1",
          "=SUMPRODUCT(" + _FIRST_PAID + "*{Cohort[month_after_mrr]})/{revenue_cohort_start}",
          (_MRR,), "revenue_cohort_1", PERCENT),
    Check("revenue_cohort_12", f"=SUMPRODUCT({_FIRST_PAID}*{_NOW})/{{revenue_cohort_start}}",
          (_MRR,), "revenue_cohort_12", PERCENT),
)
"""Three numbers of the cohort report's revenue triangle, for the cohort that first paid 12
months before the report month: its starting MRR (``cohort_sizes``) and its shares 1 and 12
months later. Over the cohort block, whose rows (the customers paying in that month, their
MRR then, one month later and now re-read from the Inputs rows) the ``cohort_difference``
check holds complete; a customer is of the cohort when the Inputs hold no paid month of it
before (``paid_before`` = 0). Only a report with the revenue triangle gets them (the engine
gives their numbers, :func:`revenue_cohort_values`); no cohort that month: not applicable."""

AGGREGATE_CHECKS = MRR_CHECKS + YEAR_CHECKS + SURVEY_CHECKS + INVOICE_CHECKS + SPEND_CHECKS
CHECKS = AGGREGATE_CHECKS + ratio_checks(AGGREGATE_CHECKS) + REVENUE_COHORT_CHECKS
"""Every check, in the order of the sheet; a workbook gets those whose tables it holds
and whose numbers the engine gave (see ``audit.included_checks``)."""

_CUSTOMER_ROWS = "EXACT({MrrData[customer_id]},$A{row})"
_IN_CURRENCY = "*EXACT({MrrData[currency]},{at[currency]}{row})"
_CHANGE = "ROUND({at[current]}{row}-{at[previous]}{row}-{fx},2)"
MOVEMENT_FORMULAS = {
    "previous": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}={prior_month})"
    "*{MrrData[mrr]})",
    "current": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}={month})*{MrrData[mrr]})",
    "native_previous": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}={prior_month})"
    + _IN_CURRENCY + "*{MrrData[mrr_native]})",
    "native_current": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}={month})"
    + _IN_CURRENCY + "*{MrrData[mrr_native]})",
    "fx": "=IF(AND({at[previous]}{row}>0,{at[current]}{row}>0,{at[native_previous]}{row}>0,"
    "{at[native_current]}{row}>0),IF({at[native_current]}{row}={at[native_previous]}{row},"
    "{at[current]}{row}-{at[previous]}{row},"
    "IF(ABS({at[current]}{row}/{at[native_current]}{row}"
    "-{at[previous]}{row}/{at[native_previous]}{row})"
    ">0.01/{at[native_current]}{row}+0.01/{at[native_previous]}{row},"
    "ROUND({at[native_previous]}{row}*{at[current]}{row}/{at[native_current]}{row},2)"
    "-{at[previous]}{row},0)),0)",
    "check": "=IF({at[previous]}{row}=0,IF({at[current]}{row}=0,\"\",IF(SUMPRODUCT("
    + _CUSTOMER_ROWS + "*({MrrData[month]}<{prior_month})*({MrrData[mrr]}>0))>0,"
    "{code[reactivation]},{code[new]})),"
    "IF({at[current]}{row}=0,{code[churned]},IF(" + _CHANGE + ">0,{code[expansion]},"
    "IF(" + _CHANGE + "<0,{code[contraction]},{code[flat]}))))",
}
"""Native columns of the per-customer movements block (``{row}``: the block row;
``{at[previous]}``: the column letter of a block column; ``{fx}``: the row's fx cell, or 0).

``previous`` and ``current`` re-read each customer's MRR from the ``Inputs`` rows
(``EXACT`` matches ids as text, case and all, where SUMIFS criteria would read a leading
``=`` or ``*`` as an operator or a wildcard); ``check`` re-derives the movement from them
and the fx part. With ``currency`` and ``mrr_native`` in the Inputs (several currencies),
``native_previous`` and ``native_current`` re-read the customer's MRR in the currency of
its row (the ``currency`` written there) and ``fx`` splits the part of the change due to
the rate as :func:`csmetrics.tables.movements.fx_impact` does: the prior native MRR at this
month's rate (``mrr / mrr_native``) minus the prior MRR, when both months are paid in that
currency and the rates differ by more than their rounding (0.01 / native of each month);
all of the change when the native MRR is unchanged; 0 otherwise.
"""

COHORT_FORMULAS = {
    "year_ago_mrr": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}={year_ago})"
    "*{MrrData[mrr]})",
    "current": MOVEMENT_FORMULAS["current"],
    "paid_before": "=SUMPRODUCT(" + _CUSTOMER_ROWS + "*({MrrData[month]}<{year_ago})"
    "*({MrrData[mrr]}>0))",
    "month_after_mrr": "=SUMPRODUCT(" + _CUSTOMER_ROWS
    + "*({MrrData[month]}=EDATE({year_ago},1))*{MrrData[mrr]})",
}
"""Native columns of the cohort block: each customer's MRR 12 months earlier and now; on a
report with the revenue triangle also its paid months before then and its MRR a month
after then."""

COHORT_COLUMNS = (
    ("customer_id", "customer_id"),
    ("year_ago_mrr", None),
    ("current", None),
)
"""The cohort block's columns A..C, as :data:`MOVEMENT_COLUMNS`; its rows are the
customers paying 12 months earlier (:func:`csmetrics.report.selection.year_ago_cohort`)."""

REVENUE_COHORT_COLUMNS = (
    *COHORT_COLUMNS,
    ("paid_before", None),
    ("month_after_mrr", None),
)
"""The cohort block's columns A..E on a report with the revenue triangle: also each
customer's paid months before the year-ago month and its MRR one month after it (for
:data:`REVENUE_COHORT_CHECKS`)."""


def revenue_cohort_values(revenue_cohorts, sizes, month):
    """The engine's numbers of :data:`REVENUE_COHORT_CHECKS` for a report of ``month``:
    the starting MRR and the 1- and 12-month shares of the cohort of 12 months earlier
    (NaN where there is no such cohort or no such month).

    Examples
    --------
    >>> import pandas as pd
    >>> cohort = pd.PeriodIndex(["2024-03"], freq="M", name="cohort")
    >>> shares = pd.DataFrame([[1.0, 1.5] + [0.5] * 11], index=cohort)
    >>> sizes = pd.DataFrame({"customers": [2], "mrr_start": [300.0]}, index=cohort)
    >>> revenue_cohort_values(shares, sizes, pd.Period("2025-03", "M"))
    {'revenue_cohort_start': 300.0, 'revenue_cohort_1': 1.5, 'revenue_cohort_12': 0.5}
    >>> revenue_cohort_values(shares, sizes, pd.Period("2025-04", "M"))["revenue_cohort_1"]
    nan
    """
    cohort = month - MONTHS_PER_YEAR
    known = cohort in sizes.index
    share = revenue_cohorts.loc[cohort] if known else {}
    return {
        "revenue_cohort_start": float(sizes.loc[cohort, "mrr_start"]) if known else math.nan,
        "revenue_cohort_1": float(share.get(1, math.nan)),
        "revenue_cohort_12": float(share.get(MONTHS_PER_YEAR, math.nan)),
    }

MOVEMENT_COLUMNS = (
    ("customer_id", "customer_id"),
    ("mrr_previous", "mrr_previous"),
    ("mrr", "mrr"),
    ("movement", "movement"),
    ("previous", None),
    ("current", None),
    ("check", None),
)
"""The block's columns A..G: label key and the ``customer_movements`` column written
there (``None``: a native formula of ``MOVEMENT_FORMULAS``)."""

FX_MOVEMENT_COLUMNS = (
    *MOVEMENT_COLUMNS[:4],
    ("currency", "currency"),
    *MOVEMENT_COLUMNS[4:6],
    ("native_previous", None),
    ("native_current", None),
    ("fx", None),
    MOVEMENT_COLUMNS[6],
)
"""The block's columns A..K when the Inputs carry ``currency`` and ``mrr_native``: the
customer's currency (of its row in the month, else the month before) and the fx part."""

_MOVES = "MrrMovements"
_YEAR = "MrrYearAgo"
_TOP = "TopAccounts"


def _moved(column, *codes):
    """The sum of a column of the movement totals over the rows of movements ``codes``."""
    return "+".join(f"SUMIFS({{MrrMovements[{column}]}},{{MrrMovements[movement]}},"
                    f"{{code[{code}]}})" for code in codes)


def _listed(*codes):
    """How many accounts of movements ``codes`` the top accounts list."""
    return "+".join(f"COUNTIF({{TopAccounts[movement]}},{{code[{code}]}})" for code in codes)


_ARRIVING = ("new", "reactivation")
_TOP_LISTS = (("churned",), _ARRIVING, ("contraction",), ("expansion",))
"""The movements of each list of accounts (``TOP_KINDS``: churned, new, contracted,
expanded)."""

SUMMARY_MRR_CHECKS = (
    _kpi("mrr_start", "=SUM({MrrMovements[mrr_previous]})", _MOVES),
    _kpi("mrr_end", "=SUM({MrrMovements[mrr]})", _MOVES),
    _kpi("new", "=" + _moved("mrr", "new"), _MOVES),
    _kpi("expansion", f"={_moved('mrr', 'expansion')}-{_moved('mrr_previous', 'expansion')}"
         f"-{_moved('fx', 'expansion')}", _MOVES),
    _kpi("contraction", f"={_moved('mrr_previous', 'contraction')}"
         f"+{_moved('fx', 'contraction')}-{_moved('mrr', 'contraction')}", _MOVES),
    _kpi("churned", "=" + _moved("mrr_previous", "churned"), _MOVES),
    _kpi("reactivation", "=" + _moved("mrr", "reactivation"), _MOVES),
    Check("fx_impact", "=SUM({MrrMovements[fx]})", (_MOVES,), "fx_impact", MONEY),
    _identity(
        "bridge_difference",
        "={mrr_start}+{new}+{expansion}+{reactivation}-{contraction}-{churned}+{fx_impact}"
        "-{mrr_end}",
        MONEY,
        _MOVES,
    ),
    _kpi("customers_start",
         f"=SUM({{MrrMovements[customers]}})-({_moved('customers', *_ARRIVING)})", _MOVES),
    _kpi("customers_end",
         f"=SUM({{MrrMovements[customers]}})-{_moved('customers', 'churned')}", _MOVES),
    _kpi("customers_new", "=" + _moved("customers", *_ARRIVING), _MOVES),
    _kpi("customers_lost", "=" + _moved("customers", "churned"), _MOVES),
    _identity(
        "top_accounts_amounts",
        "=SUMPRODUCT(--(ROUND({TopAccounts[mrr]}-{TopAccounts[mrr_previous]}"
        "-{TopAccounts[change]},2)<>0))"
        "+SUMPRODUCT(({TopAccounts[movement]}={code[churned]})"
        "*((({TopAccounts[mrr]}<>0)+({TopAccounts[mrr_previous]}<=0))>0))"
        "+SUMPRODUCT((({TopAccounts[movement]}={code[new]})"
        "+({TopAccounts[movement]}={code[reactivation]}))"
        "*((({TopAccounts[mrr_previous]}<>0)+({TopAccounts[mrr]}<=0))>0))",
        COUNT,
        _MOVES, _TOP,
    ),
    _identity(
        "top_accounts_counts",
        "=" + "+".join(f"ABS({_listed(*codes)}-MIN({TOP_ROWS},{_moved('customers', *codes)}))"
                       for codes in _TOP_LISTS),
        COUNT,
        _MOVES, _TOP,
    ),
)
"""The MRR checks of a report whose Inputs hold the month's movements totalled by segment
and movement (``MrrMovements``, :mod:`csmetrics.report.aggregates`) instead of the rows:
each movement and count of the bridge from the totals, the bridge balancing, and the
listed accounts (``TopAccounts``) true to their list: a change that is their MRR now
minus before, a churned account at zero after MRR, a new or returning one the other way
round, and as many of each list as the report lists (:data:`TOP_ROWS`, or all when
fewer moved that way)."""

_THEN_TOTAL = "SUM({MrrYearAgo[mrr_year_ago]})"

SUMMARY_YEAR_CHECKS = (
    _identity(
        "year_ago_bounds",
        "=SUMPRODUCT(({MrrYearAgo[mrr_kept]}>{MrrYearAgo[mrr_now]})"
        "+({MrrYearAgo[mrr_kept]}>{MrrYearAgo[mrr_year_ago]})"
        "+({MrrYearAgo[customers_paying]}>{MrrYearAgo[customers]}))",
        COUNT,
        _YEAR,
    ),
    _kpi("mrr_growth_yoy", f"=({{mrr_end}}-{_THEN_TOTAL})/{_THEN_TOTAL}", _MOVES, _YEAR),
    _kpi("nrr_12m", f"=SUM({{MrrYearAgo[mrr_now]}})/{_THEN_TOTAL}", _YEAR),
    _kpi("grr_12m", f"=SUM({{MrrYearAgo[mrr_kept]}})/{_THEN_TOTAL}", _YEAR),
    _kpi("logo_retention_12m",
         "=SUM({MrrYearAgo[customers_paying]})/SUM({MrrYearAgo[customers]})", _YEAR),
)
"""The 12-month figures from the totals of the customers paying 12 months earlier
(``MrrYearAgo``): NRR, GRR and logo retention as sums over them, no total kept above
the MRR now or then, no more paying now than there were."""

_SUMMARY_AGGREGATES = (SUMMARY_MRR_CHECKS + SUMMARY_YEAR_CHECKS + SURVEY_CHECKS
                       + INVOICE_CHECKS + SPEND_CHECKS)
SUMMARY_CHECKS = SUMMARY_MRR_CHECKS + SUMMARY_YEAR_CHECKS + tuple(
    check for check in ratio_checks(_SUMMARY_AGGREGATES)
    if {_MOVES, _YEAR} & set(check.tables))
"""The checks of a report with totals instead of MRR rows, after :data:`CHECKS` on the
sheet (which then gets none of the checks over the rows: no ``MrrData`` table); what they
cannot check without the rows: each customer's movement re-derived from its MRR, a new
customer told from a returning one, the 12-month cohort complete, the revenue cohorts."""
