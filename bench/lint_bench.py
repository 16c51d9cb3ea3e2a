"""Lint time for a 1,000-node model (target: under one second). Prints figures; asserts nothing.

/work/venv/bin/python bench/lint_bench.py [--nodes 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    import onnx

    onnx_import = time.perf_counter() - t0
    from tests.onnx_graphs import chain, resnet_with_resize_and_softmax
    from triage.kb import load
    from triage.lint import lint_model

    kb = load()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "quantized residual CNN": chain(args.nodes, quantized=True),
            "float residual CNN": chain(args.nodes, quantized=False),
            "quantized CNN, a CPU op every 5th block": chain(args.nodes, quantized=True, cpu_every=5),
        }
        print(f"onnx {onnx.__version__}; import onnx: {onnx_import * 1000:.0f} ms")
        for label, model in cases.items():
            path = Path(tmp) / "m.onnx"
            onnx.save(model, str(path))
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                report = lint_model(path, kb=kb)
                times.append(time.perf_counter() - start)
            assert report.model is not None
            print(
                f"{label}: {report.model.nodes} nodes, {path.stat().st_size / 1024:.0f} KiB, "
                f"{len(report.findings)} finding(s); lint (load + shape inference + rules): "
                f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
                f"over {args.repeat} runs"
            )
        path = Path(tmp) / "big.onnx"
        onnx.save(chain(args.nodes, quantized=True), str(path))
        small = Path(tmp) / "resnet.onnx"
        onnx.save(resnet_with_resize_and_softmax(), str(small))
        for label, target in (("CLI, 1,000-node model", path), ("CLI, 14-node model", small)):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "triage", "lint", str(target), "-f", "json"],
                cwd=ROOT,
                capture_output=True,
                check=False,
            )
            print(
                f"{label}: `python -m triage lint` wall time {(time.perf_counter() - start) * 1000:.0f} ms "
                "(process start and imports included)"
            )


if __name__ == "__main__":
    main()
