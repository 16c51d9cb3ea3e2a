"""Deterministic benchmark logs that look like what users run, and some that are hostile.

    python bench/logs.py traffic out.log --size-mb 200 [--seed 11]

Every log here is SYNTHETIC: its lines are built by this script, in the shapes of the real
lines in fixtures/*.log and of the runtime traffic quoted in issue 14 (tracing records
`<ts>  INFO nux::session: ...`, FuriosaRT banners, compiler progress stages `[1/6] ...`,
Python tracebacks, `uNpuDrv (E)` driver lines). They exercise speed, not knowledge: the
few failures dropped in are copies of fixture incidents, so the report is not empty.

Kinds:
  traffic      runtime traffic: one line in five an inference latency in ms, task submissions,
               tensor copies, session and telemetry lines, warnings, a few real failures
  compile      compiler output: progress stages, per-op lines, hints, a finished compile
  adversarial  every line holds a prefilter literal of some rule (input, size, shape, infer,
               latency, supported, incompatible, not enough memory, ...) but matches none
  long         lines of 160-2000 characters and non-ASCII lines (Korean, paths in Cyrillic,
               Greek, CJK), at INFO level
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("traffic", "compile", "adversarial", "long")
FIXTURE_INCIDENTS = (
    "dram-exhausted.log",
    "seed-incompatible-config.log",
    "device-busy.log",
    "telemetry-noise.log",
    "session-closed.log",
)


class Clock:
    """A running tracing timestamp, microseconds apart by a seeded random step."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.us = 6 * 3600 * 1_000_000 + 22 * 60 * 1_000_000

    def __call__(self) -> str:
        self.us += self.rng.randrange(3, 900)
        s, us = divmod(self.us, 1_000_000)
        h, rest = divmod(s % 86_400, 3600)
        m, sec = divmod(rest, 60)
        return f"2024-05-14T{h:02d}:{m:02d}:{sec:02d}.{us:06d}Z"


def _incident(rng: random.Random) -> list[str]:
    name = rng.choice(FIXTURE_INCIDENTS)
    return (ROOT / "fixtures" / name).read_text(encoding="utf-8").splitlines()


def traffic(rng: random.Random) -> Iterator[str]:
    ts = Clock(rng)
    devices = ["npu0pe0-1", "npu1pe0-1", "npu0pe0", "npu0pe1"]
    yield "FuriosaRT (v0.10.2, rev: 1a2b3c4d5, built at: 2023-11-24T07:20:41Z) bootstrapping ..."
    yield "Found furiosa-compiler (v0.10.1, rev: 8b00177, built at: 2023-11-22T04:44:57Z)"
    yield "Found libhal (type: warboy, v0.11.0, rev: 43c901f built at: 2023-08-07T08:07:55Z)"
    yield "[Runtime-0] detected 1 NPU device(s):"
    yield "- [0] npu:0:0-1 (warboy-b0-2pe, 128dpes, firmware: 1.7.3, e1c4288)"
    n = 70000
    while True:
        n += 1
        r = rng.random()
        dev = rng.choice(devices)
        if r < 0.2:
            yield f"{ts()}  INFO nux::session: inference #{n} completed in {rng.uniform(2, 40):.3f} ms"
        elif r < 0.4:
            yield f"{ts()}  INFO nux::scheduler: submitting task {n} to {dev} (batch {rng.randrange(1, 9)})"
        elif r < 0.55:
            size = rng.choice((150528, 602112, 1204224, 4000))
            yield f"{ts()} DEBUG nux::dma: copy tensor input_{rng.randrange(4)} {size} bytes host -> {dev}"
        elif r < 0.65:
            yield f"{ts()}  INFO nux::session: session {rng.randrange(1, 64)} on {dev}: queue depth {rng.randrange(9)}"
        elif r < 0.75:
            yield f"{ts()}  INFO nux::telemetry: exported {rng.randrange(1, 512)} spans, {rng.randrange(99)} metrics"
        elif r < 0.85:
            yield f"{ts()} DEBUG nux::npu: Npu ({dev}) completion {n} dequeued"
        elif r < 0.95:
            yield f"progress: {n}/200000 requests, {rng.uniform(500, 700):.1f} req/s"
        elif r < 0.99:
            yield f"{ts()}  INFO nux::session: output tensor copied back in {rng.uniform(0.1, 3):.3f} ms"
        elif r < 0.9995:
            yield f"{ts()}  WARN nux::scheduler: task {n} waited {rng.randrange(5, 90)} ms for a free PE"
        else:
            yield from _incident(rng)


STAGES = ("onnx to dfg", "dfg to ldfg", "ldfg to cdfg", "cdfg to gir", "gir to lir", "lir to enf")


