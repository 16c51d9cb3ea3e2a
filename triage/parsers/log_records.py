"""Log levels and modules of tracing-style, driver and Python-logging lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from triage.reader import Line

# `2023-02-11T06:22:18.931755Z ERROR nux: ...`, optionally after a `[1/2]` progress prefix;
# the module path (nux::npu, furiosa_compiler::api) is absent in some 0.5/0.6 lines.
_TRACING = re.compile(
    r"^(?:\[\d+/\d+\]\s*)?"
    r"(?P<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+"
    r"(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\b:?\s*"
    r"(?:(?P<module>[A-Za-z_][\w]*(?:::[\w]+)+|[a-z_][\w]*):\s)?"
    r"(?P<msg>.*)$"
)
_DRIVER = re.compile(r"\b(?P<module>uNpuDrv)\s+\((?P<level>[EWID])\)\s*(?P<msg>.*)$")
_PYLOG = re.compile(r"^(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):(?P<module>[\w.]+):(?P<msg>.*)$")
_BRACKET = re.compile(r"^\[(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]\s*(?P<msg>.*)$")
_FATAL = re.compile(r"EventLoop shutting down due to a FATAL ERROR")

_LEVEL = {
    "WARNING": "WARN",
    "CRITICAL": "ERROR",
    "FATAL": "ERROR",
    "E": "ERROR",
    "W": "WARN",
    "I": "INFO",
    "D": "DEBUG",
}
KEPT_LEVELS = frozenset({"ERROR", "WARN"})

# Every line whose record level is not TRACE, DEBUG or INFO contains one of these (any case);
# the fast scan hands such lines to feed() and counts the other records with count_plain().
ALERT_LITERALS = ("error", "warn", "fatal", "critical", "unpudrv")
_LV = rb"TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL"
# _TRACING, _BRACKET and _PYLOG at the start of each line of a block of plain lines (printable
# ASCII and tabs only, see scan.breaks): \s is [ \t] there, and it must not cross a LF.
_PLAIN_RECORD = re.compile(
    rb"\n(?:(?:\[\d+/\d+\][ \t]*)?"
    rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?[ \t]+"
    rb"(" + _LV + rb")\b"
    rb"|\[(" + _LV + rb")\]"
    rb"|(DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.]+:)"
)


@dataclass(slots=True, frozen=True)
class LogRecord:
    level: str
    module: str = ""
    timestamp: str = ""
    message: str = ""


def parse_record(text: str) -> LogRecord | None:
    """The record's level, module, timestamp and message, or None for a line without a level."""
    m = None
    first = text[:1]
    if first.isdigit() or first == "[":
        m = _TRACING.match(text) or _BRACKET.match(text)
    elif first in "DIWEC":
        m = _PYLOG.match(text)
    if m is None and "uNpuDrv" in text:
        m = _DRIVER.search(text)
    if m is None:
        if "FATAL ERROR" in text and _FATAL.search(text):
            return LogRecord("ERROR", "furiosart", "", text.strip())
        return None
    g = m.groupdict()
    return LogRecord(_LEVEL.get(g["level"], g["level"]), g.get("module") or "", g.get("ts") or "", g["msg"].strip())


class LogRecordParser:
    """Finds the record in each line and counts records per level."""

    def __init__(self, levels: dict[str, int]) -> None:
        self.levels = levels

    def feed(self, line: Line) -> LogRecord | None:
        record = parse_record(line.text)
        if record is not None:
            self.levels[record.level] = self.levels.get(record.level, 0) + 1
        return record

    def add_counts(self, counts: dict[str, int]) -> None:
        """Add record counts taken without feed() (see count_plain_records)."""
        for level, n in counts.items():
            self.levels[level] = self.levels.get(level, 0) + n


def count_plain_records(block: bytes, start: int, end: int) -> tuple[dict[str, int], int]:
    """(records per level, lines) in block[start:end]: whole plain lines without ALERT_LITERALS,
    each of which parse_record() would have read; levels in order of first appearance. `start` is
    the start of a line.

    Most lines of a log share a few heads (`2023-..Z  INFO `, `INFO:root:`): with digits
    masked, every line starting with a known head is that head's record, so bytes.count()
    tallies them; lines starting with a byte no record starts with (`progress: ...`) are counted
    the same way. Only when some line has neither does the regex read the span (and learn the
    heads it finds). The block is masked once for all its spans (the scan asks span by span)."""
    masked = _masked(block)  # b"\n" + the block with digits masked: line starts at `\n` + 1
    lines = block.count(b"\n", start, end) + (0 if end == start or block[end - 1] == 10 else 1)
    stop = end + 1  # block[start:end] is masked[start + 1 : end + 1]; a line starting at s has its LF at s
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    found = 0
    heads: list[bytes] = []  # counted here; the regex below reads the lines of the others
    records, plain = _heads_by_yield()

    def count(group: list[tuple[bytes, str | None]]) -> None:
        nonlocal found
        for head, level in group:
            if found == lines:
                return
            n = masked.count(head, start, stop)
            heads.append(head)
            _HEAD_TRIES[head] += 1
            if n:
                found += n
                _HEAD_HITS[head] += n
                if level is not None:
                    counts[level] = counts.get(level, 0) + n
                    at = masked.find(head, start, stop)
                    first[level] = min(first.get(level, at), at)

    count(records)
    tried, covered = _PLAIN_PAYS
    if found != lines and (tried < 16 or covered * 2 >= tried):
        count(plain)
        _PLAIN_PAYS[:] = [tried + 1, covered + (found == lines)]
    if found != lines:  # lines without a known head: one regex pass finds the records among just those
        for m in _odd_records(tuple(head[1:] for head in heads)).finditer(masked, start, stop):
            at = m.start()  # the LF before the line's start
            level = next(g for g in m.groups() if g).decode()
            level = _LEVEL.get(level, level)
            counts[level] = counts.get(level, 0) + 1
            first[level] = min(first.get(level, at), at)
            if len(_HEADS) < _MAX_HEADS:
                _learn(masked, m, level, stop)
        if len(_HEADS) < _MAX_HEADS:
            _learn_plain_start(masked, start, stop)
    if len(counts) > 1:  # the same key order as feeding the lines one by one would give
        counts = {level: counts[level] for level in sorted(counts, key=first.__getitem__)}
    return counts, lines


