"""The fast scan gives the same report as reading every line: each backend, --jobs 1 and 2.

The JSON is compared byte for byte on every fixture and on synthetic logs built to stress
what the scan skips (levels of skipped lines, table hints, tracebacks across block and unit
boundaries, over-long lines, CR, escapes)."""

from __future__ import annotations

import importlib.util
import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from triage import fastpath, parallel, reader
from triage.kb.literals import required_literals
from triage.pipeline import analyze
from triage.reader import line_pieces
from triage.scan import breaks

CASES = sorted(p for p in FIXTURES.glob("*.log*") if not p.name.endswith(".expected.json"))
HAVE_HYPERSCAN = importlib.util.find_spec("hyperscan") is not None
BACKENDS = [
    "re",
    pytest.param(
        "hyperscan",
        marks=pytest.mark.skipif(
            not HAVE_HYPERSCAN, reason="hyperscan not installed (pip install 'warboy-triage[fast]')"
        ),
    ),
]


def _json(path: str, kb, **kw) -> str:  # type: ignore[no-untyped-def]
    return analyze([path], kb, **kw).model_dump_json(indent=2)


@pytest.fixture
def small_units(monkeypatch):  # type: ignore[no-untyped-def]
    """Scan even small files, and split them into many small units for --jobs."""
    monkeypatch.setattr(fastpath, "SMALL", 0)
    monkeypatch.setattr(parallel, "MIN_SPLIT", 0)
    monkeypatch.setattr(parallel, "UNIT", 1024)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("log", CASES, ids=[c.name for c in CASES])
def test_fixture_same_json(log, kb, backend, small_units) -> None:  # type: ignore[no-untyped-def]
    want = _json(str(log), kb)
    assert _json(str(log), kb, backend=backend) == want
    assert _json(str(log), kb, backend=backend, jobs=2) == want


def _synthetic(rng: random.Random, lines: int) -> bytes:
    """Mostly plain INFO lines, with fixture lines, tracebacks and odd lines mixed in."""
    fixture_lines = [line for c in CASES if not c.name.endswith(".gz") for line in c.read_bytes().splitlines()]
    plain = [
        b"2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
        b"2023-02-11T06:22:18.730473Z  DEBUG furiosa_rt::session: queue depth 3",
        b"[INFO] loading the model",
        b"INFO:root:batch done",
        b"   ",
        b"",
        b"2023-02-11T06:22:18.730497Z TRACE nux: Profiler enabled",
        b"plain text without a level",
        b"Runtime-3 has started",
    ]
    odd = [
        b"\x1b[31mERROR\x1b[0m something",
        b"colour [0m reset",
        b"caf\xc3\xa9 INFO",
        b"bad \xff byte",
        b"with\rcarriage return",
        b"x" * 300,
        b"y" * 200 + b" 2023-02-11T06:22:18Z ERROR nux: cut",
    ]
    traceback = [
        b"Traceback (most recent call last):",
        b'  File "/x/session.py", line 473, in create',
        b"    return Session(",
        b"furiosa.runtime.errors.InternalError: unknown (native error code: 15)",
    ]
    out: list[bytes] = []
    while len(out) < lines:
        r = rng.random()
        if r < 0.8:
            out.append(rng.choice(plain))
        elif r < 0.9:
            out.append(rng.choice(fixture_lines))
        elif r < 0.95:
            out.extend(traceback[:1] + plain[:1] * rng.randint(0, 3) + traceback[1:])
        else:
            out.append(rng.choice(odd))
    return b"\n".join(out) + (b"\n" if rng.random() < 0.5 else b"")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(4))
def test_synthetic_same_json(tmp_path, kb, backend, seed, small_units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reader, "CHUNK", 4096)  # many blocks, lines cut across chunk ends
    log = tmp_path / "mixed.log"
    log.write_bytes(_synthetic(random.Random(seed), 3000))
    want = _json(str(log), kb)
    assert _json(str(log), kb, backend=backend) == want
    assert _json(str(log), kb, backend=backend, jobs=2) == want


