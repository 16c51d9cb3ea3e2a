"""--jobs: where the CPU goes, the parent's share next to the workers', per backend and --jobs.

    python bench/jobs.py --traffic-mb 200 --repeat 3

Runs warboy-triage's analysis of the real-traffic log of bench/logs.py (the one bench/run.py uses)
in a fresh process per run and prints, median of --repeat: wall seconds, the parent's CPU seconds
(start-up, knowledge base, scanner, folding the workers' partials, the report), the workers' CPU
seconds, the parent's share, the speed-up over --jobs 1 of the same backend, and peak RSS of the
parent and of the largest worker. With --jobs the workers should do the work and the parent only
merge: its CPU should stay near that of a tiny log. Wall times need an idle machine; CPU seconds
are what to compare on a busy one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import backends, cached_log  # noqa: E402


def child(path: str, backend: str, jobs: int) -> None:
    """One measured run, in this process; prints its figures as JSON."""
    import resource

    start = time.perf_counter()
    from triage.pipeline import analyze

    analyze([path], backend=backend, jobs=jobs)
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": time.perf_counter() - start,
                "parent_cpu": me.ru_utime + me.ru_stime,
                "worker_cpu": kids.ru_utime + kids.ru_stime,
                "parent_rss": me.ru_maxrss // 1024,
                "worker_rss": kids.ru_maxrss // 1024,
            }
        )
    )


def measure(path: Path, backend: str, jobs: int, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), backend, str(jobs)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {
        "parent_rss": max(r["parent_rss"] for r in runs),
        "worker_rss": max(r["worker_rss"] for r in runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--traffic-mb", type=float, default=200)
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2, 4])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--child", nargs=3, metavar=("LOG", "BACKEND", "JOBS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    log = cached_log("traffic", args.traffic_mb, args.seed, args.workdir)
    mb = log.stat().st_size / (1 << 20)
    print(f"real-traffic log {mb:.0f} MB, median of {args.repeat}; {os.cpu_count()} CPUs")
    print(
        f"{'backend':<10} {'jobs':>4}  {'wall s':>7}  {'speed-up':>8}  {'parent CPU s':>12}  {'workers CPU s':>13}  "
        f"{'parent share':>12}  {'RSS parent/worker MB':>20}"
    )
    for backend in backends():
        one = None
        for jobs in args.jobs:
            r = measure(log, backend, jobs, args.repeat)
            one = one or r["wall"]
            total = r["parent_cpu"] + r["worker_cpu"]
            print(
                f"{backend:<10} {jobs:>4}  {r['wall']:7.2f}  {one / r['wall']:7.2f}x  {r['parent_cpu']:12.2f}  "
                f"{r['worker_cpu']:13.2f}  {r['parent_cpu'] / total:11.0%}  "
                f"{r['parent_rss']:>10d} / {r['worker_rss']:<7d}"
            )
    print(f"load average {os.getloadavg()[0]:.1f} at the end (wall times need an idle machine)")


if __name__ == "__main__":
    main()
