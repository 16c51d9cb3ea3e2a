"""`warboy-triage run -- CMD`: pass-through, diagnosis after the output, the command's exit status.

The failing child prints the seed note's real failure (fixtures/seed-incompatible-config-multiline.log);
the scripts around it are synthetic.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

FAILING_LOG = FIXTURES / "seed-incompatible-config-multiline.log"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["FURIOSA_LOG_DIR"] = str(tmp_path / "furiosa-logs")  # never the real one
    env["WARBOY_TRIAGE_NO_CACHE"] = "1"
    return env


def _triage_run(tmp_path: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "triage", "run", *args],
        capture_output=True,
        env=_env(tmp_path),
        timeout=120,
        **kwargs,
    )


def test_failing_command_passes_output_through_then_diagnoses(tmp_path: Path) -> None:
    script = f"import sys; sys.stdout.write(open({str(FAILING_LOG)!r}).read()); sys.exit(1)"
    done = _triage_run(tmp_path, "--no-pty", "--", sys.executable, "-c", script)
    assert done.returncode == 1
    assert done.stdout == FAILING_LOG.read_bytes()  # the command's stdout, untouched
    err = done.stderr.decode()
    assert "the command exited 1" in err
    assert "sdk-version-mismatch" in err


def test_healthy_command_output_is_byte_identical_and_exit_0(tmp_path: Path) -> None:
    healthy = (FIXTURES / "healthy-inference-run.log").read_bytes()
    script = (
        f"import sys; data = open({str(FIXTURES / 'healthy-inference-run.log')!r}, 'rb').read();"
        " sys.stdout.buffer.write(data[:100]); sys.stdout.flush(); sys.stderr.write('progress\\n'); sys.stderr.flush();"
        " sys.stdout.buffer.write(data[100:])"
    )
    done = _triage_run(tmp_path, "--no-pty", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout == healthy
    assert done.stderr == b"progress\n"  # nothing of ours on a healthy run


def test_fail_on_fails_a_command_that_exited_0(tmp_path: Path) -> None:
    script = f"import sys; sys.stdout.write(open({str(FAILING_LOG)!r}).read())"
    assert _triage_run(tmp_path, "--no-pty", "--", sys.executable, "-c", script).returncode == 0
    done = _triage_run(tmp_path, "--no-pty", "--fail-on", "error", "--", sys.executable, "-c", script)
    assert done.returncode == 1
    assert "sdk-version-mismatch" in done.stderr.decode()  # an error finding is shown even on exit 0


def test_report_file_and_compile_log_followed(tmp_path: Path) -> None:
    logs = tmp_path / "furiosa-logs"
    logs.mkdir()
    compile_log = logs / "compile-20230211152218-zpq6hg.log"
    script = (
        "import pathlib, sys;"
        f" pathlib.Path({str(compile_log)!r}).write_text("
        "'2023-02-11T06:22:18Z ERROR furiosa_compiler::api: Out of sram (native error code: 8)\\n');"
        f" print('Please check the compiler log at {compile_log}.'); sys.exit(2)"
    )
    report = tmp_path / "report.json"
    done = _triage_run(tmp_path, "--no-pty", "--report", str(report), "--", sys.executable, "-c", script)
    assert done.returncode == 2
    data = json.loads(report.read_text())
    assert str(compile_log) in [s["name"] for s in data["sources"]]
    assert data["sources"][0]["name"].startswith("output of `")


def test_child_killed_by_signal_reports_128_plus_n(tmp_path: Path) -> None:
    done = _triage_run(tmp_path, "--no-pty", "--", "sh", "-c", "echo started; kill -9 $$")
    assert done.returncode == 128 + 9
    assert done.stdout == b"started\n"
    assert "killed by signal 9" in done.stderr.decode()


def test_command_not_found_is_127_with_a_message(tmp_path: Path) -> None:
    done = _triage_run(tmp_path, "--", "no-such-command-warboy")
    assert done.returncode == 127
    assert b"command not found" in done.stderr
    assert b"Traceback" not in done.stderr


def test_ctrl_c_reaches_the_command_first(tmp_path: Path) -> None:
    """Ctrl-C on a terminal signals the whole foreground process group: the command handles it,
    warboy-triage waits for it, diagnoses what it printed and exits 130."""
    script = (
        "import signal, sys, time\n"
        "def bye(*_):\n"
        "    print('child: cleaning up after SIGINT', flush=True); sys.exit(130)\n"
        "signal.signal(signal.SIGINT, bye)\n"
        "print('child: ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "run", "--no-pty", "--", sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        start_new_session=True,  # its own process group, as a terminal job would have
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"child: ready\n"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert out == b"child: cleaning up after SIGINT\n"  # the child ran its own handler
    assert b"Traceback" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals as on Linux")
def test_pty_gives_the_command_a_terminal(tmp_path: Path) -> None:
    done = _triage_run(tmp_path, "--pty", "--", sys.executable, "-c", "import sys; print(sys.stdout.isatty())")
    assert done.returncode == 0
    assert done.stdout.strip() == b"True"


def test_sigterm_to_warboy_triage_is_passed_on(tmp_path: Path) -> None:
    script = "import time; print('up', flush=True); time.sleep(60)"
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "run", "--no-pty", "--", sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"up\n"
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert time.monotonic() - started < 30
