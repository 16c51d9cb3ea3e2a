"""The same input gives the same report on an idle machine and with both cores busy: matching has no
wall-clock limits (issue 15). The input mixes the fixtures' failures with crafted lines of growing length
that repeat rule literals (synthetic, after bench/crafted.py): lines a time limit would cut at some size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

HEAD = "2024-05-14T06:22:00.000001Z ERROR nux: Not enough memory? "


def _crafted_log(path: Path) -> Path:
    lines = [(FIXTURES / "seed-incompatible-config-multiline.log").read_text()]
    for size in (1_000, 8_000, 32_000, 64_000, 128_000, 250_000):
        lines.append((HEAD + "uNpuDrv " * (size // 8))[:size] + "\n")
        lines.append(
            ("inference #1 completed in 410.5 ms input shape [1, 3, 1024, 1024] " * (size // 60))[:size] + "\n"
        )
        lines.append(("추론 지연 412.0 ms 입력 크기 " * (size // 20))[:size] + "\n")
    lines.append((FIXTURES / "dram-exhausted.log").read_text())
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _report(log: Path, backend: str) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "triage", str(log), "-f", "json", "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    report.pop("tool_version", None)
    return report  # type: ignore[no-any-return]


@pytest.mark.parametrize("backend", ["line", "re"])
def test_report_is_the_same_idle_and_with_both_cores_busy(tmp_path: Path, backend: str) -> None:
    log = _crafted_log(tmp_path / "crafted.log")
    idle = _report(log, backend)
    burners = [
        subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + 120\nwhile time.time() < end: pass"])
        for _ in range(2 * (os.cpu_count() or 1))
    ]
    try:
        busy = _report(log, backend)
    finally:
        for p in burners:
            p.kill()
            p.wait()
    assert busy == idle
    assert not [n for n in idle["notes"] if "time" in n or "gave up" in n]  # nothing was cut short
    assert idle["findings"][0]["id"] in ("sdk-version-mismatch", "dram-exhausted")
