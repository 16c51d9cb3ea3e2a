"""Inputs for the pipeline through the fast scan: one (Source, Lines-and-Skipped) stream per file.

The pipeline consumes these exactly like the line-by-line streams of reader.read(); the
report is the same. Large plain files may be split over several processes (triage/parallel.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from triage.kb import KnowledgeBase
from triage.reader import DEFAULT_MAX_BYTES, Line, LongLine, Source, read_blocks
from triage.scan import (
    BACKENDS,
    HYPERSCAN_MISSING,
    BackendUnavailable,
    EveryLine,
    Interest,
    Scanner,
    Skipped,
    make_scanner,
    minimal_literals,
    relaxed_twin,
    scan_blocks,
)

if TYPE_CHECKING:
    from triage.partial import Partial

SMALL = 1 << 18  # a whole input below this is read line by line, without building a scanner
SAMPLE = 1 << 16  # bytes of the first block handed to the scanner (a scanner may tune itself on it)
Progress = Callable[[int], None]  # (the same type is spelt out in parallel.py)


def interest(kb: KnowledgeBase) -> Interest | None:
    """What makes a line interesting (see scan.Interest), or None when every line is."""
    from triage.matcher import Matcher
    from triage.parsers import interest_literals

    parsers = interest_literals()
    if parsers is None:
        return None
    literals = list(parsers)
    regexes: list[str] = []
    for message, lits, levels in Matcher(kb).line_regexes():
        if levels and set(levels) <= {"WARN", "ERROR"}:
            continue  # every WARN or ERROR line holds a parser literal
        if relaxed_twin(message) is not None:
            regexes.append(message)
        elif lits is not None:
            literals.extend(lits)
        else:
            return None
    return Interest(tuple(minimal_literals(literals)), tuple(dict.fromkeys(regexes)))


def resolve_backend(backend: str) -> tuple[str, str | None]:
    """The backend to use and a note for the user when the asked one is not installed."""
    if backend not in BACKENDS:
        raise BackendUnavailable(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if backend == "hyperscan":
        try:
            import hyperscan  # noqa: F401
        except ImportError:
            return "re", f"{HYPERSCAN_MISSING}; using the pure-Python scanner (same results, slower)"
    return backend, None


class ScannerCache:
    """One scanner per run, built when the first block is seen.
    When some rule has no prefilter, every line is interesting (EveryLine)."""

    def __init__(self, backend: str, kb: KnowledgeBase) -> None:
        self.backend = backend
        self.kb = kb
        self.literals: Interest | None = None
        self.scanner: Scanner | None = None
        self.sample = b""

    def get(self, sample: bytes) -> Scanner:
        if self.scanner is None:
            self.sample = sample[:SAMPLE]
            self.literals = interest(self.kb)
            self.scanner = (
                EveryLine() if self.literals is None else make_scanner(self.backend, self.literals, self.sample)
            )
        return self.scanner


def _with_progress(blocks: Iterable[bytes | LongLine], progress: Progress | None) -> Iterator[bytes | LongLine]:
    for block in blocks:
        yield block
        if progress is not None:
            progress(len(block))


def _scanned(
    source: Source, blocks: Iterator[bytes | LongLine], cache: ScannerCache, progress: Progress | None
) -> Iterator[Line | Skipped]:
    head: list[bytes | LongLine] = []  # the first blocks, up to SMALL bytes, to see whether the input is small
    for block in blocks:
        head.append(block)
        if type(block) is LongLine or sum(map(len, head)) >= SMALL:
            break  # a LongLine is read by the scan before the next block: stop here
    if not head:
        return
    if sum(map(len, head)) < SMALL and type(head[-1]) is not LongLine and cache.scanner is None:
        scanner: Scanner = EveryLine()  # the whole input is small: cheaper than building a scanner
    else:
        first = head[0]
        scanner = cache.get(first if isinstance(first, bytes) else b"")

    def all_blocks() -> Iterator[bytes | LongLine]:
        yield from head
        yield from blocks

    yield from scan_blocks(_with_progress(all_blocks(), progress), source, scanner)


def fast_streams(
    paths: list[str | None],
    kb: KnowledgeBase,
    backend: str = "auto",
    jobs: int = 1,
    progress: Progress | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[Source, Iterator[Line | Skipped | Partial]]]:
    cache = ScannerCache(backend, kb)
    for path in paths:
        if jobs > 1 and path not in (None, "-"):
            from triage import parallel

            if parallel.worth_splitting(path):
                yield parallel.split_stream(path, cache, jobs, progress, max_bytes)
                continue
        source, blocks = read_blocks(path, max_bytes)
        yield source, _scanned(source, blocks, cache, progress)
