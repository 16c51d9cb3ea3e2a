"""`unless` rules veto a pattern for the whole input (a finished compile is not a hang)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from triage.kb.schema import Pattern

BASE = dict(
    id="x-y",
    title="Title",
    severity="info",
    component="compiler",
    why="Because of reasons.",
    match=[{"message": "a"}],
    remediation=["fix"],
    examples=["a", "a a"],
    counterexamples=["b", "c"],
)


def test_unless_accepts_line_rules_only() -> None:
    Pattern.model_validate({**BASE, "unless": [{"message": "done", "level": ["INFO"]}]})
    with pytest.raises(ValidationError, match="unless rules may only use"):
        Pattern.model_validate({**BASE, "unless": [{"code": ["compiler:8"]}]})


@pytest.mark.parametrize(
    ("log", "fires"),
    [
        ("[1/6] 🔍 Compiling from onnx to dfg\n", True),
        ("[1/6] 🔍 Compiling from onnx to dfg\n✨ Finished in 343.21s\n", False),
        # the veto holds wherever the line is, before or after the progress
        ("✨ Finished in 12.00s\n[1/6] 🔍 Compiling from onnx to dfg\n", False),
        ("[1/6] 🔍 Compiling from onnx to dfg\n2023-05-02T08:14:55.120331Z ERROR furiosa_compiler::api: boom\n", False),
    ],
)
def test_long_compilation_veto(analyze_text, log: str, fires: bool) -> None:
    ids = [f.id for f in analyze_text(log).findings]
    assert ("long-compilation-not-hang" in ids) is fires, ids
