"""Customer retention and churn: how many customers stay, leave and come back to buy.

Sources: ``shared/seeds`` 000 (logo churn, repeat purchase, returns), 001 and 002 (CRR),
003 (churn with new customers excluded). Rates are fractions: 0.857 is 85.7 %.
"""

from csmetrics._checks import at_most, denominator, finite_result, non_negative


@finite_result
def customer_retention_rate(customers_start, customers_end, customers_new):
    """Share of the customers at the start of a period still customers at its end.

    Parameters
    ----------
    customers_start : float
        Customers at the start of the period (S), > 0.
    customers_end : float
        Customers at the end of the period (E), new ones included.
    customers_new : float
        Customers won during the period (N), at most ``customers_end``.

    Returns
    -------
    float
        ``(E - N) / S``, a fraction between 0 and 1.

    Notes
    -----
    The formula of seeds 001 and 002: ``CRR = ((E - N) / S) x 100``; this function returns
    the fraction, not the percentage. ``E - N`` cannot exceed ``S`` (more customers kept
    than there were is impossible), so that raises ``ImpossibleValueError``.

    Examples
    --------
    Seed 002's worked example: 70 customers at the start of the month, 30 won and 10 lost,
    90 at the end. The article rounds the result to 86 %.

    >>> round(customer_retention_rate(70, 90, 30), 4)
    0.8571
    """
    start = denominator("customers_start", customers_start)
    end = non_negative("customers_end", customers_end)
    new = non_negative("customers_new", customers_new)
    new = at_most("customers_new", new, "customers_end", end)
    kept = at_most("customers_end - customers_new", end - new, "customers_start", start)
    return kept / start


@finite_result
def customer_churn_rate(customers_start, customers_lost):
    """Logo churn: share of the customers at the start of a period lost during it.

    Parameters
    ----------
    customers_start : float
        Customers at the start of the period, > 0.
    customers_lost : float
        Customers among them who left during the period.

    Returns
    -------
    float
        ``lost / start``, a fraction between 0 and 1.

    Warnings
    --------
    Seed 000 computes churn as ``(start - end) / start``, which is wrong as soon as new
    customers arrive (they hide the losses). Seed 003 and the standard definition use lost
    customers over customers at start, new customers excluded: that is what this function
    does. Seed 001's "churned / total customers in the period" is read the same way, with
    the customers at the start as the total.

    Examples
    --------
    A month that starts with 200 customers and loses 6 of them:

    >>> customer_churn_rate(200, 6)
    0.03
    """
    start = denominator("customers_start", customers_start)
    lost = non_negative("customers_lost", customers_lost)
    return at_most("customers_lost", lost, "customers_start", start) / start


@finite_result
def logo_quick_ratio(customers_won, customers_lost):
    """Logo quick ratio: customers won for each customer lost in a period.

    Parameters
    ----------
    customers_won : float
        Customers won during the period, reactivated customers included (they were not
        customers at the start).
    customers_lost : float
        Customers who left during the period, > 0.

    Returns
    -------
    float
        ``won / lost``; above 1 the customer base grows, below 1 it shrinks.

    Notes
    -----
    The customer-count counterpart of the SaaS quick ratio (``quick_ratio``, which counts
    reactivated MRR as gained): new and reactivated customers over customers lost. No
    source article gives it; it is a standard SaaS ratio.

    Examples
    --------
    A month that wins 26 customers (one of them coming back) and loses 6:

    >>> round(logo_quick_ratio(26, 6), 4)
    4.3333
    """
    won = non_negative("customers_won", customers_won)
    return won / denominator("customers_lost", customers_lost)


@finite_result
def repeat_purchase_rate(returning_customers, total_customers):
    """Share of customers who bought again (seed 000).

    Parameters
    ----------
    returning_customers : float
        Customers with more than one purchase in the period.
    total_customers : float
        All customers who bought in the period, > 0.

    Returns
    -------
    float
        ``returning / total``.

    Examples
    --------
    Of 400 buyers this quarter, 92 placed a second order:

    >>> repeat_purchase_rate(92, 400)
    0.23
    """
    total = denominator("total_customers", total_customers)
    returning = non_negative("returning_customers", returning_customers)
    return at_most("returning_customers", returning, "total_customers", total) / total


@finite_result
def product_return_rate(units_returned, units_sold):
    """Share of the units sold in a period that came back (seed 000).

    Parameters
    ----------
    units_returned : float
        Units returned during the period.
    units_sold : float
        Units sold during the same period, > 0.

    Returns
    -------
    float
        ``returned / sold``.

    Notes
    -----
    Returns in a period may come from sales of an earlier one, so the result is not capped
    at 1.

    Examples
    --------
    1,250 units sold in March and 50 returned:

    >>> product_return_rate(50, 1250)
    0.04
    """
    sold = denominator("units_sold", units_sold)
    returned = non_negative("units_returned", units_returned)
    return returned / sold
