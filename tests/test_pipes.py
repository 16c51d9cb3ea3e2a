"""`warboy-triage big.log | head` exits quietly; Ctrl-C prints one line and exits 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "seed-incompatible-config.log"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def big_log(tmp_path_factory):
    """Enough evidence that the JSON report is larger than a pipe buffer (64 KB)."""
    p = tmp_path_factory.mktemp("pipes") / "big.log"
    seed = SEED.read_text()
    p.write_text("\n".join([seed] * 120) + "\n")
    return p


def _run_with_closed_stdout(*args: str) -> tuple[int, str]:
    """Run the CLI with stdout a pipe whose reader is already gone: every write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "triage", *args], stdout=write_end, stderr=subprocess.PIPE, env=_env(), timeout=120
        )
    finally:
        os.close(write_end)
    return proc.returncode, proc.stderr.decode()


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "jsonl"])
def test_closed_stdout_is_quiet(fmt: str) -> None:
    code, err = _run_with_closed_stdout(str(SEED), "--format", fmt)
    assert err == ""
    assert code in (0, 1)


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_closed_stdout_keeps_the_findings_exit_code(fmt: str) -> None:
    assert _run_with_closed_stdout(str(SEED), "--format", fmt) == (1, "")
    assert _run_with_closed_stdout(str(SEED), "--format", fmt, "--fail-on", "never") == (0, "")


def test_head_reads_one_line_and_the_writer_stays_quiet(big_log) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", str(big_log), "--format", "json", "--max-evidence", "10000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert first == b"{\n"
    assert err == b""
    assert big_log.stat().st_size > 4 * 65536


def test_sigint_prints_one_line_and_exits_130() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdin is not None
    proc.stdin.write(SEED.read_bytes())
    proc.stdin.flush()  # stdin stays open: the CLI is waiting for more log
    time.sleep(1.5)  # let it import and start reading (a signal during start-up is covered too)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode() == "warboy-triage: interrupted\n"
    assert out == b""


def test_sigint_during_jsonl_streaming_exits_130() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "--format", "jsonl", str(SEED), "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first input's records arrive before stdin ends
    assert b'"record":"finding"' in first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode() == "warboy-triage: interrupted\n"
