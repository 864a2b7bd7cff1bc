"""The bundled sample data set: one made-up company's six tables as CSV files,
and its targets (``targets.csv``).

About 500 customers over 24 months (2024-01 to 2025-12) in three segments, written by
``tools/make_sample_data.py`` (seeded, so it can be made again identically).
"""

from pathlib import Path

SAMPLE_CURRENCY = "EUR"
"""The reporting currency of the sample data; its billing exports also bill in USD."""


def sample_data_path():
    """The folder holding the sample CSV files (``mrr.csv``, ``invoices.csv``, ...).

    Examples
    --------
    >>> sorted(path.name for path in sample_data_path().glob("*.csv"))
    ['invoices.csv', 'mrr.csv', 'orders.csv', 'spend.csv', 'surveys.csv', 'targets.csv',
     'tickets.csv']
    """
    return Path(__file__).parent


def sample_exports_path(name):
    """The sample data's billing exports: ``"stripe"`` or ``"chartmogul"`` (a folder of the
    vendor's CSV files) or ``"fx_rates.csv"`` (the USD to EUR rates they need).

    The same subscriptions as ``mrr.csv``: importing either export gives back its MRR.

    Examples
    --------
    >>> sorted(path.name for path in sample_exports_path("stripe").glob("*.csv"))
    ['invoice_line_items.csv', 'invoices.csv']
    """
    return Path(__file__).parent.parent / "sample_exports" / name
