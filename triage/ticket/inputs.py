"""The files that go into a ticket: exactly the ones the user named, plus (only when allowed)
the compile log a named log points at."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from triage.reader import Line, ReaderError, Source, decoded_chunks, lines_of, open_input

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
    text: str = ""
    """The decoded text, only for logs given as text (read_log); file logs live at `path`."""
    kind: str = "log"
    """'log' (named by the user) or 'compile-log' (followed from a named log)."""
    source: Source | None = field(default=None, repr=False)
    """What the reader counted (lines, bytes, notes) while reading the log; None for text given as is."""
    path: str | None = None
    """A private copy of the decoded text (triage/ticket/files.py): analysed and redacted as a stream."""
    real: str = ""
    """The resolved path of the original ("" for stdin)."""
    workspace: Any = field(default=None, repr=False)
    """The Workspace that holds `path`."""

    def stream(self) -> tuple[Source, Iterator[Line]]:
        """The (Source, Lines) the analysis reads: the lines of the log, counted once, by the reader."""
        chunks = _file_chunks(self.path) if self.path is not None else iter([self.text.encode("utf-8")])
        if self.source is None:
            self.source = Source(name=self.name)
            return self.source, lines_of(chunks, self.source)
        return self.source, lines_of(chunks, Source(name=self.name))  # counted already


def _file_chunks(path: str, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def _lines(data: bytes, source: Source) -> Iterator[Line]:
    return lines_of([data], source)


def _read_through(path: str | None, sink: Callable[[bytes], None]) -> tuple[str, Source]:
    """Read a log once with the one reader (gzip, UTF-16, NUL blocks, binary refusal, the same line
    count and notes as analyze), handing each decoded chunk to `sink`; None or '-' is standard input.
    At most MAX_INPUT bytes of text."""
    try:
        stream, name = open_input(path)
        source = Source(name=name, max_bytes=MAX_INPUT)

        def keep() -> Iterator[bytes]:
            for chunk in decoded_chunks(stream, source):
                sink(chunk)
                yield chunk

        try:
            for _ in lines_of(keep(), source):  # counts lines and notes as analyze does
                pass
        finally:
            if path not in (None, "-"):
                stream.close()
    except ReaderError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if source.over_budget:
        raise InputError(f"{name}: larger than {MAX_INPUT >> 20} MB; cut it to the failing run first")
    return name, source


def copy_log(path: str | None, workspace: Any, kind: str = "log", real: str = "") -> LogInput:
    """The log's decoded text written to a private file of `workspace` (flat memory: a 100 MB log is
    never held)."""
    out, copy = workspace.new_file(".log")
    with out:
        name, source = _read_through(path, out.write)
    return LogInput(name=name, kind=kind, source=source, path=copy, real=real, workspace=workspace)


def read_log(path: str | None, kind: str = "log") -> LogInput:
    """The log's decoded text in memory (small logs given as text)."""
    kept: list[bytes] = []
    name, source = _read_through(path, kept.append)
    return LogInput(name=name, text=b"".join(kept).decode("utf-8", errors="replace"), kind=kind, source=source)


def read_text(path: str) -> str:
    """The whole text of a log, as the reader decodes it, for redaction and the bundle."""
    return read_log(path).text


def compile_log_pointers_in(path: str, chunk: int = 1 << 20) -> list[str]:
    """compile_log_pointers() of a file, read in line-aligned pieces (flat memory)."""
    found: list[str] = []
    rest = b""
    with open(path, "rb") as fh:
        while True:
            data = fh.read(chunk)
            block = rest + data
            if data:
                cut = block.rfind(b"\n") + 1 or (len(block) if len(block) > 4 * chunk else 0)
                block, rest = block[:cut], block[cut:]
            for p in compile_log_pointers(block.decode("utf-8", errors="replace")):
                if p not in found:
                    found.append(p)
            if not data:
                return found


def compile_log_pointers(text: str) -> list[str]:
    """Compile log paths a log names, in order, without duplicates."""
    found: list[str] = []
    for rx in _POINTERS:
        for m in rx.finditer(text):
            path = m.group(1).rstrip(".,;:'\")")
            if path.endswith(".log") and path not in found:
                found.append(path)
    return found
