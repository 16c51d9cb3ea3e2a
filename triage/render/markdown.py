"""Markdown ready to paste into a support ticket or an issue comment."""

from __future__ import annotations

from triage.render import localized
from triage.report import Evidence, Report
from triage.safety import safe_report


def fence(lines: list[str]) -> str:
    """A fenced text block whose fence is longer than any backtick run inside it."""
    body = "\n".join(lines)
    ticks = "```"
    while ticks in body:
        ticks += "`"
    return f"{ticks}text\n{body}\n{ticks}"


def table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _at(source: str, line: int, multi: bool) -> str:
    """Where a version or code line is: `file:line` when several files were read."""
    return table_cell(f"{source}:{line}") if multi and source else str(line)


def _evidence_line(e: Evidence, multi: bool) -> str:
    lint_where = {"node": f"node {e.line}", "input": "input", "model": "model"}.get(e.kind)
    where = lint_where or (f"{e.source}:{e.line}" if multi else f"L{e.line}")
    return f"{where}: {e.text}" + (f"  (x{e.count})" if e.count > 1 else "")


def render(report: Report, lang: str = "en", **_: object) -> str:
    report = safe_report(report)  # markdown is often read in a terminal (cat, less -R, glow)
    multi = len(report.sources) > 1
    out: list[str] = ["# warboy-triage report", ""]
    names = ", ".join(f"`{s.name}`" for s in report.sources) or "(no input)"
    errors = sum(1 for f in report.findings if f.severity == "error")
    out.append(f"Analysed {names}: {len(report.findings)} finding(s), {errors} error(s).")
    out.append("")
    if report.model is not None:
        out += [f"**Model** (SDK {report.model.sdk}, opset {report.model.opset}): {report.model.summary}", ""]
    if not report.findings and report.sources and all(s.bytes == 0 for s in report.sources):
        out += ["The input is empty: nothing was analysed.", ""]
    elif not report.findings:
        out += ["No known Warboy problem was found.", ""]
    for f in report.findings:
        title, steps = localized(f, lang)
        out.append(f"## {f.rank}. {title}")
        out.append("")
        out.append(
            f"- **id**: `{f.id}` · **severity**: {f.severity} · **component**: {f.component}"
            + (f" · **confidence**: {f.confidence}" if f.confidence != "likely" else "")
        )
        if f.explains:
            out.append(f"- **explains**: {', '.join(f'`{x}`' for x in f.explains)}")
        out += ["", " ".join(f.why.split()), ""]
        if f.evidence:
            shown = len(f.evidence)
            more = f" (first {shown} of {f.evidence_count})" if f.evidence_count > shown else ""
            out += [f"**Evidence**{more}:", "", fence([_evidence_line(e, multi) for e in f.evidence]), ""]
        if f.related:
            out += ["**Closest known causes**: " + ", ".join(f"`{x}`" for x in f.related), ""]
        out.append("**Fix**:")
        out.append("")
        out += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
        out.append("")
        if f.checklist:
            out += ["**Collect for a ticket**:", ""]
            out += [f"- [ ] {item}" for item in f.checklist]
            out.append("")
        if f.references:
            out += ["**References**: " + "; ".join(f.references), ""]
    if report.versions:
        out += ["## Versions", "", "| component | version | line |", "|---|---|---|"]
        out += [
            f"| {table_cell(k)} | {table_cell(v.version)} | {_at(v.source, v.line, multi)} |"
            for k, v in report.versions.items()
        ]
        out.append("")
        for s in report.version_skew:
            out += [f"**Version skew**: {s.detail}", ""]
    if report.error_codes:
        out += ["## Native error codes", "", "| code | name | table | line |", "|---|---|---|---|"]
        out += [
            f"| {c.code} | {c.name} | {c.table}{' (ambiguous)' if c.ambiguous else ''} "
            f"| {_at(c.source, c.line, multi)} |"
            for c in report.error_codes
        ]
        out.append("")
    if report.unclassified:
        out += ["## Other error and warning lines", ""]
        out.append(
            fence(
                [
                    f"{u.source + ':' if multi and u.source else 'L'}{u.line} ({u.level}, x{u.count}): {u.text}"
                    for u in report.unclassified
                ]
            )
        )
        out.append("")
    return "\n".join(out)
