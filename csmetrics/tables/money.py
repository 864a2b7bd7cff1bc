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
    return np.rint(np.asarray(amounts, dtype=float) * CENTS_PER_UNIT)
