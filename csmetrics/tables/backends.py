"""Where a table lives: a pandas DataFrame (the in-memory engine) or an Ibis table (the
engine of :mod:`csmetrics.scale`, run in the table's backend).

An Ibis table is recognised by the module of its type, so that neither this module nor
any module of the core imports Ibis: it is imported only when an Ibis table is given.
"""


def is_ibis_table(value):
    """True for an Ibis table expression (``ibis.connect(url).table(name)``).

    >>> import pandas as pd
    >>> is_ibis_table(pd.DataFrame({"mrr": [1.0]}))
    False
    """
    return any(kind.__module__.split(".")[0] == "ibis" and kind.__name__ == "Table"
               for kind in type(value).__mro__)
