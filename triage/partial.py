"""--jobs: what a worker finds in one unit of a file, and how the parent folds it into the report.

A worker runs the whole line path (parsers, matcher, unclassified and failure lines) on its unit
and hands back a Partial: counts, the unit's exceptions, codes and versions, per-pattern hits,
and its groups of unexplained lines kept uncapped. The parent folds the partials in file order;
every cap (evidence per pattern, exceptions, codes, versions, groups) is applied there, so the
report is the one that feeding every line in one process gives.

What a unit cannot know from its own lines is left open and settled by the parent:
- the runtime/compiler hint in force at its start: a code line that would read it, before any
  hint of the unit's own, comes back as a PendingCode;
- the exception chain ("During handling of the above exception") pending at its start, and the
  line of the last exception before it: `inherited` and the CHAIN_FROM_BEFORE mark.
The rest (an open traceback or exception group, an Error panel) is assumed at the start from the
lines before (triage/parallel.py) and checked by the parent against the end of the unit before:
on a mismatch the parent reads that unit itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from triage.matcher import MAX_HITS_KEPT, Matcher
from triage.parsers import ErrorCodeStage, ExceptionStage, FailureStage, Parsers
from triage.parsers.error_codes import MAX_CODES, ErrorCodeParser
from triage.parsers.exceptions import MAX_EXCEPTIONS, ExceptionParser
from triage.parsers.panels import ErrorPanel
from triage.reader import Line
from triage.report import ErrorCode, Evidence, ExceptionInfo, VersionInfo
from triage.unclassified import UnclassifiedLines
from triage.unrecognized import FailureLines

CHAIN_FROM_BEFORE = -1
"""chained_from of an exception chained to the last exception before the unit (the parent knows it)."""
_UNLIMITED = 1 << 62


class Analysis(Protocol):
    """What of triage.analysis.Analysis a unit is fed to and folded into."""

    parsers: Parsers
    matcher: Matcher
    leftovers: UnclassifiedLines
    failures: FailureLines


@dataclass(frozen=True)
class PendingCode:
    """A native error code line that reads the hint in force at the unit's start."""

    code: int
    no: int
    text: str


class _Inherited:
    """The hint of the lines before the unit, not known in the worker."""


INHERITED = _Inherited()


class UnitCodeParser(ErrorCodeParser):
    """ErrorCodeParser for a unit: before its first hint, a code line that needs the context
    comes back as a PendingCode (the parent resolves it with the hint before the unit)."""

    def context_hint(self, no: int) -> str | None:
        hint = super().context_hint(no)
        if hint is None and self.hint is None:
            return INHERITED  # type: ignore[return-value]
        return hint

    def record(self, code: int, table: str | None, line: Line, source: str) -> None:
        if table is not INHERITED:
            super().record(code, table, line, source)
        elif len(self.out) >= self.limit:
            self.dropped += 1
        else:
            self.out.append(PendingCode(code, line.no, line.text))  # type: ignore[arg-type]


class UnitExceptionParser(ExceptionParser):
    """ExceptionParser for a unit: the chain pending before the unit is left to the parent."""

    def __init__(self, out: list[ExceptionInfo]) -> None:
        super().__init__(out)
        self.inherit = True  # no chain line nor exception yet: the chain before the unit still holds
        self.inherited: int | None = None  # index in `out` of the exception that takes that chain

    def _chain(self, text: str) -> None:
        self.inherit = False
        if self.out:
            super()._chain(text)
        else:  # chained to the last exception before the unit (if there is one: the parent decides)
            self.chain = "cause" if "The above exception was the direct cause" in text else "context"
            self.chain_from = CHAIN_FROM_BEFORE

    def _emit(self, parsed: tuple[str, str], line: Line, source: str, frames: list, seen: int) -> str:
        inherit, before = self.inherit, len(self.out)
        self.inherit = False
        exc_type = super()._emit(parsed, line, source, frames, seen)
        if inherit and len(self.out) > before:
            self.inherited = before
        return exc_type


@dataclass
class Partial:
    """What one unit of a file adds to the report (see the module docstring)."""

    start_state: tuple
    """(traceback state, panel state) the worker assumed at the unit's start."""
    end_tracker: ExceptionParser
    end_panel: ErrorPanel
    levels: dict[str, int]
    versions: list[tuple[str, VersionInfo]]
    codes: list[ErrorCode | PendingCode]
    codes_dropped: int
    end_hint: tuple[str, int] | None
    exceptions: list[ExceptionInfo]
    exceptions_dropped: int
    inherited: int | None
    inherit_open: bool
    end_chain: tuple[str | None, int | None]
    hits: dict[str, tuple[list[tuple[int, str, bool]], int, set[str], bool, bool, bool]]
    """pattern id -> (evidence (line, text, supporting) up to MAX_HITS_KEPT, count, severities,
    fired, vetoed, all_ambiguous) for the patterns the unit touched."""
    leftovers: UnclassifiedLines
    failures: FailureLines
    notes: list[str] = field(default_factory=list)
    nbytes: int = 0


def boundary_state(tracker: ExceptionParser, panel: ErrorPanel) -> tuple:
    return (tracker.state(), panel.state())


