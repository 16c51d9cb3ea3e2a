"""The fast path: find the few lines of a block that anything must look at, skip the rest.

A line is *interesting* when it contains one of the literals that the parsers declare
(compared lower-cased), when the relaxed twin of a line rule's regex matches it (a linear-time
superset, triage/kb/linear.py: a latency line under the rule's threshold is not interesting),
or when breaks() says line_pieces() could change it (whatever its length or script). Every
other line is plain and matches no rule: the parsers only count its log level and remember
the last runtime/compiler hint, which is done per span in C-speed passes.
Interesting lines (and every line inside a traceback) go through the ordinary per-line path,
so findings are the same as feeding every line.

Two scanners find interesting lines: the default one makes one RE2 pass for the literals and the
rules (plus C-speed checks for breaks()); the optional one makes one Hyperscan pass for the
literals, the breakers, the long lines and the rules led by a literal (literal_led), and one RE2
pass for the other rules (those led by a number or a word every runtime line prints slow the whole
Hyperscan database down).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from triage import reader
from triage.datacache import Memo
from triage.parsers.error_codes import last_hint
from triage.parsers.exceptions import ExceptionParser
from triage.parsers.log_records import _PLAIN_RECORD, count_plain_records
from triage.paste import FLAT_SPLIT, split_flattened
from triage.reader import (
    _FLAT_MIN_LEN,
    _LONG_AFTER_LF,
    Line,
    LongLine,
    Source,
    long_first_line,
    pieces_of,
)
from triage.reader import CHUNK as reader_chunk

BACKENDS = ("auto", "re", "hyperscan")
HYPERSCAN_MISSING = (
    "the fast backend needs Hyperscan: pip install 'warboy-triage[fast]' (wheels exist for Linux and macOS on x86-64)"
)


class BackendUnavailable(Exception):
    """The asked scanner backend cannot be used here."""


class Skipped:
    """What feeding a span of plain lines would have changed: record counts and the last hint.

    The hint (a search of the span from its end) is only looked for when asked: it matters only to
    a native error code line within the next lines, which most logs never have. Until then the
    Skipped keeps the block it came from; resolve() drops it (before a Skipped leaves a worker)."""

    __slots__ = ("levels", "first_no", "last_no", "_hint", "_span")

    def __init__(
        self,
        levels: dict[str, int],
        hint: tuple[str, int] | None = None,
        span: tuple[bytes, int, int] | None = None,
        first_no: int = 0,
        last_no: int = 0,
    ) -> None:
        self.levels = levels
        self.first_no = first_no
        self.last_no = last_no
        self._hint = hint
        self._span = span

    @property
    def hint(self) -> tuple[str, int] | None:
        if self._span is not None:
            block, start, end = self._span
            self._hint = last_hint(block, start, end, self.first_no)
            self._span = None
        return self._hint

    @hint.setter
    def hint(self, value: tuple[str, int] | None) -> None:
        self._span = None
        self._hint = value

    def resolve(self) -> Skipped:
        self.hint  # noqa: B018 - looks the hint up and lets the block go
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Skipped) and (self.levels, self.hint) == (other.levels, other.hint)

    def __repr__(self) -> str:
        return f"Skipped(levels={self.levels!r}, hint={self.hint!r})"

    def __getstate__(self) -> tuple:
        return self.levels, self.first_no, self.last_no, self.hint

    def __setstate__(self, state: tuple) -> None:
        self.levels, self.first_no, self.last_no, self._hint = state
        self._span = None


@dataclass(frozen=True)
class Interest:
    """What makes a line interesting: one of `literals` (the parsers', and those of rules without
    a relaxed twin) or a match of the relaxed twin (triage/kb/linear.py: a superset that never
    crosses a line feed) of one of the rule regexes in `regexes`."""

    literals: tuple[str, ...]
    regexes: tuple[str, ...]


def minimal_literals(literals: Iterable[str]) -> list[str]:
    """Drop literals that contain another one (a line with the longer has the shorter)."""
    unique = sorted(set(literals), key=len)
    kept: list[str] = []
    for lit in unique:
        if not any(k in lit for k in kept):
            kept.append(lit)
    return sorted(kept)


# -- lines that line_pieces() could change ---------------------------------------------------
# The scan skips a line only when line_pieces() would yield it unchanged (less a CR that ends
# it) and parse_record() reads the same level in it as count_plain_records() does.
# inner CR (or one that ends the block), escapes, controls; and non-ASCII bytes. In RE2 (bytes as
# Latin-1): Python's re walks a character class byte by byte
_CONTROLS_RE2 = rb"\r[^\n]|\r\z|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_NON_ASCII_RE2 = rb"[\x80-\xff]"
_LATIN1: dict[bytes, object] = {}


def _latin1(pattern: bytes):  # type: ignore[no-untyped-def]
    rx = _LATIN1.get(pattern)
    if rx is None:
        import re2  # type: ignore[import-untyped]

        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        rx = _LATIN1[pattern] = re2.compile(pattern, options)
    return rx


_LOST_SGR = re.compile(rb"\[[0-9;]{0,12}m")
# UTF-8 of what strip_terminal() removes beyond ASCII: C1 controls, bidi controls, the BOM
_UNSAFE_UTF8 = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf")
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n"


def _one_per_line(rx, block: bytes) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """The first match of rx in each line that has one."""
    pos = 0
    while (m := rx.search(block, pos)) is not None:
        yield m.start()
        nl = block.find(b"\n", m.end())
        if nl < 0:
            return
        pos = nl + 1


def _line_at(block: bytes, pos: int) -> tuple[int, int]:
    start = block.rfind(b"\n", 0, pos) + 1
    end = block.find(b"\n", pos)
    return start, len(block) if end < 0 else end


def _same_record(line: bytes, first_non_ascii: int) -> bool:
    """Whether parse_record() on the decoded line reads what count_plain_records() reads in its
    bytes: the record head (timestamp, level and the character after it) is all ASCII."""
    m = _PLAIN_RECORD.match(b"\n" + line)
    if m is not None:
        end = m.end() - 1  # in `line`: the first character after the head
        return end < first_non_ascii if m.group(1) is not None else end <= first_non_ascii
    # no record in the bytes: none in the text either when it starts with a non-ASCII non-digit
    return first_non_ascii == 0 and not line[:4].decode("utf-8", "ignore")[:1].isdigit()


def _non_ascii_breaks(block: bytes) -> Iterator[int]:
    try:
        block.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    for pos in _one_per_line(_latin1(_NON_ASCII_RE2), block):
        start, end = _line_at(block, pos)
        line = block[start:end]
        if not valid:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                yield pos
                continue
        if _UNSAFE_UTF8.search(line) or not _same_record(line, pos - start):
            yield pos


def _long_breaks(block: bytes, starts: Iterable[int] | None = None) -> Iterator[int]:
    """Long lines that split_flattened() would cut into pieces; `starts`: the starts of the lines of
    FLAT_MIN_LEN bytes or more when the caller found them already."""
    if starts is None:
        starts = (m.start() + 1 for m in _LONG_AFTER_LF.finditer(block))
        if long_first_line(block):
            starts = itertools.chain([0], starts)
    twin = _flat_twin()
    for start in starts:
        end = block.find(b"\n", start)
        raw = block[start : len(block) if end < 0 else end]
        if len(raw) > reader.MAX_LINE:
            yield start  # cut by the reader: the line path notes it (see _cut)
            continue
        text = raw.decode("utf-8", "replace")
        if twin is not None and (raw.isascii() or "\ufffd" not in text) and twin.search(raw) is None:
            continue  # no place where split_flattened() could cut it (a linear-time superset says so)
        if text.endswith("\r"):
            text = text[:-1]
        if len(split_flattened(text)) > 1:
            yield start


_FLAT_TWIN: list = []


def _flat_twin():  # type: ignore[no-untyped-def]
    """The relaxed RE2 twin of reader's flattened-paste split points (None if it has none)."""
    if not _FLAT_TWIN:
        from triage.engine import re2_compile

        source = relaxed_twin(FLAT_SPLIT.pattern)
        _FLAT_TWIN.append(re2_compile(source) if source else None)
    return _FLAT_TWIN[0]


