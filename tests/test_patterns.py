"""Every pattern's own examples must produce it; its counterexamples must not (semgrep-style)."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(("pid", "i", "text"), TODO, ids=[f"{c[0]}-{c[1]}" for c in TODO])
@pytest.mark.xfail(strict=True, reason="known gap recorded in todo_examples")
def test_todo_example(pid: str, i: int, text: str) -> None:
    assert pid in [f.id for f in analyze_text(text, kb=KB).findings]


def test_every_pattern_has_examples_and_counterexamples() -> None:
    for p in KB.patterns:
        assert len(p.examples) >= 2 and len(p.counterexamples) >= 2, p.id
