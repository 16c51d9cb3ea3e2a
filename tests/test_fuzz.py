"""Property tests over the reader, the parsers and the whole pipeline (slow: CI runs them).

Inputs: random bytes, invalid UTF-8, NULs, lone CR, mixed line ends, escape sequences,
truncated gzip, over-long and 10 MB lines, deeply repeated traceback frames, and real log
lines (every pattern's examples) mixed with all of that. Properties: no exception escapes
(an unreadable binary input is a ReaderError, nothing else), and line numbers are the user's:
they agree with a plain count of LF bytes. About 11k examples in all.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import tempfile
import zlib
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from triage import reader
from triage.kb import load
from triage.parsers import Parsers
from triage.parsers.exceptions import MAX_FRAMES
from triage.pipeline import analyze, analyze_streams
from triage.reader import GZIP_MAGIC, Line, ReaderError, Source, clean, iter_lines
from triage.render import get_renderer
from triage.report import Report

pytestmark = pytest.mark.slow

KB = load()
FUZZ = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=examples)


UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Real log lines (every pattern's examples and near misses) and the hostile pieces that get mixed in.
REAL = sorted({ln for p in KB.patterns for ex in [*p.examples, *p.counterexamples] for ln in ex.splitlines()})
HOSTILE = [
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\x00",
    "\x00" * 30,
    "\x1b[31m",
    "\x1b[0m",
    "[0m",
    "\x1b]52;c;QUFB\x07",
    "\x1b]8;;http://x.example\x1b\\",
    "\x1b]0;title",
    "\x9b2J",
    "\x9d0;t\x9c",
    "\x1bP1$r\x1b\\",
    "\u202e",
    "\ufeff",
    "\t",
    " " * 200,
    "a" * 300,
    "Traceback (most recent call last):",
    '  File "/x/a.py", line 3, in f',
    "    raise X",
    "During handling of the above exception, another exception occurred:",
    "furiosa.runtime.errors.InternalError: unknown (native error code: 15)",
    "(native error code: -1)",
    "(native error code: 99999999999999999999)",
    "ValueError: ",
    "E   RuntimeError: x",
    "[1/6] ",
    "2023-02-11T06:22:18.931755Z ERROR nux: ",
    "uNpuDrv (E) ",
    "- furiosa-runtime version: 0.10.",
    "Using furiosa-compiler v",
    "=" * 80,
    "Information Dump",
    "\u00e9\ud55c\uad6d\uc5b4",
]
BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"]

logish = st.lists(
    st.one_of(
        st.sampled_from(REAL).map(lambda s: s.encode()),
        st.sampled_from(HOSTILE).map(lambda s: s.encode()),
        st.sampled_from(BAD_BYTES),
        st.binary(max_size=24),
    ),
    max_size=40,
).map(b"".join)


def lf_count(data: bytes) -> int:
    """The reference: how many lines a user's editor shows (LF-terminated, plus an unterminated tail)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def expected_numbers(data: bytes, max_line: int) -> tuple[set[int], set[int]]:
    """Line numbers that must appear, and those that may: a line with something left after cleaning
    (CR splits pieces) of at most max_line bytes must; a longer line is decoded and cleaned before it is
    cut into records of at most max_line characters (triage/paste.py), so one with anything left may."""
    raws = data.split(b"\n")
    if data.endswith(b"\n"):
        raws.pop()
    raws = [raw.replace(b"\x00", b"") for raw in raws]  # NULs are dropped before lines are cut

    def kept(raw: bytes) -> bool:
        return any(clean(part).strip() for part in raw.decode("utf-8", "replace").split("\r"))

    must = {i for i, raw in enumerate(raws, 1) if len(raw) <= max_line and kept(raw)}
    may = {i for i, raw in enumerate(raws, 1) if kept(raw)}
    return must, may


