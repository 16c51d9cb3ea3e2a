"""Every pattern's own examples must produce it; its counterexamples must not (semgrep-style)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from triage.kb import load
from triage.pipeline import analyze_text

KB = load()
CASES = [(p.id, i, ex) for p in KB.patterns for i, ex in enumerate(p.examples)]
NEAR = [(p.id, i, ex) for p in KB.patterns for i, ex in enumerate(p.counterexamples)]
TODO = [(p.id, i, ex) for p in KB.patterns for i, ex in enumerate(p.todo_examples)]


@pytest.mark.parametrize(("pid", "i", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_example_matches(pid: str, i: int, text: str) -> None:
    ids = [f.id for f in analyze_text(text, kb=KB).findings]
    assert pid in ids, f"example {i} of {pid} gave {ids}"


@pytest.mark.parametrize(("pid", "i", "text"), NEAR, ids=[f"{c[0]}-{c[1]}" for c in NEAR])
def test_counterexample_does_not_match(pid: str, i: int, text: str) -> None:
    ids = [f.id for f in analyze_text(text, kb=KB).findings]
    assert pid not in ids, f"counterexample {i} of {pid} matched"


def test_todo_examples_are_still_gaps() -> None:
    """A todo_examples entry records a known gap: once its pattern matches it, move it to examples. (One test,
    not one per entry: with no open gap a parametrized test is reported as a skip that says nothing.)"""
    closed = [f"{pid} todo {i}" for pid, i, text in TODO if pid in [f.id for f in analyze_text(text, kb=KB).findings]]
    assert closed == [], "these now match: move them to `examples`"


def test_every_pattern_has_examples_and_counterexamples() -> None:
    for p in KB.patterns:
        if p.match or p.fired_by == "pipeline":
            assert len(p.examples) >= 2 and len(p.counterexamples) >= 2, p.id
        else:  # a cause only a model shows: its examples are ONNX graphs that `patterns test` lints
            assert p.lint is not None and p.lint.examples and p.lint.counterexamples, p.id


def test_lint_only_patterns_never_fire_on_logs() -> None:
    lint_only = {p.id for p in KB.patterns if p.lint is not None and not p.match}
    assert {"model-not-quantized", "transformer-operator", "softmax-resize-placement"} <= lint_only
    every_example = "\n".join(e for p in KB.patterns for e in p.examples)
    assert not lint_only & {f.id for f in analyze_text(every_example, kb=KB).findings}


def test_lint_examples_are_linted_and_a_wrong_one_fails(tmp_path) -> None:
    pytest.importorskip("onnx")
    from triage.selfcheck import run_tests

    assert run_tests().ok and run_tests().counts["lint examples"] >= 9
    source = (ROOT / "patterns" / "batch-size-note.toml").read_text(encoding="utf-8")
    (tmp_path / "batch-size-note.toml").write_text(source.replace("float[4,3,640,640]", "float[1,3,640,640]"))
    problems = [str(p) for p in run_tests(tmp_path).errors]
    assert any("lint example 1 does not produce 'batch-size-note'" in p for p in problems), problems
