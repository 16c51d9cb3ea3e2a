"""One finding in full: why, numbered remediation (selectable, for copying), checklist, references."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

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
        yield Label("Remediation", classes="detail-section")
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
        text = Text()
        text.append(title, style=SEVERITY_STYLE[finding.severity])
        text.append(
            f"\n{finding.id} · {finding.component or 'general'} · {finding.kind}"
            f" · {finding.severity} · {finding.confidence}",
            style="dim",
        )
        text.append(f"\n\n{' '.join(finding.why.split())}")
        head.update(text)
        steps.add_options(Option(Text(f"{i}. {step}"), id=f"step-{i}") for i, step in enumerate(self._steps, 1))
        body = Text()
        append_checklist_and_references(body, finding.checklist, finding.references)
        shown = len(finding.evidence)
        body.append(
            f"\nEvidence: {finding.evidence_count} line(s)"
            + (f", first {shown} kept" if finding.evidence_count > shown else ""),
            style="dim",
        )
        if finding.explains:
            body.append(f"\nAlso explains: {', '.join(finding.explains)}", style="dim")
        more.update(body)

    def command(self) -> str | None:
        """The highlighted step's command, else the first command of the remediation."""
        steps = self.query_one("#remediation", OptionList)
        if steps.highlighted is not None and steps.has_focus and steps.highlighted < len(self._steps):
            return command_in(self._steps[steps.highlighted])
        return first_command(self._steps)
