"""PDFs of the filled reports' pages, through LibreOffice (``soffice``) when installed.

Beside each workbook, ``<name>.pdf`` holds its report pages: the ``Report`` sheet (and the
monthly report's ``Trend``); the Inputs, Definitions and Audit sheets stay in the workbook.
A copy of each workbook with the other sheets hidden is rendered by one ``soffice
--headless --convert-to pdf`` call for many files of one language (each start costs about
two seconds), with its own profile (so parallel runs do not collide) that recalculates
every formula on load. PDFs are made in a temporary folder beside the workbooks and
renamed into place, so a failed run leaves no half-written file.

The number formats in the workbooks are Excel's (``#,##0.00 "EUR"``): Excel shows them with
the reader's own decimal and thousands separators, LibreOffice with those of its locale
setting. The profile therefore sets that locale to the report's language
(:data:`LOCALES`, the language told by the report sheet's name), so a French PDF reads
``830 558,86 EUR`` and an English one ``830,558.86 EUR`` whatever the machine's locale;
the workbooks themselves are not changed.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from csmetrics.report.labels import LANGUAGES, sheet_name, sheet_names
from csmetrics.report.safe_io import ReportError, check_target, load_workbook

REPORT_SHEETS = (*sheet_names("report"), *sheet_names("trend"))
"""The sheets a report's PDF shows, in the workbook's order: the Report and Trend sheets,
named in any of the report languages."""

REPORT_LANGUAGES = {
    sheet_name(key, lang): lang for lang in LANGUAGES for key in ("report", "trend")
}
"""The language of a report, by the name of its Report or Trend sheet (``"Rapport"``:
``"fr"``)."""

FILES_PER_CALL = 25
SECONDS_PER_FILE = 30
"""LibreOffice gets 60 s plus this much per file before a call is given up."""

NOT_INSTALLED = (
    "LibreOffice (soffice) was not found on the PATH, so no PDF was written (the workbooks "
    "were); install it from https://www.libreoffice.org (Debian/Ubuntu: apt-get install "
    "libreoffice-calc-nogui)"
)

LOCALES = {"en": "en-US", "fr": "fr-FR", "ro": "ro-RO"}
"""The LibreOffice locale a report's PDF is rendered in, by report language, so that its
decimal and thousands separators are those of the language."""

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
{locale}</oor:items>
"""
"""The LibreOffice profile's settings: recalculate every formula of an xlsx on load, and
(``{locale}``) the optional :data:`LOCALE_SETTING`."""

LOCALE_SETTING = """<item oor:path="/org.openoffice.Setup/L10N">
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
"""
"""The "Locale setting" of LibreOffice's Tools > Options > Language Settings > Languages
(``ooSetupSystemLocale`` in its configuration schema, share/registry/main.xcd): the
default language of the number formats, so their separators."""


class LibreOfficeMissingError(ReportError):
    """LibreOffice is not installed (or not on the PATH): no PDF can be made."""


