"""`warboy-triage lint MODEL.onnx`: check an ONNX model against Warboy's constraints before compiling it.

graph.py reads the model (onnx is the optional extra `model`), conditions.py and partition.py decide where
each node would run, rules.py turns that into findings, build.py assembles a LintReport (the same Finding and
Evidence as log triage).
"""

from triage.lint.build import lint_graph, lint_model
from triage.lint.graph import LintError

__all__ = ["LintError", "lint_graph", "lint_model"]