def test_over_long_line_is_cut_the_same(tmp_path, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reader, "CHUNK", 4096)
    monkeypatch.setattr(reader, "MAX_LINE", 10000)
    log = tmp_path / "long.log"
    log.write_bytes(b"a\n" + b"ENF configuration is not compatible with NPU " * 1000 + b"\nb\n" + b"z" * 30000)
    want = _json(str(log), kb)
    assert "longer than" in want
    assert _json(str(log), kb, backend="re") == want


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('aZ09 \t[]m;:{}"=.-_/\\é\x1b\x07\x9b\r\x00\x7f'), max_size=200))
def test_plain_lines_pass_through_unchanged(text: str) -> None:
    """The contract the scan relies on: a line that scan.breaks() does not flag comes out of
    line_pieces as itself (less a CR before its LF), so skipping it loses nothing."""
    raw = text.encode("utf-8").replace(b"\n", b"")
    block = raw + b"\n"
    if list(breaks(block)):
        return
    pieces = [line.text for line in line_pieces(1, raw)]
    text = raw.decode().removesuffix("\r")
    assert pieces == ([text] if text.strip() else [])


def test_rule_prefilters_hold_on_examples(kb) -> None:  # type: ignore[no-untyped-def]
    """Every example line that a line rule matches contains one of the rule's literals."""
    for pattern in kb.patterns:
        for rule in [*pattern.match, *pattern.supporting, *pattern.unless]:
            lits = rule.literals()
            if not rule.is_line_rule or lits is None:
                continue
            for sample in [*pattern.examples, *pattern.counterexamples]:
                for line in sample.splitlines():
                    if rule._message.search(line) and line.isascii():
                        assert any(lit in line.lower() for lit in lits), (pattern.id, rule.message, line)


@pytest.mark.parametrize(
    ("regex", "want"),
    [
        (r"(?i)\bincompatible\s+conf\w{0,4}ration\b", {"incompatible"}),
        (r"\b(?:FURIOSA_DEVICES|NPU_DEVNAME)\s*=", {"furiosa_devices", "npu_devname"}),
        (
            r"All NPU devices? (?:is|are) busy",
            {
                "all npu device is busy",
                "all npu devices is busy",
                "all npu device are busy",
                "all npu devices are busy",
            },
        ),
        (r"(?i)(?=.*(?:run ?time|per (?:image|frame)))", {"runtime", "run time", "per image", "per frame"}),
        (
            r"Session or AsyncSession (?:is already closed|terminated)",
            {"session or asyncsession is already closed", "session or asyncsession terminated"},
        ),
        (r"a|bcd", None),  # one alternative has no literal of 3 characters
        (r"x(ab)+y", None),
        (r"[[:alpha:]]+ failed", None),  # regex-module syntax Python's parser reads differently
        (r"(?:foo)?bar", {"bar"}),
    ],
)
def test_required_literals(regex: str, want: set[str] | None) -> None:
    got = required_literals(regex)
    assert (set(got) if got is not None else None) == want


_RECORD_LINES = st.sampled_from(
    [
        "2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
        "2023-02-11T06:22:18.730473Z DEBUG furiosa_rt: queue depth 3",
        "2024-01-01 00:00:00,123 INFO x",
        "2024-01-01T00:00:00+09:00 TRACE y",
        "[1/3] 2023-02-11T06:22:18Z INFO z",
        "[INFO] loading",
        "[DEBUG]",
        "INFO:root:batch done",
        "DEBUG:a.b:",
        "INFO:root",
        "INFOX: no",
        "   ",
        "",
        "plain text",
        "progress: 70001/200000 requests, 612.3 req/s",
        "p",
        "progress",
        "Device busy",
        "2023-02-11T06:22:18Z",
        "2023-02-11T06:22:18ZINFO glued",
        "2023-02-11T06:22:18Z\tINFO\ttab",
        "2023-02-11T06:22:18Z INFO",
        "2023-02-11T06:22:18Z DEBUG",
        "2023-02-11T06:22:18Z INFO\r",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_RECORD_LINES, max_size=30), st.booleans())
@example(["2023-02-11T06:22:18Z INFO"] * 3, True)  # a level that ends its line
@example([f"{w} line {i}" for i, w in enumerate("abcdefghijklmnop")] + ["[INFO] x", "INFO:root:y"] * 2, True)
# (more heads than are counted per span: the regex reads the lines of the others)
def test_plain_record_counts_match_parse_record(lines: list[str], final_lf: bool) -> None:
    """Bulk counting (known heads, odd lines, first-appearance order) equals parse_record per line."""
    from triage.parsers.log_records import count_plain_records, parse_record

    text = "\n".join(lines) + ("\n" if final_lf and lines else "")
    want: dict[str, int] = {}
    for line in text.split("\n")[: len(lines)]:
        record = parse_record(line) if line.strip() else None
        if record is not None:
            want[record.level] = want.get(record.level, 0) + 1
    block = b"x\n" + text.encode()  # the span does not start the block
    for _ in range(2):  # the second time with the heads the first one learned
        counts, n = count_plain_records(block, 2, len(block))
    assert list(counts.items()) == list(want.items())
    assert n == len(lines) - (1 if lines and not final_lf and lines[-1] == "" else 0)


