"""Time and peak memory on inputs that never end or expand without bound, under the read budget.

    python bench/hostile_inputs.py                      # all cases, the default budget
    python bench/hostile_inputs.py --case zero --max-bytes 1073741824

Cases (built in a temporary directory, removed afterwards):
  zero    /dev/zero: an endless device of NUL bytes
  sparse  a 1 GiB sparse file (a hole: no data on disk, all NUL when read)
  bomb    a 10 GiB gzip bomb: ten gzip members of 1 GiB of one byte each (about 10 MB on disk)

Each runs `warboy-triage FILE --format json` under /usr/bin/time -v; the figures are wall time,
the tool's peak RSS ("Maximum resident set size"), the bytes the report says were read and its
budget note. The budget is counted in bytes, so the report is the same on any machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_bomb(path: Path, members: int = 10, member_bytes: int = 1 << 30) -> None:
    """Concatenated gzip members (valid gzip: readers decompress them all), one compressed once."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"A" * (1 << 20)
    parts = [comp.compress(block) for _ in range(member_bytes // len(block))]
    member = b"".join(parts) + comp.flush()
    with open(path, "wb") as fh:
        for _ in range(members):
            fh.write(member)


def make_sparse(path: Path, size: int = 1 << 30) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)


def run(target: str, max_bytes: int | None) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "triage", target, "--format", "json"]
    if max_bytes is not None:
        cmd += ["--max-bytes", str(max_bytes)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT)
    took = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    source = json.loads(proc.stdout)["sources"][0] if proc.stdout.strip() else {}
    return {
        "wall_s": round(took, 1),
        "user_s": float(user.group(1)) if user else None,
        "peak_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "exit": proc.returncode,
        "bytes": source.get("bytes"),
        "notes": [n for n in source.get("notes", []) if "--max-bytes" in n],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", choices=["zero", "sparse", "bomb"], action="append")
    ap.add_argument("--max-bytes", type=int, default=None, help="passed on (default: the tool's default budget)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="warboy-hostile-") as tmp:
        for case in args.case or ["zero", "sparse", "bomb"]:
            if case == "zero":
                target = "/dev/zero"
            elif case == "sparse":
                target = str(Path(tmp) / "sparse.log")
                make_sparse(Path(target))
            else:
                target = str(Path(tmp) / "bomb.log.gz")
                made = time.perf_counter()
                make_bomb(Path(target))
                size = Path(target).stat().st_size
                print(f"bomb: {size} bytes on disk ({time.perf_counter() - made:.1f} s to build)")
            print(f"{case:<7} {json.dumps(run(target, args.max_bytes))}", flush=True)


if __name__ == "__main__":
    main()
