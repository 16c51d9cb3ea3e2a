"""The pre-ticket checklist for the current findings: tick items, export them as markdown."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from triage.report import Report
from triage.tui.checklist import ChecklistItem, export, items_for, to_markdown
from triage.tui.screens.export_dialog import ExportDialog

DEFAULT_EXPORT = "warboy-checklist.md"


class ChecklistScreen(Screen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("s", "export", "Export markdown"),
    ]

    def __init__(self, report: Report, done: set[int]) -> None:
        super().__init__()
        self.report = report
        self.done = done  # shared with the app, so ticks survive closing the screen
        self.items: list[ChecklistItem] = items_for(report)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="checklist-intro")
        yield SelectionList[int](id="checklist")
        yield Footer()

    def on_mount(self) -> None:
        titles = {f.id: f.title for f in self.report.findings}
        selections = self.query_one(SelectionList)
        selections.border_title = "Checklist before opening a ticket"
        for i, item in enumerate(self.items):
            prompt = Text(item.text)
            prompt.append(f"  ({titles.get(item.finding_id, item.finding_id)})", style="dim")
            selections.add_option(Selection(prompt, i, i in self.done))
        intro = (
            "Space ticks an item; s exports the list as markdown for the ticket."
            if self.items
            else "The current findings have no checklist items."
        )
        self.query_one("#checklist-intro", Static).update(Text(intro, style="dim"))
        if self.items:
            selections.highlighted = 0
        selections.focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.done.clear()
        self.done.update(event.selection_list.selected)

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(DEFAULT_EXPORT), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        try:
            written = export(Path(path), to_markdown(self.report, self.items, self.done))
        except OSError as exc:
            self.notify(f"Cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"Checklist written to {written}")

    def action_close(self) -> None:
        self.dismiss()
