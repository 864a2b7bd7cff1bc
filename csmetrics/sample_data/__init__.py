"""The bundled sample data set: one made-up company's six tables as CSV files.

About 500 customers over 24 months (2024-01 to 2025-12) in three segments, written by
``tools/make_sample_data.py`` (seeded, so it can be made again identically).
"""

from pathlib import Path


def sample_data_path():
    """The folder holding the sample CSV files (``mrr.csv``, ``invoices.csv``, ...).

    Examples
    --------
    >>> sorted(path.name for path in sample_data_path().glob("*.csv"))
    ['invoices.csv', 'mrr.csv', 'orders.csv', 'spend.csv', 'surveys.csv', 'tickets.csv']
    """
    return Path(__file__).parent
