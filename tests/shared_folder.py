"""The project's shared facts folder, ``../shared`` beside the repository root.

From a git worktree the repository root is the main checkout (the one holding the common
``.git``), so both a plain clone and a worktree find the same folder. A missing folder fails
loudly: the tests that cite it never skip.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _repository_roots():
    roots = [ROOT]
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return roots
    return roots + [Path(common).parent]


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
