"""What one report is computed from: its month, segment, metrics and input rows.

The batch run computes the engine's tables once per segment and hands each report a
:class:`ReportData`: the monthly metrics of its segment, the customer movements of its
month, and the rows of every input table up to the end of its month (the rows written to
the report's ``Inputs`` sheet, which its ``Audit`` sheet recomputes from).
"""

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from csmetrics.kpis import MONTHS_PER_YEAR
from csmetrics.report.history import MonthHistory
from csmetrics.satisfaction import NPS_SCORES
from csmetrics.tables.accounts import latest_segments, top_movements
from csmetrics.tables.cohorts import cohort_retention, cohort_sizes
from csmetrics.tables.receivables import top_overdue

ALL_SEGMENTS = "All"
"""The segment name of a report over all customers."""

INPUT_TABLES = {
    "MrrData": "mrr",
    "SurveyData": "surveys",
    "InvoiceData": "invoices",
    "OrderData": "orders",
    "TicketData": "tickets",
    "SpendData": "spend",
}
"""Excel table on the ``Inputs`` sheet -> ``Dataset`` attribute it is filled from."""

MAX_INPUT_ROWS = 20_000
"""MRR rows past which a report's Inputs hold totals by segment and the largest accounts
instead of the rows (:mod:`csmetrics.report.aggregates`; ``--max-input-rows``). Excel
holds 1,048,576 rows a sheet, but the Audit's per-customer blocks recompute each
customer of the month over every MRR row of the Inputs: work that grows with the square
of the rows, seconds at a few thousand rows, far too long for a spreadsheet past tens of
thousands (docs/scale.md)."""

DATE_COLUMNS = {
    "mrr": "month",
    "surveys": "date",
    "invoices": "issue_date",
    "orders": "order_date",
    "tickets": "opened_date",
    "spend": "month",
}
"""The column that dates each row of a table (rows after the report month are left out)."""


