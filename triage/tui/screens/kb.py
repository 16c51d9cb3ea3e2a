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

from triage.i18n import checklist as localized_checklist
from triage.i18n import label
from triage.i18n import why as localized_why
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
    body = Text(f"\n{localized_why(pattern, lang)}\n")
    steps = (pattern.remediation_ko or pattern.remediation) if ko else pattern.remediation
    body.append(f"\n{label('remediation', lang)}\n", style="bold")
    for i, step in enumerate(steps, 1):
        body.append(f"  {i}. {step}\n")
    append_checklist_and_references(body, localized_checklist(pattern, lang), pattern.references, lang)
    if pattern.keywords:
        body.append(f"\n{label('keywords', lang)}: ", style="bold")
        body.append(", ".join(pattern.keywords) + "\n")
    shown = pattern.examples or (pattern.lint.examples if pattern.lint is not None else [])
    heading = "examples" if pattern.examples else "lint_examples"
    body.append(f"\n{label(heading, lang)}\n", style="bold")
    examples = [Text(example.strip() + "\n", style="dim", no_wrap=True, overflow="ellipsis") for example in shown]
    return Group(head, body, *examples)


class KnowledgeBaseScreen(Screen):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("slash", "focus_search", "Search"),
    ]
    # Opened without a log, this is the whole app: the list has the focus so that q quits and / searches;
    # in the search box Esc only leaves the search, and Esc from the list closes (or quits).

    def __init__(self, kb: KnowledgeBase, root: bool = False) -> None:
        super().__init__()
        self.kb = kb
        self.root = root  # opened without a log: nothing to go back to
        self.shown: list[Pattern] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="kb-body"):
            with Vertical(id="kb-left"):
                yield Input(placeholder=label("search_causes"), id="kb-query")
                yield OptionList(id="kb-list")
            with VerticalScroll(id="kb-detail-box"):
                yield Static(id="kb-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        self._language_changed()
        self.query_one("#kb-list", OptionList).focus()

    def _language_changed(self) -> None:
        self.query_one("#kb-list").border_title = label("knowledge_base", self.lang)
        self.query_one("#kb-detail-box").border_title = label("cause", self.lang)
        self.query_one("#kb-query", Input).placeholder = label("search_causes", self.lang)
        self._refresh_list()

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
            self.query_one("#kb-detail", Static).update(
                Text(label("no_cause_matches", self.lang, query=query), style="dim")
            )

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
        search = self.query_one("#kb-query", Input)
        if search.has_focus:  # Esc leaves the search box first; closing is for the list
            self.query_one("#kb-list", OptionList).focus()
            return
        if self.root:
            self.app.exit()
        else:
            self.dismiss()
