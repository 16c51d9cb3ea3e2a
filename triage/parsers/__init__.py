"""Stage 2: parsers turn lines into typed evidence (versions, codes, exceptions, log levels).

Each parser is fed every line once, in order, and keeps only what it extracts. `Parsed`
collects their results for the matcher and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.parsers.error_codes import ErrorCodeParser
from triage.parsers.exceptions import ExceptionParser
from triage.parsers.failures import failure_kind, metric_like
from triage.parsers.log_records import KEPT_LEVELS, LogRecord, LogRecordParser
from triage.parsers.versions import VersionParser
from triage.reader import Line
from triage.report import ErrorCode, ExceptionInfo, VersionInfo


@dataclass
class Parsed:
    versions: list[tuple[str, VersionInfo]] = field(default_factory=list)
    error_codes: list[ErrorCode] = field(default_factory=list)
    exceptions: list[ExceptionInfo] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)


class Parsers:
    """All parsers behind one feed(): the pipeline calls it once per line."""

    def __init__(self) -> None:
        self.result = Parsed()
        self.versions = VersionParser(self.result.versions)
        self.records = LogRecordParser(self.result.levels)
        self.exceptions = ExceptionParser(self.result.exceptions)
        self.codes = ErrorCodeParser(self.result.error_codes)
        self.failure: str | None = None
        """What the last line fed reports as a failure of its own: 'exception' (one that ends here),
        'record' (ERROR / FATAL / CRITICAL), 'panic', 'crash' or 'tool-error'; None for other lines."""

    def feed(self, line: Line, source: str) -> LogRecord | None:
        """Parse one line; returns its log record (level, module, ...) when it has one."""
        record = self.records.feed(line)
        self.versions.feed(line, source)
        in_traceback = self.exceptions.in_traceback
        exc_type = self.exceptions.feed(line, source)
        self.codes.feed(line, source, exc_type)
        if exc_type is not None and (in_traceback or not metric_like(line.text)):
            self.failure = "exception"
        elif record is not None and record.level == "ERROR":
            self.failure = "record"
        else:
            self.failure = failure_kind(line.text)
        return record

    def skipped(self, levels: dict[str, int], hint: tuple[str, int] | None) -> None:
        """Account for plain lines the fast scan did not feed: their record counts and the last
        table hint among them (see triage/scan.py)."""
        self.records.add_counts(levels)
        if hint is not None:
            self.codes.set_hint(hint)

    def end_source(self) -> None:
        """Close multi-line state (an open traceback) at the end of one input."""
        self.exceptions.close()
        self.codes.reset_context()


def interest_literals() -> tuple[str, ...] | None:
    """Lower-case literals, one of which is in every line that a parser must be fed (outside a
    traceback) and in every line whose level is not TRACE/DEBUG/INFO; None if unknown."""
    from triage.parsers import error_codes, exceptions, failures, log_records, versions

    version_literals = versions.interest_literals()
    if version_literals is None:
        return None
    return (
        *log_records.ALERT_LITERALS,
        *exceptions.INTEREST_LITERALS,
        *error_codes.INTEREST_LITERALS,
        *failures.INTEREST_LITERALS,
        *version_literals,
    )


__all__ = ["KEPT_LEVELS", "LogRecord", "Parsed", "Parsers"]
