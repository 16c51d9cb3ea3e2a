"""The pre-ticket checklist for a report's findings, and its markdown export. No Textual imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from triage.i18n import checklist as localized_checklist
from triage.i18n import label
from triage.report import Report


@dataclass(frozen=True)
class ChecklistItem:
    finding_id: str
    text: str


def items_for(report: Report, lang: str = "en") -> list[ChecklistItem]:
    """Every finding's checklist items in rank order, each item once (in `lang` where the finding has it)."""
    seen: set[str] = set()
    items: list[ChecklistItem] = []
    for finding in report.findings:
        shown = localized_checklist(finding, lang)
        for i, text in enumerate(finding.checklist):
            if text not in seen:
                seen.add(text)
                items.append(ChecklistItem(finding.id, shown[i] if i < len(shown) else text))
    return items


def to_markdown(report: Report, items: list[ChecklistItem], done: set[int], lang: str = "en") -> str:
    """A GitHub-style task list grouped by finding; `done` holds the indexes of ticked items."""
    sources = ", ".join(s.name for s in report.sources) or label("md_no_log", lang)
    out = [f"# {label('md_checklist_title', lang)}", "", f"{label('log', lang)}: {sources}", ""]
    titles = {f.id: f.title_ko if lang == "ko" and f.title_ko else f.title for f in report.findings}
    current = None
    for i, item in enumerate(items):
        if item.finding_id != current:
            current = item.finding_id
            out += ["", f"## {titles.get(current, current)} (`{current}`)", ""]
        out.append(f"- [{'x' if i in done else ' '}] {item.text}")
    if not items:
        out.append(label("md_no_items", lang))
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


def export(path: Path, text: str) -> Path:
    """Write the markdown; returns the path written. Raises OSError with the reason."""
    path = path.expanduser()
    path.write_text(text, encoding="utf-8")
    return path
