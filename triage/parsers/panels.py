"""Error panels of rich-click / Typer command-line tools.

click prints a usage error as `Error: Missing option '--model-name'.`; programs built on Typer or
rich-click draw the same message in a panel titled Error:

    ╭─ Error ──────────────────────────────────────────╮
    │ Missing option '--devices'.                      │
    ╰──────────────────────────────────────────────────╯

The panel's first text line is the failure; read without its borders it is click's plain line, so
the safety net and the report show `Error: Missing option '--devices'.` (evidence at that line).
Every line of a panel has non-ASCII box-drawing characters, so the fast scan feeds them all.
"""

from __future__ import annotations

import re

# rich draws the title into the top border: `╭─ Error ───╮` (rounded) or `┌─ Error ───┐` (square)
_TOP = re.compile(r"^\s*[╭┌]─+ ?Error ?─+[╮┐]\s*$")
_ROW = re.compile(r"^\s*│(?P<text>.*)│\s*$")
_BOTTOM = re.compile(r"^\s*[╰└]─+[╯┘]\s*$")


class ErrorPanel:
    """Follows one stream's lines; says which line is the message of an Error panel."""

    def __init__(self) -> None:
        self._state = 0  # 0: outside, 1: in a panel before its message, 2: after the message

    def feed(self, text: str) -> str | None:
        """The panel's message as click prints it (`Error: ...`) when this line carries it."""
        if self._state == 0:
            if "Error" in text and not text.isascii() and _TOP.match(text):
                self._state = 1
            return None
        if _BOTTOM.match(text):
            self._state = 0
            return None
        row = _ROW.match(text)
        if row is None:  # not a panel row after all: the panel ended without its border
            self._state = 0
            return None
        message = row.group("text").strip()
        if self._state == 1 and message:
            self._state = 2
            return f"Error: {message}"
        return None

    def reset(self) -> None:
        self._state = 0

    def state(self) -> int:
        """Where it stands: outside a panel, in one before its message, or after it."""
        return self._state

    def resume(self, other: ErrorPanel) -> None:
        """Go on from where `other` stands (--jobs: the parent after a worker's unit)."""
        self._state = other._state


__all__ = ["ErrorPanel"]
