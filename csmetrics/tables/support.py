"""Support tickets of each month: first contact resolution."""


from csmetrics.tables.monthly import keyed, ratio_columns


def monthly_support(tickets, index, segment_of=None):
    """First contact resolution of the tickets opened in each month.

    Parameters
    ----------
    tickets : pandas.DataFrame
        The checked ``tickets`` table.
    index : pandas.Index
        The months (named ``month``), or months x segments.
    segment_of : pandas.Series, optional
        Segment of each customer_id, when segmenting.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``index``: fcr (tickets resolved in the first contact over tickets
        opened); NaN for a month without tickets.

    Examples
    --------
    >>> import pandas as pd
    >>> tickets = pd.DataFrame({"ticket_id": ["T1", "T2", "T3", "T4"],
    ...     "customer_id": ["A", "A", "B", "C"],
    ...     "opened_date": pd.to_datetime(["2024-01-02", "2024-01-15", "2024-01-20",
    ...                                    "2024-02-01"]),
    ...     "resolved_first_contact": [True, False, True, True]})
    >>> months = pd.period_range("2024-01", "2024-02", freq="M", name="month")
    >>> monthly_support(tickets, months).round(4)
                fcr
    month
    2024-01  0.6667
    2024-02  1.0000
    """
    data, keys = keyed(tickets, tickets["opened_date"].dt.to_period("M"), segment_of)
    sums = data.groupby(keys).agg(
        tickets_opened=("resolved_first_contact", "size"),
        tickets_resolved=("resolved_first_contact", "sum"),
    )
    return ratio_columns(sums.reindex(index))
