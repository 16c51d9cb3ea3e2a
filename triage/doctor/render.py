"""Doctor output for people (text, markdown table) and tools (JSON)."""

from __future__ import annotations

from triage.doctor.model import DoctorReport

MARK = {"pass": "[ok]  ", "warn": "[warn]", "fail": "[FAIL]", "unknown": "[?]   "}


def text(report: DoctorReport, verbose: bool = False) -> str:
    out = [f"warboy-triage doctor ({report.collected_at})", ""]
    for c in report.checks:
        out.append(f"{MARK[c.status]} {c.title}: {c.summary}")
        if verbose or c.status in ("warn", "fail"):
            for d in c.details:
                out += [f"         {line}" for line in d.splitlines()]
    n = report.counts()
    out += ["", f"{n['pass']} passed, {n['warn']} warning(s), {n['fail']} failed, {n['unknown']} not collected"]
    return "\n".join(out) + "\n"


def json(report: DoctorReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def markdown_table(report: DoctorReport) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    rows = ["| check | status | result |", "|---|---|---|"]
    rows += [f"| {cell(c.title)} | {c.status} | {cell(c.summary)} |" for c in report.checks]
    return "\n".join(rows)
