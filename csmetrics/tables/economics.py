"""Unit economics of each month: acquisition cost, lifetime value and payback.

The ``spend`` table has one row per month and no segment. When the metrics are segmented,
spend cannot be split between segments without inventing a rule, so the spend-based
columns (sales_marketing_cost, cac, clv_cac, cac_payback_months) are left out; the lifetime
value, which needs only a margin, is kept, with the month's company-wide gross margin.
"""

import pandas as pd

from csmetrics.tables.monthly import ratio_columns

REVENUE_MARGIN = 1.0
"""Gross margin used when the data gives none: the LTV is then a revenue LTV."""


def monthly_spend(spend, index):
    """Sales and marketing cost and gross margin of each row of ``index``.

    Parameters
    ----------
    spend : pandas.DataFrame or None
        The checked ``spend`` table, or None.
    index : pandas.Index
        The months (named ``month``), or months x segments.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: sales_marketing_cost (not when segmented, nor without
        spend) and gross_margin: the month's ``gross_margin`` when the spend table has
        that column (NaN for a month it leaves blank or lacks), else 1.0.

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
    """
    table = pd.DataFrame(index=index)
    months = index.get_level_values("month")
    by_month = spend.set_index("month") if spend is not None else pd.DataFrame()
    if spend is not None and "segment" not in index.names:
        table["sales_marketing_cost"] = by_month["sales_marketing_cost"].reindex(months).to_numpy()
    if "gross_margin" in by_month.columns:
        table["gross_margin"] = by_month["gross_margin"].reindex(months).to_numpy()
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
