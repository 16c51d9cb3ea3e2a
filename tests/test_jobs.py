"""--jobs: a file cut into units anywhere gives the report of one process reading every line.

tests/test_scan.py compares every fixture and bench log; these put unit boundaries inside what
spans lines on purpose (a traceback and its chain, an exception group, an Error panel, a version
banner, a code line whose table a hint far before decides) and reach every cap in a later unit.
Spies on the parent say which way each case went (worker state replayed, left open and settled by
the parent, or the unit read again by the parent), so a test cannot pass by never taking its path.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.test_scan import BACKENDS, _hint_log
from triage import analysis, fastpath, parallel, reader
from triage.parsers.error_codes import _HINT_WINDOW, ErrorCodeParser, last_hint
from triage.partial import CHAIN_FROM_BEFORE, PendingCode
from triage.pipeline import analyze
from triage.reader import Line

# real lines: runtime start-up of fixtures/native-error-bare-internal.log
PLAIN = FIXTURES.joinpath("native-error-bare-internal.log").read_bytes().splitlines()[:2]
TRACEBACKS = [
    FIXTURES / "native-error-bare-internal.log",  # a traceback ending in a native error code
    FIXTURES / "real" / "sdk-0-5-device-busy-recursion.log",  # IPython, chained ("During handling")
    FIXTURES / "real" / "sdk-0-5-runtime-full-version.log",  # version banners
]
# synthetic, drawn as CPython 3.11 prints an exception group (as in tests/test_parsers.py)
GROUP = [
    b"  + Exception Group Traceback (most recent call last):",
    b'  |   File "/home/u/serve.py", line 9, in <module>',
    b"  |     asyncio.run(main())",
    b"  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
    b"  +-+---------------- 1 ----------------",
    b"    | Traceback (most recent call last):",
    b'    |   File "/home/u/serve.py", line 5, in worker',
    b"    |     await runner.run(x)",
    b"    | furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)",
    b"    +---------------- 2 ----------------",
    b"    | ValueError: mismatching dimension",
    b"    +------------------------------------",
]
# synthetic, drawn as rich draws a Typer Error panel (as in tests/test_panels.py); click's message
PANEL = [
    b"Usage: furiosa-llm serve [OPTIONS] MODEL",
    "╭─ Error ──────────────────────────────────────────╮".encode(),
    "│ Missing option '--devices'.                      │".encode(),
    "│                                                  │".encode(),
    "╰──────────────────────────────────────────────────╯".encode(),
]


@pytest.fixture
def spied(monkeypatch):  # type: ignore[no-untyped-def]
    """Split even small files; count, in the parent, what the folded partials left open and how
    often the parent read a unit again."""
    monkeypatch.setattr(fastpath, "SMALL", 0)
    monkeypatch.setattr(parallel, "MIN_SPLIT", 0)
    seen: Counter[str] = Counter()
    fold, following = analysis.fold, parallel._following

    def spy_fold(target, part, source):  # type: ignore[no-untyped-def]
        seen["units"] += 1
        seen["pending codes"] += sum(isinstance(c, PendingCode) for c in part.codes)
        seen["inherited chains"] += part.inherited is not None
        seen["chains to before"] += sum(x.chained_from == CHAIN_FROM_BEFORE for x in part.exceptions)
        seen["open tracebacks"] += part.start_state[0][0]
        return fold(target, part, source)

    def spy_following(tracker, panel):  # type: ignore[no-untyped-def]
        seen["read again"] += 1
        return following(tracker, panel)

    monkeypatch.setattr(analysis, "fold", spy_fold)
    monkeypatch.setattr(parallel, "_following", spy_following)
    return seen


def _same(log: Path, kb, unit: int, monkeypatch, backend: str = "re") -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parallel, "UNIT", unit)
    want = analyze([str(log)], kb).model_dump_json(indent=2)
    got = analyze([str(log)], kb, backend=backend, jobs=2).model_dump_json(indent=2)
    assert got == want
    return want


def _write(path: Path, parts: list[list[bytes]]) -> Path:
    path.write_bytes(b"\n".join(line for part in parts for line in part) + b"\n")
    return path


def _tracebacks() -> list[list[bytes]]:
    return [[*PLAIN * 3, *p.read_bytes().splitlines(), *PLAIN * 3] for p in TRACEBACKS] + [GROUP, PLAIN]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_unit_at_every_line_through_tracebacks_chains_groups_and_banners(
    tmp_path, kb, backend, spied, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """UNIT = 1: every line (but an empty one) starts a unit. Open tracebacks and groups are replayed by the worker
    (the parent never reads a unit again), the chain is settled by the parent."""
    log = _write(tmp_path / "tracebacks.log", _tracebacks())
    want = _same(log, kb, 1, monkeypatch, backend)
    assert '"chain": "context"' in want and '"frames_omitted"' in want and "furiosa-runtime" in want
    units = parallel._units(str(log), log.stat().st_size, parallel.UNIT)
    assert len(units) > 130 and spied["units"] == len(units) and spied["open tracebacks"] > 50
    assert spied["inherited chains"] > 0  # the exception after "During handling ..." is in a later unit
    assert spied["read again"] == 0


def test_several_files_each_cut_at_every_line(tmp_path, kb, spied, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Traceback, panel, chain and hint end with each input, the list of exceptions does not: a
    chain line in the second file links its exception to the last one of the first file, as in one
    process (the worker marks it, the parent fills in the line)."""
    first = _write(tmp_path / "a.log", _tracebacks())
    # synthetic: a chain line, then an exception line (the chain's wording is CPython's)
    chain = [b"During handling of the above exception, another exception occurred:", b"", *PLAIN]
    second = _write(tmp_path / "b.log", [PLAIN, chain, [b"ValueError: mismatching dimension"], PLAIN])
    monkeypatch.setattr(parallel, "UNIT", 1)
    paths = [str(first), str(second)]
    want = analyze(paths, kb).model_dump_json(indent=2)
    assert analyze(paths, kb, backend="re", jobs=2).model_dump_json(indent=2) == want
    last_of_first = [x for x in analyze([str(first)], kb).exceptions][-1].line
    (linked,) = [x for x in analyze(paths, kb).exceptions if x.source == str(second)]
    assert (linked.chain, linked.chained_from) == ("context", last_of_first)
    assert spied["chains to before"] + spied["inherited chains"] > 0


