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
_PYLOG = re.compile(
    r"^(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):(?P<module>[\w.]+):(?P<msg>.*)$"
)
_BRACKET = re.compile(
    r"^\[(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]\s*(?P<msg>.*)$"
)
_FATAL = re.compile(r"EventLoop shutting down due to a FATAL ERROR")

_LEVEL = {"WARNING": "WARN", "CRITICAL": "ERROR", "FATAL": "ERROR",
          "E": "ERROR", "W": "WARN", "I": "INFO", "D": "DEBUG"}
KEPT_LEVELS = frozenset({"ERROR", "WARN"})

# Every line whose record level is not TRACE, DEBUG or INFO contains one of these (any case);
# the fast scan hands such lines to feed() and counts the other records with count_plain().
ALERT_LITERALS = ("error", "warn", "fatal", "critical", "unpudrv")
_LV = rb"TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL"
# _TRACING, _BRACKET and _PYLOG at the start of each line of a block of plain lines (printable
# ASCII and tabs only, see reader.PLAIN_BREAKERS): \s is [ \t] there, and it must not cross a LF.
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
    return LogRecord(_LEVEL.get(g["level"], g["level"]), g.get("module") or "",
                     g.get("ts") or "", g["msg"].strip())


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


def count_plain_records(block: bytes, start: int, end: int) -> dict[str, int]:
    """Records per level in block[start:end]: whole plain lines without ALERT_LITERALS, each
    of which parse_record() would have read; keys in order of first appearance.

    Most lines of a log share a few heads (`2023-..Z  INFO `, `INFO:root:`): with digits
    masked, every line starting with a known head is that head's record, so bytes.count()
    tallies them. Only when some line has no known head does the regex read the span (and
    learn the heads it finds)."""
    span = block[start:end].translate(_MASK_DIGITS)
    lines = span.count(b"\n") + (0 if span.endswith(b"\n") or not span else 1)
    counts: dict[str, int] = {}
    found = 0
    for head, level in _HEADS.items():
        n = span.count(b"\n" + head) + span.startswith(head)
        if n:
            counts[level] = counts.get(level, 0) + n
            found += n
    if found == lines:
        return counts
    return _count_by_regex(block, start, end)


_MASK_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_HEADS: dict[bytes, str] = {}  # masked record head -> level; no head is a prefix of another
_MAX_HEADS = 64
_LEARN_FROM = 64  # records looked at per regex pass for new heads


def _count_by_regex(block: bytes, start: int, end: int) -> dict[str, int]:
    if start == 0:
        block, end = b"\n" + block[:end], end + 1
    else:
        start -= 1  # the LF that ends the previous line anchors the first one
    counts: dict[str, int] = {}
    for groups, n in Counter(_PLAIN_RECORD.findall(block, start, end)).items():
        level = next(g for g in groups if g).decode()
        level = _LEVEL.get(level, level)
        counts[level] = counts.get(level, 0) + n
    if len(_HEADS) < _MAX_HEADS:
        for _, m in zip(range(_LEARN_FROM), _PLAIN_RECORD.finditer(block, start, end), strict=False):
            level = next(g for g in m.groups() if g).decode()
            _learn(block, m, _LEVEL.get(level, level))
    return counts


def _learn(block: bytes, m: re.Match[bytes], level: str) -> None:
    """Remember a head: the match (less its LF) plus the byte after it when that byte is what
    made \\b hold (tracing lines); pylog and bracket heads end in their own ':' or ']'."""
    end = m.end()
    if m.group(1) is not None:
        nxt = block[end : end + 1]
        if not nxt or nxt.isalnum() or nxt == b"_":
            return
        end += 1
    head = block[m.start() + 1 : end].translate(_MASK_DIGITS)
    if head in _HEADS or any(h.startswith(head) or head.startswith(h) for h in _HEADS):
        return
    _HEADS[head] = level
