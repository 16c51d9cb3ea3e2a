"""The TUI's lazy log index: offsets, rows that match the reader's records, search, ERROR/WARN rows."""

from __future__ import annotations

import gzip

import pytest

import triage.tui.logindex as logindex
from tests.conftest import FIXTURES
from triage.pipeline import analyze
from triage.tui.logindex import LogIndex, find_among

SEED = FIXTURES / "seed-incompatible-config.log"


def indexed(path, name=None) -> LogIndex:
    index = LogIndex(path, name)
    for _ in index.scan():
        pass
    assert index.complete and not index.error
    return index


def all_rows(index: LogIndex) -> list[tuple[int, str]]:
    return [index.row_text(r) for r in range(index.rows)]


def test_lines_and_offsets(tmp_path) -> None:
    log = tmp_path / "a.log"
    log.write_bytes(b"first\r\nsecond\n\nfourth without newline")
    index = indexed(log)
    assert index.lines == 4
    assert all_rows(index) == [(1, "first"), (2, "second"), (3, ""), (4, "fourth without newline")]


def test_empty_file(tmp_path) -> None:
    log = tmp_path / "empty.log"
    log.write_bytes(b"")
    index = indexed(log)
    assert index.rows == 0 and index.lines == 0
    assert index.find("x", 0) is None


def test_lines_spanning_chunks(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(logindex, "SCAN_CHUNK", 7)
    log = tmp_path / "a.log"
    lines = [f"line {i} " + "x" * (i % 13) for i in range(200)]
    log.write_text("\n".join(lines) + "\n")
    index = indexed(log)
    assert [t for _, t in all_rows(index)] == lines


def test_flattened_paste_becomes_one_row_per_record_with_the_same_line_number() -> None:
    index = indexed(SEED)
    rows = all_rows(index)
    assert index.lines == 1
    assert len(rows) > 20 and {no for no, _ in rows} == {1}
    texts = [t for _, t in rows]
    assert "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU." in texts


def test_every_evidence_line_lands_on_its_own_row(kb) -> None:
    report = analyze([str(SEED)], kb)
    index = indexed(SEED)
    for finding in report.findings:
        for e in finding.evidence:
            rows = index.rows_for(e.line, e.text)
            assert len(rows) == 1, e
            assert index.row_text(rows[0]) == (e.line, e.text)


def test_evidence_rows_in_an_ordinary_log(tmp_path, kb) -> None:
    log = tmp_path / "run.log"
    body = [f"2023-02-11T06:22:{i % 60:02d}.000000Z  INFO nux::npu: step {i}" for i in range(300)]
    body.insert(250, "2023-02-11T06:23:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.")
    log.write_text("\n".join(body) + "\n")
    report = analyze([str(log)], kb)
    index = indexed(log)
    evidence = report.findings[0].evidence[0]
    assert evidence.line == 251
    assert index.rows_for(evidence.line, evidence.text) == [250]


def test_gzip_is_shown_decompressed(tmp_path) -> None:
    log = tmp_path / "a.log.gz"
    log.write_bytes(gzip.compress(b"one\ntwo\n"))
    index = indexed(log)
    assert all_rows(index) == [(1, "one"), (2, "two")]
    temp = index._temp
    assert temp is not None and temp.exists()
    index.close()
    assert not temp.exists()


def test_terminal_escapes_are_not_shown(tmp_path) -> None:
    log = tmp_path / "a.log"
    log.write_bytes(b"\x1b[31mred\x1b[0m text\n")
    assert all_rows(indexed(log)) == [(1, "red text")]


@pytest.mark.parametrize("chunk", [logindex.SEARCH_CHUNK, 64])
def test_find_forward_backward_and_wrap(tmp_path, monkeypatch, chunk) -> None:
    monkeypatch.setattr(logindex, "SEARCH_CHUNK", chunk)
    log = tmp_path / "a.log"
    lines = [f"row {i}" + (" Needle" if i in (10, 500, 900) else "") for i in range(1000)]
    log.write_text("\n".join(lines) + "\n")
    index = indexed(log)
    assert index.find("needle", -1) == 10
    assert index.find("NEEDLE", 10) == 500
    assert index.find("needle", 500) == 900
    assert index.find("needle", 900) == 10  # wraps to the top
    assert index.find("needle", 500, forward=False) == 10
    assert index.find("needle", 10, forward=False) == 900  # wraps to the bottom
    assert index.find("absent", 0) is None


def test_find_inside_a_flattened_line_moves_between_records() -> None:
    index = indexed(SEED)
    first = index.find("VERSION", -1)
    assert first is not None and "version" in index.row_text(first)[1].lower()
    second = index.find("version", first)
    assert second is not None and second != first
    assert index.find("version", second, forward=False) == first


def test_problem_rows_are_error_and_warn_records() -> None:
    index = indexed(SEED)
    rows = [r for batch in index.problem_rows() for r in batch]
    texts = [index.row_text(r)[1] for r in rows]
    assert texts == [
        "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.",
        "2023-02-11T06:22:18.937053Z ERROR nux::capi: internal error: incompatible configuration",
    ]


def test_find_among_only_searches_the_given_rows(tmp_path) -> None:
    log = tmp_path / "a.log"
    log.write_text("a x\nb x\nc x\n")
    index = indexed(log)
    assert find_among(index, [0, 2], "x", 0) == 2
    assert find_among(index, [0, 2], "x", 2) == 0
    assert find_among(index, [0, 2], "b", 0) is None


def test_unreadable_file_reports_an_error(tmp_path) -> None:
    index = LogIndex(tmp_path / "missing.log")
    list(index.scan())
    assert index.complete and index.error.endswith("missing.log: no such file")  # the reader's wording
