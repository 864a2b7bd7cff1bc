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


RATES = (0.85, 0.9, 0.95, 1.1, 1.25)
"""Exchange rates drawn for a currency and month: reporting units per unit of currency."""


@st.composite
def mrr_tables(draw, max_customers=8, max_months=10, segments=("North", "South"), fx=False):
    """An ``mrr`` table: customers paying amounts in whole cents (zero rows included, and
    often 100.00, so that amounts repeat), absent some months, in shuffled row order,
    months in any accepted format.

    With ``fx``, each row also has a ``currency`` (EUR, the reporting currency, USD or
    GBP: a customer may change currency from one month to the next) and ``mrr_native``
    (whole cents in that currency): ``mrr`` is the native amount at the rate drawn for the
    currency and month, rounded to the cent (EUR: the native amount itself)."""
    n_customers = draw(st.integers(1, max_customers))
    n_months = draw(st.integers(1, max_months))
    first = pd.Period("2023-11", "M") + draw(st.integers(0, 14))
    cells = draw(st.lists(
        st.tuples(
            st.integers(0, n_customers - 1),
            st.integers(0, n_months - 1),
            st.one_of(st.just(0), st.just(10_000), st.integers(1, 500), st.integers(1, 10**9)),
            st.sampled_from(segments),
            st.sampled_from(("EUR", "USD", "GBP")),
        ),
        min_size=1, max_size=n_customers * n_months,
        unique_by=lambda cell: (cell[0], cell[1]),
    ))
    customer, month, cents, segment, currency = (list(column)
                                                  for column in zip(*cells, strict=True))
    months = pd.PeriodIndex.from_ordinals(first.ordinal + np.array(month), freq="M")
    table = pd.DataFrame({
        "customer_id": [f"C{number}" for number in customer],
        "month": _month_column(months, draw(st.sampled_from(MONTH_FORMATS))),
        "mrr": np.array(cents) / 100,
        "segment": segment,
    })
    if not fx:
        return table
    rates = {(code, at): 1.0 if code == "EUR" else draw(st.sampled_from(RATES))
             for code, at in sorted(set(zip(currency, month, strict=True)))}
    reporting = [round(native * rates[code, at])
                 for native, code, at in zip(cents, currency, month, strict=True)]
    return table.assign(mrr=np.array(reporting) / 100, currency=currency,
                        mrr_native=np.array(cents) / 100)
