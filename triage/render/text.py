"""Rich terminal output: findings first, remediation numbered, then versions and codes.

Log text is always passed to rich as plain Text (never markup), so a log cannot inject
styles or escape sequences into the user's terminal.
"""

from __future__ import annotations

import io
import sys

from rich.console import Console
from rich.text import Text

from triage.i18n import label
from triage.i18n import why as localized_why
from triage.messages import localize_evidence, localize_note
from triage.render import localized
from triage.report import LintReport, Report
from triage.safety import safe_report

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
MAX_TEXT = 300


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _where(e, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    """Evidence from `lint` points at a node or an input, not a log line."""
    kinds = {"node": f"{label('node', lang)} {e.line}", "input": label("input", lang), "model": label("model", lang)}
    return kinds.get(e.kind, "")


def _evidence_more(f, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    """How much evidence there is beyond the lines shown."""
    shown = len(f.evidence)
    if f.evidence_count <= shown:
        return ""
    if any(e.count > 1 for e in f.evidence):  # grouped by shape (unrecognized-error)
        return label("per_shape", lang, count=f.evidence_count)
    return label("first_of", lang, shown=shown, count=f.evidence_count)


def render(
    report: Report | LintReport, lang: str = "en", color: bool | None = None, width: int | None = None, **_: object
) -> str:
    report = safe_report(report)  # text from any source (file names, JSON, patterns) is untrusted
    buf = io.StringIO()
    if color is None:
        color = sys.stdout.isatty()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or 100,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    multi = len(report.sources) > 1
    names = ", ".join(s.name for s in report.sources) or label("no_input", lang)
    lines = sum(s.lines for s in report.sources)
    n = len(report.findings)
    if isinstance(report, LintReport):
        m = report.model
        head = Text(f"warboy-triage lint: {names} (SDK {m.sdk}, opset {m.opset}): ")
    else:
        if lang == "ko":
            head = Text(f"warboy-triage: {names} ({label('line_count', lang, count=lines)}): ")
        else:
            plural = "" if lines == 1 else "s"
            head = Text(f"warboy-triage: {names} ({lines} line{plural}): ")
    if n:
        found = label("finding_count", lang, count=n) if lang == "ko" else f"{n} finding{'s' if n != 1 else ''}"
        head.append(found, style="bold")
    elif report.sources and isinstance(report, Report) and all(s.bytes == 0 for s in report.sources):
        head.append(label("empty_input", lang), style="bold yellow")  # not "no problem"
    else:
        head.append(label("no_problem", lang), style="bold green")
    console.print(head)
    if isinstance(report, LintReport):
        m = report.model
        console.print(Text(m.summary_ko if lang == "ko" and m.summary_ko else m.summary), soft_wrap=True)
    for f in report.findings:
        title, steps = localized(f, lang)
        console.print()
        line = Text(f"{f.rank}. ")
        line.append(f"[{f.severity.upper()}]", style=STYLE[f.severity])
        line.append(f" {title}", style="bold")
        console.print(line)
        meta = f"   id: {f.id} · {label('k_component', lang)}: {f.component} · {f.kind}"
        if f.confidence != "likely":
            meta += f" · {label('confidence_possible', lang)}"
        if f.explains:
            meta += f" · {label('k_explains', lang)}: {', '.join(f.explains)}"
        console.print(Text(meta, style="dim"))
        console.print(Text("   " + localized_why(f, lang)), soft_wrap=True)
        if f.evidence:
            console.print(Text(f"   {label('evidence', lang)}{_evidence_more(f, lang)}:", style="bold"))
            for e in f.evidence:
                where = _where(e, lang) or (f"{e.source}:{e.line}" if multi else f"{label('line', lang)} {e.line}")
                row = Text("     ")
                row.append(where, style="cyan")
                text = localize_evidence(e.text, lang) if e.kind in ("node", "input", "model") else e.text
                row.append(": " + _clip(text))
                if e.count > 1:
                    row.append(label("same_shape", lang, count=e.count), style="dim")
                console.print(row, soft_wrap=True)
        if f.related:
            console.print(
                Text(f"   {label('closest', lang)}: {', '.join(f.related)} (warboy-triage explain <id>)"),
                soft_wrap=True,
            )
        console.print(Text(f"   {label('fix', lang)}:", style="bold green"))
        for i, step in enumerate(steps, 1):
            console.print(Text(f"     {i}. {step}"), soft_wrap=True)
    if isinstance(report, Report):
        _log_sections(console, report, lang, multi)
    for src in report.sources:
        for note in src.notes:
            console.print(Text(f"{label('note', lang)}: {src.name}: {localize_note(note, lang)}", style="dim"))
    empty = tuple(f"{s.name} is empty" for s in report.sources if s.bytes == 0)
    for note in report.notes:
        if empty and note.startswith(empty):
            continue  # the head line says so, and the command says it on stderr
        console.print(Text(f"{label('note', lang)}: {localize_note(note, lang)}", style="dim"))
    return buf.getvalue()


def _log_sections(console: Console, report: Report, lang: str, multi: bool) -> None:
    """Versions, native codes and unexplained lines: what only a log report has."""
    if report.versions:
        console.print()
        console.print(Text(f"{label('versions', lang)}:", style="bold"))
        for name, v in report.versions.items():
            at = f"{v.source}:{v.line}" if multi and v.source else f"{label('line', lang)} {v.line}"
            console.print(Text(f"  {name:<18} {v.version:<12} ({at})"))
        for s in report.version_skew:
            console.print(Text(f"  {label('skew', lang)}: {s.detail}", style="yellow"))
    if report.error_codes:
        console.print()
        console.print(Text(f"{label('native_codes', lang)}:", style="bold"))
        for c in report.error_codes:
            amb = label("ambiguous", lang) if c.ambiguous else ""
            at = f"{c.source}:{c.line}" if multi and c.source else f"{label('line', lang)} {c.line}"
            console.print(Text(f"  {c.code} {c.name} [{c.table}]{amb} {label('at', lang)} {at}"))
    shown = {(e.source, e.line) for f in report.findings for e in f.evidence}
    others = [u for u in report.unclassified if (u.source, u.line) not in shown]  # not again
    if others:
        console.print()
        console.print(Text(f"{label('other_lines', lang)} ({len(others)}):", style="bold"))
        for u in others[:10]:
            at = f"{u.source}:{u.line}" if multi and u.source else f"{label('line', lang)} {u.line}"
            console.print(Text(f"  {at} [{u.level}] x{u.count}: {_clip(u.text)}"), soft_wrap=True)
