"""Print pip constraints that pin every dependency of pyproject.toml to its floor.

``.ci/run`` installs csmetrics with them (``pip install -c FILE -e '.[test]'``) and runs
the tests, so a floor that does not work (``pandas>=2.0`` when the code needs 2.2) fails
CI. Every runtime dependency must declare a ``>=`` floor; of the optional ones, those of
``TESTED_OPTIONAL`` are pinned at their floor too (PySpark: the Spark tests run at 3.5.0),
the others (Ibis and what it pins) installed as pip resolves them. Usage::

    python3 tools/floor_constraints.py > floors.txt
"""

import re
import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
FLOOR = re.compile(r"^([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(;.*)?$")
TESTED_OPTIONAL = ("pyspark",)


def floors(pyproject=PYPROJECT):
    """``{name: version}`` of the runtime dependencies and of those of ``TESTED_OPTIONAL``,
    each at its ``>=`` floor, followed by its environment marker where it has one
    (``"2.0; python_version < '3.11'"``)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    dependencies = project["dependencies"]
    pinned = {}
    for requirement in dependencies:
        match = FLOOR.match(requirement.strip())
        if not match:
            raise SystemExit(f"{pyproject}: {requirement!r} has no single '>=' floor to test")
        pinned[match.group(1)] = match.group(2) + (match.group(3) or "")
    optional = {name: set() for name in TESTED_OPTIONAL}
    for extra in project["optional-dependencies"].values():
        for match in filter(None, (FLOOR.match(r.strip()) for r in extra)):
            optional.get(match.group(1), set()).add(match.group(2))
    for name, found in optional.items():
        if len(found) != 1:
            raise SystemExit(f"{pyproject}: {name} needs one '>=' floor in the extras, "
                             f"found {sorted(found)}")
        pinned[name] = found.pop()
    return pinned


def main():
    for name, version in floors().items():
        sys.stdout.write(f"{name}=={version}\n")


if __name__ == "__main__":
    main()