def prepare_unit(
    analysis: Analysis,
    tracker: ExceptionParser | None,
    panel: ErrorPanel,
    room: tuple[int, int] = (MAX_EXCEPTIONS, MAX_CODES),
) -> None:
    """Make a fresh Analysis the one a worker feeds its unit to: groups uncapped, chain and hint
    left open, traceback and panel state as assumed at the unit's start; `room`: how many
    exceptions and codes the report can still take at most (the parent's count when it sent the
    unit: it only grows before the unit is folded, so keeping that many is always enough)."""
    analysis.leftovers.max_groups = _UNLIMITED
    analysis.failures.max_groups = _UNLIMITED
    parsers = analysis.parsers
    exceptions = UnitExceptionParser(parsers.result.exceptions)
    if tracker is not None:
        exceptions.resume(tracker)
    codes = UnitCodeParser(parsers.result.error_codes)
    exceptions.limit, codes.limit = room
    for stage in parsers.stages:
        if isinstance(stage, ExceptionStage):
            stage.parser = parsers.exceptions = exceptions
        elif isinstance(stage, ErrorCodeStage):
            stage.parser = parsers.codes = codes
        elif isinstance(stage, FailureStage):
            stage.panel = panel


def take(analysis: Analysis, start_state: tuple, notes: list[str], nbytes: int) -> Partial:
    """The Partial of a worker's Analysis once its unit has been fed."""
    parsers = analysis.parsers
    exceptions = parsers.exceptions
    codes = parsers.codes
    assert isinstance(exceptions, UnitExceptionParser) and isinstance(codes, UnitCodeParser)
    codes.settle()
    hits = {}
    for pid, d in analysis.matcher.drafts.items():
        if d.count or d.vetoed:
            evidence = [(e.line, e.text, bool(e.supporting)) for e in d.evidence]
            hits[pid] = (evidence, d.count, d.severities, d.fired, d.vetoed, d.all_ambiguous)
    panel = next(s.panel for s in parsers.stages if isinstance(s, FailureStage))
    return Partial(
        start_state=start_state,
        end_tracker=exceptions,
        end_panel=panel,
        levels=parsers.result.levels,
        versions=parsers.result.versions,
        codes=parsers.result.error_codes,  # type: ignore[arg-type]
        codes_dropped=codes.dropped,
        end_hint=(codes.hint, codes.hint_line) if codes.hint else None,
        exceptions=parsers.result.exceptions,
        exceptions_dropped=exceptions.dropped,
        inherited=exceptions.inherited,
        inherit_open=exceptions.inherit,
        end_chain=(exceptions.chain, exceptions.chain_from),
        hits=hits,
        leftovers=analysis.leftovers,
        failures=analysis.failures,
        notes=notes,
        nbytes=nbytes,
    )


def fold(analysis: Analysis, part: Partial, source: str) -> None:
    """Add a unit's Partial to the parent's Analysis, as feeding its lines there would have; the
    parent's traceback, panel, chain and hint state end where the unit's do."""
    parsers = analysis.parsers
    parsers.records.add_counts(part.levels)
    for name, info in part.versions:
        parsers.versions.add(name, info)
    _fold_codes(parsers.codes, part, source)
    _fold_exceptions(parsers.exceptions, part)
    for pid, (evidence, count, severities, fired, vetoed, ambiguous) in part.hits.items():
        draft = analysis.matcher.drafts[pid]
        for no, text, supporting in evidence[: MAX_HITS_KEPT - len(draft.evidence)]:
            draft.evidence.append(Evidence(line=no, text=text, source=source, supporting=supporting))
        draft.count += count
        draft.severities |= severities
        draft.fired = draft.fired or fired
        draft.vetoed = draft.vetoed or vetoed
        draft.all_ambiguous = draft.all_ambiguous and ambiguous
    analysis.leftovers.merge(part.leftovers)
    analysis.failures.merge(part.failures)
    parsers.exceptions.resume(part.end_tracker)
    for stage in parsers.stages:
        if isinstance(stage, FailureStage):
            stage.panel.resume(part.end_panel)


def _fold_codes(codes: ErrorCodeParser, part: Partial, source: str) -> None:
    codes.settle()  # (the hint in force before the unit, if the parent read the unit before itself)
    for c in part.codes:
        if isinstance(c, PendingCode):
            codes.record(c.code, codes.context_hint(c.no), Line(c.no, c.text), source)
        elif len(codes.out) >= MAX_CODES:
            codes.dropped += 1
        else:
            codes.out.append(c)
    codes.dropped += part.codes_dropped
    if part.end_hint is not None:
        codes.hint, codes.hint_line = part.end_hint


def _fold_exceptions(exceptions: ExceptionParser, part: Partial) -> None:
    out = exceptions.out
    last_before = out[-1].line if out else None

    def chained(chain: str | None, chain_from: int | None) -> tuple[str | None, int | None]:
        if chain_from != CHAIN_FROM_BEFORE:
            return chain, chain_from
        return (None, None) if last_before is None else (chain, last_before)

    for i, x in enumerate(part.exceptions):
        if i == part.inherited:
            x.chain, x.chained_from = exceptions.chain, exceptions.chain_from  # type: ignore[assignment]
        elif x.chained_from == CHAIN_FROM_BEFORE:
            x.chain, x.chained_from = chained(x.chain, x.chained_from)  # type: ignore[assignment]
        if len(out) >= MAX_EXCEPTIONS:
            exceptions.dropped += 1
        else:
            out.append(x)
    exceptions.dropped += part.exceptions_dropped
    if not part.inherit_open:
        exceptions.chain, exceptions.chain_from = chained(*part.end_chain)
