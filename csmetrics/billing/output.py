"""Writing an import: csmetrics' own CSV tables and the import log, all or nothing.

Every file is first written to a temporary file in the output folder, then renamed into
place (``os.replace``), and only once all of them are written; an existing file is kept
unless the caller asks to overwrite it, and an input file is never written to. The files
get the usual permissions (0666 less the umask), as the reports do
(:func:`csmetrics.report.safe_io.new_part`).
"""

import os
from pathlib import Path

from csmetrics.errors import DataError
from csmetrics.report.safe_io import new_part

LOG_NAME = "import_log.txt"
MRR_COLUMNS = ("customer_id", "month", "mrr", "segment", "currency", "mrr_native")
INVOICE_COLUMNS = ("invoice_id", "customer_id", "issue_date", "due_date", "amount",
                   "paid_date", "status", "currency", "amount_native")


def import_files(dataset, log_lines):
    """``{file name: text}`` of an import: mrr.csv, invoices.csv (when any) and the log."""
    files = {}
    if dataset.mrr is not None:
        mrr = dataset.mrr[[c for c in MRR_COLUMNS if c in dataset.mrr.columns]]
        files["mrr.csv"] = mrr.assign(month=mrr["month"].astype(str)).to_csv(
            index=False, lineterminator="\n")
    if dataset.invoices is not None:
        invoices = dataset.invoices[[c for c in INVOICE_COLUMNS if c in dataset.invoices]]
        files["invoices.csv"] = invoices.to_csv(index=False, lineterminator="\n",
                                                date_format="%Y-%m-%d")
    files[LOG_NAME] = "".join(f"{line}\n" for line in log_lines)
    return files


def write_all(files, out, *, protected=frozenset(), overwrite=False):
    """Write ``{name: text}`` into the folder ``out``, every file or none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [path.name for path in write_all({"a.csv": "x\\n1\\n"}, folder)]
    ['a.csv']
    >>> write_all({"a.csv": "x\\n2\\n"}, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csmetrics.errors.DataError: .../a.csv already exists; nothing was written ...
    """
    out = Path(out)
    targets = [out / name for name in files]
    for target in targets:
        if target.resolve() in protected:
            raise DataError(f"refusing to write {target}: it is an input file; nothing was "
                            "written (choose another --out)")
        if target.exists() and not overwrite:
            raise DataError(f"{target} already exists; nothing was written (--overwrite "
                            "replaces it)")
    out.mkdir(parents=True, exist_ok=True)
    temporary = []
    try:
        for target, text in zip(targets, files.values(), strict=True):
            path = new_part(target.resolve())
            temporary.append(path)
            with path.open("w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for path, target in zip(temporary, targets, strict=True):
            os.replace(path, target)
    finally:
        for path in temporary:
            path.unlink(missing_ok=True)
    return targets
