"""Key reference (`?`)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Everywhere", ""),
    ("q", "quit"),
    ("?", "this help"),
    ("b", "knowledge base browser (every known cause, searchable in English and 한국어)"),
    ("l", "checklist for the current findings (space ticks, s exports markdown)"),
    ("k", "Korean / English titles and remediation"),
    ("d", "dark / light"),
    ("tab", "next pane"),
    ("escape", "close a screen or the search box"),
    ("Main screen", ""),
    ("up / down", "choose a finding: the log jumps to its evidence (highlighted)"),
    ("c", "copy the remediation command (of the focused step, else the first) to the clipboard"),
    ("/", "search the log; n / N next / previous hit"),
    ("e", "show only ERROR and WARN lines (again: all lines)"),
    ("o", "next log file, when several were given"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in KEYS:
            if what:
                table.add_row(key, what)
            else:
                table.add_row("", "")
                table.add_row(f"[u]{key}[/u]", "")
        with VerticalScroll(id="help-box"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "warboy-triage keys (Esc closes)"

    def action_close(self) -> None:
        self.dismiss()
