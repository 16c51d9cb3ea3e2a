"""--jobs N: scan one large plain file in pieces, in N processes, with the same report.

The file is cut into units at line starts. A first pass counts each unit's lines, so every
worker numbers its lines as the whole file would. Each worker runs the fast scan and the whole
line path (parsers, matcher) on its unit and returns a Partial (triage/partial.py): what the
unit adds to the report, with the caps left to the parent. The parent folds the partials in file
order, so caps, first-seen order and ranking are those of one process.

A unit inherits state from the lines before it: an open traceback or exception group (the worker
replays the lines from the last traceback header before its start, within WARM_UP bytes), an
Error panel (assumed closed), the exception chain and the runtime/compiler hint (left open in
the Partial). The parent checks each Partial's assumed start against the end of the unit before;
when they differ (a traceback header further back than WARM_UP, a panel cut in two) it reads that
unit itself, line by line, from the right state.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Protocol

from triage.analysis import Analysis
from triage.parsers.error_codes import MAX_CODES
from triage.parsers.exceptions import MAX_EXCEPTIONS, ExceptionParser
from triage.parsers.panels import ErrorPanel
from triage.partial import Partial, boundary_state, prepare_unit, take
from triage.reader import (
    CHUNK,
    DEFAULT_MAX_BYTES,
    Line,
    ReaderError,
    Source,
    _looks_binary,
    blocks_of,
    budget_note,
    drop_nuls,
    needs_decoding,
)
from triage.scan import EveryLine, Interest, Scanner, Skipped, make_scanner, scan_blocks

if TYPE_CHECKING:
    from triage.kb import KnowledgeBase

Progress = Callable[[int], None]


class ScannerSource(Protocol):
    """What split_stream needs of fastpath.ScannerCache (not imported: fastpath imports this module)."""

    backend: str
    kb: KnowledgeBase
    literals: Interest | None
    sample: bytes

    def get(self, sample: bytes) -> Scanner: ...


MIN_SPLIT = 32 << 20  # smaller files are not worth starting processes for
UNIT = 32 << 20  # at most this many bytes per unit of work
UNITS_PER_JOB = 4  # ...and at least this many units per process, so that the last ones end together
MIN_UNIT = 1 << 20
WARM_UP = 4 << 20  # how far back a unit looks for the start of an open traceback
_TB_MARK = b"most recent call last"
_GROUP_MARK = b"Exception Group Traceback"

_worker_scanners: dict[tuple, object] = {}
_worker_kb: list[KnowledgeBase] = []  # the parent's knowledge base (inherited by fork, or sent to spawned workers)


def worth_splitting(path: str) -> bool:
    """A regular, uncompressed file large enough to split."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) < MIN_SPLIT:
            return False
        with open(path, "rb") as f:
            return not needs_decoding(f.read(2))
    except OSError:
        return False


