"""Data shared by the report and command-line tests: the bundled sample, one customer
renamed to a formula (the injection case), and the latest month of the data."""

import dataclasses

from csmetrics import load_data, sample_data_path

INJECTION = '=HYPERLINK("http://x","y")'
"""A customer id that a careless writer would turn into a live link formula."""

RENAMED = "C0001"
"""The sample customer renamed to ``INJECTION`` (it pays in every month of the sample)."""


def sample_with_injection():
    """The sample dataset with customer ``RENAMED`` called ``INJECTION`` in every table."""
    dataset = load_data(sample_data_path())
    renamed = {}
    for field in ("mrr", "invoices", "surveys", "orders", "tickets"):
        frame = getattr(dataset, field)
        renamed[field] = frame.assign(customer_id=frame["customer_id"].replace(RENAMED, INJECTION))
    return dataclasses.replace(dataset, **renamed)


def latest_month(dataset):
    """The last month of the MRR table (the month the demo reports on)."""
    return dataset.mrr["month"].max()
