"""Hypothesis strategies for the metric core: inputs that obey each metric's rules.

Counts are whole numbers. Money is drawn in cents and given in currency units (1234.56),
as a spreadsheet holds it, so float rounding is part of what the tests see; each
movement that must stay exact (what is left of the starting MRR, the closing MRR) is
computed in cents first. Survey answers are lists on a named scale.
"""

from typing import NamedTuple

from hypothesis import strategies as st

MAX_COUNT = 10**6
MAX_CENTS = 10**11  # a billion in currency units

counts = st.integers(min_value=0, max_value=MAX_COUNT)
positive_counts = st.integers(min_value=1, max_value=MAX_COUNT)


def cents(min_value=0, max_value=MAX_CENTS):
    """Whole cents."""
    return st.integers(min_value=min_value, max_value=max_value)


def money(min_value=0, max_value=MAX_CENTS):
    """An amount with at most two decimals, drawn in cents ``[min_value, max_value]``."""
    return cents(min_value, max_value).map(lambda c: c / 100)


positive_money = money(min_value=1)

# Rates and margins as fractions; churn and margin above 0.0001 keep LTVs finite and sane.
shares = st.floats(min_value=0, max_value=1)
margins = st.floats(min_value=1e-4, max_value=1)
churn_rates = st.floats(min_value=1e-4, max_value=1)
discount_rates = st.floats(min_value=1e-6, max_value=0.1)
confidences = st.floats(min_value=0.5, max_value=0.999)


class CustomerPeriod(NamedTuple):
    """Customers over one period: ``end = start - lost + new``, ``lost <= start``."""

    start: int
    lost: int
    new: int
    end: int


@st.composite
def customer_periods(draw):
    start = draw(positive_counts)
    lost = draw(st.integers(min_value=0, max_value=start))
    new = draw(counts)
    return CustomerPeriod(start, lost, new, start - lost + new)


class MrrMonth(NamedTuple):
    """One month of MRR movements obeying the bridge, in currency units.

    ``kept`` is what is left of the starting MRR before upgrades
    (``start - churned - contraction``); ``end`` is the closing MRR
    (``start + new + expansion + reactivation - contraction - churned``). Both are
    computed in cents, so they are exact to the cent.
    """

    start: float
    new: float
    expansion: float
    reactivation: float
    contraction: float
    churned: float
    kept: float
    end: float


@st.composite
def mrr_months(draw, *, reactivation=True):
    start = draw(cents(min_value=1))
    churned = draw(cents(max_value=start))
    contraction = draw(cents(max_value=start - churned))
    new, expansion = draw(cents()), draw(cents())
    back = draw(cents()) if reactivation else 0
    kept = start - churned - contraction
    end = kept + new + expansion + back
    return MrrMonth(
        *(c / 100 for c in (start, new, expansion, back, contraction, churned, kept, end))
    )


def answers(low, high, *, whole=True, min_size=1, max_size=300):
    """Lists of survey answers on the scale ``[low, high]``."""
    if whole:
        one = st.integers(min_value=int(low), max_value=int(high))
    else:
        one = st.floats(min_value=low, max_value=high)
    return st.lists(one, min_size=min_size, max_size=max_size)


nps_answers = answers(0, 10)
csat_answers = answers(1, 5)  # the default 1-5 scale
css_answers = answers(1, 10)  # seed 003's 1-10 scale
ces_answers = answers(1, 7)  # the CES 2.0 scale

NPS_CLASSES = {"detractor": range(0, 7), "passive": range(7, 9), "promoter": range(9, 11)}


def one_class_answers(max_size=300):
    """Answers that all fall in one NPS class (all promoters, all passives ...)."""
    return st.sampled_from(list(NPS_CLASSES.values())).flatmap(
        lambda scores: st.lists(st.sampled_from(scores), min_size=1, max_size=max_size)
    )


@st.composite
def csat_surveys(draw):
    """A scale ``(scale_min, scale_max)``, a threshold on it and answers on it."""
    scale_min = draw(st.integers(min_value=0, max_value=5))
    scale_max = draw(st.integers(min_value=scale_min + 1, max_value=scale_min + 10))
    threshold = draw(st.integers(min_value=scale_min, max_value=scale_max))
    scores = draw(answers(scale_min, scale_max))
    return scores, threshold, scale_min, scale_max


class SalesHistory(NamedTuple):
    """Credit sales and days of consecutive periods, oldest first, and receivables."""

    receivables: float
    credit_sales: list
    days: list


@st.composite
def sales_histories(draw, *, within_last_period=False):
    """Receivables at most the sales of all periods (or of the last one only)."""
    periods = draw(st.integers(min_value=1, max_value=12))
    sales = draw(st.lists(cents(min_value=1), min_size=periods, max_size=periods))
    days = draw(st.lists(st.sampled_from([28, 29, 30, 31, 90, 91, 92]), min_size=periods,
                         max_size=periods))
    limit = sales[-1] if within_last_period else sum(sales)
    receivables = draw(cents(max_value=limit))
    return SalesHistory(receivables / 100, [s / 100 for s in sales], days)
