"""Throughput, memory and start-up of warboy-triage on a synthetic log, next to grep.

    python bench/run.py --size-mb 500

Builds a deterministic log (seeded) from the real-format lines in fixtures/: mostly INFO
records with a running clock, and whole fixture incidents (errors, tracebacks, version dumps)
dropped in at random places, a few hundred error lines in all. Then runs, each as its own
process on the same file: `LC_ALL=C grep -E -i -c -f <every pattern message regex>`, and
warboy-triage with each scanner backend and --jobs 1/2 (JSON output). Prints MB/s, the ratio
to grep, peak RSS, and the median start-up time of `--help` and of a 10 KB log.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.kb import load  # noqa: E402
from triage.parsers.log_records import parse_record  # noqa: E402
from triage.reader import read  # noqa: E402

TS = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
INCIDENTS = 40  # fixture incidents per log: a few hundred error lines whatever the size
PYTHON = sys.executable


# -- the synthetic log ------------------------------------------------------------------
def fixture_lines() -> tuple[list[str], list[list[str]]]:
    """(INFO-level record lines, one line list per fixture) from fixtures/*.log."""
    quiet: list[str] = []
    incidents: list[list[str]] = []
    for path in sorted((ROOT / "fixtures").glob("*.log")):
        _, lines = read(str(path))
        texts = [line.text for line in lines]
        incidents.append(texts)
        for text in texts:
            record = parse_record(text)
            if record is not None and record.level in ("INFO", "DEBUG", "TRACE") and TS.match(text):
                quiet.append(text)
    if not quiet or not incidents:
        sys.exit("bench: fixtures/ has no log lines to build from")
    return sorted(set(quiet)), incidents


def generate(path: Path, size: int, seed: int) -> None:
    rng = random.Random(seed)
    quiet, incidents = fixture_lines()
    clock = datetime(2024, 3, 1, 0, 0, 0)
    at = sorted(rng.randrange(size) for _ in range(INCIDENTS))
    written = 0
    batch: list[str] = []
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while written < size:
            if at and written >= at[0]:
                at.pop(0)
                lines = rng.choice(incidents)
            else:
                clock += timedelta(microseconds=rng.randrange(1, 50000))
                stamp = clock.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                lines = [TS.sub(stamp, rng.choice(quiet), count=1)]
            for line in lines:
                batch.append(line + "\n")
                written += len(line) + 1
            if len(batch) > 10000:
                out.writelines(batch)
                batch.clear()
        out.writelines(batch)


def cached_log(size_mb: int, seed: int, workdir: Path) -> Path:
    digest = hashlib.sha1()
    for p in sorted((ROOT / "fixtures").glob("*.log")):
        digest.update(p.read_bytes())
    path = workdir / f"warboy-bench-{size_mb}mb-{seed}-{digest.hexdigest()[:8]}.log"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        generate(tmp, size_mb << 20, seed)
        tmp.rename(path)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


# -- grep -------------------------------------------------------------------------------
def grep_patterns(dest: Path) -> tuple[int, int]:
    """Every match/supporting message regex, rewritten for POSIX ERE where it can be; (kept, all).
    (`unless` rules are vetoes such as `.` on ERROR lines: they would make grep match every line.)"""
    kb = load()
    regexes = sorted({r.message for p in kb.patterns for r in [*p.match, *p.supporting] if r.message})
    kept = []
    for rx in regexes:
        ere = rx.replace("(?i)", "").replace("(?:", "(").replace(r"\d", "[0-9]")
        if "(?" in ere:
            continue  # lookaround: ERE has none
        ok = (
            subprocess.run(
                ["grep", "-E", "-e", ere, "/dev/null"], env={**os.environ, "LC_ALL": "C"}, capture_output=True
            ).returncode
            != 2
        )
        if ok:
            kept.append(ere)
    dest.write_text("\n".join(kept) + "\n")
    return len(kept), len(regexes)


# -- running and measuring ---------------------------------------------------------------
GNU_TIME = "/usr/bin/time"


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one command and its child processes.

    The RSS comes from GNU time's %M when it is there: a child forked from this (large) Python
    process would otherwise report this process's memory as its own."""
    timed = os.path.exists(GNU_TIME)
    full = [GNU_TIME, "-f", "%M", *cmd] if timed else cmd
    start = time.perf_counter()
    # stdout is a pipe, not /dev/null: GNU grep stops at the first match when it writes to /dev/null
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errf:
        proc = subprocess.Popen(full, stdout=out, stderr=errf, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        errf.seek(0)
        err = errf.read().decode()
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({code}): {err.strip()[:500]}")
    rss_kb = int(err.strip().splitlines()[-1]) if timed else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, rss_kb // 1024


def triage_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "triage", *args]


def startup(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of `runs` runs."""
    results = [run(cmd)[:2] for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=200, help="size of the synthetic log (default 200)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=7, help="runs per start-up median")
    ap.add_argument(
        "--line-mb", type=int, default=8, help="size of the prefix that `--backend line` (no fast scan) is timed on"
    )
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()), help="where the generated log is kept between runs"
    )
    args = ap.parse_args()
    os.chdir(ROOT)
    log = cached_log(args.size_mb, args.seed, args.workdir)
    size_mb = log.stat().st_size / (1 << 20)
    with tempfile.TemporaryDirectory() as tmp:
        pats = Path(tmp) / "patterns.ere"
        kept, total = grep_patterns(pats)
        small = Path(tmp) / "small.log"
        with open(log, "rb") as f:
            head = f.read(10 * 1024)
        small.write_bytes(head[: head.rfind(b"\n") + 1])
        prefix = Path(tmp) / "prefix.log"
        with open(log, "rb") as f:
            chunk = f.read(args.line_mb << 20)
        prefix.write_bytes(chunk[: chunk.rfind(b"\n") + 1])

        rows: list[tuple[str, float, float, float, int]] = []  # name, MB, wall, cpu, rss
        grep_env = {**os.environ, "LC_ALL": "C"}
        wall, cpu, rss = run(["grep", "-E", "-i", "-c", "-f", str(pats), str(log)], grep_env)
        rows.append((f"grep -E -i -c -f ({kept} of {total} regexes)", size_mb, wall, cpu, rss))
        try:
            import hyperscan  # noqa: F401

            backends = ["re", "hyperscan"]
        except ImportError:
            backends = ["re"]
            print("hyperscan not installed: the fast backend is not measured", file=sys.stderr)
        for backend in backends:
            for jobs in (1, 2):
                wall, cpu, rss = run(triage_cmd(str(log), "-f", "json", "--backend", backend, "--jobs", str(jobs)))
                rows.append((f"warboy-triage --backend {backend} --jobs {jobs}", size_mb, wall, cpu, rss))
        prefix_mb = prefix.stat().st_size / (1 << 20)
        wall, cpu, rss = run(triage_cmd(str(prefix), "-f", "json", "--backend", "line"))
        rows.append((f"warboy-triage --backend line ({prefix_mb:.0f} MB prefix)", prefix_mb, wall, cpu, rss))
        help_wall, help_cpu = startup(triage_cmd("--help"), args.runs)
        small_wall, small_cpu = startup(triage_cmd(str(small), "--format", "json"), args.runs)

    grep_wall, grep_cpu = size_mb / rows[0][2], size_mb / rows[0][3]
    width = max(len(r[0]) for r in rows)
    print(
        f"\nlog: {size_mb:.0f} MB synthetic (seed {args.seed}); {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end; Python {sys.version.split()[0]}; grep {grep_version()}"
    )
    print(
        f"{'run':<{width}}  {'wall s':>7}  {'MB/s':>7}  {'x grep':>7}  {'CPU s':>7}  {'MB/CPU-s':>8}  "
        f"{'x grep':>7}  {'peak RSS MB':>11}"
    )
    for name, mb, wall, cpu, rss in rows:
        print(
            f"{name:<{width}}  {wall:7.2f}  {mb / wall:7.1f}  {mb / wall / grep_wall:7.3f}  {cpu:7.2f}  "
            f"{mb / max(cpu, 1e-3):8.1f}  {mb / max(cpu, 1e-3) / grep_cpu:7.3f}  {rss:11d}"
        )
    print(
        f"\nstart-up, median of {args.runs}: --help {help_wall * 1000:.0f} ms wall ({help_cpu * 1000:.0f} ms CPU); "
        f"10 KB log {small_wall * 1000:.0f} ms wall ({small_cpu * 1000:.0f} ms CPU)"
    )


def grep_version() -> str:
    out = subprocess.run(["grep", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return out.split()[-1] if out else "?"


if __name__ == "__main__":
    if shutil.which("grep") is None:
        sys.exit("bench: grep not found")
    main()
