"""--jobs N: scan one large plain file in pieces, in N processes, with the same report.

The file is cut into units at line starts. A first pass counts each unit's lines, so every
worker numbers its lines as the whole file would. Each worker runs the fast scan on its unit
and returns what the scan would have yielded there (the interesting Lines and the Skipped
summaries); the parent feeds those to the one pipeline in file order, so parsers, matcher,
caps and first-seen order behave exactly as in one process. The only state a unit inherits
is whether a traceback is open at its start: the worker replays the lines from the last
traceback header before its start (within WARM_UP bytes) to find out.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from triage.parsers.exceptions import ExceptionParser
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
    line_pieces,
    needs_decoding,
)
from triage.scan import EveryLine, Interest, Scanner, Skipped, make_scanner, scan_blocks

Progress = Callable[[int], None]


class ScannerSource(Protocol):
    """What split_stream needs of fastpath.ScannerCache (not imported: fastpath imports this module)."""

    backend: str
    literals: Interest | None
    sample: bytes

    def get(self, sample: bytes) -> Scanner: ...


MIN_SPLIT = 32 << 20  # smaller files are not worth starting processes for
UNIT = 8 << 20  # bytes per unit of work
WARM_UP = 4 << 20  # how far back a unit looks for the start of an open traceback
_TB_MARK = b"most recent call last"

_worker_scanners: dict[tuple, object] = {}


def worth_splitting(path: str) -> bool:
    """A regular, uncompressed file large enough to split."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) < MIN_SPLIT:
            return False
        with open(path, "rb") as f:
            return not needs_decoding(f.read(2))
    except OSError:
        return False


def _units(path: str, size: int) -> list[tuple[int, int]]:
    """[start, end) byte ranges that begin at line starts."""
    cuts = [0]
    with open(path, "rb") as f:
        for nominal in range(UNIT, size, UNIT):
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


def _open_traceback(path: str, start: int) -> bool:
    """Whether a traceback is open at byte `start` (a line start), as the scan would track it."""
    if start == 0:
        return False
    low = max(0, start - WARM_UP)
    with open(path, "rb") as f:
        f.seek(low)
        before = f.read(start - low)
    mark = before.rfind(_TB_MARK)
    if mark < 0:
        return False
    tracker = ExceptionParser([])
    pos = before.rfind(b"\n", 0, mark) + 1
    while pos < len(before):
        end = before.find(b"\n", pos)
        end = len(before) if end < 0 else end
        for line in line_pieces(0, before[pos:end]):
            tracker.feed(line, "")
        pos = end + 1
        if not tracker.in_traceback and pos > mark:
            return False
    return tracker.in_traceback


def _scan_unit(job: tuple) -> tuple[list[Line | Skipped], list[str], int]:
    path, start, end, first_no, backend, literals, sample = job
    key = (backend, literals, sample)
    scanner = _worker_scanners.get(key)
    if scanner is None:
        scanner = _worker_scanners[key] = EveryLine() if literals is None else make_scanner(backend, literals, sample)
    source = Source(name=path)
    blocks = blocks_of(drop_nuls(_range_chunks(path, start, end)), source)
    ops = [  # a Skipped's hint is looked up here, in the worker, and its block let go
        op.resolve() if isinstance(op, Skipped) else op
        for op in scan_blocks(blocks, source, scanner, first_no, _open_traceback(path, start))  # type: ignore[arg-type]
    ]
    return ops, source.notes, end - start


def split_stream(
    path: str, cache: ScannerSource, jobs: int, progress: Progress | None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[Source, Iterator[Line | Skipped]]:
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

    def ops() -> Iterator[Line | Skipped]:
        import multiprocessing

        units = _units(path, size)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            counts = list(pool.map(_count_lines, [(path, a, b) for a, b in units]))
            first_nos = [1]
            for n in counts[:-1]:
                first_nos.append(first_nos[-1] + n)
            pending: deque[Future] = deque()
            todo = iter(zip(units, first_nos, strict=True))
            while True:
                while len(pending) < 2 * jobs:  # bounded: results wait in memory until fed
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    (a, b), first_no = nxt
                    pending.append(
                        pool.submit(_scan_unit, (path, a, b, first_no, cache.backend, cache.literals, cache.sample))
                    )
                if not pending:
                    break
                unit_ops, notes, nbytes = pending.popleft().result()
                source.notes.extend(notes)
                source.bytes_read += nbytes
                yield from unit_ops
                if progress is not None:
                    progress(nbytes)
        source.lines = sum(counts)
        if over_budget:
            source.notes.append(budget_note(size))

    return source, ops()
