"""`%load_ext triage` in a real IPython shell and in a real Jupyter kernel (nbclient + ipykernel).

The furiosa exceptions here are SYNTHETIC: a class defined in the cell whose module and message are
those of furiosa-sdk's furiosa.runtime.errors.DeviceBusy ("NPU device busy", native error code 23;
python/furiosa-runtime/furiosa/runtime/errors.py in github.com/furiosa-ai/furiosa-sdk), raised the way
the runtime raises it. The nux log line is the one the device-busy pattern documents.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ROOT

pytest.importorskip("IPython")

FURIOSA_CELL = """\
# synthetic: mimics furiosa.runtime.errors.DeviceBusy (same module, class name and message)
class DeviceBusy(Exception):
    def __str__(self):
        return "NPU device busy (native error code: 23)"
DeviceBusy.__module__ = "furiosa.runtime.errors"
def create_session():
    raise DeviceBusy()
create_session()
"""
NUX_BUSY = (
    "2023-03-14T02:41:07.551203Z ERROR nux::npu: All NPU device is busy: Device warboy(1)*1 found but still in use"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    ip = InteractiveShell.instance(config=config)
    ip.run_cell("%colors nocolor")
    yield ip
    InteractiveShell.clear_instance()


@pytest.fixture
def ip(shell, capsys):
    capsys.readouterr()
    shell.run_cell("%load_ext triage")
    yield shell
    shell.run_cell("%unload_ext triage")


def run(ip, capsys, cell: str):
    result = ip.run_cell(cell)
    out = capsys.readouterr()
    return result, ANSI.sub("", out.out + out.err)


def test_furiosa_exception_gets_traceback_then_diagnosis(ip, capsys) -> None:
    result, out = run(ip, capsys, FURIOSA_CELL)
    assert type(result.error_in_exec).__name__ == "DeviceBusy"  # the original exception, untouched
    assert str(result.error_in_exec) == "NPU device busy (native error code: 23)"
    traceback_at = out.index("Traceback (most recent call last)")
    message_at = out.index("DeviceBusy: NPU device busy (native error code: 23)")
    diagnosis_at = out.index("warboy-triage: NPU device busy: another process already holds the Warboy device")
    assert traceback_at < message_at < diagnosis_at, out
    assert "create_session()" in out[traceback_at:message_at]  # the frames are shown as IPython shows them
    assert "Fix: Find the process holding the NPU: `furiosactl ps`" in out
    assert "More: warboy-triage explain device-busy" in out


def test_traceback_is_the_same_as_without_the_extension(shell, capsys) -> None:
    def tb(text: str) -> str:
        text = ANSI.sub("", text)
        return re.sub(r"In\[\d+\]", "In[N]", text[: text.index("(native error code: 23)")])

    capsys.readouterr()
    _, plain = run(shell, capsys, FURIOSA_CELL)
    shell.run_cell("%load_ext triage")
    try:
        _, with_ext = run(shell, capsys, FURIOSA_CELL)
    finally:
        shell.run_cell("%unload_ext triage")
    assert "warboy-triage" not in plain and "warboy-triage" in with_ext
    assert tb(with_ext) == tb(plain)


def test_run_magic_tracebacks_are_diagnosed(ip, capsys, tmp_path) -> None:
    """%run shows the script's traceback itself and the cell ends without error: still diagnosed, every time."""
    script = tmp_path / "serve.py"
    script.write_text(FURIOSA_CELL)
    for _ in range(2):
        result, out = run(ip, capsys, f"%run {script}")
        assert result.error_in_exec is None
        assert out.index("DeviceBusy: NPU device busy") < out.index("warboy-triage: NPU device busy")
    _, out = run(ip, capsys, "x = 1")
    assert "warboy-triage" not in out  # the recorded traceback is not diagnosed again


def test_unrelated_exception_gets_nothing(ip, capsys) -> None:
    result, out = run(ip, capsys, "1 / 0")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "ZeroDivisionError: division by zero" in out
    assert "warboy-triage" not in out


def test_line_magic_gives_the_full_report_of_the_last_failure(ip, capsys) -> None:
    run(ip, capsys, FURIOSA_CELL)
    _, out = run(ip, capsys, "%triage")
    assert "warboy-triage: <last failure>" in out and "1 finding" in out
    assert "Evidence:" in out and "furiosa.runtime.errors.DeviceBusy: NPU device busy" in out
    run(ip, capsys, "1 / 0")
    _, out = run(ip, capsys, "%triage")
    assert "unrecognized-error" in out and "ZeroDivisionError: division by zero" in out  # asked for: the full report


def test_line_magic_reads_a_log_file(ip, capsys) -> None:
    _, out = run(ip, capsys, f"%triage {ROOT / 'fixtures' / 'device-busy.log'}")
    assert "device-busy.log (25 lines): 1 finding" in out