def test_missing_hyperscan_falls_back_with_a_note(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    real_import = builtins.__import__

    def no_hyperscan(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "hyperscan":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_hyperscan)
    backend, note = fastpath.resolve_backend("hyperscan")
    assert backend == "re" and note and "warboy-triage[fast]" in note
    assert fastpath.resolve_backend("auto") == ("auto", None)  # auto falls back silently


def test_progress_bar_only_for_big_files_on_a_terminal(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage import progress

    log = tmp_path / "a.log"
    log.write_bytes(b"x\n" * 10)
    monkeypatch.setattr(progress, "_stderr_is_terminal", lambda: True)
    with progress.progress_bar([str(log)]) as bar:
        assert bar is None  # small
    monkeypatch.setattr(progress, "MIN_BYTES", 1)
    with progress.progress_bar([str(log), None]) as bar:
        assert bar is None  # stdin: size unknown
    with progress.progress_bar([str(log)]) as bar:
        assert bar is not None
        bar(10)
    monkeypatch.setattr(progress, "_stderr_is_terminal", lambda: False)
    with progress.progress_bar([str(log)]) as bar:
        assert bar is None


def test_every_line_rule_has_a_prefilter(kb) -> None:  # type: ignore[no-untyped-def]
    """Without one, every line of every log is interesting and the fast scan is as slow as the
    line-by-line path. Fix: a regex with a required literal, or `prefilter = ["..."]` in the rule."""
    from triage.matcher import Matcher

    missing = [
        f"{d.pattern.id}: {rule.message!r}"
        for d, rule, _ in Matcher(kb).line_rules
        if rule.literals() is None and not (rule.level and set(rule.level) <= {"WARN", "ERROR"})
    ]
    assert not missing, "line rules without a prefilter:\n" + "\n".join(missing)
    assert fastpath.interest(kb) is not None


# -- bench logs, non-ASCII and long lines -------------------------------------------------------
BENCH_KINDS = ("traffic", "compile", "adversarial", "long")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", BENCH_KINDS)
def test_bench_logs_same_json(tmp_path, kb, backend, kind, small_units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The synthetic logs of bench/logs.py (latency lines, adversarial literals, long and Korean
    lines), small: the same report from every backend and --jobs as line by line."""
    from bench.logs import generate

    monkeypatch.setattr(reader, "CHUNK", 1 << 14)
    monkeypatch.setattr(parallel, "UNIT", 1 << 15)
    log = tmp_path / f"{kind}.log"
    generate(kind, log, 200_000, seed=3)
    want = _json(str(log), kb)
    assert _json(str(log), kb, backend=backend) == want
    assert _json(str(log), kb, backend=backend, jobs=2) == want


def test_adversarial_lines_hold_literals_but_match_no_rule(kb) -> None:  # type: ignore[no-untyped-def]
    from bench.logs import ADVERSARIAL
    from triage.pipeline import analyze_text

    lits = {lit for p in kb.patterns for r in [*p.match, *p.supporting] if r.literals() for lit in r.literals()}
    for template in ADVERSARIAL:
        line = template.format(ts="2024-05-14T06:22:00.000001Z", n=7)
        assert any(lit in line.lower() for lit in lits), line
        assert analyze_text(line, kb=kb).findings == [], line


def test_latency_lines_under_the_threshold_stay_plain(kb) -> None:  # type: ignore[no-untyped-def]
    """A latency line the cpu-fallback rule cannot match is not interesting (the issue-14 slow path)."""
    from triage.scan import make_scanner

    interest = fastpath.interest(kb)
    assert interest is not None
    block = b"2024-05-14T06:22:00.000001Z  INFO nux::session: inference #70869 completed in 10.584 ms\n" * 3
    slow = b"2024-05-14T06:22:00.000001Z  INFO nux::session: inference #70870 completed in 410.584 ms\n"
    for backend in ("re", "hyperscan") if HAVE_HYPERSCAN else ("re",):
        scanner = make_scanner(backend, interest, block)
        assert not list(scanner.hits(block, block.lower())), backend
        assert list(scanner.hits(block + slow, (block + slow).lower())), backend


_KOREAN = st.sampled_from(["추론", "지연 시간", "입력", "/данные/модели", "δ", "\u3000", "١٢", "é", "\u200e", "\x85"])
_ASCII_BITS = st.sampled_from(
    ["2024-05-14T06:22:00.000001Z", " ", "  INFO ", " ERROR ", "nux::npu:", "INFO:root:", "[INFO]", "x", "7", "\t"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_KOREAN, _ASCII_BITS), max_size=12), st.integers(0, 200))
def test_non_ascii_and_long_lines_the_scan_skips_read_the_same(parts: list[str], pad: int) -> None:
    """The scan's contract for lines breaks() lets through, whatever their script or length:
    line_pieces() yields them unchanged and parse_record() reads the level count_plain_records() reads."""
    from triage.parsers.log_records import count_plain_records, parse_record
    from triage.scan import breaks

    text = "".join(parts) + " pad" * pad
    raw = text.encode()
    block = raw + b"\n"
    if list(breaks(block)):
        return
    pieces = [line.text for line in line_pieces(1, raw)]
    assert pieces == ([text] if text.strip() else [])
    record = parse_record(text) if text.strip() else None
    counts, _ = count_plain_records(b"x\n" + block, 2, len(block) + 2)
    assert counts == ({record.level: 1} if record else {})


@pytest.mark.skipif(not HAVE_HYPERSCAN, reason="hyperscan not installed")
def test_hyperscan_database_is_cached_and_gives_the_same_hits(kb, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage.kb.cache import ENV_DISABLE
    from triage.scan import make_scanner

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(ENV_DISABLE, raising=False)
    interest = fastpath.interest(kb)
    block = b"".join(line + b"\n" for c in CASES if not c.name.endswith(".gz") for line in c.read_bytes().splitlines())
    first = sorted(make_scanner("hyperscan", interest, block).hits(block, b""))
    assert list((tmp_path / "warboy-triage").glob("hs-*.db"))
    assert sorted(make_scanner("hyperscan", interest, block).hits(block, b"")) == first  # from the cache
    (next((tmp_path / "warboy-triage").glob("hs-*.db"))).write_bytes(b"garbage")
    assert sorted(make_scanner("hyperscan", interest, block).hits(block, b"")) == first  # compiled again


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["x", " ", "\n", "nux::", "nux", "furiosa_compiler", "compiling from", "furiosart"]),
        max_size=40,
    ),
    st.data(),
)
def test_last_hint_search_is_max_rfind(pieces: list[str], data) -> None:  # type: ignore[no-untyped-def]
    from triage.parsers.error_codes import _HINTS, _last_hint_at

    window = "".join(pieces).encode()
    top = data.draw(st.integers(0, len(window)))
    assert _last_hint_at(window, top) == max(window.rfind(h, 0, top) for h in _HINTS)


def test_an_over_long_plain_line_is_noted_by_the_fast_scan(tmp_path, kb, small_units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reader, "MAX_LINE", 10000)
    log = tmp_path / "long-plain.log"
    log.write_bytes(b"a\n" + b"plain words " * 2000 + b"\nb\n")
    want = _json(str(log), kb)
    assert "longer than" in want
    for backend in ("re", "hyperscan") if HAVE_HYPERSCAN else ("re",):
        assert _json(str(log), kb, backend=backend) == want


def _hint_log(rng: random.Random) -> bytes:
    """Runtime and compiler hints in skipped plain lines, fed lines between, and native error codes
    that only a hint can place, at distances around the 200-line hint window."""
    hints = [
        b"2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
        b"2023-02-11T06:22:18.727642Z  INFO compiling from onnx to dfg",
    ]
    plain = b"2023-02-11T06:22:18.730473Z  DEBUG app: queue depth 3"
    fed = b"2023-02-11T06:22:18.730473Z  ERROR app: disk quota reached"
    out: list[bytes] = []
    for _ in range(40):
        r = rng.random()
        if r < 0.4:
            out.append(rng.choice(hints))
        elif r < 0.6:
            out.append(fed)
        elif r < 0.8:
            out.append(f"task failed (native error code: {rng.randint(1, 9)})".encode())
        out.extend([plain] * rng.choice([0, 1, 5, 60, 140, 195, 199, 200, 201, 205, 260]))
    return b"\n".join(out) + b"\n"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", range(6))
def test_table_hints_of_skipped_spans_across_the_window(tmp_path, kb, backend, seed, small_units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A skipped span's hint is looked up only when a code line needs it (and spans past the window
    are let go): codes are placed as line by line, including the ambiguous ones."""
    monkeypatch.setattr(reader, "CHUNK", 4096)
    log = tmp_path / "hints.log"
    log.write_bytes(_hint_log(random.Random(seed)))
    want = _json(str(log), kb)
    assert '"ambiguous": false' in want
    assert _json(str(log), kb, backend=backend) == want
    assert _json(str(log), kb, backend=backend, jobs=2) == want


@pytest.mark.skipif(not HAVE_HYPERSCAN, reason="hyperscan not installed")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 400), max_size=12), st.booleans())
def test_hyperscan_finds_the_long_lines_the_reader_finds(kb, lengths: list[int], final_lf: bool) -> None:  # type: ignore[no-untyped-def]
    """The database's long-line expression gives the starts that reader's _LONG_AFTER_LF gives
    (the scan checks only those lines for flattened pastes)."""
    from triage.reader import _LONG_AFTER_LF, long_first_line
    from triage.scan import make_scanner

    scanner = _HS_SCANNER.get("s") or _HS_SCANNER.setdefault("s", make_scanner("hyperscan", fastpath.interest(kb), b""))
    block = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_lf else b"")
    want = [m.start() + 1 for m in _LONG_AFTER_LF.finditer(block)]
    if block and long_first_line(block):
        want.insert(0, 0)
    assert sorted(scanner.scan(block)[1]) == want  # type: ignore[union-attr]


