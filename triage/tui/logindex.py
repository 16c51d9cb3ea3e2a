"""Random access to a log file of any size, for the TUI's log view. No Textual imports.

The file is scanned once (in a worker thread) for the byte offset of every line; after that a
row is read with `os.pread` only when it is shown or searched. A line is shown as one row, except
a line that the reader splits into several records (a log flattened onto one line, CR-separated
progress output): it is shown as one row per record, all with the same line number, so a
finding's evidence (line number + text) lands on the exact row.

The text is the reader's (triage.reader: gzip, UTF-16, NUL blocks, the read budget); when it is not
the file's own bytes it is copied to a temporary file as it is read (pread needs a plain file).
"""

from __future__ import annotations

import os
import re
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate, repeat
from pathlib import Path

from triage.parsers.log_records import KEPT_LEVELS, parse_record
from triage.paste import FLAT_MIN_LEN
from triage.reader import MAX_LINE, LongLine, ReaderError, Source, clean, decoded_chunks, open_input, split_flattened

SCAN_CHUNK = 4 << 20
SEARCH_CHUNK = 8 << 20
MAX_SHOWN = 10_000  # characters of a row that are drawn; the rest of a huge line is cut
# Only lines this long can be split by the reader (split_flattened's threshold), or contain CR.
_SPLIT_MIN = FLAT_MIN_LEN
# Cheap byte-level pre-filter for the ERROR/WARN view; parse_record decides for real.
_LEVEL_HINT = re.compile(rb"ERROR|WARN|CRITICAL|FATAL|uNpuDrv")


def reader_pieces(text: str) -> list[str]:
    """The records the reader makes of one line (mirrors triage.reader.iter_lines)."""
    out: list[str] = []
    for part in text.split("\r") if "\r" in text else (text,):
        part = clean(part)
        if part.strip():
            out.extend(split_flattened(part))
    return out


def display_pieces(raw: bytes) -> list[str]:
    """The rows a raw line is shown as: its records when it has several, else the cleaned line."""
    text = raw[:MAX_LINE].decode("utf-8", errors="replace")
    pieces = reader_pieces(text) if (len(raw) >= _SPLIT_MIN or "\r" in text) else []
    if len(pieces) > 1:
        return [p[:MAX_SHOWN] for p in pieces]
    return [clean(text)[:MAX_SHOWN]]


