"""Write a large, deterministic Warboy-style log for the benchmarks (same bytes on every run).

Ordinary INFO/DEBUG traffic in the legacy tracing format, a few WARN lines, version banners at the
start, and the seed's incompatible-configuration failure near the end, so the report is not empty.
"""

from __future__ import annotations

import random
from pathlib import Path

HEADER = [
    "libfuriosa_hal.so --- v0.11.0, built @ 43c901f",
    "Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)",
]
MODULES = ["nux::npu", "nux::session", "nux::scheduler", "nux::dma", "furiosa_compiler::api"]
MESSAGES = [
    "Npu (npu0pe0-1) is being initialized",
    "NuxInner create with pes: [PeId(0)]",
    "submitting task {n} to pe 0 (input {k} bytes)",
    "task {n} finished in {k} us",
    "dma transfer {k} bytes from host to device",
    "queue depth {k}, waiting for completion of task {n}",
    "profiler span inference#{n} closed",
]
WARNINGS = ["furiosa-compiler and the dependent IR may be not compatible"]
FAILURE = [
    "{ts} ERROR nux: ENF configuration is not compatible with NPU.",
    "{ts} ERROR nux::capi: internal error: incompatible configuration",
    "Information Dump",
    "- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)",
    "- furiosa-compiler version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)",
    "- furiosa-runtime version: 0.8.2-release (rev: e97bb1ee)",
    "furiosa.runtime.errors.InternalError: unknown (native error code: 15)",
]


def _timestamp(n: int) -> str:
    seconds = 22_938 + n // 1000  # 06:22:18 plus one second per thousand lines
    h, rest = divmod(seconds % 86_400, 3600)
    m, s = divmod(rest, 60)
    return f"2023-02-11T{h:02d}:{m:02d}:{s:02d}.{(n * 7919) % 1_000_000:06d}Z"


def generate(path: Path, size: int, seed: int = 5) -> int:
    """Write about `size` bytes of log to `path`; returns the number of lines written."""
    rng = random.Random(seed)
    n = 0
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in HEADER:
            out.write(line + "\n")
            written += len(line) + 1
            n += 1
        while written < size - 2048:
            if rng.random() < 0.001:
                line = f"{_timestamp(n)}  WARN furiosa_compiler::api: {rng.choice(WARNINGS)}"
            else:
                level = "INFO" if rng.random() < 0.8 else "DEBUG"
                msg = rng.choice(MESSAGES).format(n=n, k=rng.randrange(1, 1 << 20))
                line = f"{_timestamp(n)}  {level} {rng.choice(MODULES)}: {msg}"
            out.write(line + "\n")
            written += len(line) + 1
            n += 1
        for line in FAILURE:
            out.write(line.format(ts=_timestamp(n)) + "\n")
            n += 1
    return n
