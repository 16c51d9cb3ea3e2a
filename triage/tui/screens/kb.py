"""Knowledge-base browser: every known cause, searchable in English and Korean, with examples."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from triage.kb import KnowledgeBase, Pattern
from triage.tui.kbsearch import search
from triage.tui.present import SEVERITY_LABEL, SEVERITY_STYLE, append_checklist_and_references


def pattern_detail(pattern: Pattern, lang: str) -> Group:
    ko = lang == "ko"
    title = (pattern.title_ko or pattern.title) if ko else pattern.title
    head = Text()
    head.append(title, style=SEVERITY_STYLE[pattern.severity])
    if pattern.title_ko and not ko:
        head.append(f"\n{pattern.title_ko}")
    head.append(
        f"\n{pattern.id} · {pattern.component} · {pattern.kind} · {pattern.severity}"
        + (f" · SDK {pattern.sdk}" if pattern.sdk else ""),
        style="dim",
    )
    body = Text(f"\n{' '.join(pattern.why.split())}\n")
    steps = (pattern.remediation_ko or pattern.remediation) if ko else pattern.remediation
    body.append("\nRemediation\n", style="bold")
    for i, step in enumerate(steps, 1):
        body.append(f"  {i}. {step}\n")
    append_checklist_and_references(body, pattern.checklist, pattern.references)
    if pattern.keywords:
        body.append("\nKeywords: ", style="bold")
        body.append(", ".join(pattern.keywords) + "\n")
    body.append("\nExamples (log excerpts that produce this finding)\n", style="bold")
    examples = [
        Text(example.strip() + "\n", style="dim", no_wrap=True, overflow="ellipsis") for example in pattern.examples
    ]
    return Group(head, body, *examples)


class KnowledgeBaseScreen(Screen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("slash", "focus_search", "Search"),
    ]

    def __init__(self, kb: KnowledgeBase, root: bool = False) -> None:
        super().__init__()
        self.kb = kb
        self.root = root  # opened without a log: nothing to go back to
        self.shown: list[Pattern] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="kb-body"):
            with Vertical(id="kb-left"):
                yield Input(placeholder="Search causes (English or 한국어)", id="kb-query")
                yield OptionList(id="kb-list")
            with VerticalScroll(id="kb-detail-box"):
                yield Static(id="kb-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#kb-list").border_title = "Knowledge base"
        self.query_one("#kb-detail-box").border_title = "Cause"
        self.watch(self.app, "lang", self._refresh_list, init=False)
        self._refresh_list()
        self.query_one("#kb-query", Input).focus()

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "en")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.query_one("#kb-query", Input):
            self._refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.query_one("#kb-query", Input):
            self.query_one("#kb-list", OptionList).focus()

    def _refresh_list(self) -> None:
        query = self.query_one("#kb-query", Input).value
        self.shown = search(self.kb, query)
        options = self.query_one("#kb-list", OptionList)
        options.clear_options()
        for i, p in enumerate(self.shown):
            title = (p.title_ko or p.title) if self.lang == "ko" else p.title
            prompt = Text()
            prompt.append(SEVERITY_LABEL[p.severity], style=SEVERITY_STYLE[p.severity])
            prompt.append(f" {title}")
            prompt.append(f"\n      {p.id}", style="dim")
            options.add_option(Option(prompt, id=f"pattern-{i}"))
        options.border_subtitle = f"{len(self.shown)} of {len(self.kb.patterns)}"
        if self.shown:
            options.highlighted = 0
            self._show(0)
        else:
            self.query_one("#kb-detail", Static).update(Text(f"No cause matches {query!r}.", style="dim"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id.startswith("pattern-"):
            self._show(int(event.option_id.removeprefix("pattern-")))

    def _show(self, i: int) -> None:
        if i < len(self.shown):
            self.query_one("#kb-detail", Static).update(pattern_detail(self.shown[i], self.lang))
            self.query_one("#kb-detail-box", VerticalScroll).scroll_home(animate=False)

    def action_focus_search(self) -> None:
        self.query_one("#kb-query", Input).focus()

    def action_close(self) -> None:
        if self.root:
            self.app.exit()
        else:
            self.dismiss()
