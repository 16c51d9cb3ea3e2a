"""`(native error code: N)` resolved against the runtime or the compiler table by context."""

from __future__ import annotations

import re
from collections import deque
from typing import Protocol, cast

from triage import codes
from triage.reader import Line
from triage.report import ErrorCode, Table

MAX_CODES = 1000
_CODE = re.compile(r"native error code:\s*(-?\d+)")
_HINT_WINDOW = 200  # lines after which a runtime/compiler hint no longer decides a code
_HINT_PREFILTER = ("uriosa", "ompil", "nux", "untime")
# Lines that can name a table (codes.hint_of), lower-cased, for skip_plain().
_HINTS = tuple(h.encode() for h in codes.HINTS)
_HINTS_REVERSED = re.compile(b"|".join(re.escape(h[::-1]) for h in _HINTS))
# Every line feed() takes a code from contains this (any case); other lines only move the hint.
INTEREST_LITERALS = ("native error code",)


class SkippedSpan(Protocol):
    """Plain lines first_no..last_no that were not fed (triage/scan.py's Skipped); `hint` is what
    last_hint() finds in them, looked up on first use."""

    @property
    def first_no(self) -> int: ...

    @property
    def last_no(self) -> int: ...

    @property
    def hint(self) -> tuple[str, int] | None: ...


class ErrorCodeParser:
    def __init__(self, out: list[ErrorCode]) -> None:
        self.out = out
        self.dropped = 0
        self.limit = MAX_CODES  # (a --jobs worker keeps only what the report can still take)
        self.hint: str | None = None
        self.hint_line = 0
        # spans skipped since self.hint was set, oldest first: their hints are looked up only when a
        # code line needs one, and spans that end more than _HINT_WINDOW lines back are let go
        self._deferred: deque[SkippedSpan] = deque()

    def reset_context(self) -> None:
        self.hint = None
        self._deferred.clear()

    def feed(self, line: Line, source: str, exc_type: str | None) -> None:
        text = line.text
        line_hint = None
        if any(p in text for p in _HINT_PREFILTER):
            line_hint = codes.hint_of(text)
        m = _CODE.search(text) if "native error code" in text else None
        if m is None:
            if line_hint:
                self.hint, self.hint_line = line_hint, line.no
                self._deferred.clear()
            return
        code = int(m.group(1))
        table = (codes.table_of_exception(exc_type) if exc_type else None) or line_hint
        if table is None:
            table = self.context_hint(line.no)
        self.record(code, table, line, source)
        if line_hint:
            self.hint, self.hint_line = line_hint, line.no
            self._deferred.clear()

    def context_hint(self, no: int) -> str | None:
        """The table the lines before line `no` point to: the newest hint within the window."""
        if self._deferred:
            self.settle()
        if self.hint and no - self.hint_line <= _HINT_WINDOW:
            return self.hint
        return None

    def record(self, code: int, table: str | None, line: Line, source: str) -> None:
        """Add a code line's code, read in `table` when the code is in it (else in the other one,
        or in both when neither context nor code decides)."""
        if table is not None and code not in codes.TABLES[table]:
            other = "compiler" if table == "runtime" else "runtime"
            if code in codes.TABLES[other]:
                table = other
        if table is None:
            tables = [t for t, tab in codes.TABLES.items() if code in tab]
            if len(tables) == 1:
                table = tables[0]
        if table is not None:
            self._add(code, table, line, source, ambiguous=False)
        else:
            for t in codes.TABLES:
                self._add(code, t, line, source, ambiguous=True)

    def skipped(self, span: SkippedSpan) -> None:
        """Plain lines not fed: the last hint among them (see last_hint) counts as if they had been."""
        while self._deferred and span.first_no - self._deferred[0].last_no > _HINT_WINDOW:
            self._deferred.popleft()  # no code line after `span` could use a hint that old
        self._deferred.append(span)

    def settle(self) -> None:
        """Take the newest hint of the deferred spans, as feeding them would have."""
        while self._deferred:
            hint = self._deferred.pop().hint
            if hint is not None:
                self.hint, self.hint_line = hint
                break
        self._deferred.clear()

    def _add(self, code: int, table: str, line: Line, source: str, ambiguous: bool) -> None:
        if len(self.out) >= self.limit:
            self.dropped += 1
            return
        e = codes.entry(table, code)
        self.out.append(
            ErrorCode(
                code=code,
                name=e.name,
                table=cast(Table, table),
                line=line.no,
                text=line.text.strip(),
                source=source,
                ambiguous=ambiguous,
                meaning=e.message,
            )
        )


def _last_hint_at(window: bytes, top: int) -> int:
    """Where the last hint literal in window[:top] starts (as max(rfind) over the hints), or -1.
    One regex search over the reversed text; a shorter hint starting later inside the one found
    is checked after."""
    lo = max(0, top - 4096)
    while True:  # growing tails: the last hint is usually near the end
        rev = window[lo:top][::-1]
        m = _HINTS_REVERSED.search(rev)
        if m is not None:
            start = top - m.end()
            end = top - m.start()
            inner = max(window.rfind(h, start + 1, end) for h in _HINTS)
            return max(start, inner)
        if lo == 0:
            return -1
        lo = max(0, lo - 8 * (top - lo) + 64)  # (overlap: a hint across the old edge is found)


def last_hint(block: bytes, start: int, end: int, first_no: int) -> tuple[str, int] | None:
    """The (table, line) hint that feeding the plain lines block[start:end] to ErrorCodeParser
    would leave. Only the last _HINT_WINDOW lines count: an older hint is never used, since a
    code line must come within the window. Searched from the end, so the common case (a hint
    in one of the last lines) costs one short pass, and only the last lines are read: a span of
    megabytes without a hint costs no more than its last _HINT_WINDOW lines."""
    tail_lines = 0 if end == start or block[end - 1 : end] == b"\n" else 1
    lo, lf = start, end
    for _ in range(_HINT_WINDOW - tail_lines + 1):  # lines after the LF found last have a hint that counts
        lf = block.rfind(b"\n", start, lf)
        if lf < 0:
            break
    else:
        first_no += block.count(b"\n", start, lf + 1)
        lo = lf + 1
    start = lo
    window = block[start:end].lower()
    top = len(window)
    while top > 0:
        found = _last_hint_at(window, top)
        if found < 0:
            return None
        ls = window.rfind(b"\n", 0, found) + 1
        if window.count(b"\n", ls) + tail_lines > _HINT_WINDOW:
            return None  # this line and every earlier one are outside the window
        le = window.find(b"\n", found)
        text = block[start + ls : end if le < 0 else start + le].decode()
        hint = codes.hint_of(text) if any(p in text for p in _HINT_PREFILTER) else None
        if hint:
            return hint, first_no + block.count(b"\n", start, start + ls)
        top = ls
    return None
