"""The formula behind every KPI cell of the templates, in two modes.

``LIVE`` formulas call the csmetrics add-in (``CS_`` functions, see ``shared/API.md``) over
the Inputs tables, the report month and the ``Calc`` sheet; they are what the committed
templates hold. ``NATIVE`` formulas use only functions every spreadsheet has (SUMIFS,
COUNTIFS, SUMPRODUCT, INDEX/MATCH, EDATE, EOMONTH; no XLOOKUP, LET or LAMBDA), so that
LibreOffice can recompute a template and the tests can hold it to the Python engine.

Every KPI a template shows has a formula in both modes, and only those have one, so the
LibreOffice test covers every formula. Each formula is a function of a :class:`Column`: the
cell holding the month (``c.m``) and the cells of the other KPIs of the same report column
(``c["customers_start"]``). A formula that reads another KPI cell makes the template show
that KPI too; :func:`dependencies` lists them.

Month conventions (the same as the engine's): the month of a report is its first day; the
"start of the month" is the month before; an invoice is open at month end when it was
issued before the first day of the next month and not paid before it.
"""

from openpyxl.utils import get_column_letter, quote_sheetname

from csmetrics.kpis import (
    ARITHMETIC_KPIS,
    DERIVED,
    KPI_BY_KEY,
    MONTHS_PER_YEAR,
    RATIO_KPIS,
    placeholders,
    render,
)
from csmetrics.report.labels import sheet_name
from csmetrics.report.layout import COHORT_AGES
from csmetrics.satisfaction import CSAT_SATISFIED_MIN, DETRACTOR_MAX, PROMOTER_MIN
from csmetrics.tables.economics import REVENUE_MARGIN
from csmetrics.tables.receivables import AGEING, ageing_bounds
from udfs.registry import REGISTRY

LIVE = "live"
NATIVE = "native"
MODES = (LIVE, NATIVE)

MOVEMENT_COLUMNS = (
    "month",
    "mrr_start",
    "new",
    "expansion",
    "contraction",
    "churned",
    "reactivation",
    "mrr_end",
    "customers_start",
    "customers_new",
    "customers_lost",
    "customers_end",
)
"""Columns of the table ``CS_MRR_MOVEMENTS`` spills (after its header row), in order."""

MOVEMENT_KEYS = MOVEMENT_COLUMNS[1:]

CALC_MONTHS = 240
"""Months (rows) the Calc sheet's array formulas hold: 20 years of monthly data."""

COUNTBACK_MONTHS = 24
"""Months of credit sales the countback DSO walks back over (the engine walks back to the
first month of the data; they agree unless receivables exceed 24 months of sales)."""

# Fixed places of the helper blocks on the Calc sheet (1-based columns).
CALC_MOVEMENTS_COLUMN = 1  # A:L
CALC_COHORT_COLUMN = 14  # N: cohort month, O:AL ages 0..23
CALC_COUNTBACK_COLUMN = 40  # AN:AQ month, credit sales, days, cumulative from the latest
CALC_REVENUE_COHORT_COLUMN = 45  # AS: cohort month, AT:BQ revenue shares at ages 0..23
CALC_COHORT_COLUMNS = {"logo": CALC_COHORT_COLUMN, "revenue": CALC_REVENUE_COHORT_COLUMN}
"""The Calc block of each ``CS_COHORT_RETENTION`` mode (its first column)."""

AGGREGATE_KEYS = frozenset(
    {
        "nps_responses",
        "credit_sales",
        "receivables",
        "ar_current",
        "ar_1_30",
        "ar_31_60",
        "ar_61_90",
        "ar_over_90",
        "sales_marketing_cost",
        "net_new_mrr",
        "arr",
        "fx_impact",
        "mrr_growth_yoy",
        "nrr_12m",
        "grr_12m",
        "logo_retention_12m",
        "logo_churn_12m",
    }
)
"""KPIs without a ``CS_`` function: plain sums or counts of the inputs, arithmetic over
other KPI cells (:data:`csmetrics.kpis.ARITHMETIC_KPIS`) and the year figures; their live
formula is the native one."""


class Column:
    """Where a formula finds its month, the other KPIs of its report column and the
    workbook's language (the name of its Calc sheet)."""

    def __init__(self, month, cells, lang="en"):
        self.m = month
        self._cells = cells
        self.lang = lang

    def __getitem__(self, key):
        try:
            return self._cells[key]
        except KeyError:
            raise KeyError(
                f"this formula needs a cell for KPI {key!r} in the same report column"
            ) from None


