"""How findings and patterns are worded on screen. No Textual imports."""

from __future__ import annotations

import re

from rich.text import Text

from triage.i18n import label
from triage.render import localized
from triage.report import Evidence, Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
SEVERITY_LABEL = {"error": "ERROR", "warning": "WARN ", "info": "INFO "}
_COMMAND = re.compile(r"`([^`\n]+)`")

__all__ = [
    "SEVERITY_LABEL",
    "SEVERITY_STYLE",
    "append_checklist_and_references",
    "command_in",
    "first_command",
    "jump_target",
    "localized",
]


def command_in(step: str) -> str | None:
    """The first shell command (a `backticked` span) of a remediation step."""
    m = _COMMAND.search(step)
    return m.group(1).strip() if m else None


def first_command(steps: list[str]) -> str | None:
    for step in steps:
        cmd = command_in(step)
        if cmd:
            return cmd
    return None


def jump_target(finding: Finding) -> Evidence | None:
    """The evidence line to show first: the first one that is not a mere version banner."""
    for e in finding.evidence:
        if e.kind not in ("version", "version_skew"):
            return e
    return finding.evidence[0] if finding.evidence else None


def append_checklist_and_references(body: Text, checklist: list[str], references: list[str], lang: str = "en") -> None:
    """The checklist (boxes) and references (bullets) sections, shared by findings and KB patterns."""
    if checklist:
        heading = label("checklist", lang)
        body.append(f"\n{heading}\n" if body.plain else f"{heading}\n", style="bold")
        for item in checklist:
            body.append(f"  ☐ {item}\n")
    if references:
        body.append(f"\n{label('references', lang)}\n", style="bold")
        for ref in references:
            body.append(f"  • {ref}\n")
