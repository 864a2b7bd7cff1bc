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


def read_rates(rates):
    """A checked rate table from a CSV path or a DataFrame (date, currency, rate).

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
        raw = read_vendor_csv(path)
        frame, rows, name = raw.frame, raw.rows, path.name
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in RATE_COLUMNS if c not in frame.columns]
    if missing:
        raise BillingError([Finding(
            "error", f"a rate table needs the columns date, currency, rate; missing "
            f"{', '.join(missing)} (found: {', '.join(map(str, frame.columns))})", name, 1)])
    dates, bad_dates = parse.parse_dates(frame["date"])
    rate, bad_rates = parse.parse_number(frame["rate"])
    code = parse.parse_text(frame["currency"])[0].str.upper()
    problems = []
    for bad, column, what in ((bad_dates | dates.isna().to_numpy(), "date", "a date"),
                              (bad_rates | ~(rate > 0).to_numpy(), "rate", "a rate above 0"),
                              (code.isna().to_numpy(), "currency", "a currency code")):
        if bad.any():
            problems.append(Finding("error", f"needs {what} ({first_rows(rows[bad])})", name,
                                    int(rows[bad][0]), column))
    if problems:
        raise BillingError(problems)
    return pd.DataFrame({"date": dates.to_numpy(), "currency": code.to_numpy(dtype=object),
                         "rate": rate.to_numpy(dtype=float)})


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
