"""Money compared in whole cents: the project's rule for every amount a test checks."""

import numpy as np


def in_cents(amounts):
    """Amounts (a number, a list, an array or a pandas object) as whole cents in a list.

    >>> in_cents([2380.10, 0.1 + 0.2])
    [238010, 30]
    """
    return np.rint(np.asarray(amounts, dtype=float) * 100).astype(np.int64).tolist()
