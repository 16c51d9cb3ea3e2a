"""The stages between the reader and the report for one run: parsers, matcher, unexplained lines."""

from __future__ import annotations

import copy

from triage import __version__
from triage.kb import KnowledgeBase
from triage.matcher import Matcher
from triage.parsers import KEPT_LEVELS, Events, Parsers
from triage.parsers.versions import conflicts, first_versions, skew
from triage.partial import Partial, fold
from triage.reader import Line, Source
from triage.report import Report, SourceInfo
from triage.scan import Skipped
from triage.unclassified import UnclassifiedLines
from triage.unrecognized import FailureLines, chained_consequences, place, unrecognized_finding
from triage.versions import sdk_version

DEFAULT_MAX_EVIDENCE = 20

EMPTY_NOTE = "is empty: nothing to analyse (if the command prints its messages on stderr, pipe them with `2>&1 |`)"


def empty_note(name: str) -> str:
    """The note for an input without a single byte: often a pipe that got only stdout."""
    return f"{name} {EMPTY_NOTE}"


class Analysis:
    """The stages between the reader and the report, fed line by line: analyze_streams runs it over
    whole inputs; `--follow` keeps one open and asks for a snapshot() whenever lines arrive; with
    --jobs each worker runs one over its unit and the parent's merges the workers' Partials."""

    def __init__(self, kb: KnowledgeBase, max_evidence: int = DEFAULT_MAX_EVIDENCE) -> None:
        self.kb = kb
        self.max_evidence = max_evidence
        self.parsers = Parsers()
        self.matcher = Matcher(kb)
        self.leftovers = UnclassifiedLines()
        self.failures = FailureLines()
        self.sources: list[Source] = []

    def start(self, source: Source) -> None:
        self.sources.append(source)

    def feed(self, line: Line, name: str) -> None:
        record = self.parsers.feed(line, name)
        # a line the parsers read differently (an Error panel's message without its borders) is
        # matched and reported as read
        text = self.parsers.failure_text or line.text
        hit = self.matcher.feed(line.no, text, name, record.level if record else None)
        if record is not None and not hit and record.level in KEPT_LEVELS:
            self.leftovers.add(line.no, line.text, name, record.level)
        if self.parsers.failure is not None:
            self.failures.add(line.no, text, name, self.parsers.failure, hit)

    def skipped(self, line: Skipped) -> None:
        self.parsers.skipped(line)

    def merge(self, part: Partial, name: str) -> None:
        """Fold in what a --jobs worker found in the next unit of the input (triage/partial.py)."""
        fold(self, part, name)

    def end_source(self) -> None:
        self.parsers.end_source()

    def report(self) -> Report:
        """The final report; the analysis is spent afterwards."""
        return self._report(self.matcher, self.leftovers, self.failures)

    def snapshot(self) -> Report:
        """The report as of now, leaving the analysis able to take more lines."""
        return self._report(self.matcher.copy(), copy.deepcopy(self.leftovers), copy.deepcopy(self.failures))

    def _report(self, matcher: Matcher, leftovers: UnclassifiedLines, failures: FailureLines) -> Report:
        parsers, sources = self.parsers, self.sources
        parsed = parsers.result
        versions = first_versions(parsed.versions)
        version_skew = skew(parsed.versions)
        sdk = sdk_version({k: v.version for k, v in versions.items()})
        events = Events(
            parsed.error_codes, parsed.exceptions, parsed.versions, version_skew, sdk, [s.name for s in sources]
        )
        findings = matcher.finish(events)
        explained = {(e.source, e.line) for f in findings for e in f.evidence}
        order = {s.name: i for i, s in enumerate(sources)}
        consequences = chained_consequences(parsed.exceptions, explained)
        net = unrecognized_finding(failures, findings, self.kb, order, self.max_evidence, consequences)
        for f in findings:
            f.evidence = f.evidence[: self.max_evidence]
        if net is not None:
            findings = place(findings, net)
        for x in parsed.exceptions:
            if (x.source, x.line) not in explained:
                leftovers.add(x.line, x.text, x.source, "ERROR")
        notes = [*matcher.notes]
        version_conflicts = conflicts(parsed.versions)
        notes += [f"version disagreement: {c.detail}" for c in version_conflicts]
        notes += [empty_note(s.name) for s in sources if s.bytes_read == 0]
        if parsers.exceptions.dropped or parsers.codes.dropped:
            notes.append("more exceptions or error codes than the report keeps; the first ones are listed")
        return Report(
            tool_version=__version__,
            sources=[SourceInfo(name=s.name, lines=s.lines, bytes=s.bytes_read, notes=s.notes) for s in sources],
            versions=versions,
            version_skew=version_skew,
            version_conflicts=version_conflicts,
            error_codes=list(parsed.error_codes),
            exceptions=list(parsed.exceptions),
            findings=findings,
            unclassified=leftovers.result(explained),
            levels=dict(parsed.levels),
            notes=notes,
        )
