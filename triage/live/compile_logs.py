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


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)  # no FIFO, device or directory that a log happens to name
    except OSError:
        return False


def run_compile_logs(
    output_texts: Iterable[str], started: float, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Named logs first (in the order named), then new files in the log directory, newest first;
    each once, at most MAX_LOGS, regular files only."""
    environ = os.environ if environ is None else environ
    found: list[Path] = []
    for text in output_texts:
        for name in compile_log_pointers(text):
            path = Path(name).expanduser()
            if _regular_file(path):
                found.append(path.resolve())
    directory = Path(log_dir(environ)[0]).expanduser()
    fresh: list[tuple[float, Path]] = []
    for pattern in COMPILE_LOG_GLOBS:
        for path in directory.glob(pattern):
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if mtime >= started and _regular_file(path):
                fresh.append((mtime, path.resolve()))
    found += [p for _, p in sorted(fresh, key=lambda mp: -mp[0])]
    return list(dict.fromkeys(found))[:MAX_LOGS]