def calc_range(lang, first_column, offset, rows):
    """Absolute reference to one column of a Calc block, data rows only (below the header),
    on the Calc sheet of a workbook in ``lang``.

    >>> calc_range("fr", 1, 2, 240)
    "'Calculs'!$C$2:$C$241"
    """
    letter = get_column_letter(first_column + offset)
    return f"{calc_sheet(lang)}!${letter}$2:${letter}${rows + 1}"


def calc_sheet(lang):
    """The Calc sheet's name in ``lang``, quoted as a formula reads it."""
    return quote_sheetname(sheet_name("calc", lang))


# --- pieces shared by the formulas --------------------------------------------------------


def _next(m):
    return f"EDATE({m},1)"


def _prev(m):
    return f"EDATE({m},-1)"


def _in_month(column, m):
    """1 for the rows of a table column dated in the month, else 0 (an array)."""
    return f"({column}>={m})*({column}<{_next(m)})"


def _month_criteria(column, m):
    """SUMIFS/COUNTIFS criteria pairs selecting the rows dated in the month."""
    return f'{column},">="&{m},{column},"<"&{_next(m)}'


def _survey_criteria(survey, m):
    return f'SurveyData[survey],"{survey}",{_month_criteria("SurveyData[date]", m)}'


def _survey_scores(survey, m):
    """The month's answers to one survey, as an array: the score on the survey's rows of the
    month, empty text elsewhere (the add-in skips text in a range, as AVERAGE does). The
    formula must be an array formula (see :data:`ARRAY_KEYS`)."""
    mask = f'(SurveyData[survey]="{survey}")*{_in_month("SurveyData[date]", m)}'
    return f'IF({mask},SurveyData[score],"")'


ARRAY_KEYS = frozenset({"nps", "nps_moe", "csat", "ces"})
"""KPIs whose live formula builds an array inside the cell: written as array formulas."""


def _mrr_of_customer(month):
    """Each MrrData row's customer's MRR in ``month`` (an array, 0 when absent)."""
    return (
        "SUMIFS(MrrData[mrr],MrrData[customer_id],MrrData[customer_id],"
        f"MrrData[month],{month})"
    )


def _paid_before(m):
    """Each MrrData row's customer's count of paid months before ``m`` (an array)."""
    return (
        'COUNTIFS(MrrData[customer_id],MrrData[customer_id],MrrData[month],"<"&'
        f'{m},MrrData[mrr],">0")'
    )


def _rows_in(month):
    return f"(MrrData[month]={month})*(MrrData[mrr]>0)"


def _open_at_end(m):
    """1 for the invoices open at the end of the month (an array)."""
    return (
        f"(InvoiceData[issue_date]<{_next(m)})"
        f'*((InvoiceData[paid_date]="")+(InvoiceData[paid_date]>={_next(m)}))'
    )


def _ageing(m, above=None, up_to=None):
    """Open invoices at month end by days overdue on the month's last day, in (above, up_to]."""
    days = f"(EOMONTH({m},0)-InvoiceData[due_date])"
    bounds = (f"*({days}>{above})" if above is not None else "") + (
        f"*({days}<={up_to})" if up_to is not None else ""
    )
    return f"SUMPRODUCT(InvoiceData[amount]*{_open_at_end(m)}{bounds})"


def _spend(column, m):
    return f"INDEX(SpendData[{column}],MATCH({m},SpendData[month],0))"


def _spend_total(m):
    """The month's sales and marketing cost: the sum of its SpendData rows (one per
    segment when spend is split by segment), #N/A when it has none."""
    return (f"IF(COUNTIFS(SpendData[month],{m})=0,NA(),"
            f"SUMIFS(SpendData[sales_marketing_cost],SpendData[month],{m}))")


def _orders_per_customer(m):
    return (
        "COUNTIFS(OrderData[customer_id],OrderData[customer_id],"
        f"{_month_criteria('OrderData[order_date]', m)})"
    )


def _buyers(m, at_least):
    """Distinct customers with at least ``at_least`` orders in the month."""
    in_month = _in_month("OrderData[order_date]", m)
    orders = _orders_per_customer(m)
    return f"SUMPRODUCT({in_month}*({orders}>={at_least})/({orders}+1-{in_month}))"


