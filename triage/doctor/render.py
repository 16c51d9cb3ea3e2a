"""Doctor output for people (text, markdown table) and tools (JSON)."""

from __future__ import annotations

from triage.doctor.model import DoctorReport
from triage.i18n import DOCTOR_TITLES_KO, label

MARK = {"pass": "[ok]  ", "warn": "[warn]", "fail": "[FAIL]", "unknown": "[?]   "}


def _title(check_id: str, title: str, lang: str) -> str:
    return DOCTOR_TITLES_KO.get(check_id, title) if lang == "ko" else title


def text(report: DoctorReport, verbose: bool = False, lang: str = "en") -> str:
    out = [f"warboy-triage doctor ({report.collected_at})", ""]
    for c in report.checks:
        out.append(f"{MARK[c.status]} {_title(c.id, c.title, lang)}: {c.summary}")
        if verbose or c.status in ("warn", "fail"):
            for d in c.details:
                out += [f"         {line}" for line in d.splitlines()]
    n = report.counts()
    counts = label("doctor_counts", lang, passed=n["pass"], warn=n["warn"], failed=n["fail"], unknown=n["unknown"])
    out += ["", counts]
    return "\n".join(out) + "\n"


def json(report: DoctorReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def markdown_table(report: DoctorReport) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    rows = ["| check | status | result |", "|---|---|---|"]
    rows += [f"| {cell(c.title)} | {c.status} | {cell(c.summary)} |" for c in report.checks]
    return "\n".join(rows)
