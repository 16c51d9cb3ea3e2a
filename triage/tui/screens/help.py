"""Key reference (`?`)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from triage.i18n import HELP, label


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in HELP.get(self.lang, HELP["en"]):
            if what:
                table.add_row(key, what)
            else:
                table.add_row("", "")
                table.add_row(f"[u]{key}[/u]", "")
        with VerticalScroll(id="help-box"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = label("help_title", self.lang)

    def action_close(self) -> None:
        self.dismiss()
