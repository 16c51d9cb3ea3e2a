"""The ticket body: what support asks for, in the order they read it.

Only the user knows the model and the steps to reproduce: those are left as `<fill in>`.
Every fix the findings suggest becomes a checkbox under "What was already tried", so the
user ticks what they did instead of support asking.
"""

from __future__ import annotations

from triage import __version__
from triage.doctor.model import DoctorReport
from triage.doctor.render import markdown_table
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
    top = report.findings[0] if report.findings else None
    title = localized(top, lang)[0] if top else f"{FILL}: one-line summary of the problem"
    out = [
        f"<!-- Written by warboy-triage {__version__}. Replace every {FILL} and tick what you tried"
        " before sending. -->",
        f"# {title}",
        "",
    ]

    out += ["## Summary", "", f"{FILL}: what you were doing, what you expected, and what happened instead.", ""]
    names = ", ".join(f"`{s.name}`" for s in report.sources) or "no log"
    errors = sum(1 for f in report.findings if f.severity == "error")
    if report.sources:
        out.append(
            f"warboy-triage analysed {names}: {len(report.findings)} finding(s), {errors} error(s)"
            + (", most likely cause first:" if report.findings else "; no known Warboy problem matched.")
        )
        out.append("")
        for f in report.findings:
            out.append(f"{f.rank}. **[{f.severity.upper()}] {localized(f, lang)[0]}** (`{f.id}`, {f.component})")
        out.append("")

    out += [
        "## Model",
        "",
        f"- Model: {FILL} (name, ONNX or TFLite, input shape, batch size)",
        f"- Compiled with: {FILL} (furiosa-compile options or compiler_config, which SDK built the .enf)",
        "",
        "## Steps to reproduce",
        "",
        f"1. {FILL}",
        f"2. {FILL}",
        "",
    ]

    if report.findings:
        out += ["## Findings", ""]
    for f in report.findings:
        f_title, _ = localized(f, lang)
        out += [f"### {f.rank}. {f_title}", ""]
        meta = f"`{f.id}` · {f.severity} · {f.component} · {f.kind}"
        if f.confidence != "likely":
            meta += f" · confidence: {f.confidence}"
        if f.explains:
            meta += f" · explains {', '.join(f'`{x}`' for x in f.explains)}"
        out += [meta, "", " ".join(f.why.split()), ""]
        if f.evidence:
            shown = f.evidence[:MAX_EVIDENCE]
            more = f" (first {len(shown)} of {f.evidence_count})" if f.evidence_count > len(shown) else ""
            out += [
                f"Evidence{more}:",
                "",
                fence([f"{e.source + ':' if multi else 'L'}{e.line}: {e.text}" for e in shown]),
                "",
            ]

    out += ["## What was already tried", ""]
    if report.findings:
        out += ["Tick each step you have done (and say what happened below it if it changed anything).", ""]
        for f in report.findings:
            _, steps = localized(f, lang)
            out += [f"- [ ] {step} _(for `{f.id}`)_" for step in steps]
        out.append("")
        checklist = list(dict.fromkeys(item for f in report.findings for item in f.checklist))
        if checklist:
            out += ["### Information for support", ""]
            out += [f"- [ ] {item}" for item in checklist]
            out.append("")
    else:
        out += [f"- [ ] {FILL}", ""]

    out += _versions(report, doctor)

    out += ["## Environment", ""]
    if doctor is None:
        out += [
            "Not collected (`--no-doctor`). Run `warboy-triage doctor` on the machine with the NPU and paste"
            " its output here.",
            "",
        ]
    else:
        n = doctor.counts()
        out += [
            f"Collected by `warboy-triage doctor` at {doctor.collected_at} on the machine that wrote this"
            f" ticket: {n['pass']} passed, {n['warn']} warning(s), {n['fail']} failed,"
            f" {n['unknown']} not collected.",
            "",
            markdown_table(doctor),
            "",
        ]

    if report.unclassified:
        out += [
            "## Other error and warning lines",
            "",
            fence([f"L{u.line} ({u.level}, x{u.count}): {u.text}" for u in report.unclassified[:MAX_UNCLASSIFIED]]),
            "",
        ]

    out += ["## Attachments", ""]
    out += [f"- `{a}`" for a in attachments] or ["- (none)"]
    out += [f"- not attached: `{p}`, the compile log a log names: {why}" for p, why in not_attached]
    newest = doctor.get("log-dir") if doctor is not None else None
    attached = " ".join(attachments)
    for entry in newest.data.get("newest", [])[:1] if newest is not None else []:
        name = entry["path"].rsplit("/", 1)[-1]
        if name not in attached and all(name not in p for p, _ in not_attached):
            out.append(
                f"- newest compile log on this machine, not attached: `{entry['path']}` ({entry['modified']});"
                " name it on the command line if it belongs to this problem"
            )
    return "\n".join(out) + "\n"


def _versions(report: Report, doctor: DoctorReport | None) -> list[str]:
    rows = [f"| {table_cell(k)} | {table_cell(v.version)} | log line {v.line} |" for k, v in report.versions.items()]
    skew_lines = [s.detail for s in report.version_skew]
    if doctor is not None:
        for check_id, label in (("python-packages", "pip"), ("apt-packages", "apt")):
            check = doctor.get(check_id)
            for name, version in ((check.data.get("packages") or {}) if check else {}).items():
                rows.append(f"| {table_cell(name)} | {table_cell(str(version))} | this machine ({label}) |")
        skew = doctor.get("sdk-versions")
        if skew is not None and skew.status == "fail":
            skew_lines.append(f"on this machine: {skew.summary}")
    if not rows:
        return ["## Versions", "", f"{FILL}: `pip list | grep furiosa` and `dpkg -l | grep furiosa`", ""]
    out = ["## Versions", "", "| component | version | from |", "|---|---|---|", *rows, ""]
    out += [f"**Version skew**: {line}" for line in skew_lines]
    if skew_lines:
        out.append("")
    return out
