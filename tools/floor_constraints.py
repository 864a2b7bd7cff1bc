"""Print pip constraints that pin every dependency of pyproject.toml to its floor.

``.ci/run`` installs csmetrics with them (``pip install -c FILE -e '.[test]'``) and runs
the tests, so a floor that does not work (``pandas>=2.0`` when the code needs 2.2) fails
CI. Every runtime dependency must declare a ``>=`` floor. Usage::

    python3 tools/floor_constraints.py > floors.txt
"""

import re
import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
FLOOR = re.compile(r"^([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(;.*)?$")


def floors(pyproject=PYPROJECT):
    """``{name: version}`` of the runtime dependencies, each at its ``>=`` floor, followed
    by its environment marker where it has one (``"2.0; python_version < '3.11'"``)."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = {}
    for requirement in dependencies:
        match = FLOOR.match(requirement.strip())
        if not match:
            raise SystemExit(f"{pyproject}: {requirement!r} has no single '>=' floor to test")
        pinned[match.group(1)] = match.group(2) + (match.group(3) or "")
    return pinned


def main():
    for name, version in floors().items():
        sys.stdout.write(f"{name}=={version}\n")


if __name__ == "__main__":
    main()