def _tickets(m, resolved=False):
    flag = ",TicketData[resolved_first_contact],TRUE" if resolved else ""
    return f"COUNTIFS({_month_criteria('TicketData[opened_date]', m)}{flag})"


def _countback_native(c):
    receivables = c["receivables"]
    sales = calc_range(c.lang, CALC_COUNTBACK_COLUMN, 1, COUNTBACK_MONTHS)
    days = calc_range(c.lang, CALC_COUNTBACK_COLUMN, 2, COUNTBACK_MONTHS)
    cumulative = calc_range(c.lang, CALC_COUNTBACK_COLUMN, 3, COUNTBACK_MONTHS)
    covered = f'COUNTIF({cumulative},"<"&{receivables})'
    left = f"({receivables}-SUMPRODUCT(({cumulative}<{receivables})*{sales}))"
    partial = f"INDEX({sales},{COUNTBACK_MONTHS}-{covered})"
    partial_days = f"INDEX({days},{COUNTBACK_MONTHS}-{covered})"
    return (
        f"IF({covered}={COUNTBACK_MONTHS},NA(),"
        f"SUMPRODUCT(({cumulative}<{receivables})*{days})"
        f"+IF({left}=0,0,{left}/{partial}*{partial_days}))"
    )


def _nps_answers(m, score=None):
    """Count of the month's NPS answers, all or those meeting ``score`` (``">=9"``)."""
    condition = f',SurveyData[score],"{score}"' if score else ""
    return f"COUNTIFS({_survey_criteria('nps', m)}{condition})"


def _nps_native(m):
    promoters = _nps_answers(m, f">={PROMOTER_MIN}")
    detractors = _nps_answers(m, f"<={DETRACTOR_MAX}")
    return f"100*({promoters}-{detractors})/{_nps_answers(m)}"


def _nps_moe_native(m):
    p = f"{_nps_answers(m, f'>={PROMOTER_MIN}')}/{_nps_answers(m)}"
    d = f"{_nps_answers(m, f'<={DETRACTOR_MAX}')}/{_nps_answers(m)}"
    return f"NORMSINV(0.975)*100*SQRT(({p}+{d}-({p}-{d})^2)/{_nps_answers(m)})"


def _year_ago(m):
    return f"EDATE({m},-{MONTHS_PER_YEAR})"


def _cohort_12m(m, terms):
    """Sum of ``terms`` over the MrrData rows of the customers paying 12 months before
    ``m``; in ``terms``, ``{mrr}`` is the row's MRR then, ``{now}`` its customer's MRR in
    ``m`` (arrays)."""
    terms = terms.format(mrr="MrrData[mrr]", now=_mrr_of_customer(m))
    return f"SUMPRODUCT({_rows_in(_year_ago(m))}*{terms})"


def _next_month_mrr():
    """Each MrrData row's customer's MRR in the month after the row's (an array): its rows
    dated after the row's first day of the month and at most 31 days later."""
    return (
        "SUMIFS(MrrData[mrr],MrrData[customer_id],MrrData[customer_id],"
        'MrrData[month],">"&MrrData[month],MrrData[month],"<="&(MrrData[month]+31))'
    )


def _logo_churn_12m(m):
    """Customers lost in the 12 months ending with ``m`` over the sum of those months'
    customers at the start: the paying rows of the 12 months before ``m`` whose customer
    pays nothing the month after, over all those rows; ``#N/A`` unless each of those
    months has a paying row (the engine needs customers at every month's start)."""
    window = f"(MrrData[month]>={_year_ago(m)})*(MrrData[month]<{m})*(MrrData[mrr]>0)"
    per_month = 'COUNTIFS(MrrData[month],MrrData[month],MrrData[mrr],">0")+(MrrData[mrr]<=0)'
    months = f"SUMPRODUCT({window}/({per_month}))"
    lost = f"SUMPRODUCT({window}*({_next_month_mrr()}=0))"
    return f"IF(ROUND({months},6)<{MONTHS_PER_YEAR},NA(),{lost}/SUMPRODUCT({window}))"


