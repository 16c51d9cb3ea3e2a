"""The ticket body: what support asks for, in the order they read it.

Only the user knows the model and the steps to reproduce: those are left as `<fill in>`.
Every fix the findings suggest becomes a checkbox under "What was already tried", so the
user ticks what they did instead of support asking.
"""

from __future__ import annotations

from triage import __version__
from triage.doctor.model import DoctorReport
from triage.doctor.render import markdown_table
from triage.i18n import checklist as localized_checklist
from triage.i18n import label
from triage.i18n import why as localized_why
from triage.messages import localize_note
from triage.render import localized
from triage.render.markdown import fence, table_cell
from triage.report import Report

FILL = "<fill in>"
MAX_EVIDENCE = 8
MAX_UNCLASSIFIED = 10


def render_ticket(
    report: Report,
    doctor: DoctorReport | None,
    attachments: list[str],
    not_attached: list[tuple[str, str]],
    lang: str = "en",
) -> str:
    multi = len(report.sources) > 1
    fill = label("t_fill", lang)
    top = report.findings[0] if report.findings else None
    title = localized(top, lang)[0] if top else label("t_one_line", lang, fill=fill)
    out = [
        f"<!-- {label('t_comment', lang, version=__version__, fill=fill)} -->",
        f"# {title}",
        "",
    ]

    out += [f"## {label('t_summary', lang)}", "", label("t_summary_fill", lang, fill=fill), ""]
    names = ", ".join(f"`{s.name}`" for s in report.sources) or label("t_no_log", lang)
    errors = sum(1 for f in report.findings if f.severity == "error")
    if report.sources:
        out.append(
            label("t_analysed", lang, names=names, findings=len(report.findings), errors=errors)
            + label("t_most_likely" if report.findings else "t_none_matched", lang)
        )
        out.append("")
        for f in report.findings:
            out.append(f"{f.rank}. **[{f.severity.upper()}] {localized(f, lang)[0]}** (`{f.id}`, {f.component})")
        out.append("")

    out += [
        f"## {label('t_model', lang)}",
        "",
        f"- {label('t_model_fill', lang, fill=fill)}",
        f"- {label('t_compiled_fill', lang, fill=fill)}",
        "",
        f"## {label('t_steps', lang)}",
        "",
        f"1. {fill}",
        f"2. {fill}",
        "",
    ]

    if report.findings:
        out += [f"## {label('t_findings', lang)}", ""]
    for f in report.findings:
        f_title, _ = localized(f, lang)
        out += [f"### {f.rank}. {f_title}", ""]
        meta = f"`{f.id}` · {f.severity} · {f.component} · {f.kind}"
        if f.confidence != "likely":
            meta += f" · {label('confidence_possible', lang)}"
        if f.explains:
            meta += f" · explains {', '.join(f'`{x}`' for x in f.explains)}"
        out += [meta, "", localized_why(f, lang), ""]
        if f.evidence:
            shown = f.evidence[:MAX_EVIDENCE]
            more = (
                label("first_of", lang, shown=len(shown), count=f.evidence_count)
                if f.evidence_count > len(shown)
                else ""
            )
            out += [
                f"{label('evidence', lang)}{more}:",
                "",
                fence([f"{e.source + ':' if multi else 'L'}{e.line}: {e.text}" for e in shown]),
                "",
            ]

    out += [f"## {label('t_tried', lang)}", ""]
    if report.findings:
        out += [label("t_tick", lang), ""]
        for f in report.findings:
            _, steps = localized(f, lang)
            out += [f"- [ ] {step} _({label('t_for_cause', lang, id=f.id)})_" for step in steps]
        out.append("")
        checklist = list(dict.fromkeys(item for f in report.findings for item in localized_checklist(f, lang)))
        if checklist:
            out += [f"### {label('t_for_support', lang)}", ""]
            out += [f"- [ ] {item}" for item in checklist]
            out.append("")
    else:
        out += [f"- [ ] {fill}", ""]

    out += _versions(report, doctor, lang)

    out += [f"## {label('t_environment', lang)}", ""]
    if doctor is None:
        out += [label("t_no_doctor", lang), ""]
    else:
        n = doctor.counts()
        counts = label("doctor_counts", lang, passed=n["pass"], warn=n["warn"], failed=n["fail"], unknown=n["unknown"])
        out += [
            label("t_doctor", lang, at=doctor.collected_at, counts=counts),
            "",
            markdown_table(doctor, lang),
            "",
        ]

    if report.unclassified:
        out += [
            f"## {label('other_lines', lang)}",
            "",
            fence([f"L{u.line} ({u.level}, x{u.count}): {u.text}" for u in report.unclassified[:MAX_UNCLASSIFIED]]),
            "",
        ]

    out += [f"## {label('t_attachments', lang)}", ""]
    out += [f"- `{a}`" for a in attachments] or [f"- {label('t_none', lang)}"]
    out += [f"- {label('t_not_attached', lang, path=p, why=localize_note(why, lang))}" for p, why in not_attached]
    newest = doctor.get("log-dir") if doctor is not None else None
    attached = " ".join(attachments)
    for entry in newest.data.get("newest", [])[:1] if newest is not None else []:
        name = entry["path"].rsplit("/", 1)[-1]
        if name not in attached and all(name not in p for p, _ in not_attached):
            out.append(f"- {label('t_newest_not_attached', lang, path=entry['path'], modified=entry['modified'])}")
    return "\n".join(out) + "\n"


def _versions(report: Report, doctor: DoctorReport | None, lang: str = "en") -> list[str]:
    rows = [
        f"| {table_cell(k)} | {table_cell(v.version)} | {label('t_log_line', lang, line=v.line)} |"
        for k, v in report.versions.items()
    ]
    skew_lines = [s.detail for s in report.version_skew]
    if doctor is not None:
        for check_id, source in (("python-packages", "pip"), ("apt-packages", "apt")):
            check = doctor.get(check_id)
            for name, version in ((check.data.get("packages") or {}) if check else {}).items():
                here = label("t_this_machine", lang, source=source)
                rows.append(f"| {table_cell(name)} | {table_cell(str(version))} | {here} |")
        skew = doctor.get("sdk-versions")
        if skew is not None and skew.status == "fail":
            skew_lines.append(label("t_on_this_machine", lang, summary=skew.summary_in(lang)))
    heading = f"## {label('versions', lang)}"
    if not rows:
        return [heading, "", label("t_versions_fill", lang, fill=label("t_fill", lang)), ""]
    columns = f"| {label('t_component', lang)} | {label('t_version', lang)} | {label('t_from', lang)} |"
    out = [heading, "", columns, "|---|---|---|", *rows, ""]
    out += [f"**{label('skew', lang)}**: {line}" for line in skew_lines]
    if skew_lines:
        out.append("")
    return out
