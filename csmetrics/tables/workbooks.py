"""Reading the table sheets of an ``.xlsx`` / ``.xlsm`` workbook, and nothing else, safely.

Before pandas (through openpyxl, which parses the sheets with defusedxml and the other parts
with lxml, entities unresolved) opens a workbook, the archive is checked without parsing any
XML of the sheets: it must be a zip archive with a ``[Content_Types].xml``, no part may
unpack to more than :data:`MAX_PART_BYTES` or declare a DTD (``<!DOCTYPE``: an Excel
workbook never has one; entity attacks need one), and a sheet named after a table may span
at most :data:`MAX_CELLS` cells (rows times columns, as its cells and its ``<dimension>``
say). Only the sheets named after a table are then
read; the values are read, macros never run. A damaged archive, a corrupted part or XML
that defusedxml refuses (external entities, entity expansion) is one
:class:`~csmetrics.errors.DataError` naming the file.
"""

import posixpath
import re
import zipfile
import zlib

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from csmetrics.errors import DataError
from csmetrics.tables.headers import with_header

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_PART_BYTES = 256 * 2**20
"""The most one part of a workbook may unpack to (256 MiB)."""
MAX_CELLS = 6_000_000
"""The most cells a table sheet may span (a million rows of six columns)."""
UNREADABLE = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError,
              SyntaxError, DefusedXmlException, TypeError, IndexError)
"""What reading a damaged workbook raises. SyntaxError stands for ElementTree's ParseError
and for the copy of it that defusedxml 0.7 raises on Python 3.10 (another class)."""
_CHUNK = 2**20
_DTD = tuple("<!DOCTYPE".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be"))
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})\d+"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]{1,3})(\d+)"')
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_workbook_tables(path, names):
    """``{name: DataFrame}`` of the sheets named after ``names`` (case and surrounding
    spaces ignored); cells as openpyxl gives them, text kept as text (``NA`` too), empty
    cells NaN, the first row as the header.

    Raises
    ------
    DataError
        The workbook cannot be read safely, two sheets name one table, or no sheet is
        named after a table.
    """
    try:
        parts = _checked_archive(path)
        sheets = _table_sheets(path, parts, names)
        for sheet in sheets.values():
            _check_extent(path, sheet, parts[sheet])
        with pd.ExcelFile(path, engine="openpyxl") as book:
            frames = {
                name: pd.read_excel(book, sheet_name=sheet, header=None, dtype=object,
                                    keep_default_na=False, na_values=[""])
                for name, sheet in sheets.items()
            }
    except DataError:
        raise
    except UNREADABLE as error:
        raise DataError(f"{path.name} cannot be read safely as an Excel workbook "
                        f"({_reason(error)}); open and save it again in Excel, or export "
                        "the tables as CSV") from None
    return {name: with_header(frame, f"{path.name}, sheet '{sheets[name]}'")
            for name, frame in frames.items()}


def _reason(error):
    """The first line of the innermost error behind ``error`` (openpyxl wraps the XML
    parser's), with its type: ``EntitiesForbidden: EntitiesForbidden(name='e', ...)``."""
    while (error.__cause__ or error.__context__) is not None:
        error = error.__cause__ or error.__context__
    said = str(error).strip().splitlines()
    return f"{type(error).__name__}: {said[0]}" if said else type(error).__name__


def _checked_archive(path):
    """``{sheet name: part name}`` of a workbook whose every part unpacks within limits."""
    if not zipfile.is_zipfile(path):
        raise DataError(f"{path.name} is not an Excel workbook: an .xlsx file is a zip archive "
                        "and this one is not (a renamed CSV, an old .xls, a damaged download?)")
    with zipfile.ZipFile(path) as archive:
        if "[Content_Types].xml" not in archive.namelist():
            raise DataError(f"{path.name} cannot be read safely as an Excel workbook: it has no "
                            "[Content_Types].xml (a damaged file?)")
        check_parts(path, archive)
        return _sheet_parts(archive)


