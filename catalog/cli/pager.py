"""Long output through a pager on a terminal ($PAGER, else `less -FRX`), never when
piped: `less -F` quits at once when the text fits the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

DEFAULT = "less -FRX"


def page(text: str, *, pager: bool = True) -> None:
    """Write `text` (already escaped) to stdout, through the pager when it is a terminal."""
    command = shlex.split(os.environ.get("PAGER") or DEFAULT)
    if not (pager and sys.stdout.isatty() and command and shutil.which(command[0])):
        sys.stdout.write(text)
        return
    try:
        subprocess.run(command, input=text, text=True, check=False)
    except OSError:
        sys.stdout.write(text)
