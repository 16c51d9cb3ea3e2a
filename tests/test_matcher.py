"""Matcher mechanics on small, purpose-built knowledge bases (not the bundled patterns)."""

from __future__ import annotations

from pathlib import Path

from triage.kb import load
from triage.pipeline import analyze_text


def write_pattern(
    directory: Path, pid: str, severity: str, kind: str, message: str, explains: tuple[str, ...] = ()
) -> None:
    explains_line = f"explains = {list(explains)!r}\n".replace("'", '"') if explains else ""
    (directory / f"{pid}.toml").write_text(
        f'id = "{pid}"\ntitle = "Title of {pid}"\nseverity = "{severity}"\ncomponent = "general"\n'
        f'kind = "{kind}"\nwhy = "Because the test says so."\nremediation = ["Do the thing."]\n'
        f"{explains_line}"
        f'examples = ["{message}", "x {message}"]\ncounterexamples = ["nothing here", "still nothing"]\n'
        f"[[match]]\nmessage = '{message}'\n"
    )


def test_folded_symptom_keeps_its_severity(tmp_path: Path) -> None:
    write_pattern(tmp_path, "cause", "warning", "root-cause", "cause line", explains=("symptom",))
    write_pattern(tmp_path, "symptom", "error", "symptom", "symptom line")
    kb = load(tmp_path)
    report = analyze_text("a cause line\nthen a symptom line\n", kb=kb)
    assert [(f.id, f.severity, f.explains) for f in report.findings] == [("cause", "error", ["symptom"])]
    assert [e.line for e in report.findings[0].evidence] == [1, 2]


def test_unexplained_symptom_stays_and_ranks_below_root_cause(tmp_path: Path) -> None:
    write_pattern(tmp_path, "cause", "warning", "root-cause", "cause line")
    write_pattern(tmp_path, "symptom", "error", "symptom", "symptom line")
    report = analyze_text("then a symptom line\na cause line\n", kb=load(tmp_path))
    assert [(f.id, f.rank, f.severity) for f in report.findings] == [("cause", 1, "warning"), ("symptom", 2, "error")]


def test_info_guidance_ranks_after_real_problems(tmp_path: Path) -> None:
    write_pattern(tmp_path, "guidance", "info", "root-cause", "guide line")
    write_pattern(tmp_path, "symptom", "warning", "symptom", "symptom line")
    report = analyze_text("a guide line\na symptom line\n", kb=load(tmp_path))
    assert [f.id for f in report.findings] == ["symptom", "guidance"]
