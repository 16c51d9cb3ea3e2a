"""Throughput, memory and start-up of warboy-triage next to grep, on logs that look like real traffic.

    python bench/run.py --traffic-mb 200 --other-mb 20 --repeat 3

Builds the synthetic logs of bench/logs.py (deterministic, seeded): runtime traffic with
per-inference latencies in ms, compiler output, an adversarial log (every line holds a literal of
some rule and matches none) and a log of long and non-ASCII lines. Each is run, as its own
process, by `LC_ALL=C grep -E -i -c -f <every pattern message regex>` and by warboy-triage with
each backend and --jobs 1/2 (JSON output); every figure is the median of --repeat runs, and the
ratio to grep is taken within the same run. Then the crafted-line corpus (bench/crafted.py) and
the start-up times of `--help` and of a 10 KB log, next to `python -c "import typer, pydantic"`.
All JSON outputs of one log must be identical: the script says so when they are not.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.logs import KINDS, generate  # noqa: E402
from triage.kb import load  # noqa: E402

PYTHON = sys.executable
GNU_TIME = "/usr/bin/time"


def cached_log(kind: str, size_mb: float, seed: int, workdir: Path) -> Path:
    digest = hashlib.sha1((ROOT / "bench" / "logs.py").read_bytes()).hexdigest()[:8]
    path = workdir / f"warboy-bench-{kind}-{size_mb:g}mb-{seed}-{digest}.log"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        generate(kind, tmp, int(size_mb * (1 << 20)), seed)
        tmp.rename(path)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


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
        env = {**os.environ, "LC_ALL": "C"}
        if subprocess.run(["grep", "-E", "-e", ere, "/dev/null"], env=env, capture_output=True).returncode != 2:
            kept.append(ere)
    dest.write_text("\n".join(kept) + "\n")
    return len(kept), len(regexes)


def run(cmd: list[str], env: dict[str, str] | None = None, out: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one command and its child processes.

    The RSS comes from GNU time's %M when it is there (the largest single process): a child
    forked from this Python process would otherwise report this process's memory as its own."""
    timed = os.path.exists(GNU_TIME)
    full = [GNU_TIME, "-f", "%M", *cmd] if timed else cmd
    start = time.perf_counter()
    # stdout is a file, not /dev/null: GNU grep stops at the first match when it writes to /dev/null
    with open(out, "wb") if out else tempfile.TemporaryFile() as sink, tempfile.TemporaryFile() as errf:
        proc = subprocess.Popen(full, stdout=sink, stderr=errf, env=env)
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


def median_run(cmd: list[str], repeat: int, env=None, out=None) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    results = [run(cmd, env, out) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
    )


def backends() -> list[str]:
    try:
        import hyperscan  # noqa: F401

        return ["re", "hyperscan"]
    except ImportError:
        print("hyperscan not installed: the fast backend is not measured", file=sys.stderr)
        return ["re"]


def throughput(args: argparse.Namespace, tmp: Path) -> list[tuple]:
    pats = tmp / "patterns.ere"
    kept, total = grep_patterns(pats)
    grep_env = {**os.environ, "LC_ALL": "C"}
    rows = []
    for kind in args.logs:
        size = args.traffic_mb if kind == "traffic" else args.other_mb
        log = cached_log(kind, size, args.seed, args.workdir)
        mb = log.stat().st_size / (1 << 20)
        g = median_run(["grep", "-E", "-i", "-c", "-f", str(pats), str(log)], args.repeat, grep_env)
        rows.append((kind, f"grep -E -i -c -f ({kept} of {total} regexes)", mb, *g, g[0]))
        outputs = set()
        for backend in backends():
            for jobs in args.jobs:
                out = tmp / f"{kind}-{backend}-{jobs}.json"
                cmd = triage_cmd(str(log), "-f", "json", "--backend", backend, "--jobs", str(jobs))
                r = median_run(cmd, args.repeat, out=out)
                rows.append((kind, f"warboy-triage --backend {backend} --jobs {jobs}", mb, *r, g[0]))
                outputs.add(hashlib.sha1(out.read_bytes()).hexdigest())
        if len(outputs) != 1:
            print(f"bench: {kind}: the JSON differs between backends or --jobs!", file=sys.stderr)
        rows.append((kind, f"  (JSON identical across backends and --jobs: {len(outputs) == 1})", 0, 0, 0, 0, 0))
    return rows


