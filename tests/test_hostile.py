"""fixtures/hostile/: real logs made nasty (see make_corpus.py); each must still be diagnosed.

expected.json gives per sample: the line count (the user's, by LF), the finding ids, the
reader notes that must appear, or the one-line error for input that is not a log at all.
Every sample also goes through every renderer, which must stay terminal-safe.
"""

from __future__ import annotations

import json
import re
import signal
from contextlib import contextmanager

import pytest

from tests.conftest import FIXTURES
from triage.jsonl_input import jsonl_reader
from triage.pipeline import analyze
from triage.reader import ReaderError
from triage.render import get_renderer

HOSTILE = FIXTURES / "hostile"
EXPECTED = json.loads((HOSTILE / "expected.json").read_text())
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SECONDS = 60  # a hang guard, not a speed test: each sample takes well under a few seconds


@contextmanager
def no_hang(what: str, seconds: int = SECONDS):
    def hung(*_):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"{what} took more than {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_every_sample_has_expectations() -> None:
    samples = {p.name for p in HOSTILE.iterdir() if p.suffix not in (".py", ".json") or p.name.endswith(".jsonl")}
    assert samples == set(EXPECTED)


@pytest.mark.parametrize("backend", [None, "re"], ids=["line-reader", "fast-scan"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_sample(name: str, backend: str | None) -> None:
    want = EXPECTED[name]
    path = str(HOSTILE / name)
    line_reader = jsonl_reader() if want.get("input_format") == "jsonl" else None
    with no_hang(name):
        if "error" in want:
            with pytest.raises(ReaderError, match=want["error"]):
                analyze([path], backend=backend, line_reader=line_reader)
            return
        report = analyze([path], backend=backend, line_reader=line_reader)
        outputs = {fmt: get_renderer(fmt)(report, color=False) for fmt in ("text", "markdown", "json", "jsonl")}
    source = report.sources[0]
    assert source.lines == want["lines"]
    assert [f.id for f in report.findings] == want["findings"]
    for note in want.get("notes", []):
        assert any(note in n for n in source.notes), (note, source.notes)
    if want.get("no_report_notes"):
        assert report.notes == []  # no regex gave up on the bait
    lines = sorted({e.line for f in report.findings for e in f.evidence})
    if "first_evidence" in want:
        assert lines[0] == want["first_evidence"]
    if "last_evidence" in want:
        assert lines[-1] == want["last_evidence"]
    assert all(1 <= n <= source.lines for n in lines)
    for fmt, out in outputs.items():
        assert not UNSAFE.search(out.replace("\n", "").replace("\t", "")), fmt


@pytest.mark.parametrize(("backend", "jobs"), [(None, 1), ("re", 1), ("re", 2)], ids=["line", "fast", "parallel"])
def test_copytruncate_hole_keeps_the_text(tmp_path, backend: str | None, jobs: int) -> None:
    """logrotate's copytruncate with a writer that keeps its offset: the file starts with a hole of
    NULs as long as the old log. The text after it must keep its line and its diagnosis."""
    from triage import parallel

    busy = (FIXTURES / "device-busy.log").read_bytes()
    hole = b"\x00" * (parallel.MIN_SPLIT + (1 << 20) if jobs > 1 else 3 << 20)
    log = tmp_path / "rotated.log"
    log.write_bytes(hole + busy)
    with no_hang("copytruncate hole"):
        report = analyze([str(log)], backend=backend, jobs=jobs)
    assert report.sources[0].lines == busy.count(b"\n")
    assert [f.id for f in report.findings] == ["device-busy"]
    assert sorted({e.line for f in report.findings for e in f.evidence}) == [1, 25]
    assert not any("longer than" in n for n in report.sources[0].notes)


CRAFTED = {  # 256 KB lines shaped against the redaction regexes (each once took minutes)
    "url-scheme-run": "a-" * 131000 + "x://y",
    "scheme-run-with-creds": "a." * 131000 + "x://user:pw@host",
    "key-value-run": "token" + "=" * 260000 + " x",
    "versions-before-ip": ("furiosa" + "=" * 40 + " 10.0.0.1 ") * 4000,
    "hosts": "host: " * 43000,
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_redaction_of_crafted_lines_is_not_a_hang(name: str) -> None:
    from triage.redact import find_values

    with no_hang(f"redacting {name}", seconds=20):  # linear: well under a second
        find_values(CRAFTED[name])
