"""The header row of a table as read: column names, and no two alike."""

import pandas as pd

from csmetrics.errors import DataError


def with_header(cells, where):
    """``cells`` (a frame whose first row is the header) with that row as column names.

    Names are stripped; two names alike without regard to case are refused, naming
    ``where`` (the file, or the workbook and sheet) and both columns.

    >>> cells = pd.DataFrame([["Customer_ID ", "mrr"], ["A", "10"]])
    >>> with_header(cells, "mrr.csv").to_dict("list")
    {'Customer_ID': ['A'], 'mrr': ['10']}
    >>> with_header(pd.DataFrame([["mrr", "MRR"]]), "mrr.csv")
    Traceback (most recent call last):
    ...
    csmetrics.errors.DataError: mrr.csv: columns 1 and 2 of the header are both named 'MRR';
    rename one
    """
    if cells.empty:
        return pd.DataFrame()
    header = ["" if pd.isna(cell) else str(cell).strip() for cell in cells.iloc[0]]
    seen = {}
    for position, name in enumerate(header, start=1):
        key = name.lower()
        if key and key in seen:
            raise DataError(f"{where}: columns {seen[key]} and {position} of the header are "
                            f"both named '{name}'; rename one")
        seen[key] = position
    return cells.iloc[1:].set_axis(header, axis=1).reset_index(drop=True)