def breaks(block: bytes) -> Iterator[int]:
    """Offsets inside the lines of a block that must take the line-by-line path whatever they say."""
    if block.translate(None, _PLAIN_BYTES):  # some byte is not printable ASCII
        yield from _one_per_line(_latin1(_CONTROLS_RE2), block)
        if not block.isascii():
            yield from _non_ascii_breaks(block)
    if b"m" in block:
        yield from _one_per_line(_LOST_SGR, block)
    yield from _long_breaks(block)


class _Re2Lines:
    """Lines of a block holding one of `literals` (any case) or matching one of the relaxed rule
    twins: one RE2 pass (a DFA: linear, a few hundred MB/s)."""

    def __init__(self, regexes: tuple[str, ...], literals: tuple[str, ...] = ()) -> None:
        from triage.engine import re2_compile

        twins = [relaxed_twin(r) for r in regexes]
        if None in twins:
            raise BackendUnavailable("a rule regex has no relaxed twin")
        parts = [f"(?:{t})" for t in twins]
        if literals:
            parts.append("(?i:" + "|".join("".join(_re2_char(c) for c in lit) for lit in literals) + ")")
        self._rx = re2_compile("|".join(parts)) if parts else None
        if parts and self._rx is None:
            raise BackendUnavailable("the rule regexes do not compile together in RE2")

    def hits(self, block: bytes) -> Iterator[int]:
        rx = self._rx
        if rx is None:
            return
        pos = 0
        size = len(block)
        while pos < size:
            m = rx.search(block, pos)
            if m is None:
                return
            yield m.start()
            nl = block.find(b"\n", m.end())
            if nl < 0:
                return
            pos = nl + 1


