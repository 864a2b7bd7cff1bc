"""Amounts in a currency's smallest unit, as whole cents (hundredths of the major unit).

How many decimals the smallest unit has depends on the currency and, for a few currencies,
on the vendor: ``maps/currency_decimals.toml`` lists them, with its sources. This is the
one conversion every source uses (through
:meth:`~csmetrics.billing.vendor_table.VendorTable.cents`).
"""

import sys
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DECIMALS_FILE = Path(__file__).parent / "maps" / "currency_decimals.toml"
LISTS = {"zero_decimal": 0, "three_decimal": 3, "four_decimal": 4}


@cache
def readings():
    """The readings of ``currency_decimals.toml``: ``{name: ({code: decimals}, others)}``
    for the currencies whose smallest unit is not a hundredth.

    >>> decimals, others = readings()["stripe"]
    >>> decimals["JPY"], decimals["BHD"], "ISK" in decimals, others
    (0, 3, False, 'two_decimal')
    """
    with DECIMALS_FILE.open("rb") as handle:
        spec = tomllib.load(handle)
    return {name: ({code: places for key, places in LISTS.items()
                    for code in table.get(key, [])}, table["others"])
            for name, table in spec.items()}


def smallest_unit_to_cents(amounts, currency, reading):
    """Amounts in each row's currency's smallest unit as whole cents.

    Parameters
    ----------
    amounts : array of float
        The amounts as written (1000 for 1,000 JPY, 1250 for 12.50 EUR, 12500 for 12.5 BHD).
    currency : array of str
        Each row's ISO 4217 code, any case (NaN: two decimals; such a row has its own error).
    reading : str
        A table of ``currency_decimals.toml`` (``"stripe"``, ``"iso4217"``, ...).

    Returns
    -------
    cents : ndarray of int64
    not_whole : ndarray of bool
        Rows that are not a whole number of cents (1005 fils = 100.5 cents): never rounded,
        the caller reports them.
    undocumented : ndarray of bool
        Rows in a currency whose ISO 4217 minor unit is not 2 and for which the reading
        documents none.
    decimals : ndarray of int
        The decimals each row was read with.

    Examples
    --------
    >>> cents, not_whole, undocumented, _ = smallest_unit_to_cents(
    ...     np.array([1000.0, 1250.0, 12500.0, 1005.0, 500.0]),
    ...     np.array(["jpy", "EUR", "BHD", "BHD", "ISK"], dtype=object), "stripe")
    >>> cents.tolist(), not_whole.tolist(), bool(undocumented.any())
    ([100000, 1250, 1250, 100, 500], [False, False, False, True, False], False)
    """
    if reading not in readings():
        raise ValueError(f"no currency decimals reading {reading!r} in {DECIMALS_FILE.name}; "
                         f"it has {', '.join(readings())}")
    listed, others = readings()[reading]
    iso, _ = readings()["iso4217"]
    rows, distinct = pd.factorize(pd.Series(currency))  # a few currencies, many rows
    codes = pd.Series(np.asarray(distinct, dtype=object)).str.upper()
    decimals = np.append(codes.map(listed).fillna(2).to_numpy(dtype=int), 2)[rows]
    undocumented = np.zeros(len(rows), dtype=bool)
    if others == "undocumented":
        undocumented = np.append((codes.map(iso).fillna(2).to_numpy(dtype=int) != 2)
                                 & ~codes.isin(list(listed)).to_numpy(), False)[rows]
    exact = np.asarray(amounts, dtype=float) * 10.0 ** (2 - decimals)
    cents = np.rint(exact)
    not_whole = np.abs(exact - cents) > 1e-6
    return cents.astype(np.int64), not_whole, undocumented, decimals
