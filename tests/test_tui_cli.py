"""`warboy-triage tui` refuses bad input and a missing terminal with one line and exit 2."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, ROOT


def run_tui(*args: str, stdin=subprocess.DEVNULL, data: bytes | None = None):  # type: ignore[no-untyped-def]
    # start_new_session: no controlling terminal, as under CI or cron
    return subprocess.run([sys.executable, "-m", "triage", "tui", *args], cwd=ROOT, capture_output=True,
                          input=data, stdin=None if data is not None else stdin, timeout=60,
                          start_new_session=True)


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

    probe = ("import sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
             "from triage.tui.inputs import copy_stdin, cleanup\n"
             "f = copy_stdin(); print(f.label, open(f.path).read(), end=''); cleanup([f])\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, input=b"piped line\n",
                          capture_output=True, timeout=60)
    assert done.stdout.decode() == "<stdin> piped line\n"
    assert list(tmp_path.iterdir()) == []
    assert inputs.LogFile("x").title == "x"
