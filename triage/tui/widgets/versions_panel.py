"""Component versions found in the log; components in a version skew are highlighted."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from triage.i18n import label
from triage.report import Report


class VersionsPanel(Static):
    """A small table: component, version, line; skewed rows in the error colour."""

    def show(self, report: Report | None, lang: str = "en") -> None:
        if report is None:
            self.update(Text("…", style="dim"))
            return
        if not report.versions:
            self.update(Text(label("no_versions", lang), style="dim"))
            return
        skewed = {name for s in report.version_skew for name in s.components}
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", style="dim", no_wrap=True)
        for name, info in report.versions.items():
            style = "bold red" if name in skewed else ""
            mark = " ≠" if name in skewed else ""
            table.add_row(Text(name, style=style), Text(info.version + mark, style=style), f"line {info.line}")
        notes = [Text(s.detail, style="red") for s in report.version_skew]
        self.update(Group(table, *notes))
