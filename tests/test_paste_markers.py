"""Flattened pastes: the marker table (triage/data/paste_markers.toml) splits its examples and not its
near misses, and a paste longer than the reader's line cut is re-split however long it is."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from triage.paste import FLAT_MIN_LEN, FLAT_SPLIT, MARKERS, ResplitStream, check_markers, load_markers, split_flattened
from triage.pipeline import analyze
from triage.reader import MAX_LINE

BUSY = (FIXTURES / "device-busy.log").read_text()
INFO = "2023-05-17T01:33:09.101223Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized"
EXAMPLES = [(m.id, ex) for m in MARKERS.markers for ex in m.examples]
NEAR_MISSES = [(m.id, nm) for m in MARKERS.markers for nm in m.near_misses]


def test_every_marker_says_where_it_comes_from_and_has_both_kinds_of_example() -> None:
    for m in MARKERS.markers:
        assert m.source and m.examples and m.near_misses, m.id
    assert len({m.id for m in MARKERS.markers}) == len(MARKERS.markers)
    assert check_markers() == ([], len(EXAMPLES) + len(NEAR_MISSES))


def test_the_table_check_catches_a_bad_marker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The check `patterns test` runs fails on a marker that splits its near miss or not its example."""
    bad = tmp_path / "markers.toml"
    bad.write_text(
        "min_length = 20\nmin_pieces = 3\n[[marker]]\nid = 'x'\nregex = 'ERROR'\nsource = 'test'\n"
        "examples = ['WARN something']\nnear_misses = ['a line with ERROR inside it']\n"
    )
    problems, _ = check_markers(load_markers(bad))
    assert [p[1].split(":")[0] for p in problems] == ["example 1 does not split off whole", "near miss 1 splits"]


def test_patterns_test_runs_the_marker_table() -> None:
    from triage.selfcheck import run_tests

    result = run_tests()
    assert result.counts["paste-marker texts"] == len(EXAMPLES) + len(NEAR_MISSES)


@pytest.mark.parametrize(("marker", "example"), EXAMPLES)
def test_an_example_pasted_after_other_text_splits_off_whole(marker: str, example: str) -> None:
    before = "some earlier output of the same run, long enough to be a paste " * 3
    assert FLAT_SPLIT.split(f"{before.strip()} {example}") == [before.strip(), example]
    assert split_flattened(f"{before.strip()} {example} {INFO}") == [before.strip(), example, INFO]


@pytest.mark.parametrize(("marker", "near_miss"), NEAR_MISSES)
def test_a_near_miss_stays_one_piece(marker: str, near_miss: str) -> None:
    assert len(near_miss) >= FLAT_MIN_LEN  # else it would pass for being short
    assert FLAT_SPLIT.search(near_miss) is None
    assert split_flattened(near_miss) == [near_miss]


def _paste(filler_bytes: int, tail: str = BUSY) -> str:
    """A run flattened onto one line: INFO records, then the real device-busy log at its end."""
    records = [INFO] * (filler_bytes // (len(INFO) + 1))
    return " ".join([*records, *tail.splitlines()]) + "\n"


@pytest.mark.parametrize(("backend", "jobs"), [(None, 1), ("re", 1), ("re", 2)], ids=["line", "fast", "parallel"])
def test_an_error_at_the_end_of_a_long_paste_is_found(tmp_path, monkeypatch, backend: str | None, jobs: int) -> None:  # type: ignore[no-untyped-def]
    from triage import parallel

    monkeypatch.setattr(parallel, "MIN_SPLIT", 1 << 20)  # forked workers see these
    monkeypatch.setattr(parallel, "UNIT", 256 << 10)
    log = tmp_path / "paste.log"
    log.write_text("header line\n" + _paste(3 << 20) + "after\n")
    report = analyze([str(log)], backend=backend, jobs=jobs)
    assert [f.id for f in report.findings] == ["device-busy"]
    assert {e.line for f in report.findings for e in f.evidence} == {2}
    source = report.sources[0]
    assert source.lines == 3
    assert any("line 2 (" in n and "re-split into" in n for n in source.notes), source.notes
    assert report.versions["furiosa-runtime"].version == "0.9.1"


def test_long_paste_reads_the_same_through_every_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "paste.log"
    log.write_text(_paste(2 << 20) + _paste(600 << 10) + "tail\n")
    line = analyze([str(log)]).model_dump()
    fast = analyze([str(log)], backend="re").model_dump()
    assert line == fast
    assert [f["id"] for f in line["findings"]] == ["device-busy"]


def test_an_over_long_record_inside_a_paste_is_cut_and_the_rest_still_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "paste.log"
    giant = "x" * (MAX_LINE + 5000)
    log.write_text(" ".join([INFO, giant, *BUSY.splitlines()]) + "\n")
    report = analyze([str(log)], backend="re")
    assert [f.id for f in report.findings] == ["device-busy"]
    assert any("1 record(s) longer than" in n for n in report.sources[0].notes), report.sources[0].notes


def test_a_long_line_that_is_no_paste_is_cut_as_before(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "one.log"
    log.write_text("ERROR nux: " + "y" * (3 * MAX_LINE) + "\nnext\n")
    report = analyze([str(log)])
    assert report.sources[0].lines == 2
    assert report.sources[0].notes == [f"line 1 is longer than {MAX_LINE} bytes; the rest was cut"]


def test_the_stream_splitter_keeps_memory_bounded() -> None:
    """Windows of text with no split point: the carried text never exceeds the cut plus a margin."""
    stream = ResplitStream(MAX_LINE)
    pieces = []
    for _ in range(40):
        pieces += stream.feed("z" * 100_000)
        assert len(stream.carry) <= MAX_LINE + 8192 + 100_000
    pieces += stream.feed(" " + INFO, final=True)
    assert [len(p) for p in pieces] == [MAX_LINE, len(INFO)] and stream.cut == 1
