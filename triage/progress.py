"""A progress bar on stderr for big logs, only when stderr is a terminal (never in pipes or CI)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MIN_BYTES = 50 << 20  # smaller inputs finish before a bar would help


def _total_size(paths: list[str | None]) -> int:
    """Bytes on disk of regular plain files; 0 (no bar) when any input is not one.

    Only stat is used, never open: a pipe, FIFO or /dev/fd/N must be read once, by the reader
    (reading its head here ate the first 4 KB of a pipe, and a FIFO opened twice hangs)."""
    total = 0
    for path in paths:
        if path in (None, "-"):
            return 0  # stdin: size unknown
        try:
            st = os.stat(path)
        except OSError:
            return 0  # the reader reports the error
        if not stat.S_ISREG(st.st_mode) or _is_gzip(path):
            return 0  # gzip: the bytes read are not the bytes on disk
        total += st.st_size
    return total


def _is_gzip(path: str) -> bool:
    """A regular file can be read twice; its first bytes say whether it is gzip."""
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"\x1f\x8b"
    except OSError:
        return True  # no bar; the reader reports the error


def _stderr_is_terminal() -> bool:
    try:
        return os.isatty(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False


@contextmanager
def progress_bar(paths: list[str | None]) -> Iterator[Callable[[int], None] | None]:
    """Yields a callback taking bytes done since the last call, or None when no bar is shown."""
    total = _total_size(paths)
    if total < MIN_BYTES or not _stderr_is_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("analysing", total=total)
        yield lambda n: bar.advance(task, n)
