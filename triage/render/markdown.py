"""Markdown ready to paste into a support ticket or an issue comment."""

from __future__ import annotations

from triage.i18n import checklist as localized_checklist
from triage.i18n import label
from triage.i18n import why as localized_why
from triage.messages import localize_evidence
from triage.render import localized
from triage.report import Evidence, LintReport, Report
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


def _evidence_line(e: Evidence, multi: bool, lang: str = "en") -> str:
    kinds = {"node": f"{label('node', lang)} {e.line}", "input": label("input", lang), "model": label("model", lang)}
    lint_where = kinds.get(e.kind)
    where = lint_where or (f"{e.source}:{e.line}" if multi else f"L{e.line}")
    text = localize_evidence(e.text, lang) if lint_where else e.text  # a log's lines are the log's own words
    return f"{where}: {text}" + (f"  (x{e.count})" if e.count > 1 else "")


def render(report: Report | LintReport, lang: str = "en", **_: object) -> str:
    report = safe_report(report)  # markdown is often read in a terminal (cat, less -R, glow)
    multi = len(report.sources) > 1
    out: list[str] = [f"# {label('report_title', lang)}", ""]
    names = ", ".join(f"`{s.name}`" for s in report.sources) or label("no_input", lang)
    errors = sum(1 for f in report.findings if f.severity == "error")
    out.append(label("analysed", lang, names=names, findings=len(report.findings), errors=errors))
    out.append("")
    if isinstance(report, LintReport):
        out += [
            f"**{label('model', lang)}** (SDK {report.model.sdk}, opset {report.model.opset}): "
            + (report.model.summary_ko if lang == "ko" and report.model.summary_ko else report.model.summary),
            "",
        ]
    if not report.findings and report.sources and all(s.bytes == 0 for s in report.sources):
        out += [label("empty_md", lang), ""]
    elif not report.findings:
        out += [label("no_problem_md", lang), ""]
    for f in report.findings:
        title, steps = localized(f, lang)
        out.append(f"## {f.rank}. {title}")
        out.append("")
        out.append(
            f"- **id**: `{f.id}` · **{label('k_severity', lang)}**: {f.severity}"
            f" · **{label('k_component', lang)}**: {f.component}"
            + (f" · **{label('k_confidence', lang)}**: {f.confidence}" if f.confidence != "likely" else "")
        )
        if f.explains:
            out.append(f"- **{label('k_explains', lang)}**: {', '.join(f'`{x}`' for x in f.explains)}")
        out += ["", localized_why(f, lang), ""]
        if f.evidence:
            shown = len(f.evidence)
            more = label("first_of", lang, shown=shown, count=f.evidence_count) if f.evidence_count > shown else ""
            out += [
                f"**{label('evidence', lang)}**{more}:",
                "",
                fence([_evidence_line(e, multi, lang) for e in f.evidence]),
                "",
            ]
        if f.related:
            out += [f"**{label('closest', lang)}**: " + ", ".join(f"`{x}`" for x in f.related), ""]
        out.append(f"**{label('fix', lang)}**:")
        out.append("")
        out += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
        out.append("")
        if f.checklist:
            out += [f"**{label('collect', lang)}**:", ""]
            out += [f"- [ ] {item}" for item in localized_checklist(f, lang)]
            out.append("")
        if f.references:
            out += [f"**{label('references', lang)}**: " + "; ".join(f.references), ""]
    if isinstance(report, Report):
        out += _log_sections(report, lang, multi)
    return "\n".join(out)


def _log_sections(report: Report, lang: str, multi: bool) -> list[str]:
    """Versions, native codes and unexplained lines: what only a log report has."""
    out: list[str] = []
    if report.versions:
        out += [f"## {label('versions', lang)}", "", label("version_columns", lang), "|---|---|---|"]
        out += [
            f"| {table_cell(k)} | {table_cell(v.version)} | {_at(v.source, v.line, multi)} |"
            for k, v in report.versions.items()
        ]
        out.append("")
        for s in report.version_skew:
            out += [f"**{label('skew', lang)}**: {s.detail}", ""]
    if report.error_codes:
        out += [f"## {label('native_codes', lang)}", "", "| code | name | table | line |", "|---|---|---|---|"]
        out += [
            f"| {c.code} | {c.name} | {c.table}{' (ambiguous)' if c.ambiguous else ''} "
            f"| {_at(c.source, c.line, multi)} |"
            for c in report.error_codes
        ]
        out.append("")
    if report.unclassified:
        out += [f"## {label('other_lines', lang)}", ""]
        out.append(
            fence(
                [
                    f"{u.source + ':' if multi and u.source else 'L'}{u.line} ({u.level}, x{u.count}): {u.text}"
                    for u in report.unclassified
                ]
            )
        )
        out.append("")
    return out