def unit_size(size: int, jobs: int) -> int:
    """Bytes per unit: each unit costs a fixed amount (its worker's set-up, its partial, folding it), so
    units are large, but small enough for every process to get several (an idle core at the end costs
    more than a unit's overhead). 200 MB at --jobs 2: 25 MB units, not 25 units of 8 MB (1.55x -> ~1.6x)."""
    return min(UNIT, max(MIN_UNIT, -(-size // (max(jobs, 1) * UNITS_PER_JOB))))


def _units(path: str, size: int, unit: int) -> list[tuple[int, int]]:
    """[start, end) byte ranges that begin at line starts."""
    cuts = [0]
    with open(path, "rb") as f:
        for nominal in range(unit, size, unit):
            if nominal <= cuts[-1]:
                continue
            f.seek(nominal)
            while True:  # the next LF at or after `nominal`
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                nl = chunk.find(b"\n")
                if nl >= 0:
                    cut = f.tell() - len(chunk) + nl + 1
                    if cut < size:
                        cuts.append(cut)
                    break
            if not chunk:
                break
    return list(zip(cuts, [*cuts[1:], size], strict=True))


def _range_chunks(path: str, start: int, end: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def _count_lines(job: tuple[str, int, int]) -> int:
    path, start, end = job
    n = 0
    last = b"\n"
    for chunk in _range_chunks(path, start, end):
        n += chunk.count(b"\n")
        last = chunk[-1:]
    return n + (0 if last == b"\n" else 1)


def _traceback_at(path: str, start: int, scanner: Scanner) -> ExceptionParser | None:
    """The traceback or exception group open at byte `start` (a line start) as one process would
    follow it: the lines the scan feeds, replayed from the last traceback header before `start`
    (or the group header before it); None when none is open."""
    if start == 0:
        return None
    low = max(0, start - WARM_UP)
    with open(path, "rb") as f:
        f.seek(low)
        before = f.read(start - low)
    mark = before.rfind(_TB_MARK)
    if mark < 0:
        return None
    line_of_mark = before.rfind(b"\n", 0, mark) + 1
    group = before.rfind(_GROUP_MARK, 0, mark + 1)  # a group's inner tracebacks need its header
    if group >= 0:
        line_of_group = before.rfind(b"\n", 0, group) + 1
        tracker, closed_at = _replay(before, line_of_group, scanner)
        if closed_at is None:
            return tracker
        if closed_at >= before.count(b"\n", line_of_group, line_of_mark):
            return None  # closed after the last header: nothing opens again before `start`
    # (no group, or one closed before the last header: that header starts from a clean state)
    tracker, closed_at = _replay(before, line_of_mark, scanner)
    return tracker if closed_at is None else None


def _replay(data: bytes, pos: int, scanner: Scanner) -> tuple[ExceptionParser, int | None]:
    """Follow the lines the scan feeds from data[pos:] (a traceback header) with an ExceptionParser
    until neither a traceback nor an exception group is open: the parser, and the line (counted
    from pos) where that happened, or None when one is still open at the end."""
    tracker = ExceptionParser([])
    for op in scan_blocks(_pieces(data, pos), Source(name=""), scanner, first_no=0):
        if type(op) is Line:
            tracker.feed(op, "")
            tracker.out.clear()
            no = op.no
        else:
            no = op.last_no  # type: ignore[union-attr]
        if not tracker.in_traceback and not tracker.in_group:
            return tracker, no
    return tracker, None


def _pieces(data: bytes, pos: int, size: int = 1 << 17) -> Iterator[bytes]:
    """data[pos:] in blocks of whole lines (a replay usually stops within the first one)."""
    while pos < len(data):
        nl = data.find(b"\n", pos + size)
        end = len(data) if nl < 0 else nl + 1
        yield data[pos:end]
        pos = end


def _scanner(backend: str, literals: Interest | None, sample: bytes) -> Scanner:
    key = (backend, literals, sample)
    scanner = _worker_scanners.get(key)
    if scanner is None:
        scanner = _worker_scanners[key] = EveryLine() if literals is None else make_scanner(backend, literals, sample)
    return scanner  # type: ignore[return-value]


def _unit_ops(
    path: str, start: int, end: int, first_no: int, scanner: Scanner, resume: ExceptionParser | None
) -> tuple[Source, Iterator[Line | Skipped]]:
    source = Source(name=path)
    blocks = blocks_of(drop_nuls(_range_chunks(path, start, end)), source)
    return source, scan_blocks(blocks, source, scanner, first_no, resume=resume)  # type: ignore[arg-type]


def _set_kb(kb: KnowledgeBase) -> None:
    _worker_kb[:] = [kb]


def _analyze_unit(job: tuple) -> Partial:
    """A worker: the Partial of one unit."""
    path, start, end, first_no, backend, literals, sample, room = job
    scanner = _scanner(backend, literals, sample)
    tracker = _traceback_at(path, start, scanner)
    panel = ErrorPanel()  # (a panel cut by the unit's start is caught by the parent's check)
    start_state = boundary_state(tracker or ExceptionParser([]), panel)
    analysis = Analysis(_worker_kb[0])
    prepare_unit(analysis, tracker, panel, room)
    source, ops = _unit_ops(path, start, end, first_no, scanner, tracker)
    for op in ops:
        if type(op) is Skipped:
            analysis.skipped(op)
        else:
            analysis.feed(op, path)  # type: ignore[arg-type]
    return take(analysis, start_state, source.notes, end - start)


def _warm_up(kb: KnowledgeBase) -> None:
    """Build what every worker's Analysis builds on its first line (the matcher's rule set, the
    banner rules) once here, for forked workers to inherit."""
    from triage.matcher import Matcher
    from triage.parsers.versions import _prefilter, banners

    Matcher(kb)._build()
    banners()
    _prefilter()


def split_stream(
    path: str, cache: ScannerSource, jobs: int, progress: Progress | None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[Source, Iterator[Line | Skipped | Partial]]:
    source = Source(name=path, max_bytes=max_bytes)
    size = os.path.getsize(path)
    over_budget = bool(max_bytes) and size > (max_bytes or 0)
    if over_budget:  # the reader's budget: cut at the same byte
        size = max_bytes or 0
    with open(path, "rb") as f:
        head = f.read(CHUNK)
    if _looks_binary(head):
        raise ReaderError(f"{path}: looks like binary data, not a text log")
    scanner = cache.get(head)  # the same scanner in every worker
    # forked workers inherit the scanner built here (no second Hyperscan compile per worker)
    _worker_scanners[(cache.backend, cache.literals, cache.sample)] = scanner

    def ops() -> Iterator[Line | Skipped | Partial]:
        import multiprocessing

        units = _units(path, size, unit_size(size, jobs))
        methods = multiprocessing.get_all_start_methods()
        method = "fork" if "fork" in methods else "spawn"
        context = multiprocessing.get_context(method)
        _warm_up(cache.kb)
        _set_kb(cache.kb)
        # forked workers have the knowledge base already; spawned ones get it sent
        initializer, initargs = (_set_kb, (cache.kb,)) if method == "spawn" else (None, ())
        with ProcessPoolExecutor(jobs, context, initializer, initargs) as pool:  # type: ignore[arg-type]
            counts = list(pool.map(_count_lines, [(path, a, b) for a, b in units]))
            first_nos = [1]
            for n in counts[:-1]:
                first_nos.append(first_nos[-1] + n)
            pending: deque[tuple[Future, int, int, int]] = deque()
            todo = iter(zip(units, first_nos, strict=True))
            # the exact state at the start of the next unit: that of one process reading every line
            tracker, panel = ExceptionParser([]), ErrorPanel()
            # at least how many exceptions and codes the report holds: later units need keep no more
            # than the rest (of this input: earlier inputs' count is not known here, which only
            # makes the room larger than needed)
            kept = [0, 0]
            while True:
                while len(pending) < 2 * jobs:  # bounded: results wait in memory until folded
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    (a, b), first_no = nxt
                    room = (MAX_EXCEPTIONS - min(MAX_EXCEPTIONS, kept[0]), MAX_CODES - min(MAX_CODES, kept[1]))
                    job = (path, a, b, first_no, cache.backend, cache.literals, cache.sample, room)
                    pending.append((pool.submit(_analyze_unit, job), a, b, first_no))
                if not pending:
                    break
                future, a, b, first_no = pending.popleft()
                part: Partial = future.result()
                if part.start_state == boundary_state(tracker, panel):
                    kept[0] += len(part.exceptions)  # (each is kept until the cap; a code may be two)
                    kept[1] += len(part.codes)
                    source.notes.extend(part.notes)
                    yield part
                    tracker, panel = part.end_tracker, part.end_panel
                else:  # the worker assumed another start: read the unit here, from the right state
                    unit_source, unit_ops = _unit_ops(path, a, b, first_no, scanner, tracker)
                    tracker, panel = _following(tracker, panel)
                    for op in unit_ops:
                        if type(op) is Line:
                            tracker.feed(op, "")
                            tracker.out.clear()
                            panel.feed(op.text)
                        yield op
                    source.notes.extend(unit_source.notes)
                source.bytes_read += b - a
                if progress is not None:
                    progress(b - a)
        source.lines = sum(counts)
        if over_budget:
            source.notes.append(budget_note(size))

    return source, ops()


def _following(tracker: ExceptionParser, panel: ErrorPanel) -> tuple[ExceptionParser, ErrorPanel]:
    """Fresh copies of the traceback and panel state, to follow the lines the parent reads."""
    t, p = ExceptionParser([]), ErrorPanel()
    t.resume(tracker)
    p.resume(panel)
    return t, p
