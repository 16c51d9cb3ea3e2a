"""Run the analysis for the TUI. No Textual imports.

The pipeline runs in a child process (`python -m triage analyze --format json`) so a slow
analysis of a large log neither blocks the screen nor competes with it for the GIL; the JSON
contract brings the Report back. (Tests give the app a ready Report instead.)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from triage.messages import say
from triage.report import Report
from triage.safety import safe_report

MAX_EVIDENCE = 50


class AnalysisError(Exception):
    """The analysis could not run; the message is the CLI's one-line error."""


def command(paths: list[str], patterns: Path | None = None, lang: str = "en") -> list[str]:
    """The child's command line; its errors come in `lang` (its JSON is the same in every language)."""
    cmd = [
        sys.executable,
        "-m",
        "triage",
        "analyze",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--max-evidence",
        str(MAX_EVIDENCE),
        "--lang",
        lang,
    ]
    if patterns is not None:
        cmd += ["--patterns", str(patterns)]
    return [*cmd, "--", *paths]


async def analyze_in_child(paths: list[str], patterns: Path | None = None, lang: str = "en") -> Report:
    proc = await asyncio.create_subprocess_exec(
        *command(paths, patterns, lang),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await proc.communicate()
    except asyncio.CancelledError:
        if proc.returncode is None:
            proc.kill()
        raise
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        text = message[-1] if message else say("tui_analysis_exit", lang, code=proc.returncode)
        raise AnalysisError(text.removeprefix("warboy-triage: error: "))
    try:
        # every string shown on screen is made terminal-safe, whatever produced the JSON
        return safe_report(Report.model_validate_json(out))
    except ValueError as exc:
        raise AnalysisError(say("tui_not_a_report", lang, error=exc)) from None