class LogIndex:
    """Line offsets and rows of one log file; `scan()` fills them, the other methods read."""

    def __init__(self, path: str | Path, name: str | None = None) -> None:
        self.path = Path(path)
        self.name = name or str(path)
        self.starts = array("q")  # byte offset where each line starts (line n is starts[n-1])
        self.row_line = array("i")  # 1-based line number of each row, non-decreasing
        self.size = 0
        self._end = 0  # end of the last whole line indexed so far
        self.width = 0  # widest row seen (characters, capped), for horizontal scrolling
        self.complete = False
        self.error = ""
        self._fd: int | None = None
        self._temp: Path | None = None
        self.source = Source(name=self.name)  # what the reader counted and noted
        self._last_pieces: tuple[int, list[str]] = (0, [])

    # -- scanning -----------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return len(self.row_line)

    @property
    def lines(self) -> int:
        return len(self.starts)

    def _start_copy(self, text_so_far: int) -> None:
        """Index a temporary copy of the text from now on: the reader rewrote the input (gzip,
        UTF-16, NUL bytes dropped), so file offsets are not text offsets. pread needs a plain file.
        Until now the text was the file's own bytes: the first `text_so_far` are copied as they are."""
        fd, tmp = tempfile.mkstemp(prefix="warboy-triage-", suffix=".log")
        self._temp = Path(tmp)
        done = 0
        while done < text_so_far and self._fd is not None:
            data = os.pread(self._fd, min(SCAN_CHUNK, text_so_far - done), done)
            if not data:
                break
            os.pwrite(fd, data, done)
            done += len(data)
        if self._fd is not None:
            os.close(self._fd)
        self._fd = fd

    def scan(self) -> Iterator[int]:
        """Index the file; yields the row count after each chunk so a caller can show progress.

        The text comes from the reader (triage.reader), as analyze reads it: gzip and UTF-16 are
        decoded, NUL blocks dropped, the read budget applies; so lines and rows are the report's."""
        try:
            stream, _ = open_input(str(self.path))
        except ReaderError as exc:
            self.error = str(exc)
            self.complete = True
            return
        self.source = Source(name=self.name)
        pos = 0  # text offset of `data[0]`
        line_start = 0  # offset where the unfinished line began
        try:
            self._fd = os.open(self.path, os.O_RDONLY)
            for data in decoded_chunks(stream, self.source):
                if self.source.rewritten and self._temp is None:
                    self._start_copy(pos)
                if self._temp is not None and self._fd is not None:
                    os.pwrite(self._fd, data, pos)
                parts = data.split(b"\n")
                # parts[0] ends the unfinished line, parts[1:-1] are whole lines, parts[-1] is unfinished.
                offset = pos
                if len(parts) > 1:  # the line that began before: whole when it began at this chunk
                    whole = line_start == pos
                    self._add_line(line_start, len(parts[0]) + (pos - line_start), parts[0] if whole else None)
                    offset += len(parts[0]) + 1
                    offset = self._add_whole_lines(parts[1:-1], offset, b"\r" in data)
                if len(parts) > 1:
                    line_start = offset
                pos += len(data)
                self.size = pos
                self._end = line_start
                yield self.rows
        except ReaderError as exc:
            self.error = str(exc)
        except OSError as exc:
            self.error = f"{self.path}: cannot read ({exc.strerror or exc})"
        finally:
            stream.close()
        if pos > line_start:
            self._add_line(line_start, pos - line_start, None)
        self._end = pos
        self.complete = True
        yield self.rows

    def _add_whole_lines(self, lines: list[bytes], offset: int, has_cr: bool) -> int:
        """Index whole lines starting at `offset`; returns the offset after them. Lines that are one
        row each (short, no CR: nearly all) go in C-level steps, the others through _add_line
        (a call per line cost 1.5 s of the app's CPU on 1.2 million lines, beside the analysis)."""
        if not lines:
            return offset
        lengths = list(map(len, lines))
        starts = list(accumulate(map(int.__add__, lengths, repeat(1)), initial=offset))
        special = [i for i, n in enumerate(lengths) if n >= _SPLIT_MIN]
        if has_cr:
            special = sorted({*special, *(i for i, line in enumerate(lines) if b"\r" in line)})
        done = 0
        for i in [*special, len(lines)]:
            if i > done:  # lines done..i-1 are plain
                first = len(self.starts) + 1
                self.starts.extend(starts[done:i])
                self.row_line.extend(range(first, first + i - done))
                self.width = max(self.width, max(lengths[done:i]))
            if i < len(lines):
                self._add_line(starts[i], lengths[i], lines[i])
            done = i + 1
        return starts[-1]

    def _add_line(self, start: int, length: int, raw: bytes | None) -> None:
        self.starts.append(start)
        no = len(self.starts)
        if length > MAX_LINE:  # the reader re-splits it however long (a flattened paste): as many rows
            rows = widest = 0
            for piece in self._long_pieces(start, length):
                rows, widest = rows + 1, max(widest, len(piece))
            self.row_line.extend([no] * max(rows, 1))
            self.width = max(self.width, widest)
            return
        if raw is None:  # the line spanned chunks: read its head back
            raw = self._read(start, min(length, MAX_LINE))
        if length < _SPLIT_MIN and b"\r" not in raw:
            self.row_line.append(no)
            self.width = max(self.width, length)
            return
        pieces = display_pieces(raw)
        self.row_line.extend([no] * len(pieces))
        self.width = max(self.width, max(len(p) for p in pieces))

    # -- reading ------------------------------------------------------------------------------

    def _read(self, start: int, length: int) -> bytes:
        if self._fd is None:
            return b""
        return os.pread(self._fd, length, start)

    def line_bytes(self, no: int) -> bytes:
        """Raw bytes of line `no` (1-based), without its LF, capped at the reader's line limit."""
        if not 1 <= no <= len(self.starts):
            return b""
        start = self.starts[no - 1]
        end = self.starts[no] if no < len(self.starts) else self._end
        data = self._read(start, min(end - start, MAX_LINE + 1))
        return data[:-1] if data.endswith(b"\n") else data

    def _long_pieces(self, start: int, length: int) -> Iterator[str]:
        """The records of a line longer than MAX_LINE, as the reader makes them (read in windows)."""

        def chunks() -> Iterator[bytes]:
            pos, end = start, start + length
            while pos < end and (data := self._read(pos, min(SCAN_CHUNK, end - pos))):
                pos += len(data)
                yield data

        for line in LongLine.reading(0, chunks(), Source(name=self.name)).lines():
            yield line.text[:MAX_SHOWN]

    def _pieces(self, no: int) -> list[str]:
        """The rows of line `no`; the last line's are kept, as a flattened paste shows many rows of one line."""
        cached = self._last_pieces  # one read: the filter thread may replace it meanwhile
        if cached[0] == no:
            return cached[1]
        start = self.starts[no - 1] if 1 <= no <= len(self.starts) else 0
        end = self.starts[no] - 1 if no < len(self.starts) else self._end
        if end - start > MAX_LINE:
            pieces = list(self._long_pieces(start, end - start)) or [""]
        else:
            pieces = display_pieces(self.line_bytes(no))
        self._last_pieces = (no, pieces)
        return pieces

    def first_row(self, no: int) -> int:
        """Row index of the first row of line `no` (the position it would have when not indexed yet)."""
        return bisect_left(self.row_line, no)

    def row_text(self, row: int) -> tuple[int, str]:
        """(line number, text) of a row."""
        no = self.row_line[row]
        first = self.first_row(no)
        pieces = self._pieces(no)
        piece = row - first
        return no, pieces[piece] if piece < len(pieces) else ""

    def rows_for(self, no: int, text: str) -> list[int]:
        """Rows that show the evidence `text` of line `no`; every row of the line if none matches."""
        first = self.first_row(no)
        last = bisect_right(self.row_line, no)
        if last - first <= 1:
            return list(range(first, last))
        pieces = self._pieces(no)
        exact = [first + i for i, p in enumerate(pieces) if p == text or (text and text in p)]
        return exact or list(range(first, last))

    # -- search and filtering -------------------------------------------------------------------

    def _line_chunks(self, from_line: int, forward: bool) -> Iterator[tuple[int, int, bytes]]:
        """(first line, byte offset, bytes) of chunks of whole lines, walking from `from_line`."""
        n = len(self.starts)
        if n == 0:
            return
        if forward:
            first = max(from_line, 1)
            while first <= n:
                start = self.starts[first - 1]
                last = bisect_right(self.starts, start + SEARCH_CHUNK, first - 1)  # last line starting in range
                last = max(last, first)
                end = self.starts[last] if last < n else self._end
                yield first, start, self._read(start, end - start)
                first = last + 1
        else:
            last = min(from_line, n)
            while last >= 1:
                end = self.starts[last] if last < n else self._end
                first = bisect_left(self.starts, end - SEARCH_CHUNK, 0, last) + 1
                first = min(first, last)
                start = self.starts[first - 1]
                yield first, start, self._read(start, end - start)
                last = first - 1

    def _lines_containing(self, needle: bytes, from_line: int, forward: bool) -> Iterator[int]:
        for _first, start, data in self._line_chunks(from_line, forward):
            low = data.lower()
            hits: list[int] = []
            at = low.find(needle)
            while at >= 0:
                no = bisect_right(self.starts, start + at)
                if not hits or hits[-1] != no:
                    hits.append(no)
                # continue from the next line: one hit per line is enough
                next_line_start = self.starts[no] - start if no < len(self.starts) else len(data)
                at = low.find(needle, max(next_line_start, at + 1))
            yield from hits if forward else reversed(hits)

    def find(self, query: str, row: int, forward: bool = True) -> int | None:
        """Next (or previous) row after `row` whose text contains `query`, ignoring case; wraps."""
        if not query or not self.rows:
            return None
        needle = query.lower().encode("utf-8")
        folded = query.casefold()
        total = self.rows
        row = min(max(row, -1), total)

        def rows_of(no: int) -> list[int]:
            first = self.first_row(no)
            last = bisect_right(self.row_line, no)
            pieces = self._pieces(no)
            return [first + i for i, p in enumerate(pieces[: last - first]) if folded in p.casefold()]

        if forward:
            start_line = self.row_line[row] if 0 <= row < total else 1
            for no in self._lines_containing(needle, start_line, True):
                hits = [r for r in rows_of(no) if r > row]
                if hits:
                    return hits[0]
            for no in self._lines_containing(needle, 1, True):  # wrap to the top
                hits = rows_of(no)
                if hits:
                    return hits[0]
        else:
            start_line = self.row_line[row] if 0 <= row < total else len(self.starts)
            for no in self._lines_containing(needle, start_line, False):
                hits = [r for r in rows_of(no) if r < row]
                if hits:
                    return hits[-1]
            for no in self._lines_containing(needle, len(self.starts), False):  # wrap to the bottom
                hits = rows_of(no)
                if hits:
                    return hits[-1]
        return None

    def problem_rows(self) -> Iterator[list[int]]:
        """Rows whose record is at ERROR or WARN level, in batches (one per chunk) as they are found."""
        for _first, start, data in self._line_chunks(1, True):
            batch: list[int] = []
            seen = 0
            for m in _LEVEL_HINT.finditer(data):
                no = bisect_right(self.starts, start + m.start())
                if no <= seen:
                    continue
                seen = no
                base = self.first_row(no)
                for i, piece in enumerate(self._pieces(no)):
                    record = parse_record(piece)
                    if record is not None and record.level in KEPT_LEVELS:
                        batch.append(base + i)
            yield batch

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)
            self._temp = None


def find_among(index: LogIndex, rows: list[int] | array, query: str, row: int, forward: bool = True) -> int | None:
    """Like LogIndex.find, but only over `rows` (the ERROR/WARN view): few rows, read one by one."""
    if not query:
        return None
    folded = query.casefold()
    ordered = list(rows)
    if forward:
        ordered = [r for r in ordered if r > row] + [r for r in ordered if r <= row]
    else:
        ordered = [r for r in reversed(ordered) if r < row] + [r for r in reversed(ordered) if r >= row]
    for r in ordered:
        if folded in index.row_text(r)[1].casefold():
            return r
    return None