def test_cell_magic_diagnoses_printed_log_lines(ip, capsys) -> None:
    """The cause is often only in what the cell printed (native log lines), not in the exception."""
    cell = f"%%triage\nimport sys\nprint({NUX_BUSY!r}, file=sys.stderr)\nprint('done')\n"
    result, out = run(ip, capsys, cell)
    assert result.error_in_exec is None
    assert NUX_BUSY in out and "done" in out  # the output still reaches the user
    assert "warboy-triage: NPU device busy: another process already holds the Warboy device" in out
    _, out = run(ip, capsys, "%%triage\nprint('all good')\n")
    assert "all good" in out and "no known Warboy problem in this cell's output" in out


def test_cell_magic_reads_the_output_and_the_exception_once(ip, capsys) -> None:
    """A bare InternalError 15 says little; the nux line the cell printed before it names the cause.

    The nux line is the seed note's (fixtures/seed-incompatible-config.log); the exception is synthetic."""
    cell = (
        "%%triage\nimport sys\n"
        "class InternalError(Exception):\n    def __str__(self):\n        return 'unknown (native error code: 15)'\n"
        "InternalError.__module__ = 'furiosa.runtime.errors'\n"
        "print('2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.', file=sys.stderr)\n"
        "raise InternalError()\n"
    )
    _, out = run(ip, capsys, cell)
    assert "InternalError: unknown (native error code: 15)" in out
    assert out.count("warboy-triage:") == 1, out
    assert "warboy-triage: SDK version mismatch" in out
    _, out = run(ip, capsys, "%triage")
    assert "sdk-version-mismatch" in out and "ENF configuration is not compatible" in out


def test_a_failing_diagnosis_never_hides_the_exception(ip, capsys, monkeypatch) -> None:
    import triage.ipython

    def broken(*args, **kwargs):
        raise RuntimeError("knowledge base unavailable")

    monkeypatch.setattr(triage.ipython, "diagnose", broken)
    result, out = run(ip, capsys, FURIOSA_CELL)
    assert type(result.error_in_exec).__name__ == "DeviceBusy"
    assert "DeviceBusy: NPU device busy (native error code: 23)" in out
    assert "could not diagnose this exception (RuntimeError: knowledge base unavailable)" in out


def test_loading_twice_installs_one_hook(ip, capsys) -> None:
    ip.run_cell("%load_ext triage")
    ip.run_cell("%reload_ext triage")
    _, out = run(ip, capsys, FURIOSA_CELL)
    assert out.count("warboy-triage: NPU device busy") == 1


def test_notebook_run_in_a_real_kernel(tmp_path) -> None:
    """nbclient runs a notebook in an ipykernel: the error output, then the HTML diagnosis; nothing for 1/0."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%load_ext triage"),
        nbformat.v4.new_code_cell(FURIOSA_CELL),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True, startup_timeout=60)
    client.execute(cwd=str(tmp_path), env=env)

    furiosa, zero = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o.output_type for o in furiosa] == ["error", "display_data"], furiosa
    error, shown = furiosa
    assert error.ename == "DeviceBusy" and error.evalue == "NPU device busy (native error code: 23)"
    assert any("create_session()" in ANSI.sub("", line) for line in error.traceback)
    html = shown.data["text/html"]
    assert 'class="warboy-triage"' in html
    assert "NPU device busy: another process already holds the Warboy device" in html
    assert "<code>warboy-triage explain device-busy</code>" in html
    assert "Fix:" in shown.data["text/plain"]
    assert [o.output_type for o in zero] == ["error"] and zero[0].ename == "ZeroDivisionError"
    nbformat.write(nb, tmp_path / "executed.ipynb")  # a valid notebook after the run
    nbformat.validate(nbformat.read(tmp_path / "executed.ipynb", as_version=4))


def test_line_magic_on_a_missing_file_is_one_line_not_a_traceback(ip, capsys, tmp_path) -> None:
    for arg in (str(tmp_path / "missing.log"), str(tmp_path)):
        result, out = run(ip, capsys, f"%triage {arg}")
        assert result.error_in_exec is None, arg  # IPython showed our ReaderError with its traceback
        assert "Traceback" not in out and f"warboy-triage: {arg}:" in out


def test_cell_magic_survives_binary_output(ip, capsys) -> None:
    """A cell that prints a binary blob (a tensor's bytes) before it fails (synthetic)."""
    cell = (
        "%%triage\nimport sys\nsys.stdout.write('\\x00\\x01' * 5000)\n"
        "raise RuntimeError('NPU device busy (native error code: 23)')\n"
    )
    result, out = run(ip, capsys, cell)
    assert result.error_in_exec is None
    assert "ReaderError" not in out and "looks like binary data" not in out
    assert "[error: device-busy]" in out
