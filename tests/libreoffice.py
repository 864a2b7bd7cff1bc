"""LibreOffice Calc as the independent spreadsheet the tests check our numbers against.

``recalculate`` opens workbooks in headless LibreOffice, recalculates every formula and
saves copies; ``convert`` does the same to any format LibreOffice writes (``pdf``). Each
call uses a fresh profile that forces recalculation on load (see shared/LIBREOFFICE.md),
and converts all files in one call because each start costs about two seconds.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

RECALCULATE_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

requires_libreoffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
)


def convert(paths, outdir, fmt="xlsx"):
    """Open ``paths`` in LibreOffice and save them as ``fmt`` in ``outdir``; return the copies."""
    if SOFFICE is None:
        raise RuntimeError("soffice not found: apt-get install libreoffice-calc-nogui")
    paths = [Path(p) for p in paths]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="csmetrics-lo-profile-") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALCULATE_ALWAYS)
        result = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--calc",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    copies = [outdir / f"{p.stem}.{fmt}" for p in paths]
    missing = [c.name for c in copies if not c.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice failed (exit {result.returncode}, missing {missing}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return copies


def recalculate(paths, outdir):
    """Recalculate workbooks in LibreOffice; return the recalculated ``.xlsx`` copies."""
    return convert(paths, outdir, "xlsx")
