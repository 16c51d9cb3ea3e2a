"""Stage 2: parsers turn lines into typed evidence (versions, codes, exceptions, log levels, failures).

The protocol, in one place: every parser is a Stage registered in STAGES, in the order they see a
line. A stage declares
  - feed(line, source, facts): what it reads from each line fed to it; `facts` carries what the
    stages before it found in the same line (the log record, the exception type, ...);
  - interest_literals(): lower-case literals, one of which is in every line it must be fed (the
    fast scan feeds only such lines, outside a traceback); None when it needs every line;
  - skipped(span): its share of the block summary the fast scan makes of the plain lines it did
    not feed (triage/scan.py computes it: record counts, the last runtime/compiler hint);
  - end_source(): close multi-line state at the end of one input.
`Parsed` collects their results; `Events` is what the matcher receives at the end.
A new parser: write it, wrap it in a Stage here, add the Stage to STAGES (and its summary to
scan.Skipped if it needs one). `patterns test` runs every example through the fast scan too, so a
missing literal fails there, not silently in the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol, TypeVar

from triage.parsers import error_codes, exceptions, failures, log_records, versions
from triage.parsers.error_codes import ErrorCodeParser
from triage.parsers.exceptions import ExceptionParser
from triage.parsers.failures import failure_kind, metric_like
from triage.parsers.log_records import KEPT_LEVELS, LogRecord, LogRecordParser
from triage.parsers.panels import ErrorPanel
from triage.parsers.versions import VersionParser
from triage.reader import Line
from triage.report import ErrorCode, ExceptionInfo, VersionInfo, VersionSkew


class Skipped(Protocol):
    """The fast scan's block summary of plain lines it did not feed (scan.Skipped has this shape)."""

    @property
    def levels(self) -> dict[str, int]:
        """Plain log records counted by level (log_records.count_plain_records)."""
        ...

    @property
    def hint(self) -> tuple[str, int] | None:
        """The last runtime/compiler hint among them and its line (error_codes.last_hint), looked up
        on first use: only a native error code line within the next lines needs it."""
        ...

    @property
    def first_no(self) -> int:
        """The line number of the span's first line."""
        ...

    @property
    def last_no(self) -> int:
        """The line number of the span's last line."""
        ...


@dataclass
class Parsed:
    versions: list[tuple[str, VersionInfo]] = field(default_factory=list)
    error_codes: list[ErrorCode] = field(default_factory=list)
    exceptions: list[ExceptionInfo] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Events:
    """What the matcher's event rules read once the inputs have ended."""

    error_codes: list[ErrorCode]
    exceptions: list[ExceptionInfo]
    versions: list[tuple[str, VersionInfo]]
    skew: list[VersionSkew]
    sdk: str | None
    """The SDK release the versions point to, for patterns scoped to releases."""
    sources: list[str]
    """Input names in the order given (ranking keeps it)."""


@dataclass
class LineFacts:
    """What the stages found in the current line so far (they run in STAGES order)."""

    record: LogRecord | None = None
    in_traceback_before: bool = False
    exc_type: str | None = None
    failure: str | None = None
    failure_text: str | None = None
    """The failure as it reads without decoration (an Error panel's message without its borders)."""


class Stage(Protocol):
    name: ClassVar[str]

    def feed(self, line: Line, source: str, facts: LineFacts) -> None: ...

    def skipped(self, span: Skipped) -> None: ...

    def end_source(self) -> None: ...


class RecordStage:
    """Log records: timestamp, level, module (tracing, uNpuDrv, Python logging, [LEVEL] lines)."""

    name = "records"
    interest_literals: ClassVar[Callable[[], tuple[str, ...] | None]] = staticmethod(lambda: log_records.ALERT_LITERALS)

    def __init__(self, parsed: Parsed) -> None:
        self.parser = LogRecordParser(parsed.levels)

    def feed(self, line: Line, source: str, facts: LineFacts) -> None:
        facts.record = self.parser.feed(line)

    def skipped(self, span: Skipped) -> None:
        self.parser.add_counts(span.levels)  # plain records counted by log_records.count_plain_records

    def end_source(self) -> None:
        pass


class VersionStage:
    """Component versions from every banner style (triage/data/banners.toml)."""

    name = "versions"
    interest_literals: ClassVar[Callable[[], tuple[str, ...] | None]] = staticmethod(versions.interest_literals)

    def __init__(self, parsed: Parsed) -> None:
        self.parser = VersionParser(parsed.versions)

    def feed(self, line: Line, source: str, facts: LineFacts) -> None:
        self.parser.feed(line, source)

    def skipped(self, span: Skipped) -> None:
        pass

    def end_source(self) -> None:
        pass