_HS_SCANNER: dict = {}


@pytest.mark.parametrize(
    ("regex", "led"),
    [
        (r"Finished in \d", True),
        (r"(?i)^\s*Traceback \(most recent", False),  # led by a class
        (r"^(?:abcd|efgh)ij", True),
        (r"^(?:abcd|ef)gh", False),  # one branch starts with two characters
        (r"\bnux(?:::[\w:]+)?:\s+No device\s*$", False),  # `nux` is on every runtime line
        (r"(?i)^(?=.*?size)(?:.*?[(\[]\s*\d{1,4})", False),
    ],
)
def test_literal_led(regex: str, led: bool) -> None:
    from triage.scan import literal_led

    assert literal_led(regex) is led


@pytest.mark.skipif(not HAVE_HYPERSCAN, reason="hyperscan not installed")
def test_hyperscan_takes_every_rule_when_re2_cannot(kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When the rules not led by a literal do not compile together in RE2, Hyperscan takes them
    (the same lines are found, more slowly) instead of the backend failing."""
    from triage import scan

    interest = fastpath.interest(kb)
    block = b"".join(line + b"\n" for c in CASES if not c.name.endswith(".gz") for line in c.read_bytes().splitlines())
    block = block.decode("ascii", "ignore").encode()
    want = scan._line_starts(block, scan.HyperscanScanner(interest, b"").hits(block, b""))
    real = scan._Re2Lines.__init__

    def too_large(self, regexes, literals=()):  # type: ignore[no-untyped-def]
        if len(regexes) > 3:
            raise scan.BackendUnavailable("the rule regexes do not compile together in RE2")
        real(self, regexes, literals)

    monkeypatch.setattr(scan._Re2Lines, "__init__", too_large)
    scanner = scan.HyperscanScanner(interest, b"")
    assert scan._line_starts(block, scanner.hits(block, b"")) == want


@pytest.mark.parametrize("backend", [None, "re", *(["hyperscan"] if HAVE_HYPERSCAN else [])])
def test_a_latency_glued_to_korean_text_is_found(tmp_path, kb, backend) -> None:  # type: ignore[no-untyped-def]
    """`지연1000 ms`: the rule's `(?<![\\d.])` holds after a Hangul syllable, so the relaxed twin that
    picks the line for the scan and the matcher must let it through (it left out every non-ASCII
    character before the number)."""
    from bench.logs import generate

    log = tmp_path / "traffic.log"
    generate("traffic", log, 300_000, seed=3)  # (synthetic; larger than pipeline's SMALL: the scan runs)
    with open(log, "a", encoding="utf-8") as out:
        out.write("2024-05-14T06:23:00.000001Z  INFO app: 추론 지연1000 ms per image\n")
    report = analyze([str(log)], kb, backend=backend)
    assert "cpu-fallback-operator" in [f.id for f in report.findings]