@dataclass(frozen=True)
class ReportData:
    """Everything one filled report shows and is audited against.

    ``metrics`` holds one row per month (index: ``pandas.Period``) of the segment, with a
    column per KPI key the data allows; ``rows`` maps each ``Dataset`` table name to its
    rows up to the end of ``month`` (``None`` when the table is missing); ``movements``
    holds the month's rows of ``customer_movements``; ``cohorts`` the cohort table;
    ``targets`` maps KPI keys to the report's targets from the ``targets`` table (its
    segment's, or the company's for a report over all customers; the same every month),
    and ``missing_targets`` lists the KPIs with a target elsewhere but none for this
    segment (:func:`csmetrics.tables.targets.segment_targets`). ``history``: None when
    ``rows`` hold every MRR row up to the month; else they hold only those of the month
    and of the month 12 earlier (the Inputs then hold totals), and ``history`` what the
    report reads from the others (:class:`~csmetrics.report.history.MonthHistory`,
    computed by a backend).
    """

    month: pd.Period
    segment: str
    metrics: pd.DataFrame
    rows: dict
    movements: pd.DataFrame | None
    cohorts: pd.DataFrame | None
    targets: dict = field(default_factory=dict)
    missing_targets: tuple = ()
    history: MonthHistory | None = None

    def metric(self, key, month=None):
        """The engine's value of ``key`` for ``month`` (default the report month).

        ``None`` when the data holds no such metric or month, NaN when the engine found it
        undefined (a zero denominator); both are written as an empty cell with a note.
        """
        month = self.month if month is None else month
        values = self._columns.get(key)
        if values is None or month not in self._positions:
            return None
        return float(values[self._positions[month]])

    @cached_property
    def _positions(self):
        """``{month: row}`` of ``metrics``: a report reads a few thousand values, and the
        frame finds each much more slowly than a dictionary and a list."""
        return {month: row for row, month in enumerate(self.metrics.index.tolist())}

    @cached_property
    def _columns(self):
        """``{key: values}``: each column of ``metrics`` as a list, in the order of
        :attr:`_positions`."""
        return self.metrics.to_dict("list")

    def nps_counts(self):
        """How many NPS answers of the month scored 0, 1 ... 10; ``None`` without surveys.

        Examples
        --------
        >>> surveys = pd.DataFrame({"survey": ["nps", "nps", "csat", "nps"],
        ...     "date": pd.to_datetime(["2025-01-05", "2025-01-09", "2025-01-09", "2025-02-01"]),
        ...     "score": [10.0, 6.0, 5.0, 9.0]})
        >>> report = ReportData(pd.Period("2025-01", "M"), ALL_SEGMENTS, pd.DataFrame(),
        ...                     {"surveys": surveys}, None, None)
        >>> report.nps_counts()
        [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]
        """
        surveys = self.rows.get("surveys")
        if surveys is None:
            return None
        answers = surveys.loc[
            (surveys["survey"] == "nps") & (surveys["date"].dt.to_period("M") == self.month),
            "score",
        ]
        counts = answers.value_counts()
        return [int(counts.get(float(score), 0)) for score in NPS_SCORES]

    def top_accounts(self, kind, n):
        """The month's ``n`` largest accounts of ``kind`` (``"churned"``, ``"new"``,
        ``"contracted"``, ``"expanded"``: :func:`~csmetrics.tables.accounts.top_movements`
        of the engine's movements; ``"overdue"``: the largest overdue invoices at the month
        end, :func:`~csmetrics.tables.receivables.top_overdue`); ``None`` without the
        table they come from.

        Examples
        --------
        >>> moves = pd.DataFrame({"customer_id": ["A", "B"],
        ...     "month": pd.PeriodIndex(["2025-01"] * 2, freq="M"), "mrr_previous": [0.0, 0.0],
        ...     "mrr": [10.0, 30.0], "change": [10.0, 30.0], "movement": ["new", "new"]})
        >>> report = ReportData(pd.Period("2025-01", "M"), ALL_SEGMENTS, pd.DataFrame(),
        ...                     {"mrr": None, "invoices": None}, moves, None)
        >>> report.top_accounts("new", 10)["customer_id"].tolist()
        ['B', 'A']
        >>> report.top_accounts("overdue", 10) is None
        True
        """
        if (kind, n) not in self._top_accounts:
            self._top_accounts[kind, n] = self._largest_accounts(kind, n)
        return self._top_accounts[kind, n]

    @cached_property
    def _top_accounts(self):
        """``{(kind, n): accounts}``: each list computed once, for the report's list and
        its written summary (the largest churned and expanded accounts)."""
        return {}

    def _largest_accounts(self, kind, n):
        if kind == "overdue":
            invoices = self.rows.get("invoices")
            return None if invoices is None else top_overdue(invoices, self.month, n)
        if self.movements is None:
            return None
        return top_movements(self.movements, self.month, kind, n,
                             segment_of=self.mrr_segments)

    @cached_property
    def mrr_segments(self):
        """Each customer's segment from the MRR rows up to the month (that of its latest
        row with MRR), when the movements have none; else None."""
        if self.movements is None or "segment" in self.movements.columns:
            return None
        if self.history is not None:
            return self.history.segments
        return latest_segments(self.rows.get("mrr"))

    @cached_property
    def cohort_sizes(self):
        """Customers and starting MRR of each cohort of ``cohorts``, or ``None`` without
        MRR rows (:func:`~csmetrics.tables.cohorts.cohort_sizes`), computed once for the
        cohort sizes block and the Audit's revenue-triangle checks."""
        if self.history is not None:
            return self.history.sizes
        mrr = self.rows.get("mrr")
        return None if mrr is None or not len(mrr) else cohort_sizes(mrr)

    @cached_property
    def revenue_cohorts(self):
        """The revenue-retention triangle of the MRR rows, or ``None`` without them
        (:func:`~csmetrics.tables.cohorts.cohort_retention`, ``mode="revenue"``), computed
        once, for the reports that show it."""
        if self.history is not None:
            return self.history.revenue
        mrr = self.rows.get("mrr")
        return None if mrr is None or not len(mrr) else cohort_retention(mrr, mode="revenue")


def rows_until(frame, table, month):
    """The rows of ``table`` dated up to the end of ``month``.

    Examples
    --------
    >>> mrr = pd.DataFrame({"month": pd.period_range("2025-01", periods=3, freq="M"),
    ...                     "mrr": [10.0, 20.0, 30.0]})
    >>> rows_until(mrr, "mrr", pd.Period("2025-02", "M"))["mrr"].tolist()
    [10.0, 20.0]
    """
    dates = frame[DATE_COLUMNS[table]]
    if isinstance(dates.dtype, pd.PeriodDtype):
        keep = dates <= month
    else:
        keep = dates < (month + 1).start_time
    return frame.loc[keep]


