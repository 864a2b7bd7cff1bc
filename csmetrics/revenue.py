"""Recurring revenue: MRR, its churn, expansion and retention.

Sources: seed 000 (revenue churn, revenue growth), 001 (MRR, ARPA), 003 (MRR), 004 (net
MRR churn, expansion). MRR movements follow the bridge
``start + new + expansion + reactivation - contraction - churned = end``.
"""

from csmetrics._checks import at_most, denominator, finite_result, non_negative


@finite_result
def mrr_churn_rate(mrr_start, mrr_end, expansion_mrr):
    """Revenue churn as seed 000 writes it: ``((start - end) - expansion) / start``.

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the month, > 0.
    mrr_end : float
        MRR at the end of the month from the customers present at its start, before
        their upgrades (see Warnings).
    expansion_mrr : float
        MRR added by upgrades of those customers during the month.

    Returns
    -------
    float
        A fraction; negative when upgrades outweigh the losses (net negative churn).

    Warnings
    --------
    The formula is right only when ``mrr_end`` excludes new customers and the upgrades;
    fed with the month's total closing MRR it counts expansion twice. The movement forms
    :func:`gross_mrr_churn_rate` and :func:`net_mrr_churn_rate` are unambiguous; the batch
    engine feeds this function ``mrr_end = start - churned - contraction``, which makes it
    equal to the net MRR churn.

    Examples
    --------
    10,000 of MRR at the start, 9,300 left from those customers before upgrades, 400 of
    upgrades:

    >>> mrr_churn_rate(10_000, 9_300, 400)
    0.03
    """
    start = denominator("mrr_start", mrr_start)
    end = non_negative("mrr_end", mrr_end)
    expansion = non_negative("expansion_mrr", expansion_mrr)
    return ((start - end) - expansion) / start


@finite_result
def gross_mrr_churn_rate(mrr_start, churned_mrr, contraction_mrr):
    """Share of the starting MRR lost to cancellations and downgrades.

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the month, > 0.
    churned_mrr : float
        MRR of the customers who cancelled.
    contraction_mrr : float
        MRR lost to downgrades of the customers who stayed.

    Returns
    -------
    float
        ``(churned + contraction) / start``, between 0 and 1.

    Examples
    --------
    >>> gross_mrr_churn_rate(10_000, 500, 200)
    0.07
    """
    start = denominator("mrr_start", mrr_start)
    lost = _lost_mrr(start, churned_mrr, contraction_mrr)
    return lost / start


@finite_result
def net_mrr_churn_rate(mrr_start, churned_mrr, contraction_mrr, expansion_mrr):
    """Share of the starting MRR lost, net of expansion (seed 004's "net MRR churn").

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the month, > 0.
    churned_mrr, contraction_mrr : float
        MRR lost to cancellations and to downgrades.
    expansion_mrr : float
        MRR gained from upgrades, add-ons and cross-sell to existing customers.

    Returns
    -------
    float
        ``(churned + contraction - expansion) / start``; negative is net negative churn.

    Warnings
    --------
    Seed 004 says net MRR churn "removes all expansion revenue and focuses only on revenue
    churn", which could be read as churn with expansion left out. That is the gross MRR
    churn (:func:`gross_mrr_churn_rate`); "net" here takes the usual meaning, losses net of
    expansion, so that ``net_revenue_retention = 1 - net_mrr_churn_rate``.

    Examples
    --------
    >>> net_mrr_churn_rate(10_000, 500, 200, 900)
    -0.02
    """
    start = denominator("mrr_start", mrr_start)
    lost = _lost_mrr(start, churned_mrr, contraction_mrr)
    expansion = non_negative("expansion_mrr", expansion_mrr)
    return (lost - expansion) / start


@finite_result
def expansion_mrr_rate(mrr_start, expansion_mrr):
    """Expansion MRR as a share of the starting MRR (seed 004's expansion %).

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the month, > 0.
    expansion_mrr : float
        MRR gained from existing customers (upgrades, add-ons, cross-sell).

    Returns
    -------
    float
        ``expansion / start``.

    Warnings
    --------
    Seed 003 writes expansion MRR as "active customers x ARPC + non-recurring revenue",
    which is total revenue, not expansion. This function uses the standard meaning: the
    MRR increase from customers who were already paying (seed 004: the extra revenue
    customers add over the life of their account). Seed 001 also counts one-off purchases,
    which are not recurring: leave them out of ``expansion_mrr``.

    Examples
    --------
    >>> expansion_mrr_rate(10_000, 900)
    0.09
    """
    start = denominator("mrr_start", mrr_start)
    return non_negative("expansion_mrr", expansion_mrr) / start