def test_a_traceback_header_beyond_the_warm_up_is_read_again_by_the_parent(tmp_path, kb, spied, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A worker that cannot see the header of the traceback it starts in assumes none is open; the
    parent sees that the unit before ended inside one and reads the unit itself."""
    monkeypatch.setattr(parallel, "WARM_UP", 64)
    log = _write(tmp_path / "tracebacks.log", _tracebacks())
    _same(log, kb, 1, monkeypatch)
    assert spied["read again"] > 10
    assert spied["units"] > 10  # units after the traceback are folded again


def test_an_error_panel_cut_by_units_is_read_again_by_the_parent(tmp_path, kb, spied, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "panel.log", [PLAIN * 5, PANEL, PLAIN * 5, PANEL, PLAIN])
    want = _same(log, kb, 1, monkeypatch)
    assert "Error: Missing option '--devices'." in want
    assert spied["read again"] >= 2  # the message row and the blank row after it


@pytest.mark.parametrize("seed", range(3))
def test_code_lines_whose_hint_is_in_an_earlier_unit(tmp_path, kb, seed, spied, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A code line before any hint of its own unit comes back pending; the parent places it with
    the hint in force before the unit (within the 200-line window, or not)."""
    monkeypatch.setattr(reader, "CHUNK", 4096)
    log = tmp_path / "hints.log"
    log.write_bytes(_hint_log(random.Random(seed)))
    want = _same(log, kb, 2048, monkeypatch)
    assert '"ambiguous": false' in want
    assert spied["pending codes"] > 0


def test_caps_of_evidence_exceptions_codes_and_versions_reached_in_a_later_unit(
    tmp_path, kb, spied, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Evidence per pattern (200), exceptions and codes (1000), version lines (1000, then new
    releases only) are reached only after many units; the report is that of one process."""
    # a traceback whose exception line a line rule matches: evidence past the 200 kept per pattern
    # leaves that exception unexplained, so it counts among the unclassified lines
    real = FIXTURES.joinpath("device-busy.log").read_bytes().splitlines()
    banner = b"- furiosa-compiler version: 0.5.0 (rev: 407c0c51f-modified built at 2021-11-22 20:18:37)"
    # synthetic: banners of other releases after the cap
    others = [banner.replace(b"0.5.0", f"0.{n}.0".encode()) for n in range(5, 80)]
    log = _write(tmp_path / "caps.log", [PLAIN * 50, real * 1100, [banner] * 1100, others])
    assert log.stat().st_size > 40 * 8192
    want = _same(log, kb, 8192, monkeypatch)
    assert "more exceptions or error codes than the report keeps" in want
    report = analyze([str(log)], kb)
    assert len(report.exceptions) == 1000 and len(report.error_codes) == 1000
    assert max(f.evidence_count for f in report.findings) > 1000
    assert any(u.text.startswith("furiosa.runtime.errors.DeviceBusy") and u.count == 800 for u in report.unclassified)
    assert spied["units"] > 40 and spied["read again"] == 0


def test_caps_of_unclassified_and_failure_groups_reached_in_a_later_unit(tmp_path, kb, spied, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Unclassified and failure lines keep 50 shapes and 50 lines of each: new shapes keep coming
    after many units; the report is that of one process."""
    words = [f"{a}{b}" for a in "bcdfghjklm" for b in ("ar", "en", "ix", "op", "ut", "yl", "ow")]
    rng = random.Random(5)
    # synthetic: ERROR lines of 70 shapes that no rule knows, one shape more every few units
    lines = [
        f"2023-06-02T11:20:41Z ERROR app: {rng.choice(words[: 20 + n // 120])} stalled".encode() for n in range(6000)
    ]
    log = _write(tmp_path / "groups.log", [PLAIN * 50, lines])
    _same(log, kb, 4096, monkeypatch)
    report = analyze([str(log)], kb)
    assert len(report.unclassified) == 50
    assert report.findings[-1].id == "unrecognized-error" and report.findings[-1].evidence_count == 6000
    assert max(u.count for u in report.unclassified) > 50
    assert spied["units"] > 40 and spied["read again"] == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a b c", "", "x nux::npu: y", "compiling from onnx to dfg", "furiosart", "ompil"]),
            st.sampled_from([1, 1, 1, 7, 60, 150, 199]),
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_last_hint_of_a_span_is_what_feeding_its_lines_leaves(runs: list[tuple[str, int]], final_lf: bool) -> None:
    """A worker settles the hint at its unit's end from its skipped spans; last_hint reads only the
    last 200 lines of a span, and must give what feeding every line would leave within them."""
    lines = [text for text, n in runs for _ in range(n)]
    if not lines:
        return
    final_lf = final_lf or not lines[-1]  # (an empty last line is a line only when a LF ends it)
    block = b"head\n" + "\n".join(lines).encode() + (b"\n" if final_lf else b"")
    parser = ErrorCodeParser([])
    for i, text in enumerate(lines):
        parser.feed(Line(10 + i, text), "log", None)
    want = None
    if parser.hint and parser.hint_line >= 10 + len(lines) - _HINT_WINDOW:
        want = (parser.hint, parser.hint_line)
    assert last_hint(block, 5, len(block), 10) == want


def test_unit_size_gives_every_process_several_units_of_bounded_size() -> None:
    mb = 1 << 20
    assert parallel.unit_size(200 * mb, 2) == 25 * mb  # four units per process
    assert parallel.unit_size(4096 * mb, 2) == parallel.UNIT  # never larger than UNIT
    assert parallel.unit_size(33 * mb, 16) == parallel.MIN_UNIT  # never smaller than MIN_UNIT
    assert parallel.unit_size(200 * mb, 0) == parallel.UNIT