def month_rows(rows, month, movements, *, mrr_history=False):
    """The rows the month's numbers are computed from, the ones a report's Inputs hold.

    ``rows`` are the tables up to the end of ``month``. MRR: every row of the month, the
    month before and the same month a year earlier (the 12-month figures), and the earlier
    rows of the customers who start paying in the month (they tell a new customer from a
    returning one); with ``mrr_history`` (a cohort table) every row. Surveys, orders,
    tickets: the rows dated in the month. Invoices: those issued in the month and those
    still owed at its end. Spend: every month, up to this one (one row each).

    Examples
    --------
    >>> mrr = pd.DataFrame({"customer_id": ["A", "A", "B", "B", "C"],
    ...     "month": pd.PeriodIndex(["2025-01", "2025-03", "2025-01", "2025-02", "2025-03"],
    ...                             freq="M"), "mrr": [10.0, 10.0, 20.0, 20.0, 30.0]})
    >>> moves = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                       "movement": ["reactivation", "churned", "new"]})
    >>> kept = month_rows({"mrr": mrr}, pd.Period("2025-03", "M"), moves)["mrr"]
    >>> kept[["customer_id", "month"]].astype(str).values.tolist()
    [['A', '2025-01'], ['A', '2025-03'], ['B', '2025-02'], ['C', '2025-03']]
    """
    kept = dict(rows)
    mrr = rows.get("mrr")
    if mrr is not None and not mrr_history:
        starting = movements.loc[movements["movement"].isin(["new", "reactivation"])]
        keep = ((mrr["month"] >= month - 1) | (mrr["month"] == month - MONTHS_PER_YEAR)
                | mrr["customer_id"].isin(starting["customer_id"]))
        kept["mrr"] = mrr.loc[keep]
    for name in ("surveys", "orders", "tickets"):
        frame = rows.get(name)
        if frame is not None:
            kept[name] = frame.loc[frame[DATE_COLUMNS[name]] >= month.start_time]
    invoices = rows.get("invoices")
    if invoices is not None:
        end = month.end_time.normalize()
        owed = ~(invoices["paid_date"] <= end)
        kept["invoices"] = invoices.loc[(invoices["issue_date"] >= month.start_time) | owed]
    return kept


def year_ago_cohort(mrr, month):
    """The customers paying 12 months before ``month``, in the order of their first row:
    the cohort of the 12-month retention figures (``None`` without MRR rows).

    Examples
    --------
    >>> mrr = pd.DataFrame({"customer_id": ["B", "A", "C", "B"],
    ...     "month": pd.PeriodIndex(["2024-03", "2024-03", "2024-03", "2025-03"], freq="M"),
    ...     "mrr": [20.0, 10.0, 0.0, 30.0]})
    >>> year_ago_cohort(mrr, pd.Period("2025-03", "M"))["customer_id"].tolist()
    ['B', 'A']
    """
    if mrr is None:
        return None
    then = mrr.loc[mrr["month"] == month - MONTHS_PER_YEAR]
    paying = then.groupby("customer_id", sort=False, observed=True)["mrr"].sum() > 0
    return pd.DataFrame({"customer_id": paying.index[paying.to_numpy()]})


def segment_tables(dataset, customers=None, spend_segment=None):
    """Each table of ``dataset`` cut to the rows of ``customers`` (all rows when None).

    Spend, which has no ``customer_id``, is cut to the rows of ``spend_segment`` when it
    has a ``segment`` column (a report segmented by ``segment``), else kept whole: the
    data does not say which segment spent it.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> mrr = pd.DataFrame({"customer_id": ["A", "B"], "mrr": [10.0, 20.0]})
    >>> spend = pd.DataFrame({"sales_marketing_cost": [500.0]})
    >>> data = SimpleNamespace(mrr=mrr, surveys=None, invoices=None, orders=None,
    ...                        tickets=None, spend=spend)
    >>> tables = segment_tables(data, {"B"})
    >>> tables["mrr"]["customer_id"].tolist(), len(tables["spend"]), tables["surveys"]
    (['B'], 1, None)
    >>> data.spend = spend.assign(segment="SMB")
    >>> len(segment_tables(data, {"B"}, "Ent")["spend"]), len(segment_tables(data)["spend"])
    (0, 1)
    """
    tables = {name: getattr(dataset, name) for name in DATE_COLUMNS}
    if customers is None:
        return tables
    cut = {
        name: frame.loc[frame["customer_id"].isin(customers)]
        if frame is not None and "customer_id" in frame.columns
        else frame
        for name, frame in tables.items()
    }
    spend = cut.get("spend")
    if spend_segment is not None and spend is not None and "segment" in spend.columns:
        cut["spend"] = spend.loc[spend["segment"] == spend_segment]
    return cut
