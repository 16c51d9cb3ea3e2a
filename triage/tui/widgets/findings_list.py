"""Ranked findings, coloured by severity. Posts FindingSelected; knows nothing of the log."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from triage.i18n import label
from triage.report import Finding
from triage.tui.messages import FindingSelected
from triage.tui.present import SEVERITY_LABEL, SEVERITY_STYLE, localized


def finding_prompt(finding: Finding, lang: str) -> Text:
    title, _ = localized(finding, lang)
    text = Text()
    text.append(f"{finding.rank}. ", style="bold")
    text.append(SEVERITY_LABEL[finding.severity], style=SEVERITY_STYLE[finding.severity])
    text.append(f" {title}")
    if finding.confidence == "possible":
        text.append(" (possible)", style="dim")
    text.append(f"\n   {finding.id}", style="dim")
    return text


class FindingsList(OptionList):
    """One option per finding, in rank order."""

    def show(self, findings: list[Finding], lang: str, placeholder: str = "") -> None:
        placeholder = placeholder or label("no_findings", lang)
        keep = self.highlighted
        self.clear_options()
        if not findings:
            self.add_option(Option(Text(placeholder, style="dim"), disabled=True))
            return
        self.add_options(Option(finding_prompt(f, lang), id=f"finding-{i}") for i, f in enumerate(findings))
        self.highlighted = keep if keep is not None and keep < len(findings) else 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("finding-"):
            self.post_message(FindingSelected(int(event.option_id.removeprefix("finding-"))))
