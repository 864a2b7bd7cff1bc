"""Which templates the data can fill: a template whose tables are missing is not written.

A report without the data it is about (receivables without invoices) would only show
blanks and an Audit with nothing to check. By default such a template is skipped, and the
summary says which table it lacks; asked for by name, it is an error that says so.
"""

from csmetrics.report.safe_io import ReportError


def missing_tables(dataset, tables):
    """The tables of ``tables`` that ``dataset`` lacks, in order (``load_data`` refuses a
    table without rows, so a table present has some).

    Examples
    --------
    >>> import pandas as pd
    >>> from csmetrics.tables.io import Dataset
    >>> missing_tables(Dataset(mrr=pd.DataFrame({"mrr": [10.0]})), ("mrr", "invoices", "spend"))
    ['invoices', 'spend']
    """
    return [name for name in tables if getattr(dataset, name) is None]


def lacking(dataset, tables):
    """Why ``dataset`` cannot fill a template that needs ``tables``; ``""`` when it can.

    Examples
    --------
    >>> import pandas as pd
    >>> from csmetrics.tables.io import Dataset
    >>> data = Dataset(mrr=pd.DataFrame({"mrr": [10.0]}))
    >>> lacking(data, ("invoices",)), lacking(data, ("mrr", "spend", "surveys"))
    ('no invoices table', 'no spend and surveys tables')
    >>> lacking(data, ("mrr",))
    ''
    """
    missing = missing_tables(dataset, tables)
    if not missing:
        return ""
    if len(missing) == 1:
        return f"no {missing[0]} table"
    return f"no {', '.join(missing[:-1])} and {missing[-1]} tables"


def templates_to_write(templates, needs, dataset, *, asked):
    """Split ``templates`` into those the data can fill and those it cannot.

    Parameters
    ----------
    templates : sequence of str
        The templates to write, in order.
    needs : dict
        Template name -> the ``Dataset`` tables it cannot be filled without.
    dataset : Dataset
        The data.
    asked : bool
        True when the user named the templates (``--template``): then a template the data
        cannot fill is an error, not a skip.

    Returns
    -------
    tuple
        ``(kept, skipped)``: the templates to write, in order, and ``{template: reason}``
        for the others (``"no invoices table"``).

    Raises
    ------
    ReportError
        When ``asked`` and a template lacks a table, naming the template and the table.
    """
    reasons = {name: lacking(dataset, needs.get(name, ())) for name in templates}
    skipped = {name: reason for name, reason in reasons.items() if reason}
    if asked and skipped:
        raise ReportError("; ".join(
            f"--template {name} cannot be written: the data has {reason}"
            for name, reason in skipped.items()
        ))
    return [name for name in templates if name not in skipped], skipped