def read_all(data: bytes, chunk: int = reader.CHUNK, max_line: int = reader.MAX_LINE) -> tuple[Source, list[Line]]:
    src = Source(name="fuzz")
    with mock.patch.object(reader, "CHUNK", chunk), mock.patch.object(reader, "MAX_LINE", max_line):
        return src, list(iter_lines(io.BytesIO(data), src))


def check_lines(data: bytes, src: Source, lines: list[Line], max_line: int) -> None:
    assert src.lines == lf_count(data)
    numbers = [ln.no for ln in lines]
    assert numbers == sorted(numbers)
    must, may = expected_numbers(data, max_line)
    assert must <= set(numbers) <= may
    for ln in lines:
        assert ln.text.strip() and not UNSAFE.search(ln.text) and "\n" not in ln.text


# -- reader ---------------------------------------------------------------------------------------


@fuzz(3500)
@given(
    data=st.one_of(st.binary(max_size=400), logish),
    chunk=st.sampled_from([1, 2, 3, 7, 64, 4096, reader.CHUNK]),
    max_line=st.sampled_from([1, 5, 40, reader.MAX_LINE]),
)
def test_reader_numbers_lines_like_a_plain_lf_count(data: bytes, chunk: int, max_line: int) -> None:
    assume(not reader.needs_decoding(data))  # gzip and UTF-16 have their own tests
    try:
        src, lines = read_all(data, chunk, max_line)
    except ReaderError:
        assert b"\x00" in data[:8192], "only NUL-heavy input may be refused as binary"
        return
    check_lines(data, src, lines, max_line)
    cut = {int(m) for n in src.notes for m in re.findall(r"line (\d+) is longer", n)}
    assert cut <= {  # a long line is noted when a record of it had to be cut (not when CRs split it short)
        i for i, raw in enumerate(data.split(b"\n"), 1) if len(raw.replace(b"\x00", b"")) > max_line and i <= src.lines
    }


@fuzz(1500)
@given(data=logish, cut=st.floats(0, 1), chunk=st.sampled_from([5, 512, reader.CHUNK]))
def test_truncated_gzip_reads_a_prefix_and_says_so(data: bytes, cut: float, chunk: int) -> None:
    packed = gzip.compress(data, mtime=0)
    keep = int(len(packed) * cut)
    try:
        src, lines = read_all(packed[:keep], chunk)
    except ReaderError:
        assert keep < 2  # not even the gzip magic: a tiny text input
        return
    if keep == len(packed):
        check_lines(data, src, lines, reader.MAX_LINE)
        assert src.notes == [] or all("longer than" in n for n in src.notes)
        return
    if keep >= 2 and not data.startswith(reader.UTF16_BOMS):
        assert any("gzip" in n for n in src.notes)
        # what was read is a prefix of the log, numbered as in the log
        try:
            full = read_all(data)[1]
        except ReaderError:  # the log itself is NUL-heavy binary; only the gzip layer was tested
            return
        assert [(ln.no, ln.text) for ln in lines[:-1]] == [(ln.no, ln.text) for ln in full[: max(len(lines) - 1, 0)]]


@fuzz(600)
@given(
    st.text(max_size=200), st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]), st.sampled_from([3, 64, reader.CHUNK])
)
def test_utf16_reads_like_utf8(text: str, codec: str, chunk: int) -> None:
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    assume("\x00" not in text)  # NULs make the UTF-8 reference look binary
    data = bom + text.encode(codec)
    assume(len(data) >= 2)
    src, lines = read_all(data, chunk)
    _, want = read_all(text.encode("utf-8"))
    assert [(ln.no, ln.text) for ln in lines] == [(ln.no, ln.text) for ln in want]
    assert any("UTF-16" in n for n in src.notes)


@fuzz(300)
@given(st.binary(min_size=2, max_size=300))
def test_garbage_after_gzip_magic_is_a_note_not_a_crash(tail: bytes) -> None:
    src, _ = read_all(GZIP_MAGIC + tail)
    assert src.notes


