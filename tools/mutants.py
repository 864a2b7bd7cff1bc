"""Mutation testing of the core with cosmic-ray, one module at a time (``make mutants``).

For each module of ``mutation/modules.toml`` (or those named on the command line), in a
scratch copy of the working tree (your files are never mutated, even by an interrupted
run): cosmic-ray makes every mutant of the module, the mutants of the operators left out
and those recorded in ``mutation/equivalent.toml`` are marked skipped, and each of the
others runs the module's tests, which must fail. The run prints, per module, mutants,
killed, equivalent, survived and time, and every survivor with its operator, occurrence and
diff; it exits 1 when a mutant survives that is not recorded as equivalent.

Usage: ``python tools/mutants.py [csmetrics/satisfaction.py ...]``. Not part of CI: slow
(a test run per mutant), run by hand by whoever changes these modules.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from csmetrics.billing.files import tomllib  # tomllib, or tomli before Python 3.11

ROOT = Path(__file__).resolve().parents[1]
MUTATION = ROOT / "mutation"
BIN = Path(sys.executable).parent


def load(name):
    with (MUTATION / name).open("rb") as handle:
        return tomllib.load(handle)


def scratch_copy():
    """The working tree (tracked and untracked files, not ignored ones) in a temporary
    folder beside a link to ``../shared``, which the tests read."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.split("\0")
    base = Path(tempfile.mkdtemp(prefix="csmetrics-mutants-"))
    copy = base / ROOT.name
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (base / "shared").symlink_to(shared.resolve())
    return base, copy


def config_text(module, tests, timeout):
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    return "\n".join([
        "[cosmic-ray]",
        f"module-path = {module!r}",
        f"timeout = {float(timeout)}",
        "excluded-modules = []",
        f"test-command = {shlex.join(command)!r}",
        "",
        "[cosmic-ray.distributor]",
        'name = "local"',
        "",
    ])


def mark_skipped(session, module, copy, exclude, equivalents):
    """Mark the excluded operators' mutants and the recorded equivalent ones as skipped;
    return {job_id: reason} of the equivalent ones. A recorded entry that matches no mutant,
    or whose line no longer holds its code, is an error."""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    excluded = re.compile("|".join(f"(?:{pattern})" for pattern in exclude)) if exclude else None
    wanted = {(entry["operator"], int(entry["occurrence"])): entry for entry in equivalents
              if entry["module"] == module}
    lines = (copy / module).read_text().splitlines()
    found, matched = {}, set()
    with use_db(str(session)) as db:
        for item in db.work_items:
            [mutation] = item.mutations
            key = (mutation.operator_name, mutation.occurrence)
            if key in wanted:
                entry = wanted[key]
                line = mutation.start_pos[0]
                if line != entry["line"] or lines[line - 1].strip() != entry["code"].strip():
                    raise SystemExit(f"mutation/equivalent.toml: {module} {key} is now at line "
                                     f"{line}: {lines[line - 1].strip()!r}; update the entry")
                found[item.job_id] = entry["reason"]
                matched.add(key)
                db.set_result(item.job_id, WorkResult(
                    worker_outcome=WorkerOutcome.SKIPPED, output=f"equivalent: {entry['reason']}"))
            elif excluded and excluded.fullmatch(mutation.operator_name):
                db.set_result(item.job_id, WorkResult(
                    worker_outcome=WorkerOutcome.SKIPPED, output="operator left out"))
    missing = set(wanted) - matched
    if missing:
        raise SystemExit(f"mutation/equivalent.toml: no mutant {sorted(missing)} in {module}")
    return found


def outcomes(session):
    """(mutants, killed, equivalent, survivors, timed_out) of a finished session; a mutant
    whose tests ran out of time counts as killed (cosmic-ray's rule) and is also listed in
    timed_out, to be checked by hand (a loaded machine, not the mutant, may have slowed it)."""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    killed, equivalent, survivors, timed_out, total = 0, 0, [], [], 0
    with use_db(str(session)) as db:
        items = {item.job_id: item for item in db.work_items}
        for job_id, result in db.results:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                equivalent += (result.output or "").startswith("equivalent")
                continue
            total += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                survivors.append((items[job_id].mutations[0], result.diff))
            else:
                killed += 1
                if result.output == "timeout":
                    timed_out.append(items[job_id].mutations[0])
    return total + equivalent, killed, equivalent, survivors, timed_out


def run_module(module, tests, settings, equivalents):
    base, copy = scratch_copy()
    try:
        config, session = base / "cosmic-ray.toml", base / "session.sqlite"
        config.write_text(config_text(module, tests, settings["timeout"]))
        started = time.monotonic()
        subprocess.run([BIN / "cosmic-ray", "init", config, session], cwd=copy, check=True)
        mark_skipped(session, module, copy, settings.get("exclude_operators", []), equivalents)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run([BIN / "cosmic-ray", "exec", config, session], cwd=copy, check=True,
                       env=env)
        return (*outcomes(session), time.monotonic() - started)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all listed)")
    args = parser.parse_args(argv)
    listed = {entry["path"]: entry["tests"] for entry in load("modules.toml")["module"]}
    unknown = set(args.modules) - set(listed)
    if unknown:
        parser.error(f"not in mutation/modules.toml: {sorted(unknown)}")
    settings = load("modules.toml")["settings"]
    equivalents = load("equivalent.toml").get("equivalent", [])
    rows, failed = [], False
    for module in args.modules or listed:
        mutants, killed, equivalent, survivors, timed_out, seconds = run_module(
            module, listed[module], settings, equivalents)
        rows.append(f"| `{module}` | {mutants} | {killed} | {equivalent} | {len(survivors)} | "
                    f"{seconds / 60:.0f} min |")
        for mutation, diff in survivors:
            failed = True
            print(f"\nSURVIVED {module}: operator {mutation.operator_name}, occurrence "
                  f"{mutation.occurrence}, line {mutation.start_pos[0]}\n{diff}")
        for mutation in timed_out:
            print(f"\nTIMED OUT (counted as killed; check by hand) {module}: operator "
                  f"{mutation.operator_name}, occurrence {mutation.occurrence}, line "
                  f"{mutation.start_pos[0]}")
        print(rows[-1], flush=True)
    print("\n| module | mutants | killed | equivalent | survived | time |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
