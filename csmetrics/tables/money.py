"""Money in whole cents: the engine adds and compares amounts as integers of cents, so sums
balance to the cent whatever the binary fractions of the amounts read."""

import numpy as np

CENTS_PER_UNIT = 100


def to_cents(amounts):
    """``amounts`` (any array-like of currency units) as whole cents, rounded half to even.

    Parameters
    ----------
    amounts : array-like of float
        Amounts in currency units; NaN stays NaN.

    Returns
    -------
    numpy.ndarray
        Float64 whole cents, same shape (``.astype(np.int64)`` where no NaN can occur).

    Examples
    --------
    19.99 x 100 is 1998.9999999999998 in binary floating point, 0.1 + 0.2 is
    0.30000000000000004:

    >>> to_cents([19.99, 0.1 + 0.2, -5.0, float("nan")]).tolist()
    [1999.0, 30.0, -500.0, nan]
    """
    cents = np.asarray(amounts, dtype=float) * CENTS_PER_UNIT
    return np.rint(cents, out=cents)


def round_half_away(cents):
    """``cents`` (float cents) to whole cents, an exact half away from zero, as spreadsheet
    ``ROUND`` does (Excel and LibreOffice); any other value to the nearest.

    :func:`to_cents` rounds half to even, which only matters for amounts read with more
    than two decimals; a figure the Audit sheet recomputes with ``ROUND`` (the fx part of a
    change) is rounded this way, so both agree on an exact half cent.

    Examples
    --------
    >>> round_half_away([154.5, 155.5, -0.5, 154.49, float("nan")]).tolist()
    [155.0, 156.0, -1.0, 154.0, nan]
    """
    values = np.asarray(cents, dtype=float)
    whole = np.trunc(values)
    return np.where(np.abs(values - whole) == 0.5, whole + np.sign(values), np.rint(values))
