"""The knowledge base against the code tables, both ways (NVIDIA Xid-catalogue style):
every native error code in furiosa-facts.md resolves to a named cause or to the generic
fallback with its table named, and every pattern id that code or data refers to exists."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from triage import codes
from triage.kb.explain import resolve_code

# The two tables exactly as furiosa-facts.md lists them ("Native error codes").
FACTS_RUNTIME = {
    0: "SUCCESS",
    1: "NUX_CREATION_FAILED",
    2: "MODEL_DEPLOY_FAILED",
    3: "MODEL_EXECUTION_FAILED",
    4: "INVALID_INPUT_INDEX",
    5: "INVALID_OUTPUT_INDEX",
    6: "INVALID_BUFFER",
    7: "INVALID_INPUTS",
    8: "INVALID_OUTPUTS",
    9: "GET_TASK_FAILED",
    10: "DUMP_PROFILE_FAILED",
    11: "QUEUE_WAIT_TIMEOUT",
    12: "QUEUE_NO_DATA",
    13: "INCOMPATIBLE_MODEL",
    14: "COMPILATION_FAILED",
    15: "INTERNAL_ERROR",
    16: "INVALID_YAML",
    17: "INCOMPATIBLE_API_CLIENT_ERROR",
    18: "API_CLIENT_INIT_FAILED",
    19: "NO_API_KEY",
    20: "NULL_POINTER_EXCEPTION",
    21: "INVALID_SESSION_OPTIONS",
    22: "SESSION_TERMINATED",
    23: "DEVICE_BUSY",
    24: "TENSOR_NAME_NOT_FOUND",
    25: "UNSUPPORTED_FEATURE",
    30: "INVALID_COMPILER_CONFIG",
}
FACTS_COMPILER = {
    1: "COMPILATION_ERROR",
    2: "IO_ERROR",
    3: "CONFIGURATION_MISMATCH",
    4: "INVALID_FORMAT",
    5: "INVALID_MODEL",
    6: "INVALID_NPUID",
    7: "OUT_OF_DRAM",
    8: "OUT_OF_SRAM",
    9: "OUT_OF_INSTUCTION_MEMORY",
    10: "TFLITE_TO_DFG",
    11: "USER_COMMAND",
    12: "INVALID_CONFIG",
    255: "OTHER",
}
ALL_CODES = [("runtime", c) for c in FACTS_RUNTIME] + [("compiler", c) for c in FACTS_COMPILER]

# Codes whose cause the facts name, and the cause they must resolve to.
SPECIFIC = {
    ("runtime", 13): "sdk-version-mismatch",
    ("runtime", 14): "compilation-failed",
    ("compiler", 1): "compilation-failed",
    ("compiler", 6): "invalid-target-npu",
    ("compiler", 8): "sram-overflow",
    ("compiler", 9): "instruction-memory-overflow",
}


def test_code_tables_match_the_facts() -> None:
    assert {c: e.name for c, e in codes.RUNTIME.items()} == FACTS_RUNTIME
    assert {c: e.name for c, e in codes.COMPILER.items()} == FACTS_COMPILER


@pytest.mark.parametrize(("table", "code"), ALL_CODES, ids=[f"{t}-{c}" for t, c in ALL_CODES])
def test_every_code_resolves(kb, table: str, code: int) -> None:
    res = resolve_code(kb, table, code)
    assert res.resolved, f"{table} {code} resolves to nothing"
    if not res.causes:
        title = res.fallback_title()
        assert table in title and res.entry.name in title and str(code) in title, title


@pytest.mark.parametrize(("key", "cause"), sorted(SPECIFIC.items()), ids=[f"{k[0]}-{k[1]}" for k in sorted(SPECIFIC)])
def test_named_codes_resolve_to_their_cause(kb, key, cause: str) -> None:
    assert cause in [p.id for p in resolve_code(kb, *key).causes]


def test_resolution_agrees_with_the_analyser(kb, analyze_text) -> None:
    """What `explain` says a code leads to is what analysing its exception line reports."""
    for table, entries in codes.TABLES.items():
        module = {"runtime": "furiosa.runtime.errors", "compiler": "furiosa.tools.compiler.api.errors"}[table]
        for code, entry in entries.items():
            if not entry.exception or entry.exception == "InternalError":
                continue
            line = f"{module}.{entry.exception}: {entry.message} (native error code: {code})"
            ids = {f.id for f in analyze_text(line).findings}
            causes = {p.id for p in resolve_code(kb, table, code).causes}
            # a symptom may be folded into the cause that explains it; the fallback reports the rest
            expected = causes or {"native-error"}
            assert expected & ids or any(set(p.explains) & causes for p in kb.patterns if p.id in ids), (line, ids)


# Names our code uses for findings and patterns; `event.input.id == "kb-query"` (a widget id) is not one.
_HOLDERS = {"f", "p", "q", "h", "d", "finding", "pattern", "other", "hit", "draft", "cause"}


def _holds_pattern(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _HOLDERS
    return isinstance(node, ast.Attribute) and node.attr in ("pattern", "finding")


def _ids_referenced_in_code(root: Path = ROOT / "triage") -> set[str]:
    """String literals compared with a finding's or pattern's `.id`, or passed to `kb.get(...)`."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "id"
                and _holds_pattern(node.left.value)
            ):
                for comp in node.comparators:
                    elts = comp.elts if isinstance(comp, (ast.Tuple, ast.List, ast.Set)) else [comp]
                    found |= {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "kb"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_referenced_pattern_id_exists(kb) -> None:
    known = {p.id for p in kb.patterns}
    referenced: dict[str, str] = {}
    for p in kb.patterns:
        for other in p.explains:
            referenced.setdefault(other, f"explains of {p.id}")
    for exp in FIXTURES.glob("*.expected.json"):
        for f in json.loads(exp.read_text())["findings"]:
            referenced.setdefault(f["id"], exp.name)
    for cause in SPECIFIC.values():
        referenced.setdefault(cause, "tests/test_code_coverage.py")
    for pid in _ids_referenced_in_code():
        referenced.setdefault(pid, "triage/ source")
    missing = {pid: where for pid, where in referenced.items() if pid not in known}
    assert not missing, f"unknown pattern ids: {missing}"


def test_reference_scan_sees_code(tmp_path: Path) -> None:
    """The scanner above really finds ids in the shapes it claims to (so the test can fail)."""
    (tmp_path / "mod.py").write_text(
        'if f.id == "made-up-id" or kb.get("other-id"):\n    pass\n'
        'top = [d for d in r if d.pattern.id in ("a-id", "b-id")]\n'
        'if event.input.id == "widget-id":\n    pass\n'
    )
    assert _ids_referenced_in_code(tmp_path) == {"made-up-id", "other-id", "a-id", "b-id"}
