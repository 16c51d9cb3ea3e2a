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

from triage import reader
from triage.parsers.error_codes import last_hint
from triage.parsers.exceptions import ExceptionParser
from triage.parsers.log_records import count_plain_records
from triage.reader import PLAIN_BREAKERS, Line, Source, line_pieces

BACKENDS = ("auto", "re", "hyperscan")
HYPERSCAN_MISSING = ("the fast backend needs Hyperscan: pip install 'warboy-triage[fast]'"
                     " (wheels exist for Linux and macOS on x86-64)")


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
    """Literal scan with Python's re: each literal becomes `rare-byte(?<=before)after`, so the
    engine only stops at positions holding one of the chosen rare bytes."""

    name = "re"

    def __init__(self, literals: list[str], sample: bytes) -> None:
        freq = Counter(sample.lower())
        chosen: set[int] = set()
        by_anchor: dict[int, list[tuple[bytes, bytes]]] = {}
        for lit in sorted((s.encode() for s in literals), key=len):
            # the byte that costs least: one already chosen, else the rarest in the sample
            k = min(range(len(lit)), key=lambda i: (0 if lit[i] in chosen else 1 + freq[lit[i]], -i))
            chosen.add(lit[k])
            by_anchor.setdefault(lit[k], []).append((lit[:k + 1], lit[k + 1:]))
        alternatives = []
        for anchor, items in sorted(by_anchor.items()):
            tails = []
            for before, after in items:
                look = b"(?<=" + re.escape(before) + b")" if len(before) > 1 else b""
                tails.append(look + re.escape(after))
            body = tails[0] if len(tails) == 1 else b"(?:" + b"|".join(tails) + b")"
            alternatives.append(re.escape(bytes([anchor])) + body)
        self._literals = re.compile(b"|".join(alternatives)) if alternatives else None

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        """Offsets of matches (any offset inside the interesting line will do)."""
        for rx in PLAIN_BREAKERS:
            for m in rx.finditer(block):
                yield m.start()
        if self._literals is not None:
            for m in self._literals.finditer(lower):
                yield m.start()


class HyperscanScanner:
    """The same scan with Hyperscan (all literals and breakers in one pass, several GB/s)."""

    name = "hyperscan"

    def __init__(self, literals: list[str], sample: bytes) -> None:
        try:
            import hyperscan
        except ImportError:
            raise BackendUnavailable(HYPERSCAN_MISSING) from None
        exprs = [rx.pattern for rx in PLAIN_BREAKERS]
        flags = [hyperscan.HS_FLAG_MULTILINE if rx.flags & re.MULTILINE else 0 for rx in PLAIN_BREAKERS]
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
        return iter(found)


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


def _cut(no: int, raw: bytes, source: Source) -> bytes:
    """Cut an over-long line exactly as reader._raw_lines does."""
    if len(raw) > reader.MAX_LINE:
        source.notes.append(f"line {no} is longer than {reader.MAX_LINE} bytes; the rest was cut")
        return raw[: reader.MAX_LINE]
    return raw


def _skipped(block: bytes, lower: bytes, start: int, end: int, first_no: int) -> Skipped:
    return Skipped(count_plain_records(block, start, end), last_hint(block, lower, start, end, first_no))


def scan_blocks(blocks: Iterable[bytes], source: Source, scanner: ReScanner | HyperscanScanner,
                first_no: int = 1, in_traceback: bool = False) -> Iterator[Line | Skipped]:
    """The Lines that must be fed, in order, with a Skipped for each span of plain lines between.

    The stream's own traceback state is followed with a private ExceptionParser (fed the same
    lines), because inside a traceback every line must be fed."""
    tracker = ExceptionParser([])
    tracker.in_traceback = in_traceback
    no = first_no
    for block in blocks:
        lower = block.lower()
        pos = 0
        size = len(block)
        starts = _line_starts(block, scanner.hits(block, lower))
        if tracker.in_traceback and (not starts or starts[0] != 0):
            starts.insert(0, 0)  # a traceback open at the end of the previous block goes on
        for start in starts:
            if start < pos:
                continue  # already fed as part of a traceback
            if start > pos:
                yield _skipped(block, lower, pos, start, no)
                no += block.count(b"\n", pos, start)
            pos = start
            while True:  # this line, and the lines after it while a traceback is open
                end = block.find(b"\n", pos)
                end = size if end < 0 else end
                for line in line_pieces(no, _cut(no, block[pos:end], source)):
                    tracker.feed(line, "")
                    yield line
                no += 1
                pos = end + 1
                if not tracker.in_traceback or pos >= size:
                    break
        if pos < size:
            yield _skipped(block, lower, pos, size, no)
            no += block.count(b"\n", pos, size) + (0 if block.endswith(b"\n") else 1)
        tracker.out.clear()  # only its state matters
