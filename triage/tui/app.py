"""The TUI application. `make_app()` builds it for the CLI and for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from triage.i18n import label
from triage.kb import KnowledgeBase
from triage.report import Report
from triage.tui.analysis import AnalysisError, analyze_in_child
from triage.tui.bindings import translate_bindings
from triage.tui.inputs import LogFile
from triage.tui.messages import AnalysisFailed, ReportReady
from triage.tui.screens.checklist import ChecklistScreen
from triage.tui.screens.help import HelpScreen
from triage.tui.screens.kb import KnowledgeBaseScreen
from triage.tui.screens.main import MainScreen

LIGHT, DARK = "textual-light", "textual-dark"


class TriageApp(App):
    """Findings, evidence and remediation of one report; the knowledge base without a log."""

    CSS_PATH = "triage.tcss"
    TITLE = "warboy-triage"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("b", "knowledge_base", "Knowledge base"),
        Binding("l", "checklist", "Checklist"),
        Binding("k", "toggle_korean", "한국어"),
        Binding("d", "toggle_dark", "Dark/light", show=False),  # in the help (?): the footer fits 120 columns
    ]

    lang: reactive[str] = reactive("en")

    def __init__(
        self,
        files: Sequence[LogFile],
        kb: KnowledgeBase,
        report: Report | None = None,
        patterns: Path | None = None,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.files = list(files)
        self.kb = kb
        self.report = report
        self.patterns = patterns
        self.checklist_done: set[int] = set()
        self.set_reactive(TriageApp.lang, lang)
        translate_bindings(self, lang)
        self.theme = DARK

    def on_mount(self) -> None:
        if not self.files:
            self.sub_title = "knowledge base"
            self.push_screen(KnowledgeBaseScreen(self.kb, root=True))
            return
        self.sub_title = ", ".join(f.title for f in self.files)
        self.main = MainScreen(self.files, self.report)
        self.push_screen(self.main)
        if self.report is None:
            self._analyse()

    @work(exclusive=True, group="analysis")
    async def _analyse(self) -> None:
        try:
            report = await analyze_in_child([f.path for f in self.files], self.patterns, self.lang)
        except AnalysisError as exc:
            self.main.post_message(AnalysisFailed(str(exc)))
            return
        self.report = report
        self.main.post_message(ReportReady(report))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_knowledge_base(self) -> None:
        if not isinstance(self.screen, KnowledgeBaseScreen):
            self.push_screen(KnowledgeBaseScreen(self.kb))

    def action_checklist(self) -> None:
        if isinstance(self.screen, ChecklistScreen):
            return
        if self.report is None:
            self.notify(label("no_report_yet", self.lang), severity="warning")
            return
        self.push_screen(ChecklistScreen(self.report, self.checklist_done))

    def action_toggle_korean(self) -> None:
        self.lang = "en" if self.lang == "ko" else "ko"

    def watch_lang(self, lang: str) -> None:
        translate_bindings(self, lang)
        for screen in self.screen_stack:
            translate_bindings(screen, lang)
        self.refresh_bindings()

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        # a screen pushed after the language changed gets its footer labels in that language too
        if not isinstance(screen, str):
            translate_bindings(screen, self.lang)
        return super().push_screen(screen, *args, **kwargs)

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK


def make_app(
    paths: Sequence[str | LogFile] = (),
    *,
    report: Report | None = None,
    kb: KnowledgeBase | None = None,
    patterns: Path | None = None,
    lang: str = "en",
) -> TriageApp:
    """The app over `paths` (analysed in a child process unless `report` is given)."""
    from triage.kb import load

    files = [p if isinstance(p, LogFile) else LogFile(str(p)) for p in paths]
    return TriageApp(files, kb or load(patterns), report=report, patterns=patterns, lang=lang)
