"""Receivables: how long customers take to pay (days sales outstanding).

Source: seed 000 (DSO, "(receivables / credit sales) x days in the period"). The countback
method is the standard refinement used by credit controllers.
"""

import math

from csmetrics._checks import (
    ROUNDING,
    denominator,
    finite_result,
    non_negative,
    number_array,
    positive,
)
from csmetrics.errors import ImpossibleValueError, ZeroDenominatorError


@finite_result
def days_sales_outstanding(receivables, credit_sales, *, days=365):
    """Days sales outstanding (DSO): average days a sale waits to be paid.

    Parameters
    ----------
    receivables : float
        Accounts receivable (open invoices) at the end of the period.
    credit_sales : float
        Sales made on credit during the same period, > 0.
    days : float, default 365
        Days in the period: 365 for a year (seed 000's annual formula), 30 or 31 for a
        month, 90 or 91 for a quarter.

    Returns
    -------
    float
        ``receivables / credit_sales x days``.

    Examples
    --------
    A year with 1,200,000 of credit sales and 150,000 still to collect at year end:

    >>> days_sales_outstanding(150_000, 1_200_000)
    45.625

    The same receivables against one month of 100,000 credit sales (30 days):

    >>> days_sales_outstanding(150_000, 100_000, days=30)
    45.0
    """
    ar = non_negative("receivables", receivables)
    sales = denominator("credit_sales", credit_sales)
    return ar / sales * positive("days", days)


@finite_result
def countback_dso(receivables, credit_sales_by_period, days_by_period):
    """DSO by the countback method: receivables matched against the latest sales first.

    Parameters
    ----------
    receivables : float
        Accounts receivable at the end of the latest period.
    credit_sales_by_period : array-like of float
        Credit sales of each period, oldest first, latest last.
    days_by_period : array-like of float
        Days in each of those periods (same length).

    Returns
    -------
    float
        Walking back from the latest period, each period whose sales are wholly covered by
        the remaining receivables adds all its days; the first period that is not adds its
        days pro rata (``remaining / sales x days``).

    Raises
    ------
    ImpossibleValueError
        When the receivables exceed the sales of all the periods given: give more periods.

    Examples
    --------
    Receivables 150,000 at the end of March; credit sales January 80,000 (31 days),
    February 90,000 (28 days), March 100,000 (31 days). March covers 100,000 (31 days); the
    remaining 50,000 is 50,000 / 90,000 of February's 28 days:

    >>> round(countback_dso(150_000, [80_000, 90_000, 100_000], [31, 28, 31]), 4)
    46.5556
    """
    receivables = non_negative("receivables", receivables)
    sales = number_array("credit_sales_by_period", credit_sales_by_period, non_negative).tolist()
    days = number_array("days_by_period", days_by_period, positive).tolist()
    if len(sales) != len(days):
        raise ImpossibleValueError(
            f"credit_sales_by_period has {len(sales)} values but days_by_period has {len(days)}"
        )
    if not sales:
        raise ZeroDenominatorError("credit_sales_by_period holds no periods")
    if receivables > math.fsum(sales) * (1 + ROUNDING):
        raise ImpossibleValueError(
            f"receivables ({receivables:.15g}) exceed the credit sales of all {len(sales)} "
            f"periods given ({math.fsum(sales):.15g}): give more periods"
        )
    remaining, total = receivables, 0.0
    for period_sales, period_days in zip(reversed(sales), reversed(days), strict=True):
        if remaining <= period_sales:
            return total + (remaining / period_sales * period_days if remaining else 0.0)
        remaining -= period_sales
        total += period_days
    return total  # the receivables cover every period; what remains is float rounding
