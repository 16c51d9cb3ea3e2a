"""Soak benchmark for `--follow`: a log grows at a fixed rate; the real command follows it.

Prints, every --report seconds, the follower's RSS (from /proc) and, at the end, its peak RSS, the
lag from writing a failure line to seeing its event (median and max), and whether the follower kept
up. The traffic is synthetic runtime lines (latencies, task submissions) with the seed note's real
failure (fixtures/seed-incompatible-config-multiline.log) appended every --fail-every seconds, each
time with a new timestamp so its finding grows.

  python bench/follow_soak.py --rate-mb 10 --seconds 600
  python bench/follow_soak.py --rate-mb 10 --seconds 60     # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAILURE = (ROOT / "fixtures" / "seed-incompatible-config-multiline.log").read_text()


def traffic_block(n: int, start: int) -> str:
    out = []
    for i in range(start, start + n):
        t = f"2024-03-0{1 + i % 9}T10:{i % 60:02d}:{(i // 60) % 60:02d}.{i % 1000000:06d}Z"
        kind = i % 5
        if kind == 0:
            out.append(f"{t}  INFO nux::session: inference #{i} completed in {3 + (i % 97) / 10:.3f} ms")
        elif kind == 1:
            out.append(f"{t}  INFO nux::npu: task {i} submitted to npu0pe0-1 (queue depth {i % 8})")
        elif kind == 2:
            out.append(f"{t} DEBUG nux::tensor: copied input tensor {i % 4} ({224 * 224 * 3} bytes) to device")
        elif kind == 3:
            out.append(f"{t}  INFO furiosa::runtime: session 0 processed {i} requests")
        else:
            out.append(f"{t}  INFO furiosa_rt::telemetry: exported {i % 300} spans")
    return "\n".join(out) + "\n"


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate-mb", type=float, default=10.0, help="MB per second appended to the log")
    ap.add_argument("--seconds", type=float, default=600.0, help="how long the log grows")
    ap.add_argument("--fail-every", type=float, default=5.0, help="seconds between failure blocks")
    ap.add_argument("--report", type=float, default=30.0, help="seconds between RSS lines")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="follow-soak-"))
    log = work / "server.log"
    log.write_text("")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "--follow", "-f", "jsonl", "--label", "host=soak", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    seen: list[float] = []

    def read_events() -> None:
        for raw in proc.stdout:  # type: ignore[union-attr]
            rec = json.loads(raw)
            if rec.get("record") == "finding" and rec.get("id") == "sdk-version-mismatch":
                seen.append(time.monotonic())

    threading.Thread(target=read_events, daemon=True).start()
    time.sleep(1.5)  # start-up
    block = traffic_block(20000, 0).encode()
    written = 0
    failures: list[float] = []
    peak = 0
    start = time.monotonic()
    next_fail = start + 1.0
    next_report = start + args.report
    with open(log, "ab") as fh:
        while (now := time.monotonic()) - start < args.seconds:
            due = int(args.rate_mb * 1e6 * (now - start)) - written
            if due > 0:
                piece = block * max(1, due // len(block))
                fh.write(piece)
                written += len(piece)
            if now >= next_fail:
                fh.write(FAILURE.encode())
                fh.flush()
                failures.append(time.monotonic())
                next_fail += args.fail_every
            fh.flush()
            peak = max(peak, rss_kb(proc.pid))
            if now >= next_report:
                rss = rss_kb(proc.pid) / 1024
                print(f"{now - start:7.0f} s  written {written / 1e6:9.1f} MB  follower RSS {rss:6.1f} MB")
                next_report += args.report
            time.sleep(0.05)
    time.sleep(3)
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)  # gigabytes of log
    lags = []
    for t in failures:
        later = [s for s in seen if s >= t]
        if later:
            lags.append(min(later) - t)
    print(f"written: {written / 1e6:.1f} MB in {args.seconds:.0f} s ({written / 1e6 / args.seconds:.1f} MB/s)")
    print(f"follower peak RSS: {peak / 1024:.1f} MB")
    print(f"failure blocks: {len(failures)}, events seen for {len(lags)}")
    if lags:
        print(f"lag write -> event: median {statistics.median(lags):.2f} s, max {max(lags):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
