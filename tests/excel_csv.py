"""Tables written the way each locale's Excel saves them as CSV: what users' files hold.

An oracle independent of csmetrics' readers: the conventions are the facts of
``../shared/BILLING.md`` (last section) written out by hand, not taken from Babel.
French Excel saves "CSV (séparateur : point-virgule)": ``;``, decimal comma, dd/mm/yyyy,
cp1252, CRLF; Romanian Excel ``;``, decimal comma, dd.mm.yyyy, cp1250; thousands
separators are ``.`` (ro, de) or a space / no-break space (fr). English (US) Excel saves
``,``, decimal point, mm/dd/yyyy, cp1252. "CSV UTF-8" is UTF-8 with a byte order mark.
"""

import csv
import io
from typing import NamedTuple

import numpy as np
import pandas as pd


class ExcelWay(NamedTuple):
    separator: str
    decimal: str
    group: str
    date_format: str
    code_page: str


EXCEL = {
    "en": ExcelWay(",", ".", ",", "%m/%d/%Y", "cp1252"),
    "fr": ExcelWay(";", ",", "\u00a0", "%d/%m/%Y", "cp1252"),
    "ro": ExcelWay(";", ",", ".", "%d.%m.%Y", "cp1250"),
    "de": ExcelWay(";", ",", ".", "%d.%m.%Y", "cp1252"),
}


def excel_number(value, way, *, grouped):
    """``1250.5`` as Excel's General format writes it: ``1 250,5`` (fr, grouped)."""
    integer, point, fraction = np.format_float_positional(value, trim="-").partition(".")
    if grouped:
        integer = f"{int(integer):,}".replace(",", way.group)
    return integer + (way.decimal if point else "") + fraction


def excel_cell(value, way, *, grouped):
    if isinstance(value, pd.Period):
        value = value.start_time
    if isinstance(value, pd.Timestamp):
        return value.strftime(way.date_format)
    if isinstance(value, float):
        return excel_number(value, way, grouped=grouped)
    return "" if value is None else str(value)


def write_excel_csv(path, frame, locale, *, grouped=True, group=None, utf8=False):
    """Write ``frame`` to ``path`` as ``locale``'s Excel saves CSV; ``group`` replaces the
    thousands separator (a space for fr), ``utf8`` saves as "CSV UTF-8" instead of the
    code page. Text the code page lacks becomes ``?``, as Excel writes it."""
    way = EXCEL[locale]._replace(**({"group": group} if group else {}))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=way.separator, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([excel_cell(value, way, grouped=grouped) for value in row])
    text = out.getvalue()
    data = b"\xef\xbb\xbf" + text.encode() if utf8 else text.encode(way.code_page, "replace")
    path.write_bytes(data)
    return path
