"""`warboy-triage run -- CMD`: run a command, pass its output through, then diagnose what it printed
together with the compile logs it wrote. The core of the command; triage/commands/run.py wires it."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from triage.kb import KnowledgeBase
from triage.live.child import ChildResult, run
from triage.live.compile_logs import run_compile_logs
from triage.live.spool import DEFAULT_HEAD, DEFAULT_TAIL, Spool
from triage.report import Report


@dataclass
class RunOutcome:
    child: ChildResult
    report: Report | None
    """None when the analysis itself failed (see `error`): the command's own status still counts."""
    compile_logs: list[Path] = field(default_factory=list)
    error: str | None = None


def display_name(argv: Sequence[str]) -> str:
    text = shlex.join(argv)
    return f"output of `{text if len(text) <= 80 else text[:77] + '...'}`"


def run_and_diagnose(
    argv: Sequence[str],
    kb: KnowledgeBase,
    use_pty: bool,
    follow_compile_logs: bool = True,
    max_evidence: int = 20,
    head_bytes: int = DEFAULT_HEAD,
    tail_bytes: int = DEFAULT_TAIL,
    out: Callable[[bytes], None] | None = None,
    err: Callable[[bytes], None] | None = None,
) -> RunOutcome:
    from triage.pipeline import analyze

    spool = Spool(head_bytes, tail_bytes)
    started = time.time() - 1  # file systems keep mtimes coarser than the clock
    try:
        child = run(argv, spool.write, use_pty, out=out, err=err)
        spool.close()
        parts = spool.parts()
        skipped: list[str] = []
        logs = run_compile_logs(_lines_naming_logs(parts), started, notes=skipped) if follow_compile_logs else []
        try:
            # the fast scan (same report): line by line, the spool's 100+ MB would take minutes
            paths = [str(p) for p in parts] + [str(p) for p in logs]
            report = analyze(paths, kb, max_evidence=max_evidence, backend="auto")
        except Exception as exc:  # noqa: BLE001 - a failed diagnosis must never hide the command's status
            return RunOutcome(child, None, logs, error=f"the diagnosis failed: {exc}")
        name = display_name(argv)
        _rename_sources(report, {str(p): name if i == 0 else f"{name} (last part)" for i, p in enumerate(parts)})
        note = spool.note()
        if note:
            report.notes.append(note)
        if not parts:
            report.notes.append("the command printed nothing")
        if child.held_open:
            report.notes.append(
                "the command exited, but a process it started still held its output open;"
                " what that process printed afterwards is not in the diagnosis"
            )
        report.notes.extend(skipped)
        return RunOutcome(child, report, logs)
    finally:
        spool.remove()


def _lines_naming_logs(parts: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in parts:
        with open(path, "rb") as fh:
            for raw in fh:
                if b"log" in raw and len(lines) < 100:
                    lines.append(raw.decode("utf-8", "replace"))
    return lines


def _rename_sources(report: Report, names: dict[str, str]) -> None:
    """The spool's temporary files become the command's name in the report (they are deleted)."""
    for s in report.sources:
        s.name = names.get(s.name, s.name)
    for f in report.findings:
        for e in f.evidence:
            e.source = names.get(e.source, e.source)
        # advice that names the log (`patterns new --from LOG:LINE`) names it as for standard input:
        # the spool is deleted, the user saves the output first
        for spooled in names:
            f.remediation = [s.replace(spooled, "<log>") for s in f.remediation]
            f.remediation_ko = [s.replace(spooled, "<log>") for s in f.remediation_ko]
    for group in (report.error_codes, report.exceptions, report.unclassified, report.versions.values()):
        for item in group:
            item.source = names.get(item.source, item.source)
