"""Hypothesis strategies for raw input tables."""

import numpy as np
import pandas as pd
from hypothesis import strategies as st

MONTH_FORMATS = ("period", "text", "date", "serial")


def _month_column(months, month_format):
    """The months as a user may give them: Periods, YYYY-MM text, dates or Excel serials."""
    if month_format == "period":
        return months
    if month_format == "text":
        return months.astype(str)
    days = months.to_timestamp()
    if month_format == "date":
        return days + pd.Timedelta(days=9)
    return (days - pd.Timestamp("1899-12-30")).days.astype(float)


@st.composite
def mrr_tables(draw, max_customers=8, max_months=10, segments=("North", "South")):
    """An ``mrr`` table: customers paying amounts in whole cents (zero rows included),
    absent some months, in shuffled row order, months in any accepted format."""
    n_customers = draw(st.integers(1, max_customers))
    n_months = draw(st.integers(1, max_months))
    first = pd.Period("2023-11", "M") + draw(st.integers(0, 14))
    cells = draw(st.lists(
        st.tuples(
            st.integers(0, n_customers - 1),
            st.integers(0, n_months - 1),
            st.one_of(st.just(0), st.integers(1, 500), st.integers(1, 10**9)),
            st.sampled_from(segments),
        ),
        min_size=1, max_size=n_customers * n_months,
        unique_by=lambda cell: (cell[0], cell[1]),
    ))
    customer, month, cents, segment = (list(column) for column in zip(*cells, strict=True))
    months = pd.PeriodIndex.from_ordinals(first.ordinal + np.array(month), freq="M")
    return pd.DataFrame({
        "customer_id": [f"C{number}" for number in customer],
        "month": _month_column(months, draw(st.sampled_from(MONTH_FORMATS))),
        "mrr": np.array(cents) / 100,
        "segment": segment,
    })
