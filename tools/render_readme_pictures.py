"""Render the README pictures: ``python tools/render_readme_pictures.py`` (``make pictures``).

Fills the monthly KPI report from the bundled sample data (its latest month, in the
currency its mrr.csv names, as ``csmetrics demo`` does) in English and in French with
``csmetrics report --pdf`` (LibreOffice renders the PDF), and turns the first page of each PDF into
``docs/img/monthly_kpi_report_<lang>.png`` with poppler's ``pdftoppm`` at :data:`DPI` dots
per inch: about 1170 x 830 pixels and under 300 KB, small enough for the repository and
sharp enough to read. Needs LibreOffice (``soffice``) and ``pdftoppm`` (Debian/Ubuntu:
``apt-get install poppler-utils``) on the PATH.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from csmetrics import load_data, sample_data_path
from csmetrics.cli import main as csmetrics

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "img"
TEMPLATE = "monthly_kpi_report"
PICTURE_LANGUAGES = ("en", "fr")
DPI = 100


def picture_path(lang):
    """Where the README picture of the report in ``lang`` is.

    >>> picture_path("fr").relative_to(ROOT).as_posix()
    'docs/img/monthly_kpi_report_fr.png'
    """
    return OUTPUT / f"{TEMPLATE}_{lang}.png"


def first_page_command(pdf, picture):
    """The ``pdftoppm`` call that writes page 1 of ``pdf`` as the PNG ``picture``.

    >>> first_page_command(Path("r.pdf"), Path("out/r.png"))
    ['pdftoppm', '-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', 'r.pdf', 'out/r']
    """
    return ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
            str(pdf), str(picture.with_suffix(""))]


def render(lang, month, folder):
    """Fill the report of ``month`` in ``lang`` into ``folder`` with its PDF; write its
    picture."""
    out = folder / lang
    status = csmetrics(["report", "--data", str(sample_data_path()), "--month", str(month),
                        "--template", TEMPLATE, "--lang", lang,
                        "--pdf", "--quiet",
                        "--out", str(out)])
    if status != 0:
        raise SystemExit(f"csmetrics report --lang {lang} --pdf failed (status {status})")
    [pdf] = out.glob(f"{TEMPLATE}_*.pdf")
    picture = picture_path(lang)
    picture.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(first_page_command(pdf, picture), check=True)
    return picture


def main():
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm was not found: apt-get install poppler-utils")
    month = load_data(sample_data_path()).mrr["month"].max()
    with tempfile.TemporaryDirectory(prefix="csmetrics-pictures-") as folder:
        for lang in PICTURE_LANGUAGES:
            picture = render(lang, month, Path(folder))
            print(f"{picture.relative_to(ROOT)}: {picture.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
