"""Billing exports in, csmetrics tables out: vendors' files as users download them.

Each source (:mod:`~csmetrics.billing.stripe`, :mod:`~csmetrics.billing.chartmogul`,
and :mod:`~csmetrics.billing.generic` for Chargebee, Recurly or any system with a mapping
file) maps its vendor's files onto one model (:mod:`~csmetrics.billing.model`); the checks of
the whole export (:mod:`~csmetrics.billing.consistency`) look at it before any number; one
normaliser (:mod:`~csmetrics.billing.normalise`) turns it into the ``mrr`` table (one row
per customer and month) and the ``invoices`` table: read, check, normalise, write. What was
found and done on the way comes back as findings (:mod:`~csmetrics.billing.checks`).
"""

from functools import partial
from pathlib import Path
from typing import NamedTuple

from csmetrics.billing import chartmogul, generic, paddle, stripe
from csmetrics.billing.checks import BillingError, Finding, blocking
from csmetrics.billing.consistency import check_export
from csmetrics.billing.fx import read_rates
from csmetrics.billing.normalise import normalise
from csmetrics.billing.rules import Rules
from csmetrics.tables.io import Dataset
from csmetrics.tables.validate import check_table

SOURCES = {
    "stripe": stripe.read,
    "chartmogul": chartmogul.read,
    "chargebee": generic.read_vendor("chargebee"),
    "paddle": paddle.read,
    "recurly": generic.read_vendor("recurly"),
    "generic": generic.read,
}


class Imported(NamedTuple):
    """An import's tables (as a :class:`~csmetrics.tables.io.Dataset`) and findings."""

    dataset: Dataset | None
    findings: list


def run_import(path, source, *, currency=None, fx_rates=None, rules=None, locale=None,
               mapping=None):
    """Read a billing export and normalise it; problems come back as findings.

    Nothing is raised for a problem in the files: an import with error findings has no
    dataset. See :func:`import_billing` for the arguments.
    """
    if source not in SOURCES:
        raise BillingError([Finding(
            "error", f"unknown billing source {source!r}; the sources are "
            f"{', '.join(SOURCES)}")])
    rates = read_rates(fx_rates, locale=locale) if fx_rates is not None else None
    read = partial(generic.read, mapping=mapping) if source == "generic" else SOURCES[source]
    export = read(path, locale=locale)
    checked = check_export(export, complete=not blocking(export.findings), currency=currency)
    if blocking(checked):
        return Imported(None, export.findings + checked)
    export = export._replace(findings=export.findings + checked)
    mrr, invoices, findings = normalise(export, rules or Rules(), currency=currency,
                                        rates=rates)
    if blocking(findings):
        return Imported(None, findings)
    tables = {}
    for name, frame in (("mrr", mrr), ("invoices", invoices)):
        if frame is None or frame.empty:
            continue
        clean, problems = check_table(name, frame)
        findings += [Finding("error", str(problem)) for problem in problems]
        tables[name] = clean
    if blocking(findings):
        return Imported(None, findings)
    return Imported(Dataset(**tables, source=Path(path)), findings)


def import_billing(path, source, *, currency=None, fx_rates=None, rules=None, locale=None,
                   mapping=None, strict=False):
    """Read a billing system's export as the user downloaded it.

    Parameters
    ----------
    path : str or Path
        The folder holding the export's CSV files (recognised by their headers; Paddle's
        JSON files by their fields).
    source : {"stripe", "chartmogul", "chargebee", "paddle", "recurly", "generic"}
        The billing system that wrote them; ``generic`` reads one file of invoice lines
        with ``mapping``; ``paddle`` the JSON of Paddle Billing's List transactions and
        List adjustments API.
    currency : str, optional
        The reporting currency; needed when the export holds more than one.
    fx_rates : str, Path or pandas.DataFrame, optional
        Exchange rates: date, currency, rate (units of ``currency``'s reporting currency
        for one unit of ``currency``), each in force from its date.
    rules : Rules, optional
        Where vendors differ (discounts, refunds, uncollectible invoices, churn date);
        default ChartMogul's choices.
    locale : str, optional
        How the files write numbers and dates (the rates file's too).
    mapping : str, Path or dict, optional
        For ``generic``: the TOML mapping file (see :mod:`csmetrics.billing.generic`).
    strict : bool, default False
        Warnings stop the import too.

    Returns
    -------
    Dataset
        ``mrr`` (customer_id, month, mrr, and currency and mrr_native when lines were
        converted) and ``invoices``, as :func:`csmetrics.load_data` gives them.

    Raises
    ------
    BillingError
        The blocking findings (a ``DataError``), the first as the message.

    Examples
    --------
    >>> from csmetrics.sample_data import sample_exports_path
    >>> data = import_billing(sample_exports_path("stripe"), "stripe", currency="EUR",
    ...                       fx_rates=sample_exports_path("fx_rates.csv"))
    >>> data.mrr.columns.tolist()
    ['customer_id', 'month', 'mrr', 'currency', 'mrr_native']
    """
    dataset, findings = run_import(path, source, currency=currency, fx_rates=fx_rates,
                                   rules=rules, locale=locale, mapping=mapping)
    stops = blocking(findings, strict=strict)
    if stops:
        raise BillingError(stops)
    return dataset


__all__ = ["SOURCES", "BillingError", "Finding", "Imported", "Rules", "import_billing",
           "run_import"]
