"""Each customer's movement of each month, as one Ibis expression (one window pass: LAG
for the month before, LEAD to find where a run of MRR stops; no self-join).

The definitions are those of :mod:`csmetrics.tables.movements`: ``new`` is a customer's
first month with MRR, ``reactivation`` a month with MRR after one or more at zero,
``churned`` the first month at zero after a month with MRR (when the data goes on),
``expansion``/``contraction`` a rise or a fall of MRR beyond its fx part, ``flat`` the rest.
"""

import ibis
from ibis import _

from csmetrics.tables.movements import (
    CHURNED,
    CONTRACTION,
    EXPANSION,
    FLAT,
    NEW,
    REACTIVATION,
)

COLUMNS = ("customer_id", "m", "previous", "current", "kind", "fx")


def moves(source):
    """The movements of a :class:`~csmetrics.scale.source.Source`: ``customer_id``, ``m``,
    ``previous`` and ``current`` (whole cents), ``kind`` (a code of
    :data:`~csmetrics.tables.movements.MOVEMENTS`), ``fx`` and, when segmenting,
    ``segment``."""
    paying = source.paying
    keep = COLUMNS + (("segment",) if source.segments is not None else ())
    window = ibis.window(group_by="customer_id", order_by="m")
    seen = paying.mutate(
        before_m=_.m.lag().over(window),
        before=_.cents.lag().over(window),
        after_m=_.m.lead().over(window),
        **({"before_native": _.native.lag().over(window),
            "before_currency": _.currency.lag().over(window)} if source.has_native else {}),
    )
    seen = seen.mutate(follows=(_.before_m == _.m - 1).fill_null(False))
    seen = seen.mutate(previous=ibis.ifelse(_.follows, _.before, 0).cast("int64"),
                       current=_.cents)
    seen = seen.mutate(fx=_fx(seen) if source.has_native else ibis.literal(0, "int64"))
    paid = seen.mutate(kind=ibis.cases(
        (_.before_m.isnull(), NEW),
        (~_.follows, REACTIVATION),
        (_.current > _.previous + _.fx, EXPANSION),
        (_.current < _.previous + _.fx, CONTRACTION),
        else_=FLAT,
    ).cast("int8"))
    stops = (_.m < source.last) & (_.after_m != _.m + 1).fill_null(True)
    lost = seen.filter(stops).mutate(
        m=_.m + 1, previous=_.cents, current=ibis.literal(0, "int64"),
        kind=ibis.literal(CHURNED, "int8"), fx=ibis.literal(0, "int64"))
    return paid.select(*keep).union(lost.select(*keep), distinct=False)


def _fx(seen):
    """Whole cents of the change due to exchange rates (see
    :func:`csmetrics.tables.movements.fx_impact`): for a customer billed in the same
    currency two months running, its previous native MRR at this month's rate, rounded
    as spreadsheet ROUND, minus its previous MRR; 0 where the two rates are one rate to
    the rounding of the amounts (and no native change)."""
    now = seen.native.nullif(0).cast("float64")
    then = seen.before_native.nullif(0).cast("float64")
    cents = seen.cents.cast("float64")
    previous = seen.previous.cast("float64")
    same = (seen.follows & (seen.currency == seen.before_currency)
            & (seen.before_native > 0) & (seen.native > 0)).fill_null(False)
    moved = ((cents / now - previous / then).abs() > 1 / now + 1 / then).fill_null(False)
    unchanged = (seen.native == seen.before_native).fill_null(False)
    revalued = ibis.ifelse(unchanged, seen.cents, _round_half_away(then * cents / now))
    return ibis.ifelse(same & (moved | unchanged), revalued - seen.previous, 0).cast("int64")


def _round_half_away(value):
    """Whole number of a float, an exact half away from zero (as spreadsheet ROUND)."""
    whole = ibis.ifelse(value >= 0, value.floor(), value.ceil()).cast("float64")
    half = (value - whole).abs() == 0.5
    away = whole + ibis.ifelse(value >= 0, 1, -1)
    return ibis.ifelse(half, away, value.round(0)).cast("int64")
