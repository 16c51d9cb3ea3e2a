"""The main screen: ranked findings and versions beside the finding's detail, the log below."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from triage.i18n import label
from triage.report import Finding, Report
from triage.tui.inputs import LogFile
from triage.tui.logindex import LogIndex, find_among
from triage.tui.messages import (
    AnalysisFailed,
    FindClosed,
    FindingSelected,
    FindRequest,
    ReportReady,
    ScanProgress,
)
from triage.tui.present import jump_target
from triage.tui.widgets.find_bar import FindBar
from triage.tui.widgets.finding_detail import FindingDetail
from triage.tui.widgets.findings_list import FindingsList
from triage.tui.widgets.log_view import LogView
from triage.tui.widgets.versions_panel import VersionsPanel


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "find", "Search log"),
        Binding("n", "find_next", "Next hit", show=False),
        Binding("N", "find_previous", "Previous hit", show=False),
        Binding("e", "toggle_problems", "ERROR/WARN only"),
        Binding("c", "copy_command", "Copy command"),
        Binding("o", "next_file", "Next file", show=False),
    ]

    def __init__(self, files: list[LogFile], report: Report | None = None) -> None:
        super().__init__()
        self.files = files
        self.report = report
        self.error = ""
        self.selected: int | None = None
        self.indexes = {f.path: LogIndex(f.path, f.title) for f in files}
        self.current: LogFile | None = files[0] if files else None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            with Vertical(id="left"):
                yield FindingsList(id="findings")
                yield VersionsPanel(id="versions")
            yield FindingDetail(id="detail")
        yield LogView(id="log")
        yield FindBar(id="find")
        yield Footer()

    def on_mount(self) -> None:
        self._titles()
        self.watch(self.app, "lang", self._language_changed, init=False)
        if self.current is not None:
            self._open(self.current)
        self._show_report()
        self.query_one(FindingsList).focus()

    def on_resize(self) -> None:
        # small terminals: the versions panel scrolls so the findings keep room
        self.set_class(self.size.height < 30, "-compact")

    def on_unmount(self) -> None:
        for index in self.indexes.values():
            index.close()

    # -- report ---------------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def _show_report(self) -> None:
        findings = self.query_one(FindingsList)
        detail = self.query_one(FindingDetail)
        versions = self.query_one(VersionsPanel)
        if self.report is None:
            failed = label("analysis_failed", self.lang, error=self.error) if self.error else ""
            note = failed or label("analysing", self.lang)
            findings.show([], self.lang, placeholder=note)
            detail.show(None, self.lang, placeholder=note)
            versions.show(None)
            return
        findings.show(self.report.findings, self.lang, placeholder=label("no_problem_log", self.lang))
        versions.show(self.report, self.lang)
        if not self.report.findings:
            detail.show(None, self.lang, placeholder=label("no_finding_hint", self.lang))
        elif self.selected is not None:
            self._select(self.selected, jump=False)
        else:
            self._select(0)

    def on_report_ready(self, message: ReportReady) -> None:
        self.report = message.report
        self._show_report()

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        self.error = message.error
        self._show_report()

    def _language_changed(self) -> None:
        self._titles()
        self._retitle()
        self._show_report()

    def _titles(self) -> None:
        self.query_one(FindBar).placeholder = label("find_placeholder", self.lang)
        self.query_one("#findings").border_title = label("findings", self.lang)
        self.query_one("#versions").border_title = label("versions", self.lang)
        self.query_one("#detail").border_title = label("detail", self.lang)

    @property
    def finding(self) -> Finding | None:
        if self.report is None or self.selected is None or self.selected >= len(self.report.findings):
            return None
        return self.report.findings[self.selected]

    def on_finding_selected(self, message: FindingSelected) -> None:
        if message.index != self.selected:
            self._select(message.index)

    def _select(self, index: int, jump: bool = True) -> None:
        self.selected = index
        finding = self.finding
        self.query_one(FindingDetail).show(finding, self.lang)
        if finding is None:
            return
        target = jump_target(finding)
        if target is not None and (self.current is None or target.source != self.current.path):
            for f in self.files:
                if f.path == target.source:
                    self._open(f)
        self._highlight(finding, jump=jump)

    def _highlight(self, finding: Finding, jump: bool = True) -> None:
        if self.current is None:
            return
        here = [(e.line, e.text) for e in finding.evidence if e.source in (self.current.path, "")]
        target = jump_target(finding)
        jump_to = (target.line, target.text) if jump and target and (target.line, target.text) in here else None
        log = self.query_one(LogView)
        log.show_evidence(here, jump=jump_to)

    # -- log ------------------------------------------------------------------------------------

    def _open(self, file: LogFile) -> None:
        self.current = file
        log = self.query_one(LogView)
        log.load(self.indexes[file.path])
        self._retitle()

    def _retitle(self) -> None:
        log = self.query_one(LogView)
        many = len(self.files) > 1 and self.current is not None
        at = self.files.index(self.current) + 1  # type: ignore[arg-type]
        position = label("file_position", self.lang, at=at, count=len(self.files)) if many else ""
        log.border_title = f"{label('log', self.lang)}: {log.loading_note(self.lang)}{position}"

    def on_scan_progress(self, message: ScanProgress) -> None:
        self._retitle()

    def action_next_file(self) -> None:
        if len(self.files) > 1 and self.current is not None:
            self._open(self.files[(self.files.index(self.current) + 1) % len(self.files)])
            if self.finding is not None:
                self._highlight(self.finding)

    def action_toggle_problems(self) -> None:
        log = self.query_one(LogView)
        log.problems_only = not log.problems_only
        self._retitle()

    # -- search ---------------------------------------------------------------------------------

    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.add_class("-visible")
        bar.focus()

    def on_find_closed(self, message: FindClosed) -> None:
        self.query_one(FindBar).remove_class("-visible")
        self.query_one(LogView).focus()

    def on_find_request(self, message: FindRequest) -> None:
        log = self.query_one(LogView)
        log.find_text = message.query
        self._find(message.query, message.forward)
        self.query_one(FindBar).remove_class("-visible")
        log.focus()

    def action_find_next(self) -> None:
        self._find_again(True)

    def action_find_previous(self) -> None:
        self._find_again(False)

    def _find_again(self, forward: bool) -> None:
        log = self.query_one(LogView)
        if not log.find_text:
            self.action_find()
            return
        self._find(log.find_text, forward)

    def _find(self, query: str, forward: bool) -> None:
        log = self.query_one(LogView)
        if log.index is None:
            return
        rows = log.filtered if log.problems_only else None
        self._search(log.index, rows, query, log.cursor_start, forward)

    @work(thread=True, exclusive=True, group="find")
    def _search(self, index: LogIndex, rows, query: str, start: int, forward: bool) -> None:  # type: ignore[no-untyped-def]
        row = index.find(query, start, forward) if rows is None else find_among(index, rows, query, start, forward)
        self.app.call_from_thread(self._found, index, query, row)

    def _found(self, index: LogIndex, query: str, row: int | None) -> None:
        log = self.query_one(LogView)
        if log.index is not index:
            return
        if row is None:
            self.notify(label("not_found", self.lang, query=query), severity="warning")
            return
        log.move_cursor(row)

    # -- remediation ----------------------------------------------------------------------------

    def action_copy_command(self) -> None:
        command = self.query_one(FindingDetail).command()
        if command is None:
            self.notify(label("no_command", self.lang), severity="warning")
            return
        self.app.copy_to_clipboard(command)
        self.notify(label("copied", self.lang, command=command))
