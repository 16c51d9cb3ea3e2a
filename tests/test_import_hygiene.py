"""Start-up stays light: the CLI and the analyze path never import Textual (only `tui` does)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, ROOT

PROBE = """
import sys
import triage.cli
try:
    triage.cli.main([{log!r}, "--format", "json"])
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "onnx"))
sys.stderr.write("HEAVY=" + ",".join(heavy) + "\\n")
"""


def test_cli_and_analyze_do_not_import_textual() -> None:
    log = str(FIXTURES / "seed-incompatible-config.log")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(log=log)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert '"findings"' in done.stdout  # the analysis really ran
    heavy = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert heavy == ["HEAVY="], done.stderr


def test_the_probe_would_see_textual() -> None:
    """The check above can fail: importing the TUI app does load textual."""
    probe = "import sys, triage.tui.app; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
