"""The distinct values of an export's columns, found once, and lookups by id.

A million-row export repeats the same dates, prices and currencies on many rows and holds
ids each on one row: every check reads a column's distinct values (:func:`column_codes`,
kept by the :class:`~csmetrics.billing.vendor_table.VendorTable` for all its checks), and
finds rows by integer codes of the ids (:func:`id_codes`, :func:`positions_of`), never by
a pass over the text of each row.
"""

import re
import sys

import numpy as np
import pandas as pd


def column_codes(frame, column, known):
    """``pd.factorize(frame[column])``: each row's code and the column's distinct values,
    found once per table (``known`` keeps them by column name) for every check that reads
    the column. The codes are kept in the smallest integers that hold them (a column of
    twenty dates in one byte a row, not eight), and the distinct values of a column of
    ids, each on one row, are the column itself, not a copy.

    >>> codes, distinct = column_codes(pd.DataFrame({"id": ["b", "a", "b"]}), "id", {})
    >>> codes.tolist(), codes.dtype.name, distinct.tolist()
    ([0, 1, 0], 'int8', ['b', 'a'])
    """
    if column not in known:
        codes, distinct = factorized(frame[column])
        if len(distinct) == len(codes):
            distinct = pd.Index(frame[column])
        known[column] = codes.astype(np.min_scalar_type(-len(distinct) - 1)), distinct
    return known[column]


def factorized(values):
    """``pd.factorize(values)``, then the memory pyarrow's allocator kept for its table of
    distinct values given back: for a million ids it is 200 MB, which would otherwise stay
    with the process while the rest of the export is read.

    >>> [part.tolist() for part in factorized(pd.Series(["b", "a", "b"]))]
    [[0, 1, 0], ['b', 'a']]
    """
    result = pd.factorize(values)
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    return result


def first_positions(wanted, ids):
    """The position in ``ids`` of each of ``wanted`` (its first when repeated; -1 when
    absent): lookups that a repeated id, which the checks report, cannot break.

    >>> first_positions(["b", "x", "a"], pd.Index(["a", "b", "a"])).tolist()
    [1, -1, 0]
    """
    return positions_of(*reversed(id_codes(ids, wanted)))


def id_codes(*columns):
    """The ids of each of ``columns`` as codes of one numbering (-1 for a blank), found in
    one pass over them all: an id has the same code in every column.

    >>> [codes.tolist() for codes in id_codes(["a", "b"], pd.Series(["b", None, "c"]))]
    [[0, 1], [1, -1, 2]]
    """
    both = pd.concat([pd.Series(np.asarray(column) if isinstance(column, list) else column)
                      for column in columns], ignore_index=True)
    codes = factorized(both)[0]
    return np.split(codes, np.cumsum([len(column) for column in columns])[:-1])


def positions_of(wanted, ids):
    """The position of the first of ``ids`` (codes, as :func:`id_codes` gives them) that
    has each code of ``wanted`` (-1: none has it; a blank finds the first blank).

    >>> positions_of(np.array([1, 3, -1, 0]), np.array([0, 1, 0, -1])).tolist()
    [1, -1, 3, 0]
    """
    first = np.flatnonzero(~pd.Series(ids).duplicated().to_numpy())
    table = np.full(max(ids.max(initial=-1), wanted.max(initial=-1)) + 2, -1)
    table[ids[first]] = first
    return table[wanted]


def invoice_currency(invoice_id, ids, currency):
    """The currency of the invoice of each of ``invoice_id``, from the invoices' ``ids`` and
    ``currency`` (the first of a repeated id; NaN for an invoice not found, which has an
    error of its own).

    >>> invoice_currency(["in_2", "in_9"], ["in_1", "in_2"], ["EUR", "JPY"]).tolist()
    ['JPY', nan]
    """
    known = pd.Series(np.asarray(currency, dtype=object), index=ids)
    known = known[~known.index.duplicated()]
    return pd.Series(invoice_id).map(known).to_numpy(dtype=object)


def matching(values, pattern, factorized=None):
    """Which cells of ``values`` are text that ``pattern`` (a regular expression) finds, once
    per distinct value: exports repeat the same dates and prices on many rows.
    ``factorized`` is ``pd.factorize(values)`` when the caller has it.

    >>> matching(pd.Series(["10", "10.5", None, "10"]), r"[.]").tolist()
    [False, True, False, False]
    """
    codes, distinct = factorized or pd.factorize(pd.Series(values, dtype=object))
    found = pd.Series(distinct, dtype=object).map(
        lambda value: isinstance(value, str) and re.search(pattern, value.strip()) is not None)
    return np.append(found.to_numpy(dtype=bool), False)[codes]


def decimals_written(texts, values, factorized=None):
    """How many decimals each cell writes (0 for a whole number, a blank, or ``1,250``
    read as 1250), from its text and the value it was read as; once per distinct text
    (``factorized``: ``pd.factorize(texts)``, when the caller has it).

    >>> decimals_written(pd.Series(["100.00", "1000.0", "1,250", "1 250,5", None, "0.00"]),
    ...                  np.array([100.0, 1000.0, 1250.0, 1250.5, np.nan, 0.0])).tolist()
    [2, 1, 0, 1, 0, 2]
    """
    codes, distinct = factorized or pd.factorize(pd.Series(texts, dtype=object))
    first = np.zeros(len(distinct), dtype=np.int64)
    first[codes[::-1][codes[::-1] >= 0]] = np.flatnonzero(codes >= 0)[::-1]
    text = pd.Series(distinct, dtype=object).astype(str).str.strip()
    places = text.str.extract(r"[.,](\d+)$")[0].str.len().to_numpy(dtype=np.int64,
                                                                   na_value=0)
    value = np.abs(np.asarray(values, dtype=float)[first]) if len(first) else np.zeros(0)
    digits = pd.to_numeric(text.str.replace(r"\D", "", regex=True), errors="coerce") \
        .to_numpy(dtype=float)
    grouping = (places == 3) & (np.abs(value - digits) < 0.5)
    return np.append(np.where(grouping, 0, places), 0)[codes]