def check_parts(path, archive):
    """Raise :class:`~csmetrics.errors.DataError` unless every part of the open zip
    ``archive`` (the workbook at ``path``) unpacks within :data:`MAX_PART_BYTES`, with a
    good CRC, and declares no DTD."""
    for info in archive.infolist():
        _check_part(path, archive, info)


def _check_part(path, archive, info):
    unpacked, tail = 0, b""
    with archive.open(info) as part:  # reading to the end also checks the CRC
        while chunk := part.read(_CHUNK):
            unpacked += len(chunk)
            if unpacked > MAX_PART_BYTES:
                raise DataError(
                    f"{path.name}: the part {info.filename} unpacks to more than "
                    f"{MAX_PART_BYTES // 2**20} MiB, more than csmetrics reads from a workbook "
                    "(a decompression bomb?); export large tables as CSV or Parquet"
                )
            seen = tail + chunk
            if any(mark in seen for mark in _DTD):
                raise DataError(
                    f"{path.name} cannot be read safely as an Excel workbook: the part "
                    f"{info.filename} declares a DTD (<!DOCTYPE>), which no Excel workbook "
                    "has and XML entity attacks need"
                )
            tail = seen[-2 * len(_DTD[0]):]


def _sheet_parts(archive):
    workbook = _target(archive, "", "_rels/.rels", "/officeDocument")
    folder = posixpath.dirname(workbook)
    rels = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets = {rel.get("Id"): _resolved(folder, rel.get("Target"))
               for rel in fromstring(archive.read(rels)).iter(_RELS)}
    return {sheet.get("name"): targets.get(sheet.get(_REL_ID))
            for sheet in fromstring(archive.read(workbook)).iter(_SHEET)}


def _target(archive, folder, rels, kind):
    for rel in fromstring(archive.read(rels)).iter(_RELS):
        if rel.get("Type", "").endswith(kind):
            return _resolved(folder, rel.get("Target"))
    raise KeyError(f"no {kind.strip('/')} relationship in {rels}")


def _resolved(folder, target):
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join(folder, target))


def _table_sheets(path, parts, names):
    """``{table: sheet name}``; two sheets for one table are refused."""
    found = {}
    for sheet in parts:
        name = str(sheet).strip().lower()
        if name in names:
            if name in found:
                raise DataError(f"{path.name}: sheets '{found[name]}' and '{sheet}' both hold "
                                f"table '{name}' (names ignore case and spaces); keep one")
            found[name] = sheet
    if not found:
        raise DataError(f"no table found in {path.name}: expected sheets named "
                        + ", ".join(names) + f" (its sheets: {', '.join(map(str, parts))})")
    return found


def _check_extent(path, sheet, part):
    """Refuse a sheet spanning more than :data:`MAX_CELLS`, counted on its raw XML."""
    rows = columns = cells = 0
    with zipfile.ZipFile(path) as archive, archive.open(part) as source:
        tail = b""
        while chunk := source.read(_CHUNK):
            text = tail + chunk
            for found in _DIMENSION.finditer(text):
                columns = max(columns, _column_number(found[1]))
                rows = max(rows, int(found[2]))
            columns = max([columns, *map(_column_number, set(_CELL_REF.findall(text)))])
            cells += text.count(b"<c ", len(tail)) + text.count(b"<c>", len(tail))
            last_row = list(_ROW_REF.finditer(text[-_CHUNK // 4:]))
            rows = max(rows, int(last_row[-1][1])) if last_row else rows
            tail = text[-64:]
    spanned = max(cells, rows * max(columns, 1))
    if spanned > MAX_CELLS:
        raise DataError(f"{path.name}, sheet '{sheet}' spans {rows:,} rows and {columns:,} "
                        f"columns, more than the {MAX_CELLS:,} cells csmetrics reads from a "
                        "sheet; export large tables as CSV or Parquet")


def _column_number(letters):
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number
