"""One input layer: analyze (line and fast paths), ticket and the TUI's log index read every file of
fixtures/hostile/ the same way: the same error, line count, bytes, notes, lines of text and findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from triage.pipeline import analyze
from triage.reader import ReaderError, read
from triage.ticket.bundle import build, gather
from triage.ticket.inputs import InputError
from triage.tui.logindex import MAX_SHOWN, LogIndex

HOSTILE = FIXTURES / "hostile"
SAMPLES = sorted(p.name for p in HOSTILE.iterdir() if p.suffix not in (".py", ".json") or p.suffix == ".jsonl")


def _facts(report) -> dict:  # type: ignore[no-untyped-def]
    s = report.sources[0]
    return {
        "lines": s.lines,
        "bytes": s.bytes,
        "notes": s.notes,
        "findings": [(f.id, [(e.line, e.text) for e in f.evidence]) for f in report.findings],
    }


def _reader_lines(path: str) -> list[tuple[int, str]]:
    _, lines = read(path)
    return [(ln.no, ln.text) for ln in lines]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_reader_reads_the_sample_as_analyze_does(name: str, kb) -> None:  # type: ignore[no-untyped-def]
    _same_everywhere(str(HOSTILE / name), kb)


def test_a_paste_longer_than_the_line_cut_reads_the_same_everywhere(tmp_path, kb) -> None:  # type: ignore[no-untyped-def]
    """Synthetic: the device-busy fixture flattened after 1 MB of INFO records, coloured, with a CR."""
    busy = (FIXTURES / "device-busy.log").read_text().splitlines()
    info = "\x1b[2m2023-05-17T01:33:09.101223Z\x1b[0m  INFO nux::npu: Npu (npu0pe0-1) is being initialized"
    paste = " ".join([info] * 12000) + "\r" + " ".join(busy)
    log = tmp_path / "paste.log"
    log.write_text("first line\n" + paste + "\nlast line\n")
    _same_everywhere(str(log), kb)


def _same_everywhere(path: str, kb) -> None:  # type: ignore[no-untyped-def]
    try:
        want = _facts(analyze([path], kb))
    except ReaderError as exc:
        with pytest.raises(ReaderError, match="looks like binary"):
            analyze([path], kb, backend="re")
        with pytest.raises(InputError) as ticket_error:
            gather([path], None, lambda _: False)
        assert str(ticket_error.value) == str(exc)
        index = LogIndex(path)
        list(index.scan())
        assert index.error == str(exc) and index.lines == 0
        return

    assert _facts(analyze([path], kb, backend="re")) == want  # the fast scan

    inputs, skipped = gather([path], None, lambda _: False)
    ticket = build(inputs, skipped, kb, None, None)
    assert _facts(ticket.report) == want
    bundled = json.loads(next(m.text for m in ticket.members if m.arcname == "report.json"))
    assert (bundled["sources"][0]["lines"], bundled["sources"][0]["bytes"]) == (want["lines"], want["bytes"])

    index = LogIndex(path)
    try:
        list(index.scan())
        assert index.error == ""
        assert index.lines == want["lines"]
        rows = [index.row_text(r) for r in range(index.rows)]
        shown = [(no, text) for no, text in rows if text.strip()]
        # the view draws MAX_SHOWN characters of a row, and blank lines (the reader skips them)
        assert shown == [(no, t[:MAX_SHOWN]) for no, t in _reader_lines(path) if t[:MAX_SHOWN].strip()]
        for _id, evidence in want["findings"]:
            for no, text in evidence:
                assert any(index.row_text(r) == (no, text[:MAX_SHOWN]) for r in index.rows_for(no, text)), (no, text)
    finally:
        index.close()


def test_the_samples_cover_the_hard_cases() -> None:
    names = set(SAMPLES)
    assert {"utf16-powershell.log", "nul-blocks.log", "truncated.log.gz", "not-a-log.enf", "cr-progress.log"} <= names
    assert Path(HOSTILE / "gzip-bomb.log.gz").stat().st_size < 1 << 20
