"""What the TUI opens: log files (a pipe is first copied to a temporary file), and the terminal.

No Textual imports: the tui command calls this before the app exists.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from triage.reader import ReaderError


@dataclass(frozen=True)
class LogFile:
    path: str
    """Path as given (the report's evidence names it this way)."""
    label: str = ""
    """What the screen calls it; `<stdin>` for a pipe."""

    @property
    def title(self) -> str:
        return self.label or self.path


class NoTerminal(Exception):
    """The TUI needs a terminal for the keyboard and there is none."""


def check_files(paths: list[str]) -> list[LogFile]:
    """Refuse missing files and directories before the screen opens (the CLI's wording)."""
    files = []
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise ReaderError(f"{path}: no such file")
        if p.is_dir():
            raise ReaderError(f"{path}: is a directory (name the log files inside it)")
        if not os.access(p, os.R_OK):
            raise ReaderError(f"{path}: cannot open (permission denied)")
        files.append(LogFile(path))
    return files


def copy_stdin() -> LogFile:
    """Copy piped standard input to a temporary file (deleted by `cleanup`)."""
    fd, name = tempfile.mkstemp(prefix="warboy-triage-stdin-", suffix=".log")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return LogFile(name, "<stdin>")


def take_terminal() -> None:
    """Make the terminal our standard input again after a pipe (as toolong does), for the keyboard.

    Textual reads keys from file descriptor 0, so /dev/tty is put there."""
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError as exc:
        raise NoTerminal(f"no terminal for the keyboard ({exc.strerror or exc})") from None
    os.dup2(tty, 0)
    os.close(tty)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - wraps fd 0 for the process lifetime


def output_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False


def cleanup(files: list[LogFile]) -> None:
    for f in files:
        if f.label == "<stdin>":
            Path(f.path).unlink(missing_ok=True)
