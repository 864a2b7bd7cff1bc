"""Argument checks shared by the metric functions.

Each check returns the cleaned value or raises a :class:`~csmetrics.errors.MetricError`
whose message names the argument and the value, for example
``customers_start must be > 0, got 0``.
"""

import functools
import inspect
import math
import numbers
import reprlib

import numpy as np

from csmetrics.errors import ImpossibleValueError, InvalidTypeError, ZeroDenominatorError

ROUNDING = 1e-12


def finite_result(metric):
    """Make ``metric`` raise instead of returning inf or NaN when a float overflows.

    Finite arguments can still overflow (``arpa(1e308, 0.5)`` is inf). Excel answers an
    overflow with ``#NUM!``; so does the :class:`ImpossibleValueError` raised here, whose
    message names the metric and the arguments it was given.
    """
    signature = inspect.signature(metric)

    @functools.wraps(metric)
    def checked(*args, **kwargs):
        result = metric(*args, **kwargs)
        if not math.isfinite(result):
            given = signature.bind(*args, **kwargs).arguments
            shown = ", ".join(f"{k}={reprlib.repr(v)}" for k, v in given.items())
            raise ImpossibleValueError(
                f"{metric.__name__}({shown}) is too large for a float, got {result}"
            )
        return result

    return checked


def number(name, value):
    """Return ``value`` as a finite float, or raise if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidTypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ImpossibleValueError(f"{name} must be a finite number, got {value}")
    return value


def non_negative(name, value):
    """Return ``value`` as a float >= 0."""
    value = number(name, value)
    if value < 0:
        raise ImpossibleValueError(f"{name} must be >= 0, got {value:g}")
    return value


def denominator(name, value):
    """Return ``value`` as a float > 0: zero is ``#DIV/0!``, negative ``#NUM!``."""
    value = non_negative(name, value)
    if value == 0:
        raise ZeroDenominatorError(f"{name} must be > 0, got 0")
    return value


def positive(name, value):
    """Return ``value`` as a float > 0 where it multiplies, not divides (days in a period).

    Zero there is an impossible value (``#NUM!``), not a division by zero.
    """
    value = non_negative(name, value)
    if value == 0:
        raise ImpossibleValueError(f"{name} must be > 0, got 0")
    return value


def at_most(name, value, limit_name, limit):
    """Return ``value``, raising unless ``value <= limit`` (lost customers <= those at start).

    Amounts that are equal on paper can differ by float rounding: ``0.1 + 0.2`` exceeds
    ``0.3``, so all the MRR of 0.30 lost as 0.10 churned and 0.20 contraction would look
    impossible (and ``0.12 + 0.95`` falls short of ``1.07``). A value within ``ROUNDING``
    (relative) of the limit is the limit: it is returned, so a rate computed from it is
    exactly 0 or 1, not ``1.0000000000000002`` or ``2e-16``.
    """
    if abs(value - limit) <= ROUNDING * limit:
        return limit
    if value < limit:
        return value
    raise ImpossibleValueError(f"{name} ({value:.15g}) cannot exceed {limit_name} ({limit:.15g})")


def above(name, value, limit_name, limit):
    """Raise unless ``value > limit`` (for example the top of a rating scale above its bottom)."""
    if value <= limit:
        raise ImpossibleValueError(
            f"{name} ({value:g}) must be above {limit_name} ({limit:g})"
        )


def fraction(name, value):
    """Return ``value`` as a float in [0, 1] (a margin or a rate given as a fraction)."""
    value = non_negative(name, value)
    if value > 1:
        raise ImpossibleValueError(
            f"{name} must be a fraction between 0 and 1 (25 % is 0.25), got {value:g}"
        )
    return value


def number_array(name, values, check=number):
    """Return an array-like of numbers (nested lists included) as a 1-D float array.

    Each value goes through ``check`` as it was given: a boolean or a text among numbers
    is an error, not silently read as 1 or 0 as ``np.ravel`` would.
    """
    array = np.asarray(values, dtype=object).ravel()
    return np.array([check(name, v) for v in array], dtype=float)


def float_array(name, values):
    """:func:`number_array` of ``values``, checked at numpy speed when they are a float array.

    The Excel functions hand over a range of 100,000 answers as a float array; a float
    fails :func:`number` only when it is not finite, so the first such value is the error.

    >>> float_array("scores", np.array([[9.0], [7.0]]))
    array([9., 7.])
    >>> float_array("scores", np.array([1.0, np.inf]))
    Traceback (most recent call last):
    ...
    csmetrics.errors.ImpossibleValueError: scores must be a finite number, got inf
    """
    if not (isinstance(values, np.ndarray) and values.dtype.kind == "f"):
        return number_array(name, values)
    array = values.astype(float).ravel()
    not_finite = array[~np.isfinite(array)]
    if not_finite.size:
        number(name, not_finite[0])
    return array


def survey_answers(name, values, low, high, *, whole=False):
    """Return survey answers as a 1-D float array, checked against the scale [low, high].

    ``values`` is any array-like of numbers, nested lists included. An empty sample is
    ``#DIV/0!`` (like Excel's AVERAGE of nothing); an answer off the scale is ``#NUM!``.
    """
    cleaned = float_array(name, values)
    if cleaned.size == 0:
        raise ZeroDenominatorError(f"{name} holds no answers")
    off_scale = cleaned[(cleaned < low) | (cleaned > high)]
    if off_scale.size:
        raise ImpossibleValueError(
            f"{name} must lie between {low:g} and {high:g}, got {off_scale[0]:g}"
        )
    if whole and not np.all(cleaned == np.round(cleaned)):
        bad = cleaned[cleaned != np.round(cleaned)][0]
        raise ImpossibleValueError(f"{name} must be whole numbers, got {bad:g}")
    return cleaned
