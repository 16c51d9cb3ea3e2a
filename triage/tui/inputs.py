"""What the TUI opens: log files (a pipe is first copied to a temporary file), and the terminal.

No Textual imports: the tui command calls this before the app exists.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from triage.reader import DEFAULT_MAX_BYTES, ReaderError, check_path


@dataclass(frozen=True)
class LogFile:
    path: str
    """Path as given (the report's evidence names it this way)."""
    label: str = ""
    """What the screen calls it; `<stdin>` for a pipe."""
    temporary: bool = False
    """A copy of a pipe or FIFO, deleted by `cleanup`."""

    @property
    def title(self) -> str:
        return self.label or self.path


class NoTerminal(Exception):
    """The TUI needs a terminal for the keyboard and there is none."""


def check_files(paths: list[str]) -> list[LogFile]:
    """Refuse missing files and directories before the screen opens (the CLI's wording)."""
    files = []
    for path in paths:
        check_path(path)  # the reader's check and wording
        if not os.access(path, os.R_OK):
            raise ReaderError(f"{path}: cannot open (permission denied)")
        files.append(LogFile(path) if os.path.isfile(path) else copy_stream(path))
    return files


def copy_stdin() -> LogFile:
    """Copy piped standard input to a temporary file (deleted by `cleanup`)."""
    fd, name = tempfile.mkstemp(prefix="warboy-triage-stdin-", suffix=".log")
    with os.fdopen(fd, "wb") as out:
        _copy(sys.stdin.buffer, out)
    return LogFile(name, "<stdin>", temporary=True)


def _copy(src, out) -> None:  # type: ignore[no-untyped-def]
    """Copy at most one byte more than the reader's budget (an endless device ends; the reader notes the cut)."""
    left = DEFAULT_MAX_BYTES + 1
    while left > 0 and (data := src.read(min(1 << 20, left))):
        out.write(data)
        left -= len(data)


def copy_stream(path: str) -> LogFile:
    """A FIFO or /dev/fd/N (process substitution) can be read only once, and the TUI reads its logs
    twice (the analysis and the log view): copy it to a temporary file first."""
    fd, name = tempfile.mkstemp(prefix="warboy-triage-pipe-", suffix=".log")
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            _copy(src, out)
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise ReaderError(f"{path}: cannot open ({exc.strerror or exc})") from None
    return LogFile(name, path, temporary=True)


def take_terminal() -> None:
    """Make the terminal our standard input again after a pipe (as toolong does), for the keyboard.

    Textual reads keys from file descriptor 0, so /dev/tty is put there."""
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError as exc:
        raise NoTerminal(exc.strerror or str(exc)) from None  # the reason; launch says what is missing
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
        if f.temporary:
            Path(f.path).unlink(missing_ok=True)