@fuzz(1500)
@given(
    st.lists(st.sampled_from(["a", "b", "", "\r", " "]), max_size=12),
    st.lists(st.sampled_from([b"\n", b"\r\n", b"\r", b"\r\r\n", b"\n\r"]), min_size=12, max_size=12),
)
def test_mixed_line_ends(words: list[str], ends: list[bytes]) -> None:
    data = b"".join(w.encode() + e for w, e in zip(words, ends, strict=False))
    src, lines = read_all(data)
    check_lines(data, src, lines, reader.MAX_LINE)


@fuzz(600)
@given(
    st.lists(
        st.one_of(
            st.tuples(
                st.just("record"), st.one_of(st.sampled_from(REAL), st.sampled_from(HOSTILE), st.text(max_size=40))
            ),
            st.tuples(st.just("plain"), st.sampled_from(REAL)),
            st.tuples(st.just("other-key"), st.text(max_size=10)),
        ),
        max_size=25,
    )
)
def test_jsonl_records_keep_their_line_numbers(items: list[tuple[str, str]]) -> None:
    import json

    from triage.jsonl_input import jsonl_reader

    rows, want = [], set()
    for no, (kind, text) in enumerate(items, 1):
        if kind == "record":
            rows.append(json.dumps({"host": "h", "message": text}))
            pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        elif kind == "plain":
            rows.append(text.replace("\n", " "))
            pieces = [rows[-1]]
        else:
            rows.append(json.dumps({"log": text}))
            pieces = []
        if any(clean(p).strip() for p in pieces):
            want.add(no)
    data = "".join(r + "\n" for r in rows).encode()
    src = Source(name="fuzz.jsonl")
    got = list(jsonl_reader()(io.BytesIO(data), src))
    assert {ln.no for ln in got} == want
    assert src.lines == len(rows)
    assert all(ln.text.strip() and not UNSAFE.search(ln.text) for ln in got)


# -- parsers and pipeline -------------------------------------------------------------------------


def run_pipeline(data: bytes) -> tuple[Report, int] | None:
    """The report and the reference line count; None for input refused as binary."""
    if reader.needs_decoding(data):  # gzip and UTF-16 have their own tests; an LF count means nothing there
        assume(False)
    src = Source(name="fuzz.log")
    try:
        report = analyze_streams([(src, iter_lines(io.BytesIO(data), src))], KB)
    except ReaderError:
        assert b"\x00" in data[:8192]
        return None
    return report, lf_count(data)


def check_report(report: Report, total: int) -> None:
    assert report.sources[0].lines == total
    numbers = [e.line for f in report.findings for e in f.evidence if e.kind != "version_skew"]
    numbers += [c.line for c in report.error_codes] + [x.line for x in report.exceptions]
    numbers += [u.line for u in report.unclassified] + [v.line for v in report.versions.values()]
    assert all(1 <= n <= total for n in numbers), (numbers, total)
    assert [f.rank for f in report.findings] == list(range(1, len(report.findings) + 1))
    assert Report.model_validate_json(report.model_dump_json()) == report


@fuzz(2000)
@given(logish)
def test_pipeline_never_raises_and_keeps_line_numbers(data: bytes) -> None:
    result = run_pipeline(data)
    if result is not None:
        check_report(*result)


@fuzz(400)
@given(logish)
def test_renderers_never_raise_and_stay_terminal_safe(data: bytes) -> None:
    result = run_pipeline(data)
    if result is None:
        return
    report = result[0]
    for fmt in ("text", "markdown"):
        assert not UNSAFE.search(get_renderer(fmt)(report, color=False))
    for fmt in ("json", "jsonl"):
        out = get_renderer(fmt)(report)
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", out)


