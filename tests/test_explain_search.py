"""`explain` and `search`: lookups by id, number, name and class; Korean-aware symptom search."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from triage.cli import app
from triage.kb.explain import UnknownQuery, lookup
from triage.kb.search import search, words

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_explain_runtime_only_code(kb) -> None:
    ex = lookup(kb, "15")
    assert [(r.table, r.entry.name) for r in ex.codes] == [("runtime", "INTERNAL_ERROR")]
    assert ex.codes[0].fallback is not None and not ex.codes[0].causes
    assert "sdk-version-mismatch" in [p.id for p in ex.codes[0].related]


def test_explain_15_lists_the_causes_behind_it_most_common_first(kb) -> None:
    related = [p.id for p in lookup(kb, "15").codes[0].related]
    assert related[0] == "sdk-version-mismatch"  # the seed's case, marked common
    assert related[-1] == "device-not-found"  # a symptom after the root causes
    out = run("explain", "15").stdout
    assert "No specific cause" not in out
    behind = out.index("Causes behind this code")
    assert out.index("1. sdk-version-mismatch", behind) > behind
    # no fix step inside explain's answer tells the reader to run explain
    steps = [ln for ln in out.splitlines() if ln.lstrip()[:2] in {"1.", "→ "}]
    assert steps and not any("warboy-triage explain <code>" in s for s in steps)
    md = run("explain", "15", "--format", "markdown").stdout
    assert "1. `sdk-version-mismatch`" in md and "`warboy-triage explain <code>`" not in md


@pytest.mark.parametrize(
    "query", ["OUT_OF_INSTRUCTION_MEMORY", "OUT_OF_INSTUCTION_MEMORY", "out-of-instruction-memory"]
)
def test_explain_accepts_the_correct_spelling_of_upstreams_misspelled_name(kb, query: str) -> None:
    ex = lookup(kb, query)
    assert [(r.table, r.entry.code) for r in ex.codes] == [("compiler", 9)]
    assert [p.id for p in ex.codes[0].causes] == ["instruction-memory-overflow"]


def test_explain_ambiguous_code_shows_both_tables(kb) -> None:
    ex = lookup(kb, "9")
    assert [(r.table, r.entry.name) for r in ex.codes] == [
        ("runtime", "GET_TASK_FAILED"),
        ("compiler", "OUT_OF_INSTUCTION_MEMORY"),
    ]
    assert "both tables" in ex.note
    assert [p.id for p in ex.codes[1].causes] == ["instruction-memory-overflow"]
    assert ex.codes[0].fallback_title() == "Native error code 9: GET_TASK_FAILED (runtime)"


@pytest.mark.parametrize("query", ["OUT_OF_SRAM", "out-of-sram", "OutOfSram", "compiler:8", "compiler 8"])
def test_explain_by_name_class_or_qualified_number(kb, query: str) -> None:
    ex = lookup(kb, query)
    assert [(r.table, r.entry.code) for r in ex.codes] == [("compiler", 8)]
    assert [p.id for p in ex.codes[0].causes] == ["sram-overflow"]


def test_explain_pattern_id_and_class_without_code(kb) -> None:
    assert [p.id for p in lookup(kb, "instruction-memory-overflow").patterns] == ["instruction-memory-overflow"]
    assert [p.id for p in lookup(kb, "InvalidTargetIrException").patterns] == ["invalid-target-ir"]


def test_explain_unknown_suggests(kb) -> None:
    with pytest.raises(UnknownQuery) as err:
        lookup(kb, "sram-overflw")
    assert "sram-overflow" in err.value.suggestions
    with pytest.raises(UnknownQuery, match="not in either table"):
        lookup(kb, "99")


def test_explain_cli_text_ko_json_markdown() -> None:
    out = run("explain", "9")
    assert out.exit_code == 0
    assert "runtime native error code 9: GET_TASK_FAILED" in out.stdout
    assert "compiler native error code 9: OUT_OF_INSTUCTION_MEMORY" in out.stdout
    assert "use_program_loading" in out.stdout
    ko = run("explain", "instruction-memory-overflow", "--lang", "ko")
    assert "컴파일 에러: Insufficient Instruction Memory" in ko.stdout and "inference 시간" in ko.stdout
    assert "  해결 방법:" in ko.stdout and "  Fix:" not in ko.stdout
    data = json.loads(run("explain", "OUT_OF_SRAM", "--format", "json").stdout)
    assert data["codes"][0]["causes"][0]["id"] == "sram-overflow"
    assert data["codes"][0]["causes"][0]["explains"] == ["compilation-failed", "input-size-guidance"]
    md = run("explain", "14", "--format", "markdown").stdout
    assert md.startswith("# warboy-triage explain `14`") and "(`compilation-failed`)" in md
    explained_by = next(line for line in md.splitlines() if line.startswith("Explained by:"))
    assert "`instruction-memory-overflow`" in explained_by  # other causes may explain it too


def test_explain_cli_unknown_exits_2_with_closest_ids() -> None:
    out = run("explain", "instruction-memory")
    assert out.exit_code == 2
    assert "closest: instruction-memory-overflow" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize(
    ("query", "top"),
    [
        ("느려요", "cpu-fallback-operator"),
        ("추론이 너무 느림", "cpu-fallback-operator"),
        ("slow inference", "cpu-fallback-operator"),
        ("정확도", "quantization-accuracy-drop"),
        ("양자화 후 정확도가 떨어져요", "quantization-accuracy-drop"),
        ("calibration", "quantization-accuracy-drop"),
        ("컴파일이 멈춘 것 같아요", "long-compilation-not-hang"),
        ("compile hangs", "long-compilation-not-hang"),
        ("결과가 다름", "numerical-mismatch"),
        ("out of sram", "sram-overflow"),
        ("instruction memory", "instruction-memory-overflow"),
        ("타일링", "input-size-guidance"),
        ("infernce slow", "cpu-fallback-operator"),
        ("버전이 안 맞아요", "sdk-version-mismatch"),
        ("결과가 조금 달라요", "numerical-mismatch"),
        ("device busy", "device-busy"),
    ],
)
def test_search_top_result(kb, query: str, top: str) -> None:
    hits = search(kb, query)
    assert hits, query
    assert hits[0].pattern.id == top, [(h.pattern.id, h.score) for h in hits]


def test_search_nothing_for_gibberish_and_stop_words(kb) -> None:
    assert search(kb, "xyzzy plugh") == []
    assert search(kb, "the is of") == []


def test_search_words_keep_korean_whole() -> None:
    assert words("정확도가 떨어져요, slow-inference!") == ["정확도가", "떨어져요", "slow", "inference"]


def test_search_cli() -> None:
    out = run("search", "느려요")
    assert out.exit_code == 0 and out.stdout.splitlines()[1].startswith(" 1. cpu-fallback-operator")
    data = json.loads(run("search", "정확도", "--format", "json").stdout)
    assert data["results"][0]["id"] == "quantization-accuracy-drop"
    none = run("search", "xyzzy")
    assert none.exit_code == 1 and "no cause matches" in none.stderr


def test_explain_in_korean_translates_why_and_checklist(kb) -> None:
    pattern = kb.get("device-busy")
    out = run("explain", "device-busy", "--lang", "ko").stdout
    assert " ".join(pattern.why_ko.split())[:30] in " ".join(out.split())
    assert pattern.checklist_ko[0] in out and pattern.checklist[0] not in out
    md = run("explain", "device-busy", "--lang", "ko", "--format", "markdown").stdout
    assert pattern.checklist_ko[0] in md


def test_a_korean_title_phrase_counts_like_an_english_one(kb) -> None:
    from triage.kb.search import search

    assert search(kb, "버전 불일치")[0].pattern.id == "sdk-version-mismatch"  # its title_ko says exactly that
    assert search(kb, "version mismatch")[0].pattern.id == "sdk-version-mismatch"


def test_every_id_analyze_and_lint_report_on_the_fixtures_is_explained(kb) -> None:
    """Issue 13: every id any command reports is one that explain (and so search and the TUI) knows."""
    from tests.conftest import FIXTURES
    from triage.pipeline import analyze
    from triage.reader import ReaderError

    ids: set[str] = set()
    logs = [p for p in FIXTURES.rglob("*.log*") if not p.name.endswith(".json")]
    for log in logs:
        try:
            ids |= {f.id for f in analyze([str(log)], kb).findings}
        except ReaderError:  # hostile fixtures the reader refuses on purpose (binary data)
            continue
    onnx = pytest.importorskip("onnx")
    assert onnx is not None
    from triage.lint import lint_model

    for model in FIXTURES.rglob("*.onnx"):
        ids |= {f.id for f in lint_model(model, kb=kb).findings}
    assert {"sdk-version-mismatch", "softmax-resize-placement", "model-not-quantized"} <= ids
    for fid in sorted(ids):
        assert lookup(kb, fid).patterns == [kb.get(fid)], fid


def test_explain_says_a_lint_cause_is_found_in_a_model() -> None:
    out = run("explain", "model-not-quantized").stdout
    assert "found in: an ONNX model only" in out and "warboy-triage lint" in out
    data = json.loads(run("explain", "cpu-fallback-operator", "--format", "json").stdout)
    assert data["patterns"][0]["reads"] == ["log", "model"]