YEAR_FORMULAS = {
    "mrr_growth_yoy": lambda c: (
        f"({c['mrr_end']}-SUMIFS(MrrData[mrr],MrrData[month],{_year_ago(c.m)}))"
        f"/SUMIFS(MrrData[mrr],MrrData[month],{_year_ago(c.m)})"
    ),
    "nrr_12m": lambda c: f"{_cohort_12m(c.m, '{now}')}/{_cohort_12m(c.m, '{mrr}')}",
    "grr_12m": lambda c: (
        f"{_cohort_12m(c.m, '({mrr}-({mrr}>{now})*({mrr}-{now}))')}"
        f"/{_cohort_12m(c.m, '{mrr}')}"
    ),
    "logo_retention_12m": lambda c: (
        f"{_cohort_12m(c.m, '({now}>0)')}/{_cohort_12m(c.m, '1')}"
    ),
    "logo_churn_12m": lambda c: _logo_churn_12m(c.m),
}
"""The year figures over the MrrData rows (the engine's: :mod:`csmetrics.tables.annual`):
the cohort of the customers paying 12 months earlier, and the trailing 12-month logo churn.
Without a CS_ function for them, both modes use these."""


def _units(column, m):
    return f"SUMIFS(OrderData[{column}],{_month_criteria('OrderData[order_date]', m)})"


ENGINE_COLUMN_FORMULAS = {
    "gross_margin": lambda c: _spend("gross_margin", c.m),
    "days": lambda c: f"DAY(EOMONTH({c.m},0))",
    "tickets_resolved": lambda c: _tickets(c.m, resolved=True),
    "tickets_opened": lambda c: _tickets(c.m),
    "repeat_buyers": lambda c: _buyers(c.m, 2),
    "buyers": lambda c: _buyers(c.m, 1),
    "units_returned": lambda c: _units("units_returned", c.m),
    "units_sold": lambda c: _units("units", c.m),
}
"""The template's aggregate for each engine column a ratio takes that is not a KPI cell
(:data:`csmetrics.kpis.ENGINE_COLUMNS`); a derived column is rendered from its KPIs."""


def _reference(name, c):
    if name in KPI_BY_KEY:
        return c[name]
    if name in DERIVED:
        expression = DERIVED[name]
        return render(expression, {key: c[key] for key in placeholders(expression)})
    return ENGINE_COLUMN_FORMULAS[name](c)


def _references(names, c):
    return {name: _reference(name, c) for name in names}


SHOWN_RATIOS = tuple(kpi for kpi in RATIO_KPIS if kpi.shown)
"""The catalogue's ratios some template shows: each gets a formula in both modes."""

EXCEL_NAMES = {udf.core: udf.excel_name for udf in REGISTRY}
"""The Excel function of each core function (the UDF registry)."""


def _native_ratio(kpi):
    return lambda c: render(kpi.native, _references(placeholders(kpi.native), c))


def _live_ratio(kpi):
    def live(c):
        references = _references(kpi.args, c)
        return f"{EXCEL_NAMES[kpi.core]}({','.join(references[arg] for arg in kpi.args)})"

    return live


# --- the formulas ---------------------------------------------------------------------------

SHARED = {
    "nps_responses": lambda c: _nps_answers(c.m),
    "credit_sales": lambda c: (
        f"SUMIFS(InvoiceData[amount],{_month_criteria('InvoiceData[issue_date]', c.m)})"
    ),
    "receivables": lambda c: f"SUMPRODUCT(InvoiceData[amount]*{_open_at_end(c.m)})",
    **{
        key: lambda c, bounds=bounds: _ageing(c.m, *bounds)
        for key, bounds in zip(AGEING, ageing_bounds(), strict=True)
    },
    "sales_marketing_cost": lambda c: _spend_total(c.m),
    **YEAR_FORMULAS,
    **{kpi.key: _native_ratio(kpi) for kpi in ARITHMETIC_KPIS},
}
"""The formulas of :data:`AGGREGATE_KEYS`: the same in both modes."""



