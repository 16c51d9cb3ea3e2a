"""Redaction throughput and memory: pass 1 (scan) and pass 2 (apply), streamed file to file.

    /work/venv/bin/python bench/redact_speed.py [MEGABYTES] [--clean] [--only NAME]
    /work/venv/bin/python bench/redact_speed.py --ticket [MEGABYTES]   # the whole ticket command

Inputs (each MEGABYTES, written to a temporary file first):
  realistic    the fixture logs, one line in 50 carrying a prompt, an API key, an IP and a host
               (--clean: the fixture lines only, like most real logs)
  pct-urls     256 KB lines of %-escaped URLs with a token inside (once quadratic: 41 s per line)
  long-lines   flattened pastes: the realistic text joined into 1 MB lines
  many-users   every line names another user (/home/u123, user u123, u123@host): a big global list
  at-runs      "a@b@c@..." and "x://x://..." runs: a match every few bytes
Prints MB/s for each pass (wall clock, and per CPU second in brackets), the values found, and the
peak RSS of this process (ru_maxrss; it includes building the inputs in memory).
--ticket: writes a realistic log of MEGABYTES (default 100) and runs `warboy-triage ticket LOG
--no-doctor --bundle t.zip` in a child process; prints its wall and CPU time and its peak RSS.
No thresholds: figures only. Engine: RE2 when google-re2 is installed, else Python's re.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.redact import Redactor, engine  # noqa: E402

SECRETS = [
    "ubuntu@gpu-box-{i}:~/work$ FURIOSA_API_KEY=fk_live_{i:08d}abcdef python run.py",
    "2023-02-11T06:22:18.700000Z  INFO nux::npu: telemetry to 10.0.{a}.{b} host=node-{i}.corp.internal",
]


def synthetic(megabytes: float, clean: bool = False) -> str:
    base = "".join(p.read_text() for p in sorted((ROOT / "fixtures").glob("*.log")))
    lines = base.splitlines()
    out, size, i = [], 0, 0
    while size < megabytes * 1e6:
        line = lines[i % len(lines)]
        if i % 50 == 0 and not clean:
            line = SECRETS[(i // 50) % 2].format(i=i % 997, a=i % 250, b=(i // 250) % 250)
        out.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(out) + "\n"


def pct_urls(megabytes: float) -> str:
    line = "GET https://login.corp-ai.net/cb?next=" + "%2F%3F%26x%3D1" * 18000 + "%3Ftoken%3DzQ8cV2nB6xM4 200\n"
    return line * max(1, int(megabytes * 1e6 // len(line)))


def long_lines(megabytes: float) -> str:
    text = synthetic(megabytes)
    return "\n".join(text[i : i + 1_000_000].replace("\n", " ") for i in range(0, len(text), 1_000_000)) + "\n"


def many_users(megabytes: float) -> str:
    out, size, i = [], 0, 0
    while size < megabytes * 1e6:
        line = (
            f"2023-02-11T06:22:18.700000Z  INFO nux: cd /home/u{i:06d}/models; user u{i + 1:06d} "
            f"logged in; u{i + 2:06d}@gpu-{i % 999} ran resnet50.enf"
        )
        out.append(line)
        size += len(line) + 1
        i += 3
    return "\n".join(out) + "\n"


def at_runs(megabytes: float) -> str:
    line = "a@b" * 40000 + " " + "x://" * 30000 + "\n"
    return line * max(1, int(megabytes * 1e6 // len(line)))


INPUTS: dict[str, Callable[[float], str]] = {
    "realistic": synthetic,
    "pct-urls": pct_urls,
    "long-lines": long_lines,
    "many-users": many_users,
    "at-runs": at_runs,
}


def run(name: str, text: str, tmp: Path) -> None:
    src = tmp / f"{name}.log"
    src.write_text(text)
    del text
    size = src.stat().st_size / 1e6
    r = Redactor()
    t0, c0 = time.perf_counter(), time.process_time()
    with src.open("rb") as fh:
        r.scan_stream(fh)
    t1, c1 = time.perf_counter(), time.process_time()
    with src.open("rb") as fh, (tmp / f"{name}.out").open("wb") as out:
        r.apply_stream(fh, out)
    t2, c2 = time.perf_counter(), time.process_time()
    found = sum(r.counts().values())
    # wall-clock MB/s, and in brackets MB/s per CPU second (what a busy shared machine does not change)
    print(
        f"{name:11} {size:6.1f} MB  scan {size / (t1 - t0):6.1f} ({size / (c1 - c0):5.1f}) MB/s"
        f"  apply {size / (t2 - t1):6.1f} ({size / (c2 - c1):5.1f}) MB/s"
        f"  both {size / (t2 - t0):6.1f} ({size / (c2 - c0):5.1f}) MB/s  values {found}"
    )


def ticket(mb: float) -> None:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "big.log"
        log.write_text(synthetic(mb))
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "triage", "ticket", str(log), "--no-doctor", "--bundle", str(Path(tmp) / "t.zip")],
            check=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - t0
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        size = log.stat().st_size / 1e6
        print(
            f"ticket on {size:.0f} MB: {wall:.1f} s wall, {child.ru_utime + child.ru_stime:.1f} s CPU,"
            f" peak RSS {child.ru_maxrss / 1024:.0f} MB"
        )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--ticket" in sys.argv:
        ticket(float(args[0]) if args else 100.0)
        return
    mb = float(args[0]) if args else 20.0
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only:
        args = [a for a in args if a != only]
    print(f"engine: {engine()}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in INPUTS.items():
            if only and name != only:
                continue
            text = synthetic(mb, clean=True) if name == "realistic" and "--clean" in sys.argv else make(mb)
            run(name, text, Path(tmp))
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