@finite_result
def gross_revenue_retention(mrr_start, churned_mrr, contraction_mrr):
    """Gross revenue retention (GRR): starting MRR kept, upgrades not counted.

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the period, > 0.
    churned_mrr, contraction_mrr : float
        MRR lost to cancellations and to downgrades.

    Returns
    -------
    float
        ``(start - churned - contraction) / start``, between 0 and 1; equal to
        ``1 - gross_mrr_churn_rate``.

    Examples
    --------
    >>> gross_revenue_retention(10_000, 500, 200)
    0.93
    """
    start = denominator("mrr_start", mrr_start)
    return (start - _lost_mrr(start, churned_mrr, contraction_mrr)) / start


@finite_result
def net_revenue_retention(
    mrr_start, churned_mrr, contraction_mrr, expansion_mrr, *, reactivation_mrr=0
):
    """Net revenue retention (NRR): starting MRR kept, with expansion and win-backs.

    Parameters
    ----------
    mrr_start : float
        MRR at the start of the period, > 0.
    churned_mrr, contraction_mrr : float
        MRR lost to cancellations and to downgrades.
    expansion_mrr : float
        MRR gained from upgrades of existing customers.
    reactivation_mrr : float, default 0
        MRR of customers who came back after at least one month at zero.

    Returns
    -------
    float
        ``(start - churned - contraction + expansion + reactivation) / start``.

    Warnings
    --------
    Vendors differ on reactivation: some count returning customers in NRR, some as new
    business. The default (0) leaves them out, so NRR equals ``1 - net_mrr_churn_rate``.

    Examples
    --------
    >>> net_revenue_retention(10_000, 500, 200, 900)
    1.02
    >>> net_revenue_retention(10_000, 500, 200, 900, reactivation_mrr=100)
    1.03
    """
    start = denominator("mrr_start", mrr_start)
    lost = _lost_mrr(start, churned_mrr, contraction_mrr)
    expansion = non_negative("expansion_mrr", expansion_mrr)
    reactivation = non_negative("reactivation_mrr", reactivation_mrr)
    return (start - lost + expansion + reactivation) / start


@finite_result
def revenue_growth_rate(mrr_start, mrr_end):
    """Growth of MRR over the period (seed 000's existing-customer revenue growth).

    Parameters
    ----------
    mrr_start : float
        MRR at the start, > 0.
    mrr_end : float
        MRR at the end. For seed 000's existing-customer growth, leave new customers out.

    Returns
    -------
    float
        ``(end - start) / start``.

    Examples
    --------
    >>> revenue_growth_rate(10_000, 10_450)
    0.045
    """
    start = denominator("mrr_start", mrr_start)
    return (non_negative("mrr_end", mrr_end) - start) / start


@finite_result
def quick_ratio(new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr, churned_mrr):
    """SaaS quick ratio: MRR gained for each unit of MRR lost.

    Parameters
    ----------
    new_mrr, expansion_mrr, reactivation_mrr : float
        MRR gained from new, upgrading and returning customers.
    contraction_mrr, churned_mrr : float
        MRR lost to downgrades and cancellations; their sum must be > 0.

    Returns
    -------
    float
        ``(new + expansion + reactivation) / (contraction + churned)``; above 4 is usually
        read as efficient growth.

    Examples
    --------
    >>> quick_ratio(1_200, 900, 100, 200, 500)
    3.142857142857143
    """
    gained = sum(
        non_negative(name, value)
        for name, value in (
            ("new_mrr", new_mrr),
            ("expansion_mrr", expansion_mrr),
            ("reactivation_mrr", reactivation_mrr),
        )
    )
    lost = non_negative("contraction_mrr", contraction_mrr) + non_negative(
        "churned_mrr", churned_mrr
    )
    return gained / denominator("contraction_mrr + churned_mrr", lost)


@finite_result
def arpa(mrr, accounts):
    """Average revenue per account (seed 001): MRR divided by paying accounts.

    Parameters
    ----------
    mrr : float
        Monthly recurring revenue.
    accounts : float
        Paying accounts (customers), > 0.

    Returns
    -------
    float
        ``mrr / accounts``.

    Examples
    --------
    >>> arpa(12_500, 250)
    50.0
    """
    return non_negative("mrr", mrr) / denominator("accounts", accounts)


@finite_result
def mrr(active_customers, arpa):
    """Monthly recurring revenue from customers and their average revenue (seeds 001, 003).

    Parameters
    ----------
    active_customers : float
        Paying customers.
    arpa : float
        Average revenue per account per month.

    Returns
    -------
    float
        ``active_customers x arpa``.

    Examples
    --------
    >>> mrr(250, 50)
    12500.0
    """
    return non_negative("active_customers", active_customers) * non_negative("arpa", arpa)


def _lost_mrr(start, churned_mrr, contraction_mrr):
    """Churned plus contraction MRR, checked to be at most the starting MRR."""
    churned = non_negative("churned_mrr", churned_mrr)
    contraction = non_negative("contraction_mrr", contraction_mrr)
    return at_most("churned_mrr + contraction_mrr", churned + contraction, "mrr_start", start)


