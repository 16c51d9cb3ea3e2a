"""Peak memory and time on hostile giant inputs: one line with no newline, fed through a pipe.

    python bench/huge_line.py                                   # 1 GiB, both shapes, both paths
    python bench/huge_line.py --mib 200 --shape flattened       # a 200 MiB flattened paste

The input is streamed into `warboy-triage -` (nothing on disk), so the figure is the tool's own
peak RSS (getrusage of the child, what /usr/bin/time -v reports), not the generator's. A line
longer than reader.MAX_LINE is read in windows and re-split where records start (a flattened
paste), so the peak must not grow with the input: compare --mib 64 with --mib 1024. The
flattened paste ends with a real error; exit 1 says it was found.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = {
    # a log line that never ends: ASCII, an escape sequence every 100 bytes, and a Warboy error at the start
    "one-line": (
        b"2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU. ",
        b"x" * 93 + b"\x1b[0m ",
    ),
    # a flattened paste: records separated by spaces, no LF, and a real error at its very end
    "flattened": (b"", b"2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized "),
}
# The end of the flattened paste: the device-busy fixture on one line. Exit 1 says it was found
# (a paste was once analysed only up to the 256 KB line cut: exit 0).
TAILS = {
    "one-line": b"",
    "flattened": b" ".join((ROOT / "fixtures" / "device-busy.log").read_bytes().splitlines()) + b"\n",
}


def feed(stdin, head: bytes, unit: bytes, total: int, tail: bytes = b"") -> None:  # type: ignore[no-untyped-def]
    block = unit * max(1, (1 << 20) // len(unit))
    sent = 0
    try:
        stdin.write(head)
        while sent < total:
            stdin.write(block)
            sent += len(block)
        stdin.write(tail)
    except BrokenPipeError:
        pass
    finally:
        stdin.close()


def run(shape: str, mib: int, backend: str) -> tuple[float, int, int]:
    head, unit = SHAPES[shape]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "-", "--format", "json", "--backend", backend],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    writer = threading.Thread(target=feed, args=(proc.stdin, head, unit, mib << 20, TAILS[shape]))
    writer.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: ru_maxrss in KiB on Linux
    proc.returncode = os.waitstatus_to_exitcode(status)
    writer.join()
    took = time.perf_counter() - start
    if err.strip():
        print(f"  stderr: {err.decode()[:200]}")
    return took, usage.ru_maxrss, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mib", type=int, default=1024)
    ap.add_argument("--shape", choices=sorted(SHAPES), action="append")
    ap.add_argument("--backend", choices=["auto", "line"], action="append")
    args = ap.parse_args()
    for shape in args.shape or ["one-line", "flattened"]:
        for backend in args.backend or ["auto", "line"]:
            took, peak, code = run(shape, args.mib, backend)
            print(
                f"{shape:<10} {backend:<5} {args.mib} MiB, no newline: {took:6.1f} s ({args.mib / took:5.0f} MiB/s),"
                f" peak RSS {peak / 1024:.1f} MiB, exit {code}"
            )


if __name__ == "__main__":
    main()
