"""triage.hook: a script's uncaught exception, then the diagnosis; nothing for an unrelated one.

The furiosa exception is SYNTHETIC: a class whose module and message are those of furiosa-sdk's
furiosa.runtime.errors.DeviceBusy ("NPU device busy", native error code 23;
python/furiosa-runtime/furiosa/runtime/errors.py in github.com/furiosa-ai/furiosa-sdk).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FURIOSA = """\
import sys

# synthetic: mimics furiosa.runtime.errors.DeviceBusy (same module, class name and message)
class DeviceBusy(Exception):
    def __str__(self):
        return "NPU device busy (native error code: 23)"
DeviceBusy.__module__ = "furiosa.runtime.errors"

print("args:", sys.argv[1:])
raise DeviceBusy()
"""
UNRELATED = "print('start')\nx = 1 / 0\n"
DIAGNOSIS = "warboy-triage: NPU device busy: another process already holds the Warboy device [error: device-busy]"


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    (tmp_path / "furiosa_script.py").write_text(FURIOSA)
    (tmp_path / "unrelated.py").write_text(UNRELATED)
    (tmp_path / "imports_hook.py").write_text("import triage.hook\n" + FURIOSA)
    return tmp_path


def test_run_a_script_under_the_hook(scripts: Path) -> None:
    plain = _python("furiosa_script.py", "a", "b", cwd=scripts)
    hooked = _python("-m", "triage.hook", "furiosa_script.py", "a", "b", cwd=scripts)
    assert hooked.returncode == plain.returncode == 1
    assert hooked.stdout == plain.stdout == "args: ['a', 'b']\n"
    assert hooked.stderr.startswith(plain.stderr)  # Python's own traceback first, our frames left out
    assert "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)" in plain.stderr
    diagnosis = hooked.stderr[len(plain.stderr) :]
    assert DIAGNOSIS in diagnosis
    assert "Fix: Find the process holding the NPU: `furiosactl ps`" in diagnosis
    assert "More: warboy-triage explain device-busy" in diagnosis


def test_import_installs_the_hook(scripts: Path) -> None:
    done = _python("imports_hook.py", cwd=scripts)
    assert done.returncode == 1
    assert done.stderr.index("DeviceBusy: NPU device busy") < done.stderr.index(DIAGNOSIS)


def test_an_unrelated_exception_is_left_alone(scripts: Path) -> None:
    plain = _python("unrelated.py", cwd=scripts)
    hooked = _python("-m", "triage.hook", "unrelated.py", cwd=scripts)
    assert "ZeroDivisionError: division by zero" in plain.stderr
    assert (hooked.returncode, hooked.stdout, hooked.stderr) == (plain.returncode, plain.stdout, plain.stderr)


def test_thread_exceptions_are_diagnosed(tmp_path: Path) -> None:
    body = FURIOSA.replace(
        "raise DeviceBusy()",
        "import threading\nt = threading.Thread(target=lambda: (_ for _ in ()).throw(DeviceBusy()))\nt.start(); t.join()\nprint('main done')",
    )
    (tmp_path / "threaded.py").write_text("import triage.hook\n" + body)
    done = _python("threaded.py", cwd=tmp_path)
    assert done.returncode == 0 and "main done" in done.stdout
    assert "Exception in thread" in done.stderr and DIAGNOSIS in done.stderr


def test_usage_and_missing_script(tmp_path: Path) -> None:
    done = _python("-m", "triage.hook", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("usage: python -m triage.hook")
    done = _python("-m", "triage.hook", "nope.py", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == "warboy-triage: error: nope.py: no such file\n"
    (tmp_path / "scripts").mkdir()
    done = _python("-m", "triage.hook", "scripts", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == "warboy-triage: error: scripts: is a directory, not a script\n"


def test_install_twice_and_uninstall() -> None:
    import triage.hook as hook

    before = sys.excepthook
    try:
        hook.install()
        installed = sys.excepthook
        hook.install()
        assert sys.excepthook is installed
        hook.uninstall()
        assert not getattr(sys.excepthook, "_warboy_triage_hook", False)
    finally:
        sys.excepthook = before


def test_run_a_module_under_the_hook(scripts: Path) -> None:
    plain = _python("-m", "furiosa_script", "x", cwd=scripts)
    hooked = _python("-m", "triage.hook", "-m", "furiosa_script", "x", cwd=scripts)
    assert hooked.stdout == plain.stdout == "args: ['x']\n"
    assert hooked.returncode == 1
    assert hooked.stderr.startswith('Traceback (most recent call last):\n  File "')
    assert "runpy" not in hooked.stderr and "triage/hook.py" not in hooked.stderr
    assert plain.stderr.splitlines()[-1] in hooked.stderr and DIAGNOSIS in hooked.stderr
    missing = _python("-m", "triage.hook", "-m", "no_such_module_here", cwd=scripts)
    assert missing.returncode == 2 and missing.stderr == "warboy-triage: error: no module named no_such_module_here\n"
