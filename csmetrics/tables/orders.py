"""Orders of each month: repeat purchase rate and product return rate."""


from csmetrics.tables.monthly import keyed, ratio_columns


def monthly_orders(orders, index, segment_of=None):
    """Repeat purchase and return rates of each month (by order date).

    Parameters
    ----------
    orders : pandas.DataFrame
        The checked ``orders`` table.
    index : pandas.Index
        The months (named ``month``), or months x segments.
    segment_of : pandas.Series, optional
        Segment of each customer_id, when segmenting.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: repeat_purchase_rate (customers with two or more orders in
        the month over customers who ordered in it) and return_rate (units returned over
        units sold, on the orders of the month). NaN for a month without orders.

    Examples
    --------
    A orders twice in January, B once; 20 units sold, 2 returned:

    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-01-09"]),
    ...     "units": [5.0, 10.0, 5.0], "units_returned": [0.0, 2.0, 0.0]})
    >>> months = pd.period_range("2024-01", "2024-01", freq="M", name="month")
    >>> monthly_orders(orders, months)
             repeat_purchase_rate  return_rate
    month
    2024-01                   0.5          0.1
    """
    data, keys = keyed(orders, orders["order_date"].dt.to_period("M"), segment_of)
    per_customer = data.groupby([*keys, "customer_id"]).agg(
        orders=("units", "size"), units=("units", "sum"), returned=("units_returned", "sum")
    )
    per_customer["repeat"] = per_customer["orders"] >= 2
    sums = per_customer.groupby(level=keys).agg(
        buyers=("orders", "size"), repeat_buyers=("repeat", "sum"),
        units_sold=("units", "sum"), units_returned=("returned", "sum"),
    )
    return ratio_columns(sums.reindex(index))
