"""Unit economics: what a customer is worth and what winning one costs.

Sources: seed 001 (CLV as revenue less costs), 003 (CLV, CAC, the CLV/CAC ratio and its
3:1 rule). The subscription LTV, its discounted form and CAC payback are the standard
SaaS additions.
"""

from csmetrics._checks import denominator, finite_result, fraction, non_negative, number


@finite_result
def customer_lifetime_value(revenue, acquisition_cost, service_cost):
    """Customer lifetime value as seed 001 writes it: revenue less the costs of the customer.

    Parameters
    ----------
    revenue : float
        Revenue from the customer over the relationship.
    acquisition_cost : float
        What winning the customer cost.
    service_cost : float
        What serving the customer cost over the relationship.

    Returns
    -------
    float
        ``revenue - acquisition_cost - service_cost``; negative for a loss-making customer.

    Warnings
    --------
    Seed 003 calls CLV the revenue per customer over the relationship (pass zero costs for
    that reading); subscription businesses usually use :func:`subscription_ltv`.

    Examples
    --------
    >>> customer_lifetime_value(5_400, 900, 1_300)
    3200.0
    """
    return (
        non_negative("revenue", revenue)
        - non_negative("acquisition_cost", acquisition_cost)
        - non_negative("service_cost", service_cost)
    )


@finite_result
def subscription_ltv(arpa, gross_margin, churn_rate):
    """Subscription lifetime value: margin per month over the expected lifetime.

    Parameters
    ----------
    arpa : float
        Average revenue per account per month.
    gross_margin : float
        Gross margin as a fraction (0.8 is 80 %).
    churn_rate : float
        Monthly logo churn as a fraction, > 0; ``1 / churn_rate`` is the expected lifetime
        in months.

    Returns
    -------
    float
        ``arpa x gross_margin / churn_rate``.

    Examples
    --------
    >>> round(subscription_ltv(50, 0.8, 0.02), 2)
    2000.0
    """
    margin = fraction("gross_margin", gross_margin)
    churn = fraction("churn_rate", churn_rate)
    return non_negative("arpa", arpa) * margin / denominator("churn_rate", churn)


@finite_result
def discounted_ltv(arpa, gross_margin, churn_rate, discount_rate):
    """Subscription lifetime value with future months discounted.

    Parameters
    ----------
    arpa, gross_margin, churn_rate : float
        As in :func:`subscription_ltv`.
    discount_rate : float
        Monthly discount rate as a fraction (about 0.0080 for 10 % a year).

    Returns
    -------
    float
        ``arpa x margin x (1 + d) / (d + churn)``: the sum over months ``t = 0, 1, ...`` of
        ``arpa x margin x (1 - churn)^t / (1 + d)^t``, the first month paid up front.

    Examples
    --------
    >>> round(discounted_ltv(50, 0.8, 0.02, 0.01), 2)
    1346.67
    """
    margin = fraction("gross_margin", gross_margin)
    churn = fraction("churn_rate", churn_rate)
    rate = non_negative("discount_rate", discount_rate)
    value = non_negative("arpa", arpa) * margin * (1 + rate)
    return value / denominator("discount_rate + churn_rate", rate + churn)


@finite_result
def customer_acquisition_cost(sales_marketing_cost, new_customers):
    """Customer acquisition cost (CAC): sales and marketing spend per customer won (seed 003).

    Parameters
    ----------
    sales_marketing_cost : float
        Sales and marketing cost of the period.
    new_customers : float
        Customers won in the same period, > 0.

    Returns
    -------
    float
        ``cost / new_customers``.

    Examples
    --------
    >>> customer_acquisition_cost(30_000, 25)
    1200.0
    """
    cost = non_negative("sales_marketing_cost", sales_marketing_cost)
    return cost / denominator("new_customers", new_customers)


@finite_result
def clv_cac_ratio(clv, cac):
    """CLV / CAC: customer value for each unit spent winning a customer (seed 003).

    Parameters
    ----------
    clv : float
        Customer lifetime value.
    cac : float
        Customer acquisition cost, > 0.

    Returns
    -------
    float
        ``clv / cac``. Seed 003: 3 or more is healthy, about 2 a thin profit, 1 or less
        break-even or a loss (CAC should be a fifth to a third of LTV).

    Warnings
    --------
    Seed 003 calls this ratio "profit per customer"; profit per customer is ``clv - cac``.

    Examples
    --------
    The healthy case of seed 003: a customer worth 3,600 who cost 1,200 to win.

    >>> clv_cac_ratio(3_600, 1_200)
    3.0
    """
    return number("clv", clv) / denominator("cac", cac)


@finite_result
def cac_payback_months(cac, arpa, gross_margin):
    """Months of gross margin needed to earn back the acquisition cost.

    Parameters
    ----------
    cac : float
        Customer acquisition cost.
    arpa : float
        Average revenue per account per month, > 0.
    gross_margin : float
        Gross margin as a fraction, > 0.

    Returns
    -------
    float
        ``cac / (arpa x gross_margin)``.

    Examples
    --------
    >>> cac_payback_months(1_200, 50, 0.8)
    30.0
    """
    margin = fraction("gross_margin", gross_margin)
    monthly_margin = non_negative("arpa", arpa) * margin
    return non_negative("cac", cac) / denominator("arpa x gross_margin", monthly_margin)
