"""The project's shared facts folder, ``../shared`` beside the repository root.

The repository root is this checkout; from a git worktree, also the main checkout (the one
holding the common ``.git``); from a clone of a local checkout (``git clone . /tmp/fresh``),
also the checkout it was cloned from (its ``origin``). A missing folder fails loudly: the
tests that cite it never skip.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _git(*args):
    """What ``git`` prints in ``ROOT``, or None where git or the answer is missing."""
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _repository_roots():
    roots = [ROOT]
    common = _git("rev-parse", "--path-format=absolute", "--git-common-dir")
    if common:
        roots.append(Path(common).parent)
    origin = _git("remote", "get-url", "origin")
    if origin and Path(origin).is_dir():
        roots.append(Path(origin).resolve())
    return list(dict.fromkeys(roots))


def shared_folder():
    """The ``shared`` folder beside the repository root; an error naming where it looked."""
    candidates = [root.parent / "shared" for root in _repository_roots()]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        "the shared facts folder is missing: looked for "
        + ", ".join(str(folder) for folder in candidates)
    )


SHARED = shared_folder()
