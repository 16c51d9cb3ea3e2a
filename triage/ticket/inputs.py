"""The files that go into a ticket: exactly the ones the user named, plus (only when allowed)
the compile log a named log points at."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

MAX_INPUT = 256 * 1024 * 1024  # bytes of text per file held for a bundle

# Lines Furiosa prints that name the compile log (furiosa-facts.md, "Information Dump").
_POINTERS = (
    re.compile(r"Please check the compiler log at\s+(\S+)"),
    re.compile(r"Saving the compilation log into\s+(\S+)"),
)


class InputError(Exception):
    """A named file that cannot go into a ticket; the message names it."""


@dataclass
class LogInput:
    name: str
    """As the user gave it (a path, or <stdin>)."""
    text: str
    kind: str = "log"
    """'log' (named by the user) or 'compile-log' (followed from a named log)."""


def read_text(path: str) -> str:
    """The whole text of a plain or gzip file, for redaction and the bundle."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory (name the log files inside it)")
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_INPUT + 1)
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT:
        raise InputError(f"{path}: larger than {MAX_INPUT >> 20} MB; cut it to the failing run first")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like binary data, not a text log")
    return data.decode("utf-8", errors="replace")


def _gunzip(raw: bytes, path: str) -> bytes:
    """Decompress at most MAX_INPUT + 1 bytes (a gzip bomb stops there); a truncated file keeps what is there."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return d.decompress(raw, MAX_INPUT + 1)
    except zlib.error as exc:
        raise InputError(f"{path}: corrupt gzip data ({exc})") from None


def compile_log_pointers(text: str) -> list[str]:
    """Compile log paths a log names, in order, without duplicates."""
    found: list[str] = []
    for rx in _POINTERS:
        for m in rx.finditer(text):
            path = m.group(1).rstrip(".,;:'\")")
            if path.endswith(".log") and path not in found:
                found.append(path)
    return found
