"""Spark's start-up chatter held back from the command line's stderr.

The JVM that PySpark starts writes to this process' stderr (file descriptor 2, which it
inherits): the JVM's own notice ``WARNING: Using incubator modules`` (Spark 4 adds that
module itself, and no setting silences it), log4j's default-profile lines and the WARN
lines Spark logs while it starts (the host name, the native Hadoop library), before any
log level of the session can apply. :func:`held_stderr` passes descriptor 2 through a pipe
while the session starts: what is written then is held, dropped once the session is up
and shown if it fails to start; everything written after goes to stderr as it comes.
"""

import contextlib
import os
import sys
import threading

SHOW, DROP = b"\0csmetrics: show the start-up output\n", b"\0csmetrics: drop it\n"
WAIT_SECONDS = 5
"""How long a failed start waits for the start-up output to be shown."""


@contextlib.contextmanager
def held_stderr():
    """Hold what is written to file descriptor 2 (by this process or a child started
    meanwhile, such as Spark's JVM) until the block ends: dropped when it ends normally,
    written to stderr when it raises. A child keeps the pipe as its stderr: its later
    lines reach stderr through a relay thread.

    >>> with held_stderr():
    ...     _ = os.write(2, b"WARN some start-up line\\n")
    """
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    stderr = os.dup(2)
    os.dup2(write_end, 2)
    os.close(write_end)
    settled = threading.Event()
    threading.Thread(target=_relay, args=(read_end, stderr, settled), daemon=True).start()
    verdict = SHOW
    try:
        yield
        verdict = DROP
    finally:
        sys.stderr.flush()
        os.write(2, verdict)
        os.dup2(stderr, 2)  # this process writes to stderr again; the relay owns the copy
        if verdict is SHOW:
            settled.wait(WAIT_SECONDS)


def _relay(read_end, stderr, settled):
    """Copy the lines of ``read_end`` to ``stderr``, those before the verdict only when it
    is :data:`SHOW`; set ``settled`` once the verdict is read. A line left unfinished
    before the verdict is held with the lines before it; a stderr that cannot be written
    (closed) loses the lines, and the pipe is still drained, so that no writer waits."""
    held = []
    with os.fdopen(read_end, "rb") as lines, os.fdopen(stderr, "wb", buffering=0) as out:
        for line in lines:
            if settled.is_set():
                _write(out, line)
                continue
            verdict = next((end for end in (SHOW, DROP) if line.endswith(end)), None)
            held.append(line[: -len(verdict)] if verdict else line)
            if verdict is not None:
                if verdict == SHOW:
                    _write(out, b"".join(held))
                held = []
                settled.set()


def _write(out, data):
    with contextlib.suppress(OSError):
        out.write(data)
