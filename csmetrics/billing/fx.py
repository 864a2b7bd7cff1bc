"""Exchange rates: the rate table a user gives, and the rate in force on a day.

A rate table has the columns ``date``, ``currency`` and ``rate``: units of the reporting
currency for one unit of ``currency``, in force from ``date`` until the next date given for
that currency.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from csmetrics.billing.checks import BillingError, Finding, first_rows
from csmetrics.billing.files import read_vendor_csv
from csmetrics.tables import parse

RATE_COLUMNS = ("date", "currency", "rate")
LARGEST_RATE = 1e9
"""No rate between two currencies in use comes near a billion units of one for a unit of
the other (the widest pairs, a dinar in Iranian rials or dong, are below a million); a
larger one is a typo, and would take converted cents past exact arithmetic."""


def read_rates(rates, *, locale=None):
    """A checked rate table from a CSV path or a DataFrame (date, currency, rate).

    ``locale`` says how the file writes dates and numbers (``01/02/2025`` reads two ways
    without it). A rate must be above 0 and at most :data:`LARGEST_RATE`; two rows for one
    date and currency are one rate given twice (the same: read once) or an error.

    >>> read_rates(pd.DataFrame({"date": ["2024-01-01"], "currency": ["usd"], "rate": [0.9]}))
            date currency  rate
    0 2024-01-01      USD   0.9
    """
    if isinstance(rates, pd.DataFrame):
        frame, rows, name = rates, np.arange(len(rates)) + 2, "fx_rates"
    else:
        path = Path(rates)
        if not path.is_file():
            raise BillingError([Finding("error", "no such rate file", str(path))])
        raw = read_vendor_csv(path, locale=locale)
        frame, rows, name = raw.frame, raw.rows, path.name
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in RATE_COLUMNS if c not in frame.columns]
    if missing:
        raise BillingError([Finding(
            "error", f"a rate table needs the columns date, currency, rate; missing "
            f"{', '.join(missing)} (found: {', '.join(map(str, frame.columns))})", name, 1)])
    dates, bad_dates = parse.parse_dates(frame["date"], locale=locale)
    rate, bad_rates = parse.parse_number(frame["rate"], locale=locale)
    code = parse.parse_text(frame["currency"])[0].str.upper()
    problems = []
    for bad, column, what in (
            (bad_dates | dates.isna().to_numpy(), "date",
             "a date that reads one way (YYYY-MM-DD, or --locale for dd/mm/yyyy)"),
            (bad_rates | ~((rate > 0) & (rate <= LARGEST_RATE)).to_numpy(), "rate",
             f"a rate above 0 and at most {LARGEST_RATE:g}"),
            (code.isna().to_numpy(), "currency", "a currency code")):
        if bad.any():
            value = frame[column].iloc[np.flatnonzero(bad)[0]]
            problems.append(Finding("error", f"{value!r}: needs {what} "
                                    f"({first_rows(rows[bad])})", name, int(rows[bad][0]),
                                    column))
    if problems:
        raise BillingError(problems)
    table = pd.DataFrame({"date": dates.to_numpy(), "currency": code.to_numpy(dtype=object),
                          "rate": rate.to_numpy(dtype=float)})
    _check_one_rate(table, frame["rate"], rows, name)
    return table.drop_duplicates(["date", "currency"]).reset_index(drop=True)


def _check_one_rate(table, written, rows, name):
    """Error: two different rates for one date and currency (which is in force cannot be
    told, and the order of the rows would decide)."""
    alike = table.duplicated(["date", "currency"], keep=False).to_numpy()
    if not alike.any():
        return
    spread = table[alike].groupby(["date", "currency"])["rate"].transform("nunique")
    clash = np.zeros(len(table), dtype=bool)
    clash[np.flatnonzero(alike)[(spread > 1).to_numpy()]] = True
    if clash.any():
        first = table[clash].iloc[0]
        same = clash & (table["date"] == first["date"]).to_numpy() & \
            (table["currency"] == first["currency"]).to_numpy()
        shown = ", ".join(repr(v) for v in written[same])
        raise BillingError([Finding(
            "error", f"two different rates for {first['currency']} on "
            f"{pd.Timestamp(first['date']).date()} ({shown}, {first_rows(rows[same])}): "
            "which is in force cannot be told; keep one", name,
            int(rows[same][1]), "rate")])


def rates_on(rates, currency, days, reporting):
    """The rate of each (currency, day): 1 for the reporting currency, NaN where none is
    in force yet.

    >>> rates = read_rates(pd.DataFrame({"date": ["2024-01-01", "2024-03-01"],
    ...                                  "currency": ["USD", "USD"], "rate": [0.9, 0.8]}))
    >>> days = pd.to_datetime(["2024-02-15", "2024-03-01", "2023-12-31", "2024-05-01"])
    >>> rates_on(rates, np.array(["USD", "USD", "USD", "EUR"]), days, "EUR").tolist()
    [0.9, 0.8, nan, 1.0]
    """
    result = np.where(currency == reporting, 1.0, np.nan)
    if rates is None:
        return result
    wanted = pd.DataFrame({"currency": currency, "date": np.asarray(days, "datetime64[ns]"),
                           "position": np.arange(len(currency))})
    wanted = wanted[wanted["currency"] != reporting].sort_values("date", kind="stable")
    found = pd.merge_asof(wanted, rates.sort_values("date"), on="date", by="currency",
                          direction="backward")
    result[found["position"].to_numpy()] = found["rate"].to_numpy(dtype=float)
    return result