def print_rows(rows: list[tuple]) -> None:
    width = max(len(r[1]) for r in rows)
    print(
        f"{'log':<12} {'run':<{width}}  {'wall s':>7}  {'MB/s':>7}  {'x grep':>7}  {'CPU s':>7}  "
        f"{'MB/CPU-s':>8}  {'peak RSS MB':>11}"
    )
    for kind, name, mb, wall, cpu, rss, grep_wall in rows:
        if not mb:
            print(f"{kind:<12} {name}")
            continue
        print(
            f"{kind:<12} {name:<{width}}  {wall:7.2f}  {mb / wall:7.1f}  {grep_wall / wall:7.3f}  {cpu:7.2f}  "
            f"{mb / max(cpu, 1e-3):8.1f}  {rss:11d}"
        )


def startup(args: argparse.Namespace, tmp: Path) -> None:
    """Medians of --runs fresh processes, the baseline measured in the same run, alternating so that
    a burst of load on a shared machine falls on all of them alike. The 10 KB log is the head of the
    real-traffic log (same seed, same bytes), as JSON and as text (the default format, which renders
    through rich); the knowledge-base cache is filled first, as after a user's first run, and the
    bytecode written as pip does at install time; `no cache` is the JSON run with WARBOY_TRIAGE_NO_CACHE=1.
    CPU time is printed too: on a busy machine it moves less than wall time."""
    small = tmp / "small.log"
    generate("traffic", small, 10 * 1024, args.seed)
    # as installed: bytecode cached (PYTHONDONTWRITEBYTECODE would make every run compile every module)
    env = {k: v for k, v in os.environ.items() if k not in ("WARBOY_TRIAGE_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env["XDG_CACHE_HOME"] = str(tmp / "cache")  # its own knowledge-base cache: other runs do not evict it
    commands = {
        "import typer, pydantic": ([PYTHON, "-c", "import typer, pydantic"], env),
        "--help": (triage_cmd("--help"), env),
        "10 KB log": (triage_cmd(str(small), "--format", "json"), env),
        "10 KB log, text": (triage_cmd(str(small)), env),
        "10 KB log, no cache": (triage_cmd(str(small), "--format", "json"), {**env, "WARBOY_TRIAGE_NO_CACHE": "1"}),
    }
    run(commands["10 KB log"][0], env)  # fill the knowledge-base cache and write the bytecode
    run(commands["--help"][0], env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (cmd, cmd_env) in commands.items():
            wall, cpu, _rss = run(cmd, cmd_env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base = statistics.median(walls["import typer, pydantic"])
    print(f"\nstart-up, median of {args.runs} runs, load average {os.getloadavg()[0]:.1f}:")
    print(f"  {'':<24} {'wall':>7}  {'x base':>6}  {'min wall':>8}  {'CPU':>6}")
    for name, times in walls.items():
        med = statistics.median(times)
        cpu = statistics.median(cpus[name])
        print(
            f"  {name:<24} {med * 1000:4.0f} ms  {med / base:5.1f}x  {min(times) * 1000:5.0f} ms  {cpu * 1000:3.0f} ms"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--traffic-mb", type=float, default=200, help="size of the real-traffic log (default 200)")
    ap.add_argument("--other-mb", type=float, default=20, help="size of the other logs (default 20)")
    ap.add_argument("--logs", nargs="+", choices=KINDS, default=list(KINDS))
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=3, help="runs per throughput figure (median)")
    ap.add_argument("--runs", type=int, default=11, help="runs per start-up median")
    ap.add_argument("--startup-only", action="store_true", help="only the start-up figures")
    ap.add_argument("--no-crafted", action="store_true", help="skip the crafted-line corpus")
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()), help="where the generated logs are kept"
    )
    args = ap.parse_args()
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if args.startup_only:
            startup(args, tmp)
            return
        rows = throughput(args, tmp)
        print(
            f"\nsynthetic logs (bench/logs.py, seed {args.seed}), median of {args.repeat}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at the end; Python {sys.version.split()[0]}; grep {grep_version()}"
        )
        print_rows(rows)
        startup(args, tmp)
    if not args.no_crafted:
        subprocess.run([PYTHON, str(ROOT / "bench" / "crafted.py")], check=True)


def grep_version() -> str:
    out = subprocess.run(["grep", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return out.split()[-1] if out else "?"


if __name__ == "__main__":
    if shutil.which("grep") is None:
        sys.exit("bench: grep not found")
    main()
