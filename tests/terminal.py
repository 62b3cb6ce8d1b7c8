"""Running the real CLI with its standard output on a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

from tests.conftest import ROOT


def on_a_terminal(db: str, *args: str, env: dict[str, str]) -> str:
    """`catalog ARGS…` with its stdout on a pseudo-terminal (stderr a pipe): what a
    person's screen gets."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "catalog", "--db", db, *args],
                               stdout=child, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               cwd=ROOT, env={**os.environ, **env})
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert process.wait(60) == 0
    return out.decode("utf-8", "replace")