class ExceptionStage:
    """Python exceptions and tracebacks in every pasted layout; inside a traceback every line is fed."""

    name = "exceptions"
    interest_literals: ClassVar[Callable[[], tuple[str, ...] | None]] = staticmethod(
        lambda: exceptions.INTEREST_LITERALS
    )

    def __init__(self, parsed: Parsed) -> None:
        self.parser = ExceptionParser(parsed.exceptions)

    def feed(self, line: Line, source: str, facts: LineFacts) -> None:
        facts.in_traceback_before = self.parser.in_traceback
        facts.exc_type = self.parser.feed(line, source)

    def skipped(self, span: Skipped) -> None:
        pass

    def end_source(self) -> None:
        self.parser.close()


class ErrorCodeStage:
    """Native error codes, read as the runtime's or the compiler's by the exception and nearby hints."""

    name = "error_codes"
    interest_literals: ClassVar[Callable[[], tuple[str, ...] | None]] = staticmethod(
        lambda: error_codes.INTEREST_LITERALS
    )

    def __init__(self, parsed: Parsed) -> None:
        self.parser = ErrorCodeParser(parsed.error_codes)

    def feed(self, line: Line, source: str, facts: LineFacts) -> None:
        self.parser.feed(line, source, facts.exc_type)

    def skipped(self, span: Skipped) -> None:
        self.parser.skipped(span)  # its last runtime/compiler hint, looked up if a code line needs it

    def end_source(self) -> None:
        self.parser.reset_context()


class FailureStage:
    """Whether the line is a failure of its own (for the unrecognized-error safety net)."""

    name = "failures"
    interest_literals: ClassVar[Callable[[], tuple[str, ...] | None]] = staticmethod(lambda: failures.INTEREST_LITERALS)

    def __init__(self, parsed: Parsed) -> None:
        self.panel = ErrorPanel()

    def feed(self, line: Line, source: str, facts: LineFacts) -> None:
        facts.failure_text = self.panel.feed(line.text)
        if facts.failure_text is not None:
            facts.failure = "tool-error"
        elif facts.exc_type is not None and (facts.in_traceback_before or not metric_like(line.text)):
            facts.failure = "exception"
        elif facts.record is not None and facts.record.level == "ERROR":
            facts.failure = "record"
        else:
            facts.failure = failure_kind(line.text)

    def skipped(self, span: Skipped) -> None:
        pass

    def end_source(self) -> None:
        self.panel.reset()


STAGES: tuple[type[RecordStage | VersionStage | ExceptionStage | ErrorCodeStage | FailureStage], ...] = (
    RecordStage,
    VersionStage,
    ExceptionStage,
    ErrorCodeStage,
    FailureStage,
)
"""Every parser, in the order they see a line (later ones read the earlier ones' facts)."""
_S = TypeVar("_S", RecordStage, VersionStage, ExceptionStage, ErrorCodeStage, FailureStage)


class Parsers:
    """All stages behind one feed(): the pipeline calls it once per line fed."""

    def __init__(self) -> None:
        self.result = Parsed()
        self.stages = [stage(self.result) for stage in STAGES]
        # the parsers themselves, for what the pipeline and --follow read of their state
        self.records = self._stage(RecordStage).parser
        self.versions = self._stage(VersionStage).parser
        self.exceptions = self._stage(ExceptionStage).parser
        self.codes = self._stage(ErrorCodeStage).parser
        self.failure: str | None = None
        """What the last line fed reports as a failure of its own: 'exception' (one that ends here),
        'record' (ERROR / FATAL / CRITICAL), 'panic', 'crash' or 'tool-error'; None for other lines."""
        self.failure_text: str | None = None
        """The failure as it reads without decoration when that differs from the line (the message
        of a rich / Typer Error panel without its borders); None otherwise."""

    def _stage(self, kind: type[_S]) -> _S:
        return next(s for s in self.stages if isinstance(s, kind))

    def feed(self, line: Line, source: str) -> LogRecord | None:
        """Parse one line; returns its log record (level, module, ...) when it has one."""
        facts = LineFacts()
        for stage in self.stages:
            stage.feed(line, source, facts)
        self.failure = facts.failure
        self.failure_text = facts.failure_text
        return facts.record

    def skipped(self, span: Skipped) -> None:
        """Account for plain lines the fast scan did not feed (its block summary of them)."""
        for stage in self.stages:
            stage.skipped(span)

    def end_source(self) -> None:
        """Close multi-line state (an open traceback) at the end of one input."""
        for stage in self.stages:
            stage.end_source()


def interest_literals() -> tuple[str, ...] | None:
    """Lower-case literals, one of which is in every line that some stage must be fed (outside a
    traceback) and in every line whose level is not TRACE/DEBUG/INFO; None if a stage needs every line."""
    found: list[str] = []
    for stage in STAGES:
        literals = stage.interest_literals()
        if literals is None:
            return None
        found += literals
    return tuple(found)


__all__ = ["KEPT_LEVELS", "STAGES", "Events", "LineFacts", "LogRecord", "Parsed", "Parsers", "Stage"]
