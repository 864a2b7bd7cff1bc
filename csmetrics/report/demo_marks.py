"""Marks in a workbook's document properties, read without opening the whole workbook.

``csmetrics demo`` stores ``csmetrics-demo`` in the keywords of the reports it writes, and
replaces a file only when that mark is there, so it never overwrites a user's own file.
"""

import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

_KEYWORDS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"


def has_keywords(path, keywords):
    """True when the ``.xlsx`` at ``path`` carries exactly ``keywords`` in its properties.

    >>> import tempfile, openpyxl, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp(), "r.xlsx")
    >>> wb = openpyxl.Workbook()
    >>> wb.properties.keywords = "csmetrics-demo"
    >>> wb.save(path)
    >>> has_keywords(path, "csmetrics-demo"), has_keywords(path, "other")
    (True, False)
    """
    try:
        with zipfile.ZipFile(path) as archive:
            core = fromstring(archive.read("docProps/core.xml"))
    # SyntaxError: ElementTree's ParseError, also the copy of it defusedxml 0.7 raises on
    # Python 3.10, which is another class of the same name
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError, DefusedXmlException):
        return False  # not readable as a csmetrics report: not one to replace
    found = core.find(_KEYWORDS)
    return found is not None and found.text == keywords
