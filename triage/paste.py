"""Flattened pastes: a log pasted onto one line is re-split where its records start.

The markers live in triage/data/paste_markers.toml (with their sources, examples and near misses).
split_flattened() handles an ordinary line; ResplitStream does the same for a line of any length,
in windows, in bounded memory and linear time (a line longer than the reader's cut used to be
analysed only up to the cut, so an error at the end of a long paste was missed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from triage.tomlread import load_path

MARKERS_FILE = Path(__file__).resolve().parent / "data" / "paste_markers.toml"


@dataclass(frozen=True)
class Marker:
    id: str
    regex: str
    not_after: tuple[str, ...] = ()
    source: str = ""
    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Markers:
    markers: tuple[Marker, ...]
    min_length: int
    min_pieces: int
    splitter: re.Pattern[str] = field(compare=False)


def _splitter(markers: Iterable[Marker]) -> re.Pattern[str]:
    """One regex matching the whitespace run before any marker (the marker is a lookahead, so it
    stays in the piece that follows).

    It starts with a bare \\s so the engine skips to whitespace at C speed, and (?<!\\s\\s) admits
    only the first character of a run: each run is tried once (from anywhere inside a long run
    the scan to its end would be repeated: quadratic on a crafted line)."""
    plain = [m.regex for m in markers if not m.not_after]
    guarded = [m for m in markers if m.not_after]
    # the not_after lookbehinds look past the one whitespace character already consumed
    branches = ["".join(f"(?<!{before}\\s)" for before in m.not_after) + rf"\s*(?={m.regex})" for m in guarded]
    if plain:
        branches.append(r"\s*(?=" + "|".join(f"(?:{r})" for r in plain) + ")")
    return re.compile(r"\s(?<!\s\s)(?:" + "|".join(branches) + ")")


def load_markers(path: Path = MARKERS_FILE) -> Markers:
    """Read the marker table; a broken table is a bug in the package, so errors are not softened."""
    data = load_path(path)
    markers = tuple(
        Marker(
            id=m["id"],
            regex=m["regex"],
            not_after=tuple(m.get("not_after", ())),
            source=m["source"],
            examples=tuple(m.get("examples", ())),
            near_misses=tuple(m.get("near_misses", ())),
        )
        for m in data["marker"]
    )
    return Markers(markers, int(data["min_length"]), int(data["min_pieces"]), _splitter(markers))


def _loaded() -> Markers:
    from triage.datacache import derived

    return derived("paste-markers", [MARKERS_FILE], load_markers, Markers, code=[Path(__file__)])


MARKERS = _loaded()  # parsed once, then from the user's cache until the file changes (start-up)
FLAT_SPLIT = MARKERS.splitter
FLAT_MIN_LEN = MARKERS.min_length
FLAT_MIN_PIECES = MARKERS.min_pieces


def split_flattened(text: str) -> list[str]:
    """Re-split a log that was pasted onto one line; short or ordinary lines pass through."""
    if len(text) < FLAT_MIN_LEN:
        return [text]
    pieces = [p for p in FLAT_SPLIT.split(text) if p.strip()]
    return pieces if len(pieces) >= FLAT_MIN_PIECES else [text]


# Text kept back at the end of a window: a split point closer than this to the end waits for more
# text (a marker or a whitespace run may go on into the next window). Larger than any marker.
MARGIN = 8192


class ResplitStream:
    """The records of one very long line, fed as cleaned text windows.

    Split points are found in each window plus the text carried over since the last one; a record
    longer than `max_len` characters is cut there (counted in `cut`) and its rest skipped up to the
    next split point. Memory: one window plus at most max_len + MARGIN characters."""

    def __init__(self, max_len: int) -> None:
        self.max_len = max_len
        self.carry = ""
        self.dropping = False  # inside the skipped rest of an over-long record
        self.cut = 0
        self.records = 0

    def feed(self, text: str, final: bool = False) -> Iterator[str]:
        buf = self.carry + text
        settled = len(buf) if final else len(buf) - MARGIN
        last = 0
        for m in FLAT_SPLIT.finditer(buf):
            if m.start() > settled or (not final and m.end() >= len(buf)):
                break
            yield from self._record(buf[last : m.start()])
            last = m.end()
        if final:
            yield from self._record(buf[last:])
            self.carry = ""
            return
        self.carry = buf[last:]
        if len(self.carry) > self.max_len + MARGIN:  # no split point for too long: cut this record
            yield from self._record(self.carry[: self.max_len + 1])
            self.dropping = True
            self.carry = self.carry[-MARGIN:]  # context for a split point that straddles the window

    def _record(self, piece: str) -> Iterator[str]:
        if self.dropping:
            self.dropping = False
            return
        if len(piece) > self.max_len:
            self.cut += 1
            piece = piece[: self.max_len]
        if piece.strip():
            self.records += 1
            yield piece


def resplit_windows(
    parts: Iterable[tuple[str, bool]], max_len: int, on_end: Callable[[int, int], None]
) -> Iterator[str]:
    """Records of a long line given as (cleaned text window, ends a CR part) pairs; calls
    on_end(records, cut) once at the end."""
    stream = ResplitStream(max_len)
    records = cut = 0
    for text, part_ends in parts:
        yield from stream.feed(text, final=part_ends)
        if part_ends:  # a CR ends a piece, as in the reader's ordinary lines
            records, cut = records + stream.records, cut + stream.cut
            stream = ResplitStream(max_len)
    on_end(records + stream.records, cut + stream.cut)


def check_markers(markers: Markers = MARKERS, max_len: int = 1 << 18) -> tuple[list[tuple[str, str]], int]:
    """The table's own test (run by tests and by `patterns test`): every marker has a source, an
    example and a near miss; each example pasted after other text splits off whole, by the line
    splitter and by the long-line stream; no near miss splits. Returns (marker id, problem) pairs
    and the number of texts checked."""
    problems: list[tuple[str, str]] = []
    checked = 0
    before = "earlier output of the same run, pasted on the same line"
    for m in markers.markers:
        if not (m.source and m.examples and m.near_misses):
            problems.append((m.id, "needs a source, at least one example and at least one near miss"))
        for i, example in enumerate(m.examples, 1):
            checked += 1
            text = f"{before} {example}"
            stream = ResplitStream(max_len)
            if markers.splitter.split(text) != [before, example] or list(stream.feed(text, final=True)) != [
                before,
                example,
            ]:
                problems.append((m.id, f"example {i} does not split off whole: {example[:80]!r}"))
        for i, near_miss in enumerate(m.near_misses, 1):
            checked += 1
            if len(near_miss) < markers.min_length:
                problems.append((m.id, f"near miss {i} is shorter than min_length: it proves nothing"))
            if markers.splitter.search(near_miss) is not None:
                problems.append((m.id, f"near miss {i} splits: {near_miss[:80]!r}"))
    return problems, checked
