"""Unit economics of each month: acquisition cost, lifetime value and payback.

The ``spend`` table has one row per month, or, with a ``segment`` column, one row per month
and segment. The all-customers figures add up a month's rows. Segmented by ``segment``, a
segment's sales_marketing_cost is its own rows' and its CAC divides it by its own new
customers; segmented by another column (a region) spend cannot be split between segments
without inventing a rule, so the spend-based columns (sales_marketing_cost, cac, clv_cac,
cac_payback_months) are left out. The gross margin is the company's, the same on every
row of a month (checked on reading), and every segment's lifetime value takes it.
"""

import pandas as pd

from csmetrics.tables.monthly import ratio_columns

REVENUE_MARGIN = 1.0
"""Gross margin used when the data gives none: the LTV is then a revenue LTV."""


def monthly_spend(spend, index, segment_by=None):
    """Sales and marketing cost and gross margin of each row of ``index``.

    Parameters
    ----------
    spend : pandas.DataFrame or None
        The checked ``spend`` table, or None.
    index : pandas.Index
        The months (named ``month``), or months x segments (level ``segment``: the values
        of the mrr column ``segment_by``).
    segment_by : str, optional
        The mrr column the index is segmented by.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: sales_marketing_cost (without spend: none; segmented:
        only when the index is segmented by ``segment`` and spend has that column), the
        sum of the row's spend rows (NaN when it has none), and gross_margin: the month's
        ``gross_margin`` when the spend table has that column (NaN for a month it leaves
        blank or lacks), else 1.0.

    Examples
    --------
    >>> spend = pd.DataFrame({"month": pd.period_range("2024-01", periods=2, freq="M"),
    ...                       "sales_marketing_cost": [30_000.0, 24_000.0],
    ...                       "gross_margin": [0.8, 0.75]})
    >>> monthly_spend(spend, pd.period_range("2024-01", periods=3, freq="M", name="month"))
             sales_marketing_cost  gross_margin
    month
    2024-01               30000.0          0.80
    2024-02               24000.0          0.75
    2024-03                   NaN           NaN

    Split by segment, one month:

    >>> split = pd.DataFrame({"month": pd.PeriodIndex(["2024-01"] * 3, freq="M"),
    ...     "sales_marketing_cost": [1_000.0, 250.5, 99.5], "segment": ["SMB", "Ent", "SMB"]})
    >>> january = pd.period_range("2024-01", periods=1, freq="M", name="month")
    >>> segments = pd.MultiIndex.from_product([january, ["Ent", "SMB"]],
    ...                                       names=["month", "segment"])
    >>> monthly_spend(split, segments, "segment")["sales_marketing_cost"].tolist()
    [250.5, 1099.5]
    >>> monthly_spend(split, january)
             sales_marketing_cost  gross_margin
    month
    2024-01                1350.0           1.0
    """
    table = pd.DataFrame(index=index)
    months = index.get_level_values("month")
    if spend is None:
        table["gross_margin"] = REVENUE_MARGIN
        return table
    cost = spend.groupby("month")["sales_marketing_cost"].sum()
    if "segment" in index.names:
        if segment_by == "segment" and "segment" in spend.columns:
            by_segment = spend.groupby(["month", "segment"])["sales_marketing_cost"].sum()
            table["sales_marketing_cost"] = by_segment.reindex(index).round(2).to_numpy()
    else:
        table["sales_marketing_cost"] = cost.reindex(months).round(2).to_numpy()
    if "gross_margin" in spend.columns:
        margin = spend.groupby("month")["gross_margin"].first()
        table["gross_margin"] = margin.reindex(months).to_numpy()
    else:
        table["gross_margin"] = REVENUE_MARGIN
    return table


def unit_economics(frame):
    """LTV, CAC, CLV/CAC and CAC payback from a monthly frame's other columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monthly rows with arpa, logo_churn, customers_new and gross_margin, and
        sales_marketing_cost when known.

    Returns
    -------
    pandas.DataFrame
        Same index, the catalogue's ratios the frame lacks: ltv (``arpa x gross_margin /
        logo_churn``; with no gross margin in the data, a revenue LTV), and with spend:
        cac (``sales_marketing_cost / customers_new``, reactivated customers counted as
        won), clv_cac (``ltv / cac``) and cac_payback_months (``cac / (arpa x
        gross_margin)``).

    Examples
    --------
    ARPA 50, 80 % margin, 2 % logo churn, 30,000 spent to win 25 customers:

    >>> month = pd.DataFrame({"arpa": [50.0], "logo_churn": [0.02], "customers_new": [25],
    ...     "gross_margin": [0.8], "sales_marketing_cost": [30_000.0]})
    >>> unit_economics(month).round(4).iloc[0].to_dict()
    {'cac': 1200.0, 'ltv': 2000.0, 'clv_cac': 1.6667, 'cac_payback_months': 30.0}
    """
    return ratio_columns(frame)