NATIVE_FORMULAS = {
    **SHARED,
    **{kpi.key: _native_ratio(kpi) for kpi in SHOWN_RATIOS},
    "mrr_start": lambda c: f"SUMIFS(MrrData[mrr],MrrData[month],{_prev(c.m)})",
    "new": lambda c: (
        f"SUMPRODUCT({_rows_in(c.m)}*({_paid_before(c.m)}=0)*MrrData[mrr])"
    ),
    "expansion": lambda c: (
        f"SUMPRODUCT((MrrData[month]={c.m})*({_mrr_of_customer(_prev(c.m))}>0)"
        f"*(MrrData[mrr]>{_mrr_of_customer(_prev(c.m))})"
        f"*(MrrData[mrr]-{_mrr_of_customer(_prev(c.m))}))"
    ),
    "contraction": lambda c: (
        f"SUMPRODUCT({_rows_in(c.m)}*(MrrData[mrr]<{_mrr_of_customer(_prev(c.m))})"
        f"*({_mrr_of_customer(_prev(c.m))}-MrrData[mrr]))"
    ),
    "churned": lambda c: (
        f"SUMPRODUCT({_rows_in(_prev(c.m))}*({_mrr_of_customer(c.m)}=0)*MrrData[mrr])"
    ),
    "reactivation": lambda c: (
        f"SUMPRODUCT({_rows_in(c.m)}*({_mrr_of_customer(_prev(c.m))}=0)"
        f"*({_paid_before(c.m)}>0)*MrrData[mrr])"
    ),
    "mrr_end": lambda c: f"SUMIFS(MrrData[mrr],MrrData[month],{c.m})",
    "customers_start": lambda c: f'COUNTIFS(MrrData[month],{_prev(c.m)},MrrData[mrr],">0")',
    "customers_new": lambda c: (
        f"SUMPRODUCT({_rows_in(c.m)}*({_mrr_of_customer(_prev(c.m))}=0))"
    ),
    "customers_lost": lambda c: (
        f"SUMPRODUCT({_rows_in(_prev(c.m))}*({_mrr_of_customer(c.m)}=0))"
    ),
    "customers_end": lambda c: f'COUNTIFS(MrrData[month],{c.m},MrrData[mrr],">0")',
    "nps": lambda c: _nps_native(c.m),
    "nps_moe": lambda c: _nps_moe_native(c.m),
    "csat": lambda c: (
        f"COUNTIFS({_survey_criteria('csat', c.m)},"
        f'SurveyData[score],">={CSAT_SATISFIED_MIN}")'
        f"/COUNTIFS({_survey_criteria('csat', c.m)})"
    ),
    "ces": lambda c: f"AVERAGEIFS(SurveyData[score],{_survey_criteria('ces', c.m)})",
    "dso_countback": _countback_native,
}


def _movement(key):
    def movement(c):
        column = calc_range(c.lang, CALC_MOVEMENTS_COLUMN, MOVEMENT_COLUMNS.index(key),
                            CALC_MONTHS)
        months = calc_range(c.lang, CALC_MOVEMENTS_COLUMN, 0, CALC_MONTHS)
        return f"INDEX({column},MATCH({c.m},{months},0))"
    return movement


LIVE_FORMULAS = {
    **SHARED,
    **{key: _movement(key) for key in MOVEMENT_KEYS},
    **{kpi.key: _live_ratio(kpi) for kpi in SHOWN_RATIOS},
    "nps": lambda c: f"CS_NPS({_survey_scores('nps', c.m)})",
    "nps_moe": lambda c: f"CS_NPS_MOE({_survey_scores('nps', c.m)})",
    "csat": lambda c: f"CS_CSAT({_survey_scores('csat', c.m)})",
    "ces": lambda c: f"CS_CES({_survey_scores('ces', c.m)})",
    "dso_countback": lambda c: (
        f"CS_DSO_COUNTBACK({c['receivables']},"
        f"{calc_range(c.lang, CALC_COUNTBACK_COLUMN, 1, COUNTBACK_MONTHS)},"
        f"{calc_range(c.lang, CALC_COUNTBACK_COLUMN, 2, COUNTBACK_MONTHS)})"
    ),
}

FORMULAS = {LIVE: LIVE_FORMULAS, NATIVE: NATIVE_FORMULAS}


def formula(key, mode, month, cells, lang="en"):
    """The formula text (starting with ``=``) of KPI ``key`` in a report column.

    Parameters
    ----------
    key : str
        A KPI key of :mod:`csmetrics.kpis`.
    mode : str
        :data:`LIVE` or :data:`NATIVE`.
    month : str
        Reference of the cell holding the column's month (``"report_month"``, ``"B$5"``).
    cells : dict
        References of the other KPI cells of the column, by key.
    lang : str, default "en"
        The workbook's language: the name of its Calc sheet.

    Examples
    --------
    >>> formula("crr", NATIVE, "B$5", {"customers_start": "B10", "customers_end": "B13",
    ...                                "customers_new": "B11"})
    '=(B13-B11)/B10'
    >>> formula("crr", LIVE, "B$5", {"customers_start": "B10", "customers_end": "B13",
    ...                              "customers_new": "B11"})
    '=CS_CRR(B10,B13,B11)'
    """
    if key not in KPI_BY_KEY:
        raise KeyError(f"unknown KPI key {key!r}: see csmetrics/kpis.py")
    if key not in FORMULAS[mode]:
        raise KeyError(f"no template formula for KPI {key!r}: add one to {__name__}")
    return "=" + FORMULAS[mode][key](Column(month, cells, lang))


