"""One finding in full: why, numbered remediation (selectable, for copying), checklist, references."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from triage.i18n import checklist as localized_checklist
from triage.i18n import label
from triage.i18n import why as localized_why
from triage.report import Finding
from triage.tui.present import (
    SEVERITY_STYLE,
    append_checklist_and_references,
    command_in,
    first_command,
    localized,
)


class FindingDetail(VerticalScroll):
    """Shows the finding it is given; `command()` answers which command the copy key takes."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._steps: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Label(label("remediation"), id="remediation-heading", classes="detail-section")
        yield OptionList(id="remediation")
        yield Static(id="detail-more")

    def show(self, finding: Finding | None, lang: str, placeholder: str = "") -> None:
        head = self.query_one("#detail-head", Static)
        steps = self.query_one("#remediation", OptionList)
        more = self.query_one("#detail-more", Static)
        steps.clear_options()
        self._steps = []
        if finding is None:
            head.update(Text(placeholder, style="dim"))
            more.update("")
            self.set_class(True, "-empty")
            return
        self.set_class(False, "-empty")
        title, self._steps = localized(finding, lang)
        self.query_one("#remediation-heading", Label).update(label("remediation", lang))
        text = Text()
        text.append(title, style=SEVERITY_STYLE[finding.severity])
        text.append(
            f"\n{finding.id} · {finding.component or 'general'} · {finding.kind}"
            f" · {finding.severity} · {finding.confidence}",
            style="dim",
        )
        if finding.confidence == "possible":
            text.append(f"\n{label('confidence_possible', lang)}", style="italic")
        text.append(f"\n\n{localized_why(finding, lang)}")
        head.update(text)
        steps.add_options(Option(Text(f"{i}. {step}"), id=f"step-{i}") for i, step in enumerate(self._steps, 1))
        body = Text()
        append_checklist_and_references(body, localized_checklist(finding, lang), finding.references, lang)
        shown = len(finding.evidence)
        body.append(
            "\n"
            + label("evidence_lines", lang, count=finding.evidence_count)
            + (label("evidence_kept", lang, shown=shown) if finding.evidence_count > shown else ""),
            style="dim",
        )
        if finding.explains:
            body.append(f"\n{label('also_explains', lang)}: {', '.join(finding.explains)}", style="dim")
        more.update(body)

    def command(self) -> str | None:
        """The highlighted step's command, else the first command of the remediation."""
        steps = self.query_one("#remediation", OptionList)
        if steps.highlighted is not None and steps.has_focus and steps.highlighted < len(self._steps):
            return command_in(self._steps[steps.highlighted])
        return first_command(self._steps)