@fuzz(200)
@given(frames=st.integers(0, 400), chained=st.booleans(), code_line=st.booleans())
def test_repeated_traceback_frames(frames: int, chained: bool, code_line: bool) -> None:
    check_traceback(frames, chained, code_line)


def test_very_deep_traceback() -> None:
    check_traceback(10000, chained=True, code_line=False)


def check_traceback(frames: int, chained: bool, code_line: bool) -> None:
    frame = '  File "/usr/lib/python3.8/site-packages/furiosa/runtime/session.py", line 42, in run\n'
    body = frame + ("    return self._run(inputs)\n" if code_line else "")
    tb = "Traceback (most recent call last):\n" + body * frames
    tb += "furiosa.runtime.errors.InternalError: unknown (native error code: 15)\n"
    if chained:
        tb += "\nDuring handling of the above exception, another exception occurred:\n\n" + tb
    result = run_pipeline(tb.encode())
    assert result is not None
    report, total = result
    check_report(report, total)
    x = report.exceptions[0]
    per_frame = 2 if code_line else 1
    assert x.line == 2 + frames * per_frame
    assert len(x.frames) == min(frames, MAX_FRAMES) and x.frames_omitted == max(0, frames - MAX_FRAMES)
    assert len(report.exceptions) == (2 if chained else 1)


@fuzz(600)
@given(logish)
def test_parsers_alone_accept_anything(data: bytes) -> None:
    parsers = Parsers()
    text = data.decode("utf-8", "replace")
    for no, line in enumerate(text.split("\n"), 1):
        parsers.feed(Line(no, line), "raw")  # raw, uncleaned text straight into the parsers
    parsers.end_source()


@fuzz(300)
@given(logish)
def test_fast_scan_and_line_reader_agree(data: bytes) -> None:
    """The fast scan (default backend) must give the report the line-by-line reader gives."""
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as f:
        f.write(data)
    try:
        try:
            slow = analyze([f.name], KB)
        except ReaderError:
            return
        fast = analyze([f.name], KB, backend="re")
    finally:
        os.unlink(f.name)
    assert fast.sources[0].lines == slow.sources[0].lines
    if not reader.needs_decoding(data):
        assert slow.sources[0].lines == lf_count(data)
    assert [(x.id, [e.line for e in x.evidence]) for x in fast.findings] == [
        (x.id, [e.line for e in x.evidence]) for x in slow.findings
    ]


# -- giant lines (a few explicit sizes, not random: each is 10 MB) --------------------------------


@pytest.mark.parametrize("shape", ["no-newline", "then-more-lines", "gzip", "crlf-and-escapes"])
def test_ten_megabyte_single_line(shape: str) -> None:
    big = b"2023-02-11T06:22:18Z ERROR nux: " + (b"x" * 97 + b"\x1b[0m ") * (10 * 1024 * 1024 // 102)
    data = {
        "no-newline": big,
        "then-more-lines": b"first\n" + big + b"\nthird\n(native error code: 15)\n",
        "gzip": gzip.compress(b"first\n" + big + b"\nthird\n", compresslevel=1),
        "crlf-and-escapes": big.replace(b"x" * 97, b"x" * 40 + b"\r" + b"y" * 56) + b"\r\nlast\r\n",
    }[shape]
    src, lines = read_all(data)
    plain = zlib.decompress(data, 31) if shape == "gzip" else data
    assert src.lines == lf_count(plain)
    big_no = 1 if shape in ("no-newline", "crlf-and-escapes") else 2
    if shape == "crlf-and-escapes":  # CRs split it into short pieces: read to its end, nothing cut
        assert lines[-2].text.rstrip().endswith("y" * 56) and lines[-1].text == "last"
    else:
        assert any(f"line {big_no} is longer" in n for n in src.notes)
    assert all(len(ln.text.encode()) <= reader.MAX_LINE for ln in lines)
    report = analyze_streams([(Source(name="big"), iter(lines))], KB)
    assert report.levels.get("ERROR", 0) >= 1
