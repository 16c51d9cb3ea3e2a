"""Messages shared between the TUI's widgets and screens (widgets ask, screens decide)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from triage.report import Report


@dataclass
class FindingSelected(Message):
    """The findings list moved to another finding."""

    index: int


@dataclass
class ReportReady(Message):
    """The analysis finished."""

    report: Report


@dataclass
class AnalysisFailed(Message):
    """The analysis could not run; `error` is a one-line reason."""

    error: str


@dataclass
class ScanProgress(Message):
    """The log index grew (or finished); several pending ones collapse into the newest."""

    rows: int
    complete: bool

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScanProgress)


@dataclass
class FindRequest(Message):
    """Search the log for `query` (from the find bar)."""

    query: str
    forward: bool = True


@dataclass
class FindClosed(Message):
    """The find bar was dismissed."""
