"""Run a pattern's lint examples: ONNX models written in ONNX's textual syntax (onnx.parser), linted like a file.

A cause that only a model shows has no log line to match, so its examples are small graphs instead; `patterns test`
lints each one and checks that the cause is (or, for a counterexample, is not) reported.
"""

from __future__ import annotations

from triage.kb.loader import KnowledgeBase
from triage.lint.build import lint_graph
from triage.lint.graph import LintError, _import_onnx, from_model


def lint_text(text: str, kb: KnowledgeBase | None = None, name: str = "<example>") -> list[str]:
    """Ids that lint reports for a model in ONNX textual syntax; LintError when onnx is missing or it does not parse."""
    onnx = _import_onnx()
    try:
        model = onnx.parser.parse_model(text)
    except Exception as exc:  # onnx.parser raises its own ParseError (and ValueError on some inputs)
        raise LintError(f"{name}: not a model in ONNX textual syntax ({' '.join(str(exc).split())[:200]})") from None
    return [f.id for f in lint_graph(from_model(model, name), kb=kb).findings]
