"""Subscription KPIs of each month from the MRR bridge: retention, churn, growth, ARPA.

The ratios are computed from the bridge's amounts in whole cents (as floats holding
integers), so sums and comparisons inside the core functions are exact.
"""

import pandas as pd

from csmetrics.tables.money import to_cents
from csmetrics.tables.monthly import ratio_columns
from csmetrics.tables.movements import MONEY_COLUMNS


def subscription_metrics(bridge):
    """The ratio columns of the catalogue computed from a bridge of :func:`mrr_movements`.

    Parameters
    ----------
    bridge : pandas.DataFrame
        Rows of :func:`~csmetrics.tables.movements.mrr_movements`.

    Returns
    -------
    pandas.DataFrame
        Same index: the ratios of :data:`csmetrics.kpis.RATIO_KPIS` the bridge gives
        (crr, logo_churn, gross_mrr_churn, net_mrr_churn, mrr_churn, expansion_rate, grr,
        nrr, revenue_growth, quick_ratio, arpa, logo_quick_ratio ...), computed on whole
        cents.

    Notes
    -----
    - ``mrr_churn`` (seed 000's formula) is fed ``mrr_kept = start - churned -
      contraction``, the MRR left from the customers at the start before their upgrades,
      as its docstring asks; it then equals the net MRR churn.
    - ``revenue_growth`` is the growth of the customers present at the start:
      ``end = start + expansion - contraction - churned`` (new and reactivated left out).
    - ``nrr`` leaves reactivations out (they were not customers at the start).
    - ``arpa`` is the MRR at the end of the month over the customers at the end.

    Examples
    --------
    A month from 10,000 of MRR (200 customers): 500 churned (6 customers), 200 of
    contraction, 900 of expansion, 1,200 new (25 customers), 100 reactivated (1):

    >>> bridge = pd.DataFrame({"mrr_start": [10_000.0], "new": [1_200.0],
    ...     "expansion": [900.0], "contraction": [200.0], "churned": [500.0],
    ...     "reactivation": [100.0], "mrr_end": [11_500.0], "customers_start": [200],
    ...     "customers_new": [26], "customers_lost": [6], "customers_end": [220]})
    >>> ratios = subscription_metrics(bridge).round(4).iloc[0].to_dict()
    >>> {key: ratios[key] for key in ("crr", "logo_churn", "gross_mrr_churn", "net_mrr_churn",
    ...     "mrr_churn", "expansion_rate", "grr", "nrr", "revenue_growth", "quick_ratio",
    ...     "arpa")}  # doctest: +NORMALIZE_WHITESPACE
    {'crr': 0.97, 'logo_churn': 0.03, 'gross_mrr_churn': 0.07, 'net_mrr_churn': -0.02,
     'mrr_churn': -0.02, 'expansion_rate': 0.09, 'grr': 0.93, 'nrr': 1.02,
     'revenue_growth': 0.02, 'quick_ratio': 3.1429, 'arpa': 52.2727}
    """
    cents = pd.DataFrame(
        {name: to_cents(bridge[name]) for name in MONEY_COLUMNS},
        index=bridge.index,
    )
    for name in ("customers_start", "customers_new", "customers_lost", "customers_end"):
        cents[name] = bridge[name].to_numpy(dtype=float)
    return ratio_columns(cents, money_scale=100)
