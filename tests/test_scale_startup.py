"""Spark's start-up chatter held back (csmetrics.scale.startup.held_stderr), checked on
file descriptor 2 of a child Python, where a JVM would write: lines written while the
block runs are dropped when it ends normally and shown when it raises; a process started
in the block keeps writing to stderr after it."""

import subprocess
import sys
import textwrap

STARTS_A_CHILD = textwrap.dedent("""
    import os, subprocess, sys
    from csmetrics.scale.startup import held_stderr

    CHILD = ("import sys; sys.stderr.write('child, starting\\\\n'); sys.stderr.flush(); "
             "print('started', flush=True); sys.stdin.read(); "
             "sys.stderr.write('child, later\\\\n')")
    with held_stderr():
        os.write(2, b"WARN a start-up line\\n")
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE)
        os.write(2, b"WARN another\\n")
        sys.stderr.write("and a Python warning\\n")
        child.stdout.readline()  # the child has written its first line
    sys.stderr.write("csmetrics' own line\\n")
    sys.stderr.flush()
    child.communicate(b"")
""")

FAILS = textwrap.dedent("""
    import os
    from csmetrics.scale.startup import held_stderr

    with held_stderr():
        os.write(2, b"JAVA_HOME is not set\\n")
        raise RuntimeError("Java gateway process exited")
""")


def run(script):
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    return done.returncode, done.stderr


def test_start_up_lines_are_dropped_and_later_lines_of_a_child_still_shown():
    status, err = run(STARTS_A_CHILD)
    assert status == 0
    assert err == "csmetrics' own line\nchild, later\n"


def test_start_up_lines_are_shown_before_the_error_when_the_start_fails():
    status, err = run(FAILS)
    assert status == 1
    assert err.startswith("JAVA_HOME is not set\nTraceback (most recent call last):\n")
    assert err.rstrip().endswith("RuntimeError: Java gateway process exited")


UNFINISHED = textwrap.dedent("""
    import os, subprocess, sys
    from csmetrics.scale.startup import held_stderr

    CHILD = "import sys; sys.stdin.read(); sys.stderr.write('child, later\\\\n')"
    with held_stderr():
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE)
        os.write(2, b"[Stage 0:>   (0 + 1) / 1]\\r")  # a progress bar, no line end
    sys.stderr.write("csmetrics' own line\\n")
    sys.stderr.flush()
    child.communicate(b"")
""")


def test_an_unfinished_start_up_line_does_not_hide_what_comes_after():
    """The verdict lands at the end of the unfinished line: it is still read, so the
    child's later line reaches stderr, and the progress bar does not."""
    assert run(UNFINISHED) == (0, "csmetrics' own line\nchild, later\n")
