"""Where one job's CPU time goes on a bench log, stage by stage (the --jobs 1 path of `analyze`).

    python bench/stages.py [--kind traffic] [--size-mb 200] [--backend hyperscan]

The log is the one bench/run.py builds (bench/logs.py, cached in the temp directory). The stages run
in one process the way pipeline.analyze runs them, each timed in CPU seconds (process time):
start-up (imports, knowledge base, scanner), reading the blocks, the scanner's pass over them, the
record counts of skipped spans, the rest of the scan (line pieces, traceback tracking), feeding the
interesting lines to the parsers and the matcher, and the report with its JSON. The figures add up
to about what `python -m triage --format json` costs (less the interpreter's own start).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.logs import KINDS  # noqa: E402
from bench.run import cached_log  # noqa: E402


class Clock:
    """CPU seconds spent inside wrapped calls, by stage."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.spent[stage] = self.spent.get(stage, 0.0) + seconds

    def wrap(self, stage: str, fn: Callable) -> Callable:  # type: ignore[type-arg]
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(stage, time.process_time() - t)

        return timed

    def hits(self, fn: Callable[[bytes, bytes], Iterable[int]]) -> Callable[[bytes, bytes], list[int]]:
        def timed(block: bytes, lower: bytes) -> list[int]:
            t = time.process_time()
            found = list(fn(block, lower))
            self.add("scanner pass (Hyperscan / RE2, long lines)", time.process_time() - t)
            return found

        return timed


def timed_items(items: Iterator, clock: Clock, stage: str) -> Iterator:  # type: ignore[type-arg]
    """The items of a generator, the time spent producing them charged to `stage`."""
    while True:
        t = time.process_time()
        try:
            item = next(items)
        except StopIteration:
            clock.add(stage, time.process_time() - t)
            return
        clock.add(stage, time.process_time() - t)
        yield item


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=KINDS, default="traffic")
    ap.add_argument("--size-mb", type=float, default=200)
    ap.add_argument("--backend", choices=("re", "hyperscan"), default="hyperscan")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args()
    log = cached_log(args.kind, args.size_mb, args.seed, args.workdir)
    clock = Clock()

    t = time.process_time()
    from triage import scan
    from triage.fastpath import ScannerCache
    from triage.kb import load
    from triage.pipeline import Analysis
    from triage.reader import read_blocks
    from triage.render.json import render

    kb = load()
    source, blocks = read_blocks(str(log), None)
    t_read = time.process_time()
    block_list = list(blocks)
    read = time.process_time() - t_read
    first = block_list[0]
    scanner = ScannerCache(args.backend, kb).get(first if isinstance(first, bytes) else b"")
    clock.add("start-up (imports, knowledge base, scanner)", time.process_time() - t - read)
    clock.add("reading 1 MB blocks", read)

    scanner.hits = clock.hits(scanner.hits)  # type: ignore[method-assign,assignment]
    scan.count_plain_records = clock.wrap("record counts of skipped spans", scan.count_plain_records)
    analysis = Analysis(kb)
    analysis.start(source)
    lines = skipped = 0
    stream = timed_items(scan.scan_blocks(block_list, source, scanner), clock, "scan")
    t = time.process_time()
    for item in stream:
        if isinstance(item, scan.Skipped):
            analysis.skipped(item)
            skipped += 1
        else:
            analysis.feed(item, source.name)
            lines += 1
    analysis.end_source()
    loop = time.process_time() - t
    t = time.process_time()
    render(analysis.report())
    clock.add("report and JSON", time.process_time() - t)

    scanned = clock.spent.pop("scan")
    passes = clock.spent["scanner pass (Hyperscan / RE2, long lines)"]
    counts = clock.spent["record counts of skipped spans"]
    clock.add("rest of the scan (line pieces, traceback tracking, spans)", scanned - passes - counts)
    clock.add(f"parsers + matcher on {lines} interesting lines, {skipped} spans", loop - scanned)

    size = log.stat().st_size / (1 << 20)
    total = sum(clock.spent.values())
    print(f"{log.name}: {size:.0f} MB, --backend {args.backend}, one job; CPU seconds by stage")
    for stage, seconds in clock.spent.items():
        print(f"  {stage:<62} {seconds:6.2f}  {size / max(seconds, 1e-6):8.0f} MB/CPU-s")
    print(f"  {'total':<62} {total:6.2f}  {size / total:8.1f} MB/CPU-s")


if __name__ == "__main__":
    main()
