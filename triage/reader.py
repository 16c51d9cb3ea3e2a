"""Stage 1, the one input layer: turn files, gzip files, pipes or stdin into clean, numbered lines.

Every reader of logs goes through here (analyze's line and fast paths, --jobs units, ticket, the
TUI's log index): open_input() opens a path once (a FIFO or /dev/fd/N cannot be read twice),
decoded_chunks() gives its text (gzip and UTF-16 decoded, NUL blocks dropped, binary refused,
within the read budget), lines_of() / iter_blocks() turn that into Lines or blocks of lines.

Streaming: bytes are read in fixed-size chunks and split as they arrive, so memory stays
flat however large the log is. Line numbers are the user's own (counted by LF or CRLF);
a flattened one-line paste is re-split into pieces that keep the original line number, however
long the line (LongLine reads one past the 256 KB cut in windows).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from triage.paste import FLAT_MIN_LEN, resplit_windows, split_flattened
from triage.safety import strip_terminal

CHUNK = 1 << 20
MAX_LINE = 256 * 1024  # longer lines are cut (the rest is counted, not kept)
# Bytes read from one input before the reader stops with a note: a gzip bomb, /dev/zero or a
# runaway log ends instead of running for ever. Counted in bytes (decompressed for gzip), never in
# time, so the same input gives the same report on any machine. 0 or None: no limit.
DEFAULT_MAX_BYTES = 4 << 30
GZIP_MAGIC = b"\x1f\x8b"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class ReaderError(Exception):
    """Input that cannot be read at all (missing, a directory, binary data)."""


@dataclass(slots=True)
class Line:
    no: int
    text: str


@dataclass
class Source:
    """One input and what the reader noticed about it while streaming."""

    name: str
    bytes_read: int = 0
    lines: int = 0
    notes: list[str] = field(default_factory=list)
    max_bytes: int | None = DEFAULT_MAX_BYTES
    """The read budget (see DEFAULT_MAX_BYTES); 0 or None: no limit."""
    over_budget: bool = False
    """The read stopped at max_bytes (a note says so)."""
    rewritten: bool = False
    """The text differs from the input's bytes (gzip, UTF-16 or NUL bytes dropped): offsets into
    the file are not offsets into the text (the TUI's log index copies the text then)."""


# SGR colour codes whose ESC was lost in a copy-paste ("[0m"); real escape sequences are
# removed by triage.safety, the one sanitiser shared with the renderers.
_LOST_ESC_SGR = re.compile(r"\[[0-9;]{0,12}m")

# Where a record starts inside a flattened paste: triage/data/paste_markers.toml (triage/paste.py).
_FLAT_MIN_LEN = FLAT_MIN_LEN


def clean(text: str) -> str:
    """Remove terminal escapes and control characters (keeps tabs)."""
    text = strip_terminal(text)
    return _LOST_ESC_SGR.sub("", text) if "[" in text else text


def check_path(path: str, directory: str = "is a directory (name the log files inside it)") -> None:
    """Raise ReaderError with one clear line when `path` cannot be read (without opening it: a FIFO
    is read once, by whoever reads it). `directory`: what to say when it is a directory."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReaderError(f"{path}: no such file") from None
    except PermissionError:
        raise ReaderError(f"{path}: cannot open (permission denied on a directory of its path)") from None
    except OSError as exc:
        raise ReaderError(f"{path}: cannot open ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReaderError(f"{path}: {directory}")


def open_input(path: str | None) -> tuple[BinaryIO, str]:
    """The byte stream of a path ('-' or None: standard input) and the name to report it by.

    Opened once: a pipe, a FIFO or /dev/fd/N (process substitution) cannot be read twice."""
    if path is None or path == "-":
        return sys.stdin.buffer, "<stdin>"
    check_path(path)
    try:
        return open(path, "rb"), path  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise ReaderError(f"{path}: cannot open ({exc.strerror or exc})") from None


def budget_note(limit: int) -> str:
    return f"stopped after {limit} bytes (the --max-bytes budget): the rest was not read; --max-bytes 0 reads all"


class Budget:
    """Counts the bytes read from one input (source.bytes_read) and stops at max_bytes with a note."""

    def __init__(self, source: Source, max_bytes: int | None) -> None:
        self.source = source
        self.left = max_bytes if max_bytes else -1  # -1: unlimited
        self.spent = False

    def note(self) -> None:
        """Say so when the budget stopped the read (once, after the last byte read)."""
        if self.spent:
            self.source.notes.append(budget_note(self.source.bytes_read))

    def take(self, data: bytes) -> bytes:
        """The part of `data` within the budget (b"" once it is spent), counted as read."""
        if self.left >= 0:
            if self.spent:
                return b""
            if len(data) > self.left:
                data = data[: self.left]
                self.spent = self.source.over_budget = True
            self.left -= len(data)
        self.source.bytes_read += len(data)
        return data


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13, 27)) + b"\x7f"
_NUL_RUN = re.compile(rb"\x00{512,}")


def _looks_binary(head: bytes) -> bool:
    """Many NULs or control bytes in the first 8 KB: a model, an archive, a core dump.

    A few stray NULs still read as text, and so do long runs of them: a writer that crashed
    or lost power leaves whole preallocated blocks of NULs in an otherwise ordinary log.
    """
    sample = head[:8192]
    if not sample or b"\x00" not in sample:
        return False
    sample = _NUL_RUN.sub(b"", sample)
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(0) > len(sample) // 100 or controls > len(sample) // 10


_ZEROS = bytes(CHUNK)


def _zeros(n: int) -> bytes:
    return _ZEROS if n == CHUNK else bytes(n)


def drop_nuls(chunks: Iterable[bytes], source: Source | None = None) -> Iterator[bytes]:
    """NUL bytes carry no text. Dropping them before lines are cut keeps the text that follows a
    block of them in its line (a writer that crashed, or copytruncate rotation leaving a hole of
    NULs at the start of the file), instead of losing it behind the MAX_LINE cut."""
    raw_last = kept_last = b""
    for chunk in chunks:
        if not chunk:
            continue
        raw_last = chunk[-1:]
        if b"\x00" in chunk:
            # a block of only NULs (a sparse file, /dev/zero) is recognised by one memcmp; otherwise
            # translate deletes them (both many times faster than replace on NUL-heavy data)
            chunk = b"" if chunk == _zeros(len(chunk)) else chunk.translate(None, b"\x00")
            if source is not None:
                source.rewritten = True
            if not chunk:
                continue
        kept_last = chunk[-1:]
        yield chunk
    if raw_last not in (b"", b"\n") and kept_last in (b"", b"\n"):
        yield b"\x00"  # the last line held only NULs: it still counts, as an editor shows it


def _raw_chunks(stream: BinaryIO, source: Source) -> Iterator[bytes]:
    """Decoded byte chunks without NUL bytes, within the source's read budget."""
    return drop_nuls(_decoded_chunks(stream, source), source)


def decoded_chunks(stream: BinaryIO, source: Source) -> Iterator[bytes]:
    """The text of an input as UTF-8-ish byte chunks: what every reader of logs starts from."""
    return _raw_chunks(stream, source)


def _decoded_chunks(stream: BinaryIO, source: Source) -> Iterator[bytes]:
    """Yield decompressed byte chunks; gzip is detected by its magic bytes, not the name."""
    budget = Budget(source, source.max_bytes)
    head = stream.read(CHUNK)
    if head[:2] in UTF16_BOMS:
        source.rewritten = True
        yield from _utf16_chunks(head, stream, source, budget)
        return
    if head[:2] == GZIP_MAGIC:
        source.rewritten = True
        import gzip  # here: most inputs are plain (start-up)

        gz = gzip.GzipFile(fileobj=_Prepend(head, stream))
        try:
            # read1: each call returns what one input read decompressed, so a truncated
            # stream still yields everything before the cut
            while not budget.spent and (chunk := gz.read1(CHUNK)):
                if chunk := budget.take(chunk):
                    yield chunk
        except (EOFError, OSError, zlib.error) as exc:
            source.notes.append(f"gzip data is truncated or corrupt ({exc}); read what was there")
        budget.note()
        return
    if _looks_binary(head):
        hint = (
            f" (an ONNX model? check it with: warboy-triage lint {source.name})"
            if source.name.lower().endswith(".onnx")
            else ""
        )
        raise ReaderError(f"{source.name}: looks like binary data, not a text log{hint}")
    while head and not budget.spent:
        if head := budget.take(head):
            yield head
        head = stream.read(CHUNK)
    budget.note()


def _utf16_chunks(head: bytes, stream: BinaryIO, source: Source, budget: Budget) -> Iterator[bytes]:
    """UTF-16 text (Windows PowerShell's `>` writes it, with a BOM), re-encoded as UTF-8."""
    source.notes.append("the log is UTF-16 text (a PowerShell redirect?); it was converted to UTF-8")
    decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")  # the BOM picks the byte order
    data = head
    while data and not budget.spent:
        if (data := budget.take(data)) and (text := decoder.decode(data)):
            yield text.encode("utf-8", "replace")
        data = stream.read(CHUNK)
    if text := decoder.decode(b"", final=True):
        yield text.encode("utf-8", "replace")
    budget.note()


def needs_decoding(head: bytes) -> bool:
    """gzip or UTF-16: the bytes of the file are not the bytes of its lines."""
    return head[:2] == GZIP_MAGIC or head[:2] in UTF16_BOMS


class _Prepend(io.RawIOBase):
    """A stream that replays bytes already read before continuing with the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


class _Pushback:
    """A chunk iterator that takes back the unread rest of a chunk (after a long line's LF)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)
        self._back: list[bytes] = []

    def __iter__(self) -> _Pushback:
        return self

    def __next__(self) -> bytes:
        return self._back.pop() if self._back else next(self._it)

    def push(self, data: bytes) -> None:
        if data:
            self._back.append(data)


WINDOW = 1 << 20  # bytes of a long line decoded, cleaned and split at a time


class LongLine:
    """A line longer than MAX_LINE, read as it comes: its records (a flattened paste of any length
    is re-split), never the whole line in memory. Its rest is read from the shared chunk stream up
    to its LF, and what follows the LF is pushed back for the next line."""

    def __init__(self, no: int, head: bytes, chunks: _Pushback, source: Source) -> None:
        self.no = no
        self._head = head
        self._chunks = chunks
        self.source = source
        self.size = 0  # bytes of the line read so far, without its LF
        self._read = False

    def __len__(self) -> int:
        return self.size

    @classmethod
    def reading(cls, no: int, chunks: Iterable[bytes], source: Source) -> LongLine:
        """A long line read from `chunks` (its bytes, without the LF: the TUI reads them back from its file)."""
        return cls(no, b"", _Pushback(chunks), source)

    @classmethod
    def of(cls, no: int, raw: bytes, source: Source) -> LongLine:
        """A long line already in memory (inside a block of the fast scan)."""
        return cls(no, raw, _Pushback(()), source)

    def lines(self) -> Iterator[Line]:
        for piece in resplit_windows(self._windows(), MAX_LINE, self._note):
            yield Line(self.no, piece)

    def drain(self) -> None:
        """Read past the line when its reader stopped early (the next line starts after its LF)."""
        for _ in self._bytes():
            pass

    def _note(self, records: int, cut: int) -> None:
        if records <= 1:
            self.source.notes.append(f"line {self.no} is longer than {MAX_LINE} bytes; the rest was cut")
            return
        note = f"line {self.no} ({self.size} bytes) is a flattened paste: re-split into {records} records"
        if cut:
            note += f"; {cut} record(s) longer than {MAX_LINE} characters were cut"
        self.source.notes.append(note)

    def _bytes(self) -> Iterator[bytes]:
        if self._read:
            return
        self._read = True
        data: bytes | None = self._head
        while data is not None:
            nl = data.find(b"\n")
            if nl >= 0:
                self._chunks.push(data[nl + 1 :])
                self.size += nl
                if nl:
                    yield data[:nl]
                return
            self.size += len(data)
            if data:
                yield data
            data = next(self._chunks, None)

    def _windows(self) -> Iterator[tuple[str, bool]]:
        """(cleaned text, ends a CR part) in windows of about WINDOW bytes, cut after a space or tab
        where there is one (escape sequences hold none), so windows depend on the text only."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        buf = bytearray()

        def whole_windows() -> Iterator[tuple[str, bool]]:
            while len(buf) >= WINDOW:
                cut = max(buf.rfind(b" ", WINDOW // 2, WINDOW), buf.rfind(b"\t", WINDOW // 2, WINDOW))
                cut = WINDOW if cut < 0 else cut + 1
                yield clean(decoder.decode(bytes(buf[:cut]))), False
                del buf[:cut]

        for data in self._bytes():
            start = 0
            while (cr := data.find(b"\r", start)) >= 0:
                buf += data[start:cr]
                yield from whole_windows()
                yield clean(decoder.decode(bytes(buf), final=True)), True
                buf.clear()
                decoder.reset()
                start = cr + 1
            buf += data[start:]
            yield from whole_windows()
        yield clean(decoder.decode(bytes(buf), final=True)), True


def _raw_lines(
    chunks: Iterable[bytes], source: Source, resplit: bool = False
) -> Iterator[tuple[int, bytes | LongLine]]:
    """Split byte chunks at LF; cap each line at MAX_LINE bytes without buffering the rest.

    resplit: a line longer than MAX_LINE comes as a LongLine instead (read it before the next)."""
    queue = _Pushback(chunks)
    no = 0
    pending = bytearray()
    overflow = False
    for chunk in queue:
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            if resplit and len(pending) + (len(chunk) if nl < 0 else nl) - start > MAX_LINE:
                no += 1
                queue.push(chunk[start:])
                long = LongLine(no, bytes(pending), queue, source)
                pending.clear()
                yield no, long
                long.drain()
                break
            if nl < 0:
                room = MAX_LINE - len(pending)
                if room > 0:
                    pending += chunk[start : start + room]
                if len(chunk) - start > max(room, 0):
                    overflow = True
                break
            room = MAX_LINE - len(pending)
            piece = chunk[start:nl]
            if len(piece) > room:
                piece = piece[: max(room, 0)]
                overflow = True
            pending += piece
            no += 1
            if overflow:
                source.notes.append(f"line {no} is longer than {MAX_LINE} bytes; the rest was cut")
                overflow = False
            yield no, bytes(pending)
            pending.clear()
            start = nl + 1
    if pending or overflow:
        no += 1
        if overflow:
            source.notes.append(f"line {no} is longer than {MAX_LINE} bytes; the rest was cut")
        yield no, bytes(pending)
    source.lines = no


def raw_lines_of(chunks: Iterable[bytes], source: Source) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes, cut at MAX_LINE) of decoded chunks; sets source.lines at the end."""
    return _raw_lines(chunks, source)  # type: ignore[return-value] # no LongLine without resplit


def raw_lines(stream: BinaryIO, source: Source) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) of every line, gzip-decoded and capped: for other line formats."""
    return raw_lines_of(_raw_chunks(stream, source), source)


LineReader = Callable[[BinaryIO, Source], Iterator[Line]]


def lines_of(chunks: Iterable[bytes], source: Source) -> Iterator[Line]:
    """The Lines of decoded chunks (see decoded_chunks): the one way text becomes Lines."""
    for no, raw in _raw_lines(chunks, source, resplit=True):
        if type(raw) is LongLine:
            yield from raw.lines()
        else:
            yield from line_pieces(no, raw)  # type: ignore[arg-type]


def iter_lines(stream: BinaryIO, source: Source) -> Iterator[Line]:
    """Decode, clean and re-split raw lines. CR (lone or before LF) ends a piece, not a line."""
    return lines_of(_raw_chunks(stream, source), source)


def pieces_of(no: int, raw: bytes, source: Source) -> Iterator[Line]:
    """line_pieces() of a line in memory; one longer than MAX_LINE is re-split as a LongLine."""
    if len(raw) > MAX_LINE:
        return LongLine.of(no, raw, source).lines()
    return line_pieces(no, raw)


def line_pieces(no: int, raw: bytes) -> Iterator[Line]:
    """The Lines of one raw line (without its LF): decoded, cleaned, split at CR and flattened pastes."""
    text = raw.decode("utf-8", errors="replace")
    parts = text.split("\r") if "\r" in text else (text,)
    for part in parts:
        part = clean(part)
        if not part.strip():
            continue
        for piece in split_flattened(part):
            yield Line(no, piece)


_LONG_AFTER_LF = re.compile(rb"\n[^\n]{%d}" % _FLAT_MIN_LEN)  # a line long enough to be a flattened paste


def long_first_line(block: bytes) -> bool:
    first = block.find(b"\n")
    return (len(block) if first < 0 else first) >= _FLAT_MIN_LEN


def iter_blocks(stream: BinaryIO, source: Source) -> Iterator[bytes | LongLine]:
    """Whole lines in blocks of about CHUNK bytes (each block ends with LF, except perhaps the
    last). A line that grows past MAX_LINE before its block ends comes as a LongLine (its reader
    numbers it, reads it and drains it before the next block); a long line inside one block stays
    in the block (pieces_of re-splits it)."""
    yield from blocks_of(_raw_chunks(stream, source), source)


def blocks_of(chunks: Iterable[bytes], source: Source) -> Iterator[bytes | LongLine]:
    """iter_blocks() over raw byte chunks (whoever reads the blocks counts the lines)."""
    queue = _Pushback(chunks)
    pending = b""
    for chunk in queue:
        nl = chunk.rfind(b"\n")
        if nl < 0:
            pending += chunk
            if len(pending) > MAX_LINE:
                long = LongLine(0, pending, queue, source)
                pending = b""
                yield long
                long.drain()
            continue
        block = b"".join((pending, memoryview(chunk)[: nl + 1]))  # one copy
        pending = chunk[nl + 1 :]
        yield block
        if len(pending) > MAX_LINE:
            long = LongLine(0, pending, queue, source)
            pending = b""
            yield long
            long.drain()
    if pending:
        yield pending


def read(
    path: str | None, line_reader: LineReader | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[Source, Iterator[Line]]:
    """Open one input (a path, '-' or None for stdin) and return its Source and line iterator.

    line_reader turns the byte stream into Lines (default: plain text, iter_lines)."""
    stream, name = open_input(path)
    source = Source(name=name, max_bytes=max_bytes)

    def lines() -> Iterator[Line]:
        try:
            yield from (line_reader or iter_lines)(stream, source)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    return source, lines()


def read_blocks(
    path: str | None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[Source, Iterator[bytes | LongLine]]:
    """Like read(), but yields blocks of whole raw lines (see iter_blocks) for the fast scan."""
    stream, name = open_input(path)
    source = Source(name=name, max_bytes=max_bytes)

    def blocks() -> Iterator[bytes | LongLine]:
        try:
            yield from iter_blocks(stream, source)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()

    return source, blocks()


def stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return False