def _re2_char(c: str) -> str:
    return c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}"


class ReScanner:
    """The scan without Hyperscan: the parsers' literals and the rules' relaxed twins in one RE2
    pass, plus breaks()."""

    name = "re"
    needs_lower = False

    def __init__(self, interest: Interest, sample: bytes) -> None:
        self._pass = _Re2Lines(interest.regexes, interest.literals)

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        """Offsets inside interesting lines (any offset inside the line will do)."""
        yield from breaks(block)
        yield from self._pass.hits(block)


class HyperscanScanner:
    """The same scan with Hyperscan: the literals, breakers, long lines and the literal-led rules in
    one Hyperscan pass; the other rules (and any twin Hyperscan cannot compile) in one RE2 pass."""

    name = "hyperscan"
    needs_lower = False

    def __init__(self, interest: Interest, sample: bytes) -> None:
        try:
            import hyperscan
        except ImportError:
            raise BackendUnavailable(HYPERSCAN_MISSING) from None
        exprs = [rb"\r[^\n]", rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", _LOST_SGR.pattern, _LONG_LINE]
        flags = [0] * len(exprs)
        for lit in interest.literals:
            exprs.append(b"".join(b"\\x%02x" % c for c in lit.encode()))
            flags.append(hyperscan.HS_FLAG_CASELESS)
        # rules led by a class or a short word go to the RE2 pass (see literal_led); the others
        # to Hyperscan, unless it has no twin for them
        led_by = {source: _literal_led(source) for source in interest.regexes}
        led = [source for source in interest.regexes if led_by[source]]
        unled = [source for source in interest.regexes if not led_by[source]]
        try:
            _Re2Lines(tuple(unled))
        except BackendUnavailable:  # too many for one RE2 regex (a large --patterns set): Hyperscan takes them
            led, unled = list(interest.regexes), []
        twins = [(source, relaxed_twin(source, hyperscan=True)) for source in led]
        self._fallback = unled + [source for source, hs in twins if hs is None]
        rules = [(source, hs.encode()) for source, hs in twins if hs is not None]
        try:
            self._db = _hs_database(hyperscan, [*exprs, *(hs for _, hs in rules)], [*flags, *[0] * len(rules)])
        except Exception:  # noqa: BLE001 - hyperscan.error: some twin is too large for it; RE2 takes those
            kept = [(source, hs) for source, hs in rules if _hs_compiles(hyperscan, hs, 0)]
            self._fallback += [source for source, hs in rules if (source, hs) not in kept]
            self._db = _hs_database(hyperscan, [*exprs, *(hs for _, hs in kept)], [*flags, *[0] * len(kept)])
        self._rules = _Re2Lines(tuple(self._fallback))
        self._invalid: ReScanner | None = None
        self._interest = interest
        self._sample = sample

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        if not block.isascii():  # the rule regexes are compiled for ASCII text: RE2 takes the others
            if self._invalid is None:
                self._invalid = ReScanner(self._interest, self._sample)
            return self._invalid.hits(block, b"")
        found, long_starts = self.scan(block)
        if block.endswith(b"\r"):
            found.append(len(block) - 1)
        found.extend(self._rules.hits(block))
        found.extend(_long_breaks(block, long_starts))  # (the database has the other breaks of an ASCII block)
        return iter(found)

    def scan(self, block: bytes) -> tuple[list[int], list[int]]:
        """The database's pass over an ASCII block: (offsets of its hits, starts of the lines of
        FLAT_MIN_LEN bytes or more)."""
        found: list[int] = []
        long_starts: list[int] = []

        def on_match(id_: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            if id_ == _LONG_LINE_ID:  # `\n` and FLAT_MIN_LEN more bytes of a line: its start in the block
                long_starts.append(end - _FLAT_MIN_LEN - 1)
            else:
                found.append(max(0, end - 2))  # the block offset of the last byte matched (see `data`)

        # a LF before the first line and after the last: relaxed rule regexes may take the LF
        # next to their line in place of a lookbehind or lookahead (triage/kb/linear.py)
        data = b"\n" + block + (b"" if block.endswith(b"\n") else b"\n")
        self._db.scan(data, match_event_handler=on_match)
        return found, long_starts


# A line of FLAT_MIN_LEN bytes or more (after the LF before it): one match per long line
_LONG_LINE = rb"\n[^\n]{%d}" % _FLAT_MIN_LEN
_LONG_LINE_ID = 3


_TWINS = Memo("scanner-twins", [Path(__file__), Path(__file__).parent / "kb" / "linear.py"])


def relaxed_twin(source: str, hyperscan: bool = False) -> str | None:
    """linear.relaxed(source), kept in the user's cache: parsing every rule with sre for the
    scanner's twins took ~40 ms of each run that builds a scanner."""

    def compute() -> str | None:
        from triage.kb.linear import relaxed

        return relaxed(source, hyperscan=hyperscan)

    return _TWINS.get(("relaxed", hyperscan, source), compute)


def _literal_led(source: str) -> bool:
    return _TWINS.get(("led", source), lambda: literal_led(source))


def literal_led(source: str, least: int = 4) -> bool:
    """Whether every branch of a rule regex starts (after anchors and lookarounds) with a literal
    of `least` characters or more. Hyperscan finds such a rule's lines by a literal search; a
    rule led by a class (a number: `[1-9]\\d{2,} ms`, `(1, 3, 800, 800)`) or by a short word that
    runtime logs print on every line (`nux::`, `npu`) makes it run an automaton over every byte,
    which slows the whole database three- to fivefold. RE2's one pass over those costs about the
    same whatever they say (bench/run.py, traffic log)."""
    from triage.kb.linear import sre_parse

    try:
        return _lead(list(sre_parse.parse(source))) >= least
    except Exception:  # noqa: BLE001 - syntax only the regex module reads
        return False


def _lead(items: list) -> int:  # type: ignore[type-arg]
    """The length of the literal every match of `items` starts with (the shortest over branches)."""
    from triage.kb.linear import sre

    n = 0
    for op, av in items:
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            if n:
                break
            continue
        if op is sre.LITERAL:
            n += 1
            continue
        if n:
            break
        if op is sre.SUBPATTERN:
            return _lead(list(av[-1]))
        if op is sre.BRANCH:
            return min(_lead(list(branch)) for branch in av[1])
        break
    return n


def _hs_database(hyperscan, exprs: list[bytes], flags: list[int]):  # type: ignore[no-untyped-def]
    """A compiled database, from the user's cache when the same expressions were compiled before
    (compiling the rule twins takes about half a second; loading, a millisecond)."""
    import hashlib
    import os

    from triage.datacache import ENV_DISABLE, cache_dir

    key = hashlib.sha256(repr((getattr(hyperscan, "__version__", ""), exprs, flags)).encode()).hexdigest()[:24]
    path = cache_dir() / f"hs-{key}.db"
    use_cache = not os.environ.get(ENV_DISABLE)
    if use_cache and _private_file(path):
        try:
            db = hyperscan.loadb(path.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
            db.scan(b"\n", match_event_handler=lambda *_: None)
            return db
        except Exception:  # noqa: BLE001 - another CPU or a stale file: compile again
            pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
    if use_cache:
        try:
            folder = cache_dir()
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for old in folder.glob("hs-*.db"):  # one database at a time
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(hyperscan.dumpb(db))
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError:
            pass
    return db


def _private_file(path) -> bool:  # type: ignore[no-untyped-def]
    from triage.datacache import is_private

    return is_private(path.parent) and is_private(path)


def _hs_compiles(hyperscan, expr: bytes, flags: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[expr], ids=[0], elements=1, flags=[flags])
        return True
    except Exception:  # noqa: BLE001 - hyperscan.error: too large or unsupported; RE2 takes the rule
        return False


class EveryLine:
    """A scanner that finds every line interesting: for inputs too small to pay for a scanner."""

    name = "line"
    needs_lower = False

    def hits(self, block: bytes, lower: bytes) -> Iterator[int]:
        yield 0
        pos = block.find(b"\n")
        while 0 <= pos < len(block) - 1:
            yield pos + 1
            pos = block.find(b"\n", pos + 1)


class Scanner(Protocol):
    name: str
    needs_lower: bool  # whether hits() reads its `lower` argument (block.lower())

    def hits(self, block: bytes, lower: bytes) -> Iterable[int]: ...


def make_scanner(backend: str, interest: Interest, sample: bytes) -> ReScanner | HyperscanScanner:
    """backend: 're', 'hyperscan', or 'auto' (Hyperscan when installed)."""
    if backend not in BACKENDS:
        raise BackendUnavailable(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    try:
        if backend in ("hyperscan", "auto"):
            try:
                return HyperscanScanner(interest, sample)
            except BackendUnavailable:
                if backend == "hyperscan":
                    raise
        return ReScanner(interest, sample)
    finally:
        relaxed_twin(FLAT_SPLIT.pattern)  # breaks() asks for it at the first long line: derived now, saved below
        _TWINS.save()  # the twins derived for this scanner (and for interest()), for the next run


def _line_starts(block: bytes, offsets: Iterable[int]) -> list[int]:
    return sorted({block.rfind(b"\n", 0, p) + 1 for p in offsets})


def _skipped(block: bytes, start: int, end: int, first_no: int) -> tuple[Skipped, int]:
    """The Skipped for plain lines block[start:end], and how many lines that is."""
    levels, lines = count_plain_records(block, start, end)
    return Skipped(levels, span=(block, start, end), first_no=first_no, last_no=first_no + lines - 1), lines


def _scan_records(line: LongLine, source: Source, scanner: Scanner, in_traceback: bool) -> Iterator[Line | Skipped]:
    """The records of a long line through the same scan, in blocks of records (one per text line),
    so a long paste skips its plain records as a file skips plain lines; all keep the line's number."""
    no = line.no

    def record_blocks() -> Iterator[bytes]:
        group: list[bytes] = []
        size = 0
        for record in line.lines():
            group.append(record.text.encode("utf-8", "replace"))
            size += len(group[-1]) + 1
            if size >= reader_chunk:
                yield b"\n".join(group) + b"\n"
                group, size = [], 0
        if group:
            yield b"\n".join(group) + b"\n"

    inner = Source(name=source.name)
    for item in scan_blocks(record_blocks(), inner, scanner, no, in_traceback):
        if isinstance(item, Line):
            item.no = no
        else:  # every line of it is the long line's
            hint = item.hint
            item.hint = None if hint is None else (hint[0], no)
            item.first_no = item.last_no = no
        yield item


def scan_blocks(
    blocks: Iterable[bytes | LongLine],
    source: Source,
    scanner: Scanner,
    first_no: int = 1,
    in_traceback: bool = False,
    resume: ExceptionParser | None = None,
) -> Iterator[Line | Skipped]:
    """The Lines that must be fed, in order, with a Skipped for each span of plain lines between;
    sets source.lines at the end.

    The stream's own traceback state is followed with a private ExceptionParser (fed the same
    lines), because inside a traceback every line must be fed; `resume`: the state of one that
    read the lines before (a --jobs unit that starts inside a traceback or exception group)."""
    tracker = ExceptionParser([])
    tracker.in_traceback = in_traceback
    if resume is not None:
        tracker.resume(resume)
    no = first_no
    for block in blocks:
        if type(block) is LongLine:  # a line past the reader's cut (a flattened paste), read as it comes
            block.no = no
            for item in _scan_records(block, source, scanner, tracker.in_traceback):
                if isinstance(item, Line):
                    tracker.feed(item, "")
                yield item
            block.drain()
            no += 1
            continue
        assert isinstance(block, bytes)
        lower = block.lower() if scanner.needs_lower else b""
        pos = 0
        size = len(block)
        starts = _line_starts(block, scanner.hits(block, lower))
        if tracker.in_traceback and (not starts or starts[0] != 0):
            starts.insert(0, 0)  # a traceback open at the end of the previous block goes on
        for start in starts:
            if start < pos:
                continue  # already fed as part of a traceback
            if start > pos:
                skipped, lines = _skipped(block, pos, start, no)
                yield skipped
                no += lines
            pos = start
            while True:  # this line, and the lines after it while a traceback is open
                end = block.find(b"\n", pos)
                end = size if end < 0 else end
                for line in pieces_of(no, block[pos:end], source):
                    tracker.feed(line, "")
                    yield line
                no += 1
                pos = end + 1
                if not tracker.in_traceback or pos >= size:
                    break
        if pos < size:
            skipped, lines = _skipped(block, pos, size, no)
            yield skipped
            no += lines
        tracker.out.clear()  # only its state matters
    source.lines = no - 1
