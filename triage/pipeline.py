"""The entry points of the flow reader -> parsers -> matcher -> report: inputs become streams of
lines (or --jobs partials), fed to one Analysis (triage/analysis.py, where the stages are wired)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from triage.analysis import DEFAULT_MAX_EVIDENCE, EMPTY_NOTE, Analysis, empty_note
from triage.kb import KnowledgeBase, load
from triage.partial import Partial
from triage.reader import DEFAULT_MAX_BYTES, Line, LineReader, Source, read
from triage.report import Report
from triage.scan import Skipped


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


def empty_inputs(report: Report) -> list[str]:
    """Names of the inputs that had no bytes at all."""
    return [s.name for s in report.sources if s.bytes == 0]


def analyze_streams(
    streams: Iterable[tuple[Source, Iterator[Line | Skipped | Partial]]],
    kb: KnowledgeBase | None = None,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> Report:
    analysis = Analysis(kb or load(), max_evidence)
    for source, lines in streams:
        analysis.start(source)
        for line in lines:
            if type(line) is Line:
                analysis.feed(line, source.name)
            elif isinstance(line, Skipped):  # plain lines the fast scan did not feed
                analysis.skipped(line)
            else:  # what a --jobs worker found in one unit of the input
                analysis.merge(line, source.name)  # type: ignore[arg-type]
        analysis.end_source()
    return analysis.report()


__all__ = [
    "DEFAULT_MAX_EVIDENCE",
    "EMPTY_NOTE",
    "Analysis",
    "analyze",
    "analyze_streams",
    "analyze_text",
    "empty_inputs",
    "empty_note",
]