def compile_output(rng: random.Random) -> Iterator[str]:
    ts = Clock(rng)
    ops = ("Conv", "Relu", "Add", "MaxPool", "Concat", "Resize", "Sigmoid", "Mul", "Split")
    run = 0
    while True:
        run += 1
        yield f"$ furiosa-compiler model_{run}_i8.onnx -o model_{run}.enf"
        yield "Using furiosa-compiler 0.10.1 (rev: 8b00177 built at 2023-11-22T04:44:57Z)"
        for i, stage in enumerate(STAGES, 1):
            yield f"[{i}/6] 🔍 Compiling from {stage}"
            for _ in range(rng.randrange(50, 400)):
                op = rng.choice(ops)
                k = rng.randrange(1, 900)
                yield f"{ts()} DEBUG furiosa_compiler::lower: lowering {op}_{k} ({rng.randrange(1, 64)} tiles)"
                if rng.random() < 0.02:
                    yield f"{ts()}  INFO furiosa_compiler::api: hint: {op}_{k} fused with its producer"
        yield f"✨ Finished in {rng.uniform(20, 400):.2f}s"


# Lines that contain a literal of some rule yet match no rule (checked by tests/test_scan.py).
ADVERSARIAL = (
    "{ts}  INFO nux::session: input tensor images shape (1, 3, 640, 640) bound",
    "{ts}  INFO nux::dma: input size 602112 bytes, output size 4000 bytes",
    "{ts}  INFO nux::session: inference #{n} scheduled, latency budget pending",
    "{ts}  INFO app: inferred resolution 640x640 from the model",
    "{ts}  INFO nux::npu: supported operators table loaded ({n} entries)",
    "{ts}  INFO nux::npu: incompatible flag cleared for npu0pe0",
    "{ts}  INFO app: throughput report scheduled",
    "{ts}  INFO app: fp32 reference kept for comparison",
    "{ts}  INFO nux: Not enough memory checks passed (uNpuDrv pool ready)",
    "{ts}  INFO app: No such file or directory is never fatal for optional cache /tmp/{n}.bin",
    "{ts}  INFO app: per image post-processing done",
    "{ts}  INFO app: insufficient data for a histogram of batch {n}",
    "{ts}  INFO app: channel is full of frames, slowing the camera",
    "{ts}  INFO app: the node graph is supported end to end",
    "{ts}  INFO furiosa_compiler::api: Compiling from onnx to dfg was cached",
    "{ts}  INFO app: latency of batch {n} logged to tracing.json",
)


def adversarial(rng: random.Random) -> Iterator[str]:
    ts = Clock(rng)
    n = 0
    while True:
        n += 1
        yield rng.choice(ADVERSARIAL).format(ts=ts(), n=n)


WORDS = ("tensor", "pipeline", "buffer", "stream", "worker", "frame", "queue", "batch", "model", "runtime")
SCRIPTS = (
    "추론 세션이 시작되었습니다 모델 로딩 완료 장치 초기화",
    "/данные/модели/resnet50_i8.enf",
    "/δεδομένα/μοντέλα/yolo.enf",
    "/データ/モデル/検出器.enf",
    "/数据/模型/分类器.enf",
)


def long_lines(rng: random.Random) -> Iterator[str]:
    ts = Clock(rng)
    n = 0
    while True:
        n += 1
        if rng.random() < 0.5:
            words = " ".join(rng.choice(WORDS) + str(rng.randrange(999)) for _ in range(rng.randrange(25, 300)))
            yield f"{ts()}  INFO app::trace: step {n}: {words}"
        else:
            text = " ".join(rng.choice(SCRIPTS) for _ in range(rng.randrange(1, 12)))
            yield f"{ts()}  INFO app: {n}번째 요청 처리: {text}"


GENERATORS: dict[str, Callable[[random.Random], Iterator[str]]] = {
    "traffic": traffic,
    "compile": compile_output,
    "adversarial": adversarial,
    "long": long_lines,
}


def generate(kind: str, path: Path, size: int, seed: int = 11) -> None:
    """Write about `size` bytes (whole lines) of the `kind` log to `path`; same bytes for the same seed."""
    rng = random.Random(f"{kind}-{seed}")
    written = 0
    batch: list[str] = []
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in GENERATORS[kind](rng):
            batch.append(line + "\n")
            written += len(line.encode()) + 1
            if written >= size:
                break
            if len(batch) >= 10000:
                out.writelines(batch)
                batch.clear()
        out.writelines(batch)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=KINDS)
    ap.add_argument("out", type=Path)
    ap.add_argument("--size-mb", type=float, default=20)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    generate(args.kind, args.out, int(args.size_mb * (1 << 20)), args.seed)


if __name__ == "__main__":
    main()
