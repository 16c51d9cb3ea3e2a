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
    of which parse_record() would have read; keys in order of first appearance."""
    if start == 0:
        block, end = b"\n" + block[:end], end + 1
    else:
        start -= 1  # the LF that ends the previous line anchors the first one
    counts: dict[str, int] = {}
    for groups, n in Counter(_PLAIN_RECORD.findall(block, start, end)).items():
        level = next(g for g in groups if g).decode()
        level = _LEVEL.get(level, level)
        counts[level] = counts.get(level, 0) + n
    return counts
