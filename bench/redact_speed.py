"""Redaction throughput: scan (pass 1) and apply (pass 2) over a synthetic log built from the fixtures.

    /work/venv/bin/python bench/redact_speed.py [MEGABYTES] [--clean]

--clean: only the fixture lines (like most real logs: few values to find); otherwise one line in 50
carries a prompt, an API key, an IP and a host. Prints MB/s for each pass and what was found.
No thresholds: figures only.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage.redact import Redactor  # noqa: E402

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


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mb = float(args[0]) if args else 20.0
    text = synthetic(mb, clean="--clean" in sys.argv)
    size = len(text.encode()) / 1e6
    r = Redactor()
    t0 = time.perf_counter()
    r.scan(text)
    t1 = time.perf_counter()
    out = r.apply(text)
    t2 = time.perf_counter()
    print(f"input: {size:.1f} MB, {text.count(chr(10))} lines; values found: {len(r.mapping)} {r.counts()}")
    print(f"scan (pass 1): {t1 - t0:.2f} s = {size / (t1 - t0):.1f} MB/s")
    print(f"apply (pass 2): {t2 - t1:.2f} s = {size / (t2 - t1):.1f} MB/s")
    print(f"output: {len(out.encode()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
