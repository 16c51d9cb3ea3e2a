"""The compile logs that belong to one run of a command: the ones its output names ("Please check
the compiler log at ...") and the ones that appeared in the Furiosa log directory while it ran."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from triage.furiosa_paths import COMPILE_LOG_GLOBS, log_dir
from triage.ticket.inputs import compile_log_pointers

MAX_LOGS = 4
MAX_LOG_BYTES = 64 * 1024 * 1024
"""A compile log is kilobytes to a few MB; a bigger file that a line names is not one to read whole."""


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)  # no FIFO, device or directory that a log happens to name
    except OSError:
        return False


def _why_not(path: Path) -> str | None:
    """Why a regular file named like a compile log is not read, or None when it can be. The command's
    output is not trusted: a link to another file (a password file), a huge sparse file, binary data."""
    from triage.reader import ReaderError, read

    resolved = path.resolve()
    if not resolved.name.endswith(".log"):
        return f"it leads to {resolved}, not a .log file"
    size = resolved.stat().st_size
    if size > MAX_LOG_BYTES:
        return f"{size:,} bytes, more than a compile log ({MAX_LOG_BYTES >> 20} MB); analyse it on its own if it is one"
    try:
        _, lines = read(str(resolved))
        next(lines, None)
        lines.close()  # type: ignore[attr-defined]
    except ReaderError as exc:
        return str(exc)
    return None


def run_compile_logs(
    output_texts: Iterable[str],
    started: float,
    environ: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
) -> list[Path]:
    """Named logs first (in the order named), then new files in the log directory, newest first;
    each once, at most MAX_LOGS, regular files only; each one left out gets a line in notes."""
    environ = os.environ if environ is None else environ
    found: list[Path] = []
    for text in output_texts:
        for name in compile_log_pointers(text):
            path = Path(name).expanduser()
            if _regular_file(path):
                found.append(path.absolute())  # resolved (and checked) by _why_not
    directory = Path(log_dir(environ)[0]).expanduser()
    fresh: list[tuple[float, Path]] = []
    for pattern in COMPILE_LOG_GLOBS:
        for path in directory.glob(pattern):
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if mtime >= started and _regular_file(path):
                fresh.append((mtime, path.absolute()))
    found += [p for _, p in sorted(fresh, key=lambda mp: -mp[0])]
    readable: list[Path] = []
    for path in dict.fromkeys(found):
        why = _why_not(path)
        if why is None:
            readable.append(path.resolve())
        elif notes is not None:
            notes.append(f"compile log {path} not read: {why}")
    return list(dict.fromkeys(readable))[:MAX_LOGS]
