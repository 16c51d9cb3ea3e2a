"""Asks where to write the checklist; returns the path, or None when cancelled."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from triage.i18n import label


class ExportDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: str, lang: str = "en") -> None:
        super().__init__()
        self.default = default
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(label("export_prompt", self.lang))
            yield Input(value=self.default, id="export-path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
