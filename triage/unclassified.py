"""Group error and warning lines that no pattern explained, by their shape (Drain-style masks)."""

from __future__ import annotations

import re

from triage.report import Unclassified

MAX_GROUPS = 50
_MASKS = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ][\d:.,]+Z?"), "<ts>"),
    (re.compile(r"(?:/[\w.@%+-]+)+/?"), "<path>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b|\b[0-9a-f]{7,}\b"), "<hex>"),
    (re.compile(r"npu\d+(?:pe\d+(?:-\d+)?)?"), "<npu>"),
    (re.compile(r"\d+(?:\.\d+)*"), "<n>"),
]


def shape(text: str) -> str:
    """The line with timestamps, paths, hex, NPU names and numbers masked. Every mask reads the
    ASCII digits 1-9 alike (and no mask leaves one), so lines that differ only in them have the
    same shape: it is computed once per digit-masked line (most warnings repeat with new numbers)."""
    key = text.translate(_ONES)
    found = _SHAPES.get(key)
    if found is None:
        found = key
        for rx, token in _MASKS:
            found = rx.sub(token, found)
        if len(_SHAPES) >= _MAX_SHAPES:
            _SHAPES.clear()
        _SHAPES[key] = found
    return found


_ONES = str.maketrans("23456789", "11111111")  # (0 stays: `0x` starts a hex mask)
_SHAPES: dict[str, str] = {}
_MAX_SHAPES = 4096


class UnclassifiedLines:
    """Keeps the first line of each shape and a count; bounded however long the log is."""

    def __init__(self) -> None:
        self.groups: dict[str, Unclassified] = {}
        self.dropped = 0
        self.max_groups = MAX_GROUPS  # (a --jobs worker keeps every shape: the parent caps, see merge)

    def add(self, no: int, text: str, source: str, level: str) -> None:
        key = shape(text.split(" ", 1)[-1] if text[:1].isdigit() else text)
        group = self.groups.get(key)
        if group is not None:
            group.count += 1
        elif len(self.groups) < self.max_groups:
            self.groups[key] = Unclassified(line=no, text=text.strip(), source=source, level=level)
        else:
            self.dropped += 1

    def merge(self, later: UnclassifiedLines) -> None:
        """Take in the groups of the lines that come after these (a --jobs unit, kept uncapped), as
        if add() had been called for each of them in order."""
        for key, group in later.groups.items():
            mine = self.groups.get(key)
            if mine is not None:
                mine.count += group.count
            elif len(self.groups) < self.max_groups:
                self.groups[key] = group
            else:
                self.dropped += group.count
        self.dropped += later.dropped

    def result(self, explained: set[tuple[str, int]]) -> list[Unclassified]:
        return [u for u in self.groups.values() if (u.source, u.line) not in explained]
