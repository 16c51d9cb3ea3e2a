"""Start-up stays light: the CLI and the analyze path never import Textual (only `tui` does)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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


HELP_PROBE = """
import sys
import triage.cli
try:
    triage.cli.main(["--help"])
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "markdown_it", "pygments", "pydantic", "regex"})
sys.stderr.write("LOADED=" + ",".join(loaded) + "\\n")
"""


def test_help_loads_no_rich_and_no_pydantic() -> None:
    """--help is plain click help: rich, markdown-it and pygments cost ~90 ms of start-up, and the
    core (pydantic, the regex module) is not needed to list the commands."""
    done = subprocess.run([sys.executable, "-c", HELP_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Usage: warboy-triage" in done.stdout
    loaded = [line for line in done.stderr.splitlines() if line.startswith("LOADED=")]
    assert loaded == ["LOADED="], done.stderr


def test_help_lists_whole_command_summaries() -> None:
    """Plain help would cut a summary at the terminal width; each one is given whole, wrapped."""
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "triage", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env
    )
    commands = done.stdout.split("Commands:")[1].split("Examples:")[0]
    assert "..." not in commands
    assert "input sizes." in commands and "(exit 1 on any" in commands


SOURCE_PROBE = """
import inspect, sys
read = []
for name in ("findsource", "getsourcelines", "getsource"):
    real = getattr(inspect, name)
    setattr(inspect, name, lambda *a, _real=real, **k: read.append(a[0]) or _real(*a, **k))
import triage.report, triage.kb.schema, triage.api
triage.report.Evidence(line=1, text="x")
sys.stderr.write("READ=%d\\n" % len(read))
"""


def test_models_do_not_read_their_source_at_start_up() -> None:
    """Field docstrings enter the JSON Schema when one is asked for, not at import (reading and
    parsing the modules' source cost ~20 ms of every start-up)."""
    done = subprocess.run([sys.executable, "-c", SOURCE_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "READ=0" in done.stderr.splitlines(), done.stderr


GC_PROBE = """
import gc, sys
import triage.report as report
real = report.json_schema
def probe(*args, **kwargs):
    sys.stderr.write("GC=%s FROZEN=%s\\n" % (gc.isenabled(), gc.get_freeze_count() > 0))
    return real(*args, **kwargs)
report.json_schema = probe
import triage.cli
sys.argv = ["warboy-triage", "schema"]
try:
    triage.cli.main({argv})
except SystemExit:
    pass
sys.stderr.write("AFTER=%s\\n" % gc.isenabled())
"""


@pytest.mark.parametrize(("argv", "want"), [("None", "GC=True FROZEN=True"), ('["schema"]', "GC=True FROZEN=False")])
def test_the_command_runs_with_the_collector_on(argv: str, want: str) -> None:
    """The process's own command line pauses the cyclic GC for start-up only: the command itself runs
    with it on, start-up's objects frozen out of it. A caller's main(argv) leaves the GC alone."""
    code = GC_PROBE.format(argv=argv)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = done.stderr.splitlines()
    assert want in lines and "AFTER=True" in lines, done.stderr
