"""`catalog serve` as a user runs it: a real process on a real port, printing its address,
answering, and stopping cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

CATALOG = str(Path(sys.executable).with_name("catalog"))


def _start(db: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen([CATALOG, "--db", db, "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert " at http://" in line, (line, process.stderr.read() if process.stderr else "")
    return process, line.rsplit(" at ", 1)[1].strip()


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


def test_serves_prints_its_address_and_stops_on_ctrl_c(corpus_db: str) -> None:
    process, url = _start(str(corpus_db))
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "works.json?limit=2") as answer:  # noqa: S310
            body: Any = json.load(answer)
        assert body["ok"] and len(body["rows"]) == 2
        with urllib.request.urlopen(url) as answer:  # noqa: S310
            assert b'class="blurb"' in answer.read()
    finally:
        code, err = _stop(process)
    assert code == 0 and "stopped" in err and "Traceback" not in err


def test_another_host_is_served_with_a_warning(corpus_db: str) -> None:
    process, url = _start(str(corpus_db), "--host", "0.0.0.0")
    code, err = _stop(process)
    assert "warning: listening on 0.0.0.0: other machines can reach this catalogue" in err
    assert code == 0, err


def test_a_taken_port_is_one_clear_line(corpus_db: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([CATALOG, "--db", str(corpus_db), "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
