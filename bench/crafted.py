"""Crafted lines and hostile pattern files: the worst cost of one rule on one line, and how fast
a hostile --patterns directory is refused.

    python bench/crafted.py

The corpus (built here, synthetic): the issue-15 lines (`... ERROR nux: Not enough memory?
uNpuDrv uNpuDrv ...`, 300 lines up to 4 KB and 20 of 256 KB), and for every line rule a 256 KB
line that repeats the rule's own literals (so its relaxed twin passes), in ASCII and with Korean
text mixed in (the non-ASCII path). Every line rule is timed on every line, the way the matcher
runs it (triage/engine.py), in CPU time, least of three; the worst per rule is printed. Then the
whole corpus through the CLI, and each hostile pattern directory through `--patterns` and
`patterns validate` (wall, peak RSS).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import run, triage_cmd  # noqa: E402
from triage.engine import searcher  # noqa: E402
from triage.kb import load  # noqa: E402

LINE = 256 * 1024 - 1
HEAD = "2024-05-14T06:22:00.000001Z ERROR nux: Not enough memory? "


def corpus(kb) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(name, line) pairs."""
    lines = []
    for i in range(300):
        lines.append((f"uNpuDrv x{i}", (HEAD + "uNpuDrv " * (1 + i * 2))[:4096]))
    for i in range(20):
        lines.append((f"uNpuDrv 256K #{i}", (HEAD + "uNpuDrv " * 40_000)[:LINE]))
    rules = [r for p in kb.patterns for r in [*p.match, *p.supporting, *p.unless] if r.is_line_rule]
    for r in rules:
        lits = sorted(r.literals() or {"x"})
        unit = " ".join(lits) + " 1 "
        lines.append((f"literals of {r.message[:40]!r}", (unit * (LINE // len(unit) + 1))[:LINE]))
        korean = " 추론 ".join(lits) + " 지연 1 "
        lines.append((f"Korean + literals of {r.message[:30]!r}", (korean * (LINE // len(korean) + 1))[: LINE // 3]))
    return lines


def worst_per_rule(kb, lines: list[tuple[str, str]]) -> list[tuple[float, str, str]]:  # type: ignore[no-untyped-def]
    rules = [r for p in kb.patterns for r in [*p.match, *p.supporting, *p.unless] if r.is_line_rule]
    worst = []
    for r in rules:
        s = searcher(r.message, r._message)
        cost, where = 0.0, ""
        for name, line in lines:
            data = line.encode()
            d = float("inf")
            for _ in range(3):  # the least of three: the cost of the work, not of a busy machine
                t = time.process_time()
                s.search(line, data)
                d = min(d, time.process_time() - t)
            if d > cost:
                cost, where = d, name
        worst.append((cost, r.message, where))
    return sorted(worst, reverse=True)


HOSTILE = {
    "900 KB literal": "x" * 900_000,
    "60,000-word alternation": "|".join(f"w{i}" for i in range(60_000)),
    "45-byte nested counts": "(?:(?:(?:a{1,999}){1,999}){1,999})(?:b{1,9})",
    "nested repeat": r"(?:(?:\w+\s?)+)+$",
}
PATTERN = """id = "hostile"
title = "Hostile regex"
severity = "error"
component = "general"
why = "A benchmark pattern whose regex is hostile."
remediation = ["None."]
examples = ["a", "b"]
counterexamples = ["c", "d"]

[[match]]
message = '{regex}'
"""


def main() -> None:
    kb = load()
    lines = corpus(kb)
    worst = worst_per_rule(kb, lines)
    print(f"\ncrafted lines: {len(lines)} lines, up to {LINE + 1} bytes; worst time of one rule on one line:")
    for cost, message, where in worst[:8]:
        print(f"  {cost * 1000:8.2f} ms  {message[:60]!r:64} on {where}")
    median = statistics.median(w[0] for w in worst)
    print(f"  worst of all: {worst[0][0] * 1000:.2f} ms (median rule {median * 1000:.3f} ms)")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        log = tmp / "crafted.log"
        log.write_text("\n".join(line for _, line in lines) + "\n")
        for backend in ("re", "hyperscan"):
            wall, cpu, rss = run(triage_cmd(str(log), "-f", "json", "--backend", backend))
            mb = log.stat().st_size / (1 << 20)
            print(f"  whole corpus ({mb:.1f} MB) --backend {backend}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss} MB")
        print("\nhostile --patterns directories (refused before use):")
        small = tmp / "small.log"
        small.write_text("2024-05-14T06:22:00.000001Z  INFO nux: hello\n")
        for name, regex in HOSTILE.items():
            d = tmp / name.replace(" ", "-").replace(",", "")
            d.mkdir()
            (d / "hostile.toml").write_text(PATTERN.format(regex=regex))
            for label, cmd in (
                ("analyze --patterns", triage_cmd(str(small), "--patterns", str(d))),
                ("patterns validate", triage_cmd("patterns", "validate", str(d))),
            ):
                wall, cpu, rss = run_refused(cmd)
                print(f"  {name:26} {label:20} {wall:6.2f} s wall  {rss:4d} MB peak RSS")


def run_refused(cmd: list[str]) -> tuple[float, float, int]:
    """run() for a command that must fail with a clear message (exit 1 or 2, no traceback)."""
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (1, 2) or "Traceback" in proc.stderr:
        sys.exit(f"bench: {' '.join(cmd)[:120]} was not refused cleanly ({proc.returncode}): {proc.stderr[-400:]}")
    rss = int(proc.stderr.strip().splitlines()[-1]) // 1024 if os.path.exists("/usr/bin/time") else 0
    return wall, 0.0, rss


if __name__ == "__main__":
    main()
