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


# Hostile commands and logs (synthetic): what `run` must survive without hanging, failing or leaking.


@pytest.fixture(autouse=True)
def _no_real_log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FURIOSA_LOG_DIR", str(tmp_path / "furiosa-logs"))  # never the real one


def _diagnose(argv: list[str], tmp_path: Path, use_pty: bool = False):  # type: ignore[no-untyped-def]
    from triage.kb import load
    from triage.live.runner import run_and_diagnose

    seen: list[bytes] = []
    return run_and_diagnose(argv, load(), use_pty, out=seen.append, err=seen.append)


def test_advice_never_names_the_deleted_spool(tmp_path: Path) -> None:
    outcome = _diagnose(["sh", "-c", "echo 'RuntimeError: boom'; exit 1"], tmp_path)
    assert outcome.report is not None and outcome.report.findings
    text = outcome.report.model_dump_json()
    assert "warboy-triage-run-" not in text  # the spool is gone when the user reads the advice
    assert "patterns new --from <log>:1" in text


def test_binary_junk_before_the_failure_is_still_diagnosed(tmp_path: Path) -> None:
    """A command that dumps a binary blob (a tensor, a model) on its stdout before it fails."""
    script = "import sys; sys.stdout.buffer.write(bytes(range(256)) * 64 + b'\\nRuntimeError: boom\\n'); sys.exit(1)"
    outcome = _diagnose([sys.executable, "-c", script], tmp_path)
    assert outcome.error is None and outcome.report is not None
    assert any("RuntimeError: boom" in e.text for f in outcome.report.findings for e in f.evidence)


@pytest.mark.parametrize("use_pty", [False, True])
def test_a_grandchild_holding_the_output_open_does_not_hold_the_run(tmp_path: Path, use_pty: bool) -> None:
    """A command that starts a daemon and exits: the daemon keeps the pipe (or terminal) open."""
    started = time.monotonic()
    outcome = _diagnose(["sh", "-c", "sleep 60 & echo started; exit 1"], tmp_path, use_pty)
    assert time.monotonic() - started < 30
    assert outcome.child.returncode == 1
    assert outcome.report is not None
    assert any("still held" in n for n in outcome.report.notes)


def test_the_diagnosis_uses_the_fast_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of MB of output leave up to head + 2 x tail in the spool: line by line that takes minutes."""
    import triage.pipeline

    backends: list[object] = []
    real = triage.pipeline.analyze

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        backends.append(kwargs.get("backend"))
        return real(*args, **kwargs)

    monkeypatch.setattr(triage.pipeline, "analyze", spy)
    _diagnose(["sh", "-c", "echo 'RuntimeError: boom'; exit 1"], tmp_path)
    assert backends == ["auto"]


def test_compile_log_pointers_to_hostile_files_are_not_followed(tmp_path: Path) -> None:
    from triage.live.compile_logs import run_compile_logs

    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret:19000:0:99999:7:::\n")
    (tmp_path / "link.log").symlink_to(secret)
    with open(tmp_path / "sparse.log", "wb") as fh:
        fh.truncate(10 * 1024**3)  # 10 GB of nothing: reading it takes minutes
    (tmp_path / "model.log").write_bytes(b"\x00\x01\x02" * 5000)  # binary under a .log name
    good = tmp_path / "compile-1.log"
    good.write_text("ERROR furiosa_compiler::api: Out of sram (native error code: 8)\n")
    lines = [
        f"Please check the compiler log at {tmp_path / name}\n" for name in ("link.log", "sparse.log", "model.log")
    ]
    notes: list[str] = []
    found = run_compile_logs([*lines, f"Please check the compiler log at {good}\n"], time.time(), {}, notes)
    assert found == [good.resolve()]
    assert len(notes) == 3 and all("not read" in n for n in notes)


def test_a_log_file_given_as_the_command_gets_a_hint(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text("RuntimeError: boom\n")
    done = _triage_run(tmp_path, "--", str(log))
    assert done.returncode == 126
    assert f"to diagnose a log file: warboy-triage {log}" in done.stderr.decode()
    done = _triage_run(tmp_path, "--", str(tmp_path))
    assert done.returncode == 126 and b"is a directory" in done.stderr
    done = _triage_run(tmp_path, "--", "")
    assert done.returncode == 127 and b"command name is empty" in done.stderr


def test_json_diagnosis_on_stderr_parses(tmp_path: Path) -> None:
    """-f json: stderr after the command's own lines is the report, no banner line in front."""
    done = _triage_run(tmp_path, "--no-pty", "-f", "json", "--", "sh", "-c", "echo 'RuntimeError: boom'; exit 1")
    assert done.returncode == 1
    report = json.loads(done.stderr.decode())
    assert report["findings"][0]["id"] == "unrecognized-error"
