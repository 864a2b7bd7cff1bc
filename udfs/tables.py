"""Excel columns in, spilled tables out: the adapters of the table metrics.

``CS_MRR_MOVEMENTS`` and ``CS_COHORT_RETENTION`` take three equal-length columns (customer
ids, months, MRR) as a billing export has them. :func:`mrr_rows` builds the engine's
``mrr`` table from them and :func:`frame_cells` turns the engine's result into rows that
spill, months as Excel dates (serial numbers: format the column ``yyyy-mm``).
"""


import pandas as pd

from csmetrics.errors import InvalidTypeError
from csmetrics.tables.parse import EXCEL_EPOCH

MRR_COLUMNS = ("customer_id", "month", "mrr")


def mrr_rows(customer_id, month, mrr, **options):
    """The core's keyword arguments from three columns; rows with a blank cell are skipped.

    >>> mrr_rows(["A", "B", None], ["2025-01", "2025-01", None], [10, 20, None], mode="logo")
    {'mrr':   customer_id    month  mrr
    0           A  2025-01   10
    1           B  2025-01   20, 'mode': 'logo'}
    """
    columns = (customer_id, month, mrr)
    if len({len(c) for c in columns}) != 1:
        raise InvalidTypeError(
            "customer_ids, months and mrr must be ranges of the same length, got "
            f"{len(customer_id)}, {len(month)} and {len(mrr)} cells"
        )
    rows = [row for row in zip(*columns, strict=True) if not any(_blank(v) for v in row)]
    return {"mrr": pd.DataFrame(rows, columns=list(MRR_COLUMNS)), **options}


def frame_cells(frame):
    """A DataFrame (index included when named) as a header row and rows of cell values.

    >>> frame = pd.DataFrame({"month": pd.period_range("2025-01", periods=2, freq="M"),
    ...                       "mrr_end": [100.0, float("nan")]})
    >>> frame_cells(frame)
    [['month', 'mrr_end'], [45658.0, 100.0], [45689.0, None]]
    """
    if frame.index.name is not None:
        frame = frame.reset_index()
    header = [str(column) for column in frame.columns]
    rows = [[_cell(value) for value in row] for row in frame.itertuples(index=False)]
    return [header, *rows]


def _cell(value):
    """One engine value as a cell: a Period as its first day's Excel serial, NaN as blank."""
    if isinstance(value, pd.Period):
        return float((value.start_time.date() - EXCEL_EPOCH.date()).days)
    if pd.isna(value):
        return None
    return value


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())