def is_array(key, mode):
    """True when the formula of ``key`` must be written as an array formula."""
    return mode == LIVE and key in ARRAY_KEYS


class _Recorder(Column):
    def __init__(self):
        super().__init__("M", {})
        self.keys = []

    def __getitem__(self, key):
        self.keys.append(key)
        return f"[{key}]"


def dependencies(key, mode):
    """KPI keys whose cells the formula of ``key`` reads, in the order it reads them.

    Examples
    --------
    >>> dependencies("arpa", NATIVE)
    ('mrr_end', 'customers_end')
    >>> dependencies("mrr_end", LIVE)
    ()
    """
    recorder = _Recorder()
    FORMULAS[mode][key](recorder)
    return tuple(dict.fromkeys(recorder.keys))


def cohort_cell(mode, cohort, age, lang, kind="logo"):
    """Formula of one cohort-table cell: the share of cohort ``cohort`` paying ``age`` months
    after its first month (``kind`` ``"logo"``: of its customers; ``"revenue"``: of its
    starting MRR); empty when that month is after the report month or the cohort is
    empty. ``cohort`` and ``age`` are references to the row's and column's header cells;
    ``lang`` names the Calc sheet."""
    month = f"EDATE({cohort},{age})"
    if mode == LIVE:
        column = CALC_COHORT_COLUMNS[kind]
        first = get_column_letter(column + 1)
        last = get_column_letter(column + COHORT_AGES)
        table = f"{calc_sheet(lang)}!${first}$2:${last}${CALC_MONTHS + 1}"
        cohorts = calc_range(lang, column, 0, CALC_MONTHS)
        share = f"INDEX({table},MATCH({cohort},{cohorts},0),{age}+1)"
    else:
        first = f"({_paid_before(cohort)}=0)"
        joined = (
            f"(COUNTIFS(MrrData[customer_id],MrrData[customer_id],MrrData[month],{cohort},"
            'MrrData[mrr],">0")>0)'
        )
        weight = "*MrrData[mrr]" if kind == "revenue" else ""
        retained = f"SUMPRODUCT({_rows_in(month)}*{first}*{joined}{weight})"
        size = f"SUMPRODUCT({_rows_in(cohort)}*{first}{weight})"
        share = f"{retained}/{size}"
    return f'=IF({month}>report_month,"",IFERROR({share},""))'


def calc_movements_formula():
    """The live array formula that fills the movements block of the Calc sheet."""
    return "=CS_MRR_MOVEMENTS(MrrData[customer_id],MrrData[month],MrrData[mrr])"


def calc_cohorts_formula(kind="logo"):
    """The live array formula that fills the cohort block of ``kind`` (``"logo"`` or
    ``"revenue"``) of the Calc sheet."""
    return f'=CS_COHORT_RETENTION(MrrData[customer_id],MrrData[month],MrrData[mrr],"{kind}")'


def countback_row(month_cell, sales_cell, last_sales_cell):
    """Native formulas of one countback row: credit sales, days, cumulative from the latest."""
    return (
        f"=SUMIFS(InvoiceData[amount],{_month_criteria('InvoiceData[issue_date]', month_cell)})",
        f"=DAY(EOMONTH({month_cell},0))",
        f"=SUM({sales_cell}:{last_sales_cell})",
    )


def nps_distribution_cell(month, score):
    """Native count of the month's NPS answers equal to the score in cell ``score``."""
    return f"=COUNTIFS({_survey_criteria('nps', month)},SurveyData[score],{score})"


def gross_margin_cell(month):
    """Native lookup of the month's gross margin in SpendData: the engine's revenue margin
    when SpendData holds no margin, empty when the month has no spend row."""
    return (
        f"=IF(COUNT(SpendData[gross_margin])=0,{REVENUE_MARGIN},"
        f'IFERROR({_spend("gross_margin", month)},""))'
    )
