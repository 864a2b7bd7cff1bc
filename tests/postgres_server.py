"""A real PostgreSQL server for the tests: Debian's ``postgresql`` package, a throw-away
cluster in a temporary folder on a free port of 127.0.0.1, trusted local logins, run as
the ``postgres`` user when the tests run as root (the server refuses root), stopped after.
``.ci/run`` installs the package; a machine without it fails here, loudly."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

DEBIAN_BINARIES = Path("/usr/lib/postgresql")


def server_binaries():
    """The folder of ``initdb`` and ``pg_ctl`` of the newest PostgreSQL installed."""
    versions = sorted(DEBIAN_BINARIES.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise RuntimeError(f"no PostgreSQL server under {DEBIAN_BINARIES}: apt-get install "
                           "postgresql (as .ci/run does)")
    return versions[-1].parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def postgres_server():
    """Start a cluster; yield its URL (``postgres://postgres@127.0.0.1:PORT/postgres``)."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="csmetrics-pg-"))
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()

    def run(*command):
        subprocess.run([*as_user, *map(str, command)], check=True, capture_output=True,
                       text=True, timeout=120)

    run(binaries / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "server.log", "-w",
        "start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
