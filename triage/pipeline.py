"""The only place where the stages are wired together: reader -> parsers -> matcher -> report."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator

from triage import __version__
from triage.kb import KnowledgeBase, load
from triage.matcher import Matcher
from triage.parsers import KEPT_LEVELS, Events, Parsers
from triage.parsers.versions import conflicts, first_versions, skew
from triage.reader import DEFAULT_MAX_BYTES, Line, LineReader, Source, read
from triage.report import Report, SourceInfo
from triage.scan import Skipped
from triage.unclassified import UnclassifiedLines
from triage.unrecognized import FailureLines, chained_consequences, place, unrecognized_finding
from triage.versions import sdk_version

DEFAULT_MAX_EVIDENCE = 20


def analyze(
    paths: Iterable[str | None],
    kb: KnowledgeBase | None = None,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
    backend: str | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    line_reader: LineReader | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Report:
    """Analyse files (None or '-' for stdin). Raises ReaderError for unreadable input.

    backend None reads line by line; 'auto', 're' or 'hyperscan' use the fast scan (same
    report), over `jobs` processes for large plain files; progress gets bytes read so far.
    A line_reader (another input format, e.g. shipper JSONL) always reads line by line.
    max_bytes: the read budget of each input (0 or None: no limit), see reader.DEFAULT_MAX_BYTES."""
    if backend is None or line_reader is not None:
        return analyze_streams((read(p, line_reader, max_bytes) for p in paths), kb, max_evidence)
    from triage.fastpath import fast_streams

    kb = kb or load()
    return analyze_streams(fast_streams(list(paths), kb, backend, jobs, progress, max_bytes), kb, max_evidence)


def analyze_text(
    text: str, name: str = "<text>", kb: KnowledgeBase | None = None, max_evidence: int = DEFAULT_MAX_EVIDENCE
) -> Report:
    """Analyse a string (pattern examples, tests, the TUI's paste box)."""
    import io

    from triage.reader import iter_lines

    source = Source(name=name)
    return analyze_streams([(source, iter_lines(io.BytesIO(text.encode()), source))], kb, max_evidence)


EMPTY_NOTE = "is empty: nothing to analyse (if the command prints its messages on stderr, pipe them with `2>&1 |`)"


def empty_note(name: str) -> str:
    """The note for an input without a single byte: often a pipe that got only stdout."""
    return f"{name} {EMPTY_NOTE}"


def empty_inputs(report: Report) -> list[str]:
    """Names of the inputs that had no bytes at all."""
    return [s.name for s in report.sources if s.bytes == 0]


def analyze_streams(
    streams: Iterable[tuple[Source, Iterator[Line | Skipped]]],
    kb: KnowledgeBase | None = None,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> Report:
    analysis = Analysis(kb or load(), max_evidence)
    for source, lines in streams:
        analysis.start(source)
        for line in lines:
            if isinstance(line, Skipped):  # plain lines the fast scan did not feed
                analysis.skipped(line)
            else:
                analysis.feed(line, source.name)  # type: ignore[arg-type]
        analysis.end_source()
    return analysis.report()


class Analysis:
    """The stages between the reader and the report, fed line by line: analyze_streams runs it over
    whole inputs; `--follow` keeps one open and asks for a snapshot() whenever lines arrive."""

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
