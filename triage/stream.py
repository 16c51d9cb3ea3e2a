"""`--format jsonl` over several inputs: each input is analysed on its own and its records
are written as soon as that input ends, before the next one is read.

A finding is only certain when its input has ended: a later line can bring the root cause
that folds an earlier symptom into it, or change the ranking. So nothing about an input is
written before its end (for standard input: end of file), and everything about it is
written then. Inputs are not cross-checked against each other in this mode (use
`--format json` for one diagnosis over several related logs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from triage.kb import KnowledgeBase
from triage.pipeline import analyze
from triage.reader import DEFAULT_MAX_BYTES, LineReader, ReaderError
from triage.render.jsonl import records
from triage.report import Finding


@dataclass
class StreamResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    closed: bool = False
    """The reader of the output went away (`| head`): the remaining inputs were not read."""
    empty: list[str] = field(default_factory=list)
    """Inputs without a single byte (the command says so on stderr)."""


def stream_jsonl(
    paths: Iterable[str | None],
    kb: KnowledgeBase,
    write: Callable[[str], bool],
    max_evidence: int,
    line_reader: LineReader | None = None,
    backend: str | None = None,
    jobs: int = 1,
    labels: Mapping[str, str] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> StreamResult:
    """Analyse each input and write its JSONL records; an unreadable input is reported in
    `errors` and the others still run (one bad host must not hide the rest of a fleet).
    `write` returns False when the output is closed; then the stream stops."""
    result = StreamResult()
    for path in paths:
        try:
            report = analyze(
                [path], kb, max_evidence, backend=backend, jobs=jobs, line_reader=line_reader, max_bytes=max_bytes
            )
        except ReaderError as exc:
            result.errors.append(str(exc))
            continue
        result.findings.extend(report.findings)
        result.empty += [s.name for s in report.sources if s.bytes == 0]
        if not write("".join(r + "\n" for r in records(report, labels))):
            result.closed = True
            break
    return result
