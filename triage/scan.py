"""The fast path: find the few lines of a block that anything must look at, skip the rest.

A line is *interesting* when it contains one of the literals that the parsers and the line
rules declare (compared lower-cased), or when reader.PLAIN_BREAKERS says line_pieces() could
change it. Every other line is plain and matches no rule: the parsers only count its log
level and remember the last runtime/compiler hint, which is done per span in C-speed passes.
Interesting lines (and every line inside a traceback) go through the ordinary per-line path,
so findings are the same as feeding every line.

Two scanners find interesting lines: the default one uses Python's `re` with each literal
anchored on its rarest byte (so the engine skips most positions), the optional one Hyperscan.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from triage.parsers.error_codes import last_hint
from triage.parsers.exceptions import ExceptionParser
from triage.parsers.log_records import count_plain_records
from triage.reader import CHUNK as reader_chunk
from triage.reader import PLAIN_BREAKERS_SIMPLE, Line, LongLine, Source, long_first_line, pieces_of, plain_breaks

BACKENDS = ("auto", "re", "hyperscan")
HYPERSCAN_MISSING = (
    "the fast backend needs Hyperscan: pip install 'warboy-triage[fast]' (wheels exist for Linux and macOS on x86-64)"
)


class BackendUnavailable(Exception):
    """The asked scanner backend cannot be used here."""


@dataclass(slots=True)
class Skipped:
    """What feeding a span of plain lines would have changed: record counts and the last hint."""

    levels: dict[str, int]
    hint: tuple[str, int] | None


def minimal_literals(literals: Iterable[str]) -> list[str]:
    """Drop literals that contain another one (a line with the longer has the shorter)."""
    unique = sorted(set(literals), key=len)
    kept: list[str] = []
    for lit in unique:
        if not any(k in lit for k in kept):
            kept.append(lit)
    return sorted(kept)


class ReScanner:
    """Literal scan with Python's re, fast because of how re searches a pattern that starts
    with one fixed byte: it skips to that byte at memchr-like speed. So the literals are
    grouped by an *anchor* byte each contains (few anchors, rare in a sample of the log), and
    each group is one pass `anchor(?:rest1|rest2|...)`. A literal anchored after its first
    byte has its head checked in Python, only where its rest matched."""

    name = "re"
    needs_lower = True
    PASS_COST = 0.4  # ns per byte for one pass, and per anchor hit below (measured on x86-64)
    HIT_COST = 40.0

    def __init__(self, literals: list[str], sample: bytes) -> None:
        freq = Counter(sample.lower())
        size = max(1, len(sample))
        lits = sorted({s.encode() for s in literals})

        def spots(lit: bytes) -> bytes:  # anchor bytes that leave at least 3 bytes to match in C
            return lit[: max(1, len(lit) - 2)]

        chosen: set[int] = set()
        uncovered = set(lits)
        while uncovered:  # greedy weighted set cover over anchor bytes
            holders = Counter(c for lit in uncovered for c in set(spots(lit)))
            best = min(
                holders,
                key=lambda c: (
                    0.0 if c in chosen else (self.PASS_COST + self.HIT_COST * freq[c] / size) / holders[c],
                    c,
                ),
            )
            chosen.add(best)
            uncovered = {lit for lit in uncovered if best not in spots(lit)}
        groups: dict[int, list[tuple[bytes, bytes]]] = {}
        for lit in lits:
            k = next(i for i, c in enumerate(spots(lit)) if c in chosen)
            groups.setdefault(lit[k], []).append((lit[:k], lit[k:]))
        self._passes = []
        for anchor, items in sorted(groups.items()):
            tails = b"|".join(re.escape(tail[1:]) for _, tail in sorted(items, key=lambda i: -len(i[1])))
            heads = [(head, tail) for head, tail in items] if any(head for head, _ in items) else None
            self._passes.append((re.compile(re.escape(bytes([anchor])) + b"(?:" + tails + b")"), heads))

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        """Offsets inside interesting lines (any offset inside the line will do)."""
        yield from plain_breaks(block)
        for rx, heads in self._passes:
            if heads is None:
                for m in rx.finditer(lower):
                    yield m.start()
                continue
            for m in rx.finditer(lower):
                p = m.start()
                if any(lower.startswith(tail, p) and lower.startswith(head, p - len(head)) for head, tail in heads):
                    yield p


class HyperscanScanner:
    """The same scan with Hyperscan (all literals and breakers in one pass, several GB/s)."""

    name = "hyperscan"
    needs_lower = False

    def __init__(self, literals: list[str], sample: bytes) -> None:
        try:
            import hyperscan
        except ImportError:
            raise BackendUnavailable(HYPERSCAN_MISSING) from None
        exprs = list(PLAIN_BREAKERS_SIMPLE)
        flags = [0] * len(exprs)
        for lit in literals:
            exprs.append(b"".join(b"\\x%02x" % c for c in lit.encode()))
            flags.append(hyperscan.HS_FLAG_CASELESS)
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        found: list[int] = []

        def on_match(_id: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            found.append(end - 1)

        self._db.scan(block, match_event_handler=on_match)
        if block.endswith(b"\r"):
            found.append(len(block) - 1)
        if long_first_line(block):
            found.append(0)
        return iter(found)


class Scanner(Protocol):
    name: str
    needs_lower: bool  # whether hits() reads its `lower` argument (block.lower())

    def hits(self, block: bytes, lower: bytes) -> Iterable[int]: ...


def make_scanner(backend: str, literals: list[str], sample: bytes) -> ReScanner | HyperscanScanner:
    """backend: 're', 'hyperscan', or 'auto' (Hyperscan when installed)."""
    if backend not in BACKENDS:
        raise BackendUnavailable(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if backend in ("hyperscan", "auto"):
        try:
            return HyperscanScanner(literals, sample)
        except BackendUnavailable:
            if backend == "hyperscan":
                raise
    return ReScanner(literals, sample)


def _line_starts(block: bytes, offsets: Iterable[int]) -> list[int]:
    return sorted({block.rfind(b"\n", 0, p) + 1 for p in offsets})


def _skipped(block: bytes, start: int, end: int, first_no: int) -> tuple[Skipped, int]:
    """The Skipped for plain lines block[start:end], and how many lines that is."""
    levels, lines = count_plain_records(block, start, end)
    return Skipped(levels, last_hint(block, start, end, first_no)), lines


def _scan_records(line: LongLine, source: Source, scanner: Scanner, in_traceback: bool) -> Iterator[Line | Skipped]:
    """The records of a long line through the same scan, in blocks of records (one per text line),
    so a long paste skips its plain records as a file skips plain lines; all keep the line's number."""
    no = line.no

    def record_blocks() -> Iterator[bytes]:
        group: list[bytes] = []
        size = 0
        for record in line.lines():
            group.append(record.text.encode("utf-8", "replace"))
            size += len(group[-1]) + 1
            if size >= reader_chunk:
                yield b"\n".join(group) + b"\n"
                group, size = [], 0
        if group:
            yield b"\n".join(group) + b"\n"

    inner = Source(name=source.name)
    for item in scan_blocks(record_blocks(), inner, scanner, no, in_traceback):
        if isinstance(item, Line):
            item.no = no
        elif item.hint is not None:
            item.hint = (item.hint[0], no)
        yield item