def find_soffice():
    """The LibreOffice program on the PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def profile_settings(locale=None):
    """The ``registrymodifications.xcu`` of a fresh LibreOffice profile: recalculate on
    load and, when ``locale`` is given (``"fr-FR"``), use that locale setting.

    >>> "OOXMLRecalcMode" in profile_settings(), "ooSetupSystemLocale" in profile_settings()
    (True, False)
    >>> print(profile_settings("fr-FR").splitlines()[-2])
    <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
    """
    return PROFILE.format(locale="" if locale is None else LOCALE_SETTING.format(locale=locale))


def convert(paths, outdir, fmt, *, soffice, locale=None):
    """Open ``paths`` in LibreOffice, recalculated, and save them as ``fmt`` in ``outdir``.

    Parameters
    ----------
    paths : sequence of Path
        Workbooks, their names (without suffix) all different.
    outdir : Path
        Folder for the copies (created if needed).
    fmt : str
        A ``--convert-to`` target: ``"pdf"``, ``"xlsx"`` ...
    soffice : str or Path
        The LibreOffice program.
    locale : str, optional
        LibreOffice's locale setting for the run (``"fr-FR"``); default the system's.

    Returns
    -------
    list of Path
        ``outdir / <name>.<fmt>`` for each of ``paths``, in order.

    Raises
    ------
    ReportError
        When LibreOffice fails or leaves a file unconverted (naming them and its output).
    """
    paths = [Path(p) for p in paths]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for first in range(0, len(paths), FILES_PER_CALL):
        _run_soffice(soffice, paths[first:first + FILES_PER_CALL], outdir, fmt, locale)
    return [outdir / f"{p.stem}.{fmt}" for p in paths]


def _run_soffice(soffice, paths, outdir, fmt, locale):
    with tempfile.TemporaryDirectory(prefix="csmetrics-lo-profile-") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(profile_settings(locale),
                                                        encoding="utf-8")
        command = [str(soffice), f"-env:UserInstallation={Path(profile).as_uri()}",
                   "--headless", "--calc", "--convert-to", fmt, "--outdir", str(outdir),
                   *map(str, paths)]
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=60 + SECONDS_PER_FILE * len(paths))
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice took too long converting {len(paths)} files to "
                              f"{fmt}; try fewer reports per run") from None
    missing = [p.name for p in paths if not (outdir / f"{p.stem}.{fmt}").exists()]
    if result.returncode != 0 or missing:
        raise ReportError(
            f"LibreOffice could not convert {', '.join(missing) or 'the files'} to {fmt} "
            f"(exit status {result.returncode}): {(result.stderr or result.stdout).strip()}"
        )


def print_copy(source, target, sheets=REPORT_SHEETS):
    """Save a copy of workbook ``source`` at ``target`` with only ``sheets`` visible.

    Returns the names of the sheets left visible, the first of them active. A hidden
    sheet loses its print area: LibreOffice prints a hidden sheet that has one.
    """
    workbook = load_workbook(source)
    shown = [ws.title for ws in workbook.worksheets if ws.title in sheets]
    if not shown:
        raise ReportError(f"{source} has none of the report sheets {', '.join(sheets)}")
    for worksheet in workbook.worksheets:
        worksheet.sheet_view.tabSelected = worksheet.title == shown[0]
        worksheet.sheet_state = "visible" if worksheet.title in shown else "hidden"
        if worksheet.title not in shown:
            worksheet.print_area = None
    workbook.active = workbook.sheetnames.index(shown[0])
    workbook.save(target)
    return shown


def write_pdfs(workbooks, *, soffice=None, protected=frozenset()):
    """Write ``<name>.pdf`` beside each of ``workbooks``: its report pages.

    Parameters
    ----------
    workbooks : sequence of Path
        Filled reports (``.xlsx``).
    soffice : str or Path, optional
        The LibreOffice program; default :func:`find_soffice`.
    protected : frozenset of Path
        Resolved files never to write (templates, inputs).

    Returns
    -------
    list of Path
        The PDFs, in the order of ``workbooks``. An existing PDF beside a workbook is
        replaced: it belongs to that report.

    Raises
    ------
    LibreOfficeMissingError
        When LibreOffice is not found.
    ReportError
        When it fails, or a PDF would overwrite a protected file.
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        raise LibreOfficeMissingError(NOT_INSTALLED)
    workbooks = [Path(p) for p in workbooks]
    targets = [w.with_suffix(".pdf") for w in workbooks]
    for target in targets:
        check_target(target, protected=protected, overwrite=True)
    for folder in dict.fromkeys(w.parent for w in workbooks):
        batch = [w for w in workbooks if w.parent == folder]
        with tempfile.TemporaryDirectory(prefix=".csmetrics-pdf-", dir=folder) as work:
            by_locale = {}
            for workbook in batch:
                copy = Path(work, workbook.name)
                lang = REPORT_LANGUAGES[print_copy(workbook, copy)[0]]
                by_locale.setdefault(LOCALES[lang], []).append(copy)
            for locale, copies in by_locale.items():
                for pdf in convert(copies, Path(work, "pdf"), "pdf", soffice=soffice,
                                   locale=locale):
                    pdf.replace(folder / pdf.name)
    return targets


def report_pdfs(workbooks, *, required, protected=frozenset(), quiet=False):
    """The command line's PDF step: write the PDFs and say so (unless ``quiet``); return
    the exit status.

    Without LibreOffice the status is 1 when the PDFs were asked for (``required``) and 0
    otherwise (the demo), the message the same.
    """
    if not workbooks:
        return 0
    try:
        pdfs = write_pdfs(workbooks, protected=protected)
    except LibreOfficeMissingError as error:
        print(f"csmetrics: {error}{', or leave out --pdf' if required else ''}", file=sys.stderr)
        return 1 if required else 0
    except ReportError as error:
        print(f"csmetrics: error: no PDF written: {error}", file=sys.stderr)
        return 1
    if quiet:
        return 0
    if len(pdfs) == 1:
        print(f"PDF written: {pdfs[0]}")
    else:
        folders = ", ".join(str(folder) for folder in dict.fromkeys(p.parent for p in pdfs))
        print(f"{len(pdfs)} PDFs written beside the workbooks in {folders}")
    return 0
