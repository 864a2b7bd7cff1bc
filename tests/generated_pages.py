"""Generated docs pages: what their tool writes now, to compare with the file on disk."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def page_on_disk_and_rendered(tool, page):
    """``(text on disk, text the tool renders)`` for ``tools/<tool>.py`` and ``docs/<page>``."""
    spec = importlib.util.spec_from_file_location(tool, ROOT / "tools" / f"{tool}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return (ROOT / "docs" / page).read_text(encoding="utf-8"), module.render()
