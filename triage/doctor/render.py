"""Doctor output for people (text, markdown table) and tools (JSON)."""

from __future__ import annotations

from triage.doctor.model import DoctorReport
from triage.i18n import DOCTOR_TITLES_KO, label
from triage.messages import say

MARK = {"pass": "[ok]  ", "warn": "[warn]", "fail": "[FAIL]", "unknown": "[?]   "}


def check_title(check_id: str, title: str, lang: str) -> str:
    return DOCTOR_TITLES_KO.get(check_id, title) if lang == "ko" else title


def text(report: DoctorReport, verbose: bool = False, lang: str = "en") -> str:
    out = [say("doctor_header", lang, at=report.collected_at), ""]
    for c in report.checks:
        out.append(f"{MARK[c.status]} {check_title(c.id, c.title, lang)}: {c.summary_in(lang)}")
        if verbose or c.status in ("warn", "fail"):
            for d in c.details_in(lang):
                out += [f"         {line}" for line in d.splitlines()]
    n = report.counts()
    counts = label("doctor_counts", lang, passed=n["pass"], warn=n["warn"], failed=n["fail"], unknown=n["unknown"])
    out += ["", counts]
    return "\n".join(out) + "\n"


def json(report: DoctorReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def markdown_table(report: DoctorReport, lang: str = "en") -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    rows = [say("doctor_table_head", lang), "|---|---|---|"]
    rows += [
        f"| {cell(check_title(c.id, c.title, lang))} | {c.status} | {cell(c.summary_in(lang))} |" for c in report.checks
    ]
    return "\n".join(rows)
