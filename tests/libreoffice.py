"""LibreOffice Calc as the independent spreadsheet the tests check our numbers against.

``recalculate`` opens workbooks in headless LibreOffice, recalculates every formula and
saves copies; ``convert`` does the same to any format LibreOffice writes (``pdf``). Both
use the driver of ``csmetrics report --pdf`` (:func:`csmetrics.report.pdf.convert`): a
fresh profile per call that forces recalculation on load (see shared/LIBREOFFICE.md), and
many files per call because each start costs about two seconds.
"""

import os

import pytest

from csmetrics.report import pdf
from csmetrics.tables.locales import SPACES

SOFFICE = pdf.find_soffice()
INSTALL = "apt-get install libreoffice-calc-nogui"
SKIP_REASON = f"LibreOffice (soffice) is not installed: {INSTALL} (.ci/run installs it)"

requires_libreoffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason=SKIP_REASON,
)
"""Skips a test that needs LibreOffice when it is missing, except under ``CI``, where the
test runs and fails loudly (:func:`convert` raises); ``conftest.py`` counts the skipped
tests at the end of the run."""


def convert(paths, outdir, fmt="xlsx"):
    """Open ``paths`` in LibreOffice and save them as ``fmt`` in ``outdir``; return the copies."""
    if SOFFICE is None:
        raise RuntimeError(f"soffice not found: {INSTALL}")
    return pdf.convert(paths, outdir, fmt, soffice=SOFFICE)


def recalculate(paths, outdir):
    """Recalculate workbooks in LibreOffice; return the recalculated ``.xlsx`` copies."""
    return convert(paths, outdir, "xlsx")


def with_spaces(words):
    """``words`` with every kind of space (no-break, narrow no-break) as a plain space: how
    a number's thousands separator reads whichever space LibreOffice's locale uses."""
    return "".join(" " if character in SPACES else character for character in words)