def scan_blocks(
    blocks: Iterable[bytes | LongLine], source: Source, scanner: Scanner, first_no: int = 1, in_traceback: bool = False
) -> Iterator[Line | Skipped]:
    """The Lines that must be fed, in order, with a Skipped for each span of plain lines between;
    sets source.lines at the end.

    The stream's own traceback state is followed with a private ExceptionParser (fed the same
    lines), because inside a traceback every line must be fed."""
    tracker = ExceptionParser([])
    tracker.in_traceback = in_traceback
    no = first_no
    for block in blocks:
        if type(block) is LongLine:  # a line past the reader's cut (a flattened paste), read as it comes
            block.no = no
            for item in _scan_records(block, source, scanner, tracker.in_traceback):
                if isinstance(item, Line):
                    tracker.feed(item, "")
                yield item
            block.drain()
            no += 1
            continue
        assert isinstance(block, bytes)
        lower = block.lower() if scanner.needs_lower else b""
        pos = 0
        size = len(block)
        starts = _line_starts(block, scanner.hits(block, lower))
        if tracker.in_traceback and (not starts or starts[0] != 0):
            starts.insert(0, 0)  # a traceback open at the end of the previous block goes on
        for start in starts:
            if start < pos:
                continue  # already fed as part of a traceback
            if start > pos:
                skipped, lines = _skipped(block, pos, start, no)
                yield skipped
                no += lines
            pos = start
            while True:  # this line, and the lines after it while a traceback is open
                end = block.find(b"\n", pos)
                end = size if end < 0 else end
                for line in pieces_of(no, block[pos:end], source):
                    tracker.feed(line, "")
                    yield line
                no += 1
                pos = end + 1
                if not tracker.in_traceback or pos >= size:
                    break
        if pos < size:
            skipped, lines = _skipped(block, pos, size, no)
            yield skipped
            no += lines
        tracker.out.clear()  # only its state matters
    source.lines = no - 1
