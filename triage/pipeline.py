"""The only place where the stages are wired together: reader -> parsers -> matcher -> report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from triage import __version__
from triage.kb import KnowledgeBase, load
from triage.matcher import Matcher
from triage.parsers import KEPT_LEVELS, Parsers
from triage.parsers.versions import first_versions, skew
from triage.reader import Line, LineReader, Source, read
from triage.report import Report, SourceInfo
from triage.scan import Skipped
from triage.unclassified import UnclassifiedLines
from triage.unrecognized import FailureLines, place, unrecognized_finding
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
) -> Report:
    """Analyse files (None or '-' for stdin). Raises ReaderError for unreadable input.

    backend None reads line by line; 'auto', 're' or 'hyperscan' use the fast scan (same
    report), over `jobs` processes for large plain files; progress gets bytes read so far.
    A line_reader (another input format, e.g. shipper JSONL) always reads line by line."""
    if backend is None or line_reader is not None:
        return analyze_streams((read(p, line_reader) for p in paths), kb, max_evidence)
    from triage.fastpath import fast_streams

    kb = kb or load()
    return analyze_streams(fast_streams(list(paths), kb, backend, jobs, progress), kb, max_evidence)


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
    kb = kb or load()
    parsers = Parsers()
    matcher = Matcher(kb)
    leftovers = UnclassifiedLines()
    failures = FailureLines()
    sources: list[Source] = []
    for source, lines in streams:
        sources.append(source)
        name = source.name
        for line in lines:
            if isinstance(line, Skipped):  # plain lines the fast scan did not feed
                parsers.skipped(line.levels, line.hint)
                continue
            record = parsers.feed(line, name)
            hit = matcher.feed(line.no, line.text, name, record.level if record else None)
            if record is not None and not hit and record.level in KEPT_LEVELS:
                leftovers.add(line.no, line.text, name, record.level)
            if parsers.failure is not None:
                failures.add(line.no, line.text, name, parsers.failure, hit)
        parsers.end_source()
    parsed = parsers.result
    versions = first_versions(parsed.versions)
    version_skew = skew(parsed.versions)
    sdk = sdk_version({k: v.version for k, v in versions.items()})
    findings = matcher.finish(
        parsed.error_codes, parsed.exceptions, parsed.versions, version_skew, sdk, [s.name for s in sources]
    )
    explained = {(e.source, e.line) for f in findings for e in f.evidence}
    order = {s.name: i for i, s in enumerate(sources)}
    net = unrecognized_finding(failures, findings, kb, order, max_evidence)
    for f in findings:
        f.evidence = f.evidence[:max_evidence]
    if net is not None:
        findings = place(findings, net)
    for x in parsed.exceptions:
        if (x.source, x.line) not in explained:
            leftovers.add(x.line, x.text, x.source, "ERROR")
    notes = [*matcher.notes]
    notes += [empty_note(s.name) for s in sources if s.bytes_read == 0]
    if parsers.exceptions.dropped or parsers.codes.dropped:
        notes.append("more exceptions or error codes than the report keeps; the first ones are listed")
    return Report(
        tool_version=__version__,
        sources=[SourceInfo(name=s.name, lines=s.lines, bytes=s.bytes_read, notes=s.notes) for s in sources],
        versions=versions,
        version_skew=version_skew,
        error_codes=parsed.error_codes,
        exceptions=parsed.exceptions,
        findings=findings,
        unclassified=leftovers.result(explained),
        levels=parsed.levels,
        notes=notes,
    )
