"""The files that go into a ticket: exactly the ones the user named, plus (only when allowed)
the compile log a named log points at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

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
    text: str
    kind: str = "log"
    """'log' (named by the user) or 'compile-log' (followed from a named log)."""
    source: Source | None = field(default=None, repr=False)
    """What the reader counted (lines, bytes, notes) while reading `text`; None for text given as is."""

    def stream(self) -> tuple[Source, Iterator[Line]]:
        """The (Source, Lines) the analysis reads: the lines of `text`, counted once, by the reader."""
        if self.source is None:
            self.source = Source(name=self.name)
            return self.source, _lines(self.text.encode("utf-8"), self.source)
        return self.source, _lines(self.text.encode("utf-8"), Source(name=self.name))  # counted already


def _lines(data: bytes, source: Source) -> Iterator[Line]:
    return lines_of([data], source)


def read_log(path: str | None, kind: str = "log") -> LogInput:
    """Read a log for a ticket with the one reader (gzip, UTF-16, NUL blocks, binary refusal, the
    same line count as analyze); None or '-' is standard input. At most MAX_INPUT bytes of text."""
    try:
        stream, name = open_input(path)
        source = Source(name=name, max_bytes=MAX_INPUT)
        kept: list[bytes] = []

        def keep() -> Iterator[bytes]:
            for chunk in decoded_chunks(stream, source):
                kept.append(chunk)
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
    return LogInput(name=name, text=b"".join(kept).decode("utf-8", errors="replace"), kind=kind, source=source)


def read_text(path: str) -> str:
    """The whole text of a log, as the reader decodes it, for redaction and the bundle."""
    return read_log(path).text


def compile_log_pointers(text: str) -> list[str]:
    """Compile log paths a log names, in order, without duplicates."""
    found: list[str] = []
    for rx in _POINTERS:
        for m in rx.finditer(text):
            path = m.group(1).rstrip(".,;:'\")")
            if path.endswith(".log") and path not in found:
                found.append(path)
    return found
