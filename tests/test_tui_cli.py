"""`warboy-triage tui` refuses bad input and a missing terminal with one line and exit 2."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, ROOT


def run_tui(*args: str, stdin=subprocess.DEVNULL, data: bytes | None = None):  # type: ignore[no-untyped-def]
    # start_new_session: no controlling terminal, as under CI or cron
    return subprocess.run(
        [sys.executable, "-m", "triage", "tui", *args],
        cwd=ROOT,
        capture_output=True,
        input=data,
        stdin=None if data is not None else stdin,
        timeout=60,
        start_new_session=True,
    )


def test_missing_file() -> None:
    done = run_tui("no-such.log")
    assert done.returncode == 2
    assert done.stderr.decode().strip() == "warboy-triage: error: no-such.log: no such file"


def test_directory() -> None:
    done = run_tui("fixtures")
    assert done.returncode == 2
    assert "is a directory" in done.stderr.decode()


def test_pipe_without_a_terminal_says_so() -> None:
    done = run_tui(data=(FIXTURES / "seed-incompatible-config.log").read_bytes())
    err = done.stderr.decode()
    assert done.returncode == 2
    assert "the TUI needs a terminal" in err and "--format text" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_file_without_a_terminal_says_so() -> None:
    done = run_tui(str(FIXTURES / "seed-incompatible-config.log"))
    assert done.returncode == 2
    assert "the TUI needs a terminal" in done.stderr.decode()


def test_pipe_is_copied_to_a_temp_file_and_removed(tmp_path) -> None:
    from triage.tui import inputs

    probe = (
        "import sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
        "from triage.tui.inputs import copy_stdin, cleanup\n"
        "f = copy_stdin(); print(f.label, open(f.path).read(), end=''); cleanup([f])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, input=b"piped line\n", capture_output=True, timeout=60
    )
    assert done.stdout.decode() == "<stdin> piped line\n"
    assert list(tmp_path.iterdir()) == []
    assert inputs.LogFile("x").title == "x"


def test_pipe_in_a_real_terminal_shows_findings_and_quits(tmp_path) -> None:
    """End to end: log on a pipe, keyboard from the (pseudo-)terminal, `q` quits with status 0."""
    import fcntl
    import os
    import pty
    import select
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x28\x00\x78\x00\x00\x00\x00\x00")  # 40 rows, 120 columns

    def own_terminal() -> None:  # new session whose controlling terminal is the pty: /dev/tty works
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = {**os.environ, "TERM": "xterm-256color", "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "tui"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=slave,
        stderr=slave,
        preexec_fn=own_terminal,
        env=env,
    )
    os.close(slave)
    proc.stdin.write((FIXTURES / "seed-incompatible-config.log").read_bytes())
    proc.stdin.close()
    screen = b""
    deadline = time.monotonic() + 60
    try:
        while b"sdk-version-mismatch" not in screen and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    screen += os.read(master, 65536)
                except OSError:
                    break
        assert b"sdk-version-mismatch" in screen and b"<stdin>" in screen
        os.write(master, b"q")
        while proc.poll() is None and time.monotonic() < deadline:  # keep draining the terminal
            if select.select([master], [], [], 0.2)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert not list(tmp_path.glob("warboy-triage-stdin-*"))  # the copy of the pipe is removed


def test_the_launch_errors_follow_the_language() -> None:
    missing_terminal = run_tui("--lang", "ko", str(FIXTURES / "seed-incompatible-config.log")).stderr.decode()
    assert "TUI에는 터미널이 필요하다" in missing_terminal and "needs a terminal" not in missing_terminal
    missing_file = run_tui("--lang", "ko", "no-such.log").stderr.decode()
    assert "no such file" not in missing_file and "no-such.log" in missing_file


def test_the_log_title_follows_the_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from triage.tui.logindex import LogIndex
    from triage.tui.widgets.log_view import LogView

    log = tmp_path / "a.log"
    log.write_text("one\nERROR two\n")
    index = LogIndex(str(log), name="a.log")
    view = SimpleNamespace(index=None, problems_only=True, filtered=[1], filter_complete=False)
    assert LogView.loading_note(view, "ko") == "로그 없음"  # type: ignore[arg-type]
    assert LogView.loading_note(view, "en") == "no log"  # type: ignore[arg-type]
    for _ in index.scan():
        pass
    view.index = index
    assert LogView.loading_note(view, "ko") == "a.log: 2줄, ERROR/WARN 1줄 (지금까지)"  # type: ignore[arg-type]
    assert LogView.loading_note(view) == "a.log: 2 lines, 1 ERROR/WARN rows so far"  # type: ignore[arg-type]
