"""The pre-ticket checklist for the current findings: tick items, export them as markdown."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Header, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from triage.i18n import label
from triage.report import Report
from triage.tui.checklist import ChecklistItem, export, items_for, to_markdown
from triage.tui.screens.export_dialog import ExportDialog

DEFAULT_EXPORT = "warboy-checklist.md"
TICKED, UNTICKED = "✓", " "


class TickList(SelectionList[int]):
    """A SelectionList whose boxes differ by glyph (✓ or empty), not by colour alone."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            option = self.get_option_at_index(int(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return strip
        glyph = TICKED if option.value in self.selected else UNTICKED
        segments[1] = Segment(glyph, segments[1].style)
        return Strip(segments)


class ChecklistScreen(Screen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("s", "export", "Export markdown"),
    ]

    def __init__(self, report: Report, done: set[int]) -> None:
        super().__init__()
        self.report = report
        self.done = done  # shared with the app, so ticks survive closing the screen
        self.items: list[ChecklistItem] = items_for(report, getattr(self.app, "lang", "en"))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="checklist-intro")
        yield TickList(id="checklist")
        yield Footer()

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def on_mount(self) -> None:
        titles = {f.id: f.title for f in self.report.findings}
        selections = self.query_one(SelectionList)
        selections.border_title = label("checklist_title", self.lang)
        for i, item in enumerate(self.items):
            prompt = Text(item.text)
            prompt.append(f"  ({titles.get(item.finding_id, item.finding_id)})", style="dim")
            selections.add_option(Selection(prompt, i, i in self.done))
        intro = label("checklist_intro" if self.items else "checklist_empty", self.lang)
        self.query_one("#checklist-intro", Static).update(Text(intro, style="dim"))
        if self.items:
            selections.highlighted = 0
        selections.focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.done.clear()
        self.done.update(event.selection_list.selected)

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(DEFAULT_EXPORT, self.lang), self._export_to)

    def _export_to(self, path: str | None) -> None:
        if not path:
            return
        try:
            written = export(Path(path), to_markdown(self.report, self.items, self.done, self.lang))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.notify(label("export_failed", self.lang, path=path, reason=reason), severity="error")
            return
        self.notify(label("export_done", self.lang, path=written))

    def action_close(self) -> None:
        self.dismiss()
