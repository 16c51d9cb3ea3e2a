"""Real FuriosaRT 0.10.5 outputs from a user's study note (tests/data/wild/README.md): the right
cause first, and what follows from it (runtime thread panics after the DRAM error) folded into it
rather than reported as an unknown failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.pipeline import analyze_text

WILD = Path(__file__).resolve().parent / "data" / "wild"

EXPECTED = {
    "furiosart-0-10-5-device-busy.log": "device-busy",
    "furiosart-0-10-5-oom-then-panics.log": "dram-exhausted",
    "furiosart-0-10-5-mismatching-dimension-flattened.log": "input-shape-mismatch",
    "furiosart-0-10-5-num-slice-fatal.log": "model-device-mismatch",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_right_cause_first_and_nothing_unexplained(kb, name: str) -> None:
    report = analyze_text((WILD / name).read_text(encoding="utf-8"), kb=kb)
    ids = [f.id for f in report.findings]
    assert ids and ids[0] == EXPECTED[name], ids
    assert "unrecognized-error" not in ids, ids


def test_panics_after_dram_error_are_its_consequence(kb) -> None:
    report = analyze_text((WILD / "furiosart-0-10-5-oom-then-panics.log").read_text(encoding="utf-8"), kb=kb)
    first = report.findings[0]
    assert "furiosa-runtime-panic" in first.explains
    lines = {e.line for e in first.evidence}
    assert {2, 8, 10} <= lines  # the first uNpuDrv line and both panics
    assert min(lines) == 2  # the memory error leads the evidence


def test_a_furiosa_runtime_panic_alone_is_named_not_unrecognized(kb) -> None:
    # the panic lines of furiosa-sdk issue #14 without the rest of that log
    text = (
        "thread '<unnamed>' panicked at 'no entry found for key', crates/npu-ir/src/furiosa_ir/furiosa_ir_onnx.rs:2647:55\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
    )
    ids = [f.id for f in analyze_text(text, kb=kb).findings]
    assert ids == ["furiosa-runtime-panic"], ids


def test_an_unrelated_rust_panic_stays_unrecognized(kb) -> None:
    text = "thread 'main' panicked at 'index out of bounds', src/main.rs:12:10\n"
    ids = [f.id for f in analyze_text(text, kb=kb).findings]
    assert ids == ["unrecognized-error"], ids


def test_dram_need_above_capacity_is_shown_with_the_memory_error(kb) -> None:
    report = analyze_text((WILD / "furiosart-0-10-5-oom-then-panics.log").read_text(encoding="utf-8"), kb=kb)
    supporting = [e for e in report.findings[0].evidence if e.supporting]
    assert [e.line for e in supporting] == [7]  # "(DRAM: 21.3 GiB/16.0 GiB"
    healthy = "[Runtime-0] created 4 NPU threads on npu:0:0 (DRAM: 1.2 GiB/16.0 GiB, SRAM: 12.0 MiB/64.0 MiB)\n"
    assert analyze_text(healthy, kb=kb).findings == []