_MASKED: list[bytes] = [b"", b"\n"]  # (the block, its masked copy) of the last block asked about


def _masked(block: bytes) -> bytes:
    if _MASKED[0] is not block:
        _MASKED[:] = [block, b"\n" + block.translate(_MASK_DIGITS)]
    return _MASKED[1]


_HEADS_ORDER: list[tuple[bytes, str | None]] = []


def _heads_by_yield() -> tuple[list[tuple[bytes, str | None]], list[tuple[bytes, str | None]]]:
    """(LF + head, level) of the record heads and of the plain-line heads worth a count, most lines
    per span first (ranked again now and then): a new head is tried, one that counted fewer lines
    than the spans it was tried on is left to the regex (a count is a pass over the span), and
    at most _MAX_TRIED of each kind."""
    _HEADS_CALLS[0] += 1
    if len(_HEADS_ORDER) != len(_HEADS) or _HEADS_CALLS[0] % 256 == 0:
        ranked = sorted((b"\n" + h for h in _HEADS), key=_yield, reverse=True)
        _HEADS_ORDER[:] = [(needle, _HEADS[needle[1:]]) for needle in ranked]
        worth = [item for item in _HEADS_ORDER if _yield(item[0]) >= 1]
        _HEADS_WORTH[0] = [item for item in worth if item[1] is not None][:_MAX_TRIED]
        _HEADS_WORTH[1] = [item for item in worth if item[1] is None][:_MAX_TRIED]
    return _HEADS_WORTH[0], _HEADS_WORTH[1]


def _yield(needle: bytes) -> float:
    tries = _HEAD_TRIES[needle]
    return _HEAD_HITS[needle] / tries if tries >= 8 else float("inf")


_HEADS_WORTH: list[list[tuple[bytes, str | None]]] = [[], []]
# spans whose record heads left lines uncounted, and how many of those the plain-line heads then
# covered: when they seldom do (free text starts with any word), they are not counted any more
_PLAIN_PAYS = [0, 0]
_HEADS_CALLS = [0]


def _odd_records(heads: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """_PLAIN_RECORD at the starts of lines that no known head begins (the same groups)."""
    rx = _ODD_CACHE.get(heads)
    if rx is None:
        assert _PLAIN_RECORD.pattern.startswith(rb"\n")
        skip = b"(?!" + b"|".join(re.escape(h) for h in heads) + b")" if heads else b""
        rx = re.compile(rb"\n" + skip + _PLAIN_RECORD.pattern[2:])
        if len(_ODD_CACHE) >= 8:
            _ODD_CACHE.clear()
        _ODD_CACHE[heads] = rx
    return rx


_MASK_DIGITS = bytes.maketrans(b"123456789", b"000000000")
# masked record head -> level, or None for the first byte of lines that are no record (no record
# starts with it); no head is a prefix of another
_HEADS: dict[bytes, str | None] = {}
_HEAD_HITS: Counter[bytes] = Counter()  # LF + head -> lines counted
_HEAD_TRIES: Counter[bytes] = Counter()  # LF + head -> spans it was counted in
_MAX_HEADS = 64
_MAX_TRIED = 8  # heads counted per span at most
_ODD_CACHE: dict[tuple[bytes, ...], re.Pattern[bytes]] = {}


def _learn(block: bytes, m: re.Match[bytes], level: str, stop: int) -> None:
    """Remember a head: the match (less its LF) plus the byte after it when that byte is what
    made \\b hold (tracing lines); pylog and bracket heads end in their own ':' or ']'."""
    end = m.end()
    if m.group(1) is not None:
        nxt = block[end : min(end + 1, stop)]
        if not nxt or nxt == b"\n" or nxt.isalnum() or nxt == b"_":
            return  # (a head must not take the LF: counted heads would overlap)
        end += 1
    head = block[m.start() + 1 : end].translate(_MASK_DIGITS)
    if head in _HEADS or any(h.startswith(head) or head.startswith(h) for h in _HEADS):
        return
    _add_head(head, level)


# the first bytes of _PLAIN_RECORD's lines (digits masked to 0): a line starting with any other is no record
_RECORD_STARTS = b"0[DIWEC"
_NOT_A_RECORD = re.compile(rb"\n[^%s\n]" % re.escape(_RECORD_STARTS))


def _learn_plain_start(masked: bytes, start: int, stop: int) -> None:
    """Remember how a line in masked[start:stop] that no record can be starts (its first bytes up to
    16 and before any digit), so the next spans count such lines (progress bars, banners) instead
    of reading them with the regex."""
    m = _NOT_A_RECORD.search(masked, start, stop)
    if m is not None:  # (a longer needle is counted faster; digits would make one per number width)
        head = _PLAIN_START.match(masked, m.start() + 1).group()  # type: ignore[union-attr]
        if not any(h.startswith(head) or head.startswith(h) for h in _HEADS):
            _add_head(head, None)


_PLAIN_START = re.compile(rb"[^0\n]{1,16}")


def _add_head(head: bytes, level: str | None) -> None:
    _HEADS[head] = level
    _HEADS_ORDER.clear()  # (ranked again on the next call)
