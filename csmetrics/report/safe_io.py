"""Reading and writing workbooks without losing a file or trusting one blindly.

A report is saved to a temporary file in its own output folder and renamed into place with
``os.replace`` (atomic on one file system), so a crash leaves the old file or the new one,
never half of one. The temporary file is created with the usual permissions (0666 less the
umask), like any program's output, and carries the id of the process writing it, so a later
save removes the ones a killed run left. A symbolic link in a report's place is replaced,
never written through. Existing reports are kept unless the caller asks to overwrite, and the
templates and input files are never written to. Workbooks are read only when openpyxl
parses the sheets through defusedxml, only when they are the zip archives they claim to be,
and only when no part declares a DTD (openpyxl parses the other parts with lxml when it is
installed, entities unresolved; refusing any DTD stops entity attacks whatever the parser).
"""

import os
import re
import secrets
import time
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.xml import DEFUSEDXML

from csmetrics.errors import DataError
from csmetrics.report.cached import save_with_values
from csmetrics.tables.workbooks import check_parts

PART_SUFFIX = ".part"
_PART = re.compile(r"^\..+\.csmetrics-(\d+)-[0-9a-f]{8}\.part$")
STALE_SECONDS = 24 * 3600  # where a process cannot be asked whether it still runs


class ReportError(ValueError):
    """A report cannot be read or written as asked; the message names the file."""


def require_defusedxml():
    """Raise unless openpyxl parses workbooks through defusedxml.

    openpyxl guards against "billion laughs" and quadratic-blowup XML only when
    defusedxml is installed (openpyxl's README, "Security"); it sets
    ``openpyxl.xml.DEFUSEDXML`` then, unless ``OPENPYXL_DEFUSEDXML`` turns it off.
    """
    if not DEFUSEDXML:
        raise ReportError(
            "refusing to read workbooks without defusedxml: install it "
            "(pip install defusedxml) and leave OPENPYXL_DEFUSEDXML unset"
        )


def check_workbook_file(path):
    """Return ``path`` as a ``Path`` if it is an existing ``.xlsx`` zip archive, else raise.

    Examples
    --------
    >>> import tempfile
    >>> fake = Path(tempfile.mkdtemp(), "export.xlsx")
    >>> _ = fake.write_text("customer_id,month,mrr")
    >>> check_workbook_file(fake)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csmetrics.report.safe_io.ReportError: .../export.xlsx is not an Excel workbook: ...
    """
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise ReportError(
            f"{path} is not an Excel workbook: an .xlsx file is a zip archive and this one "
            "is not (a renamed CSV, an old .xls, or a damaged download?)"
        )
    return path


def load_workbook(path):
    """Open a workbook with openpyxl after the defusedxml and zip checks, and
    :func:`~csmetrics.tables.workbooks.check_parts` (sizes, CRCs, no DTD)."""
    require_defusedxml()
    path = check_workbook_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            check_parts(path, archive)
        return openpyxl.load_workbook(path)
    except DataError as error:
        raise ReportError(str(error)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        reason = error.__cause__ or error
        raise ReportError(
            f"{path} cannot be read as an Excel workbook: {reason!r}"
        ) from None


def protected_paths(*paths):
    """Resolve the files a run must never write to: templates and every input file.

    A folder stands for every file in it (a folder of CSV exports).
    """
    protected = set()
    for path in map(Path, paths):
        if path.is_dir():
            protected.update(p.resolve() for p in path.iterdir() if p.is_file())
        else:
            protected.add(path.resolve())
    return frozenset(protected)


def check_target(target, *, protected, overwrite):
    """Return the resolved ``target`` or raise if writing it would lose a file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> data = folder / "mrr.csv"
    >>> _ = data.write_text("customer_id,month,mrr")
    >>> check_target(data, protected=protected_paths(folder), overwrite=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csmetrics.report.safe_io.ReportError: refusing to write .../mrr.csv: it is a template ...
    """
    target = Path(target)
    resolved = target.parent.resolve() / target.name  # a link in the report's place stays one
    if resolved in protected or target.resolve() in protected:
        raise ReportError(f"refusing to write {target}: it is a template or an input file")
    if os.path.lexists(resolved) and not overwrite:
        raise ReportError(f"{target} exists; pass --overwrite to replace it")
    return resolved


def save_atomically(workbook, target, *, protected=frozenset(), overwrite=False, save=None):
    """Save ``workbook`` to ``target`` through a temporary file renamed into place.

    The temporary file lives in the target's folder (so the rename never crosses file
    systems) and is removed whatever goes wrong; ``target`` is either left as it was or
    replaced by the complete new file. Without ``overwrite`` the file is put in place with
    a hard link, which fails if a file of that name appeared while the report was saved.
    ``save(workbook, path)`` writes the file; by default
    :func:`~csmetrics.report.cached.save_with_values`, which saves each formula of a
    visible sheet with its value.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> save_atomically(openpyxl.Workbook(), folder / "report.xlsx").name
    'report.xlsx'
    >>> save_atomically(openpyxl.Workbook(), folder / "report.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csmetrics.report.safe_io.ReportError: .../report.xlsx exists; pass --overwrite to replace it
    >>> sorted(p.name for p in folder.iterdir())
    ['report.xlsx']
    """
    target = Path(target)
    resolved = check_target(target, protected=protected, overwrite=overwrite)
    remove_stale_parts(resolved.parent)
    temporary = new_part(resolved)
    try:
        (save or save_with_values)(workbook, temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        if overwrite:
            os.replace(temporary, resolved)
        else:
            _link_if_absent(temporary, resolved, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def new_part(resolved):
    """Create an empty temporary file beside ``resolved``; its mode is 0666 less the umask."""
    while True:
        name = f".{resolved.name}.csmetrics-{os.getpid()}-{secrets.token_hex(4)}{PART_SUFFIX}"
        part = resolved.parent / name
        try:
            os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return part


def remove_stale_parts(folder):
    """Remove the temporary files of csmetrics runs that ended without cleaning up (a
    killed run); those of a run still going are kept. Returns the names removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".r.xlsx.csmetrics-999999999-0123abcd.part").write_bytes(b"")
    >>> _ = (folder / f".r.xlsx.csmetrics-{os.getpid()}-0123abcd.part").write_bytes(b"")
    >>> remove_stale_parts(folder)
    ['.r.xlsx.csmetrics-999999999-0123abcd.part']
    """
    removed = []
    for path in sorted(Path(folder).glob(f".*{PART_SUFFIX}")):
        found = _PART.match(path.name)
        if found and not _still_running(int(found[1]), path):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def _still_running(pid, path):
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process there: judge by age
        return time.time() - path.stat().st_mtime < STALE_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _link_if_absent(temporary, resolved, target):
    """Put ``temporary`` at ``resolved`` only if nothing is there yet, atomically.

    A hard link fails when the name exists, so a report another process wrote since
    :func:`check_target` looked is kept; the temporary name is then removed by the caller.
    """
    try:
        os.link(temporary, resolved)
    except FileExistsError:
        raise ReportError(f"{target} exists; pass --overwrite to replace it") from None
    except OSError:  # a file system without hard links: check_target's look must do
        os.replace(temporary, resolved)
        return
    Path(temporary).unlink()
