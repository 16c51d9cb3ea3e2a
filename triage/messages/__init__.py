"""What doctor, lint, ticket and the commands print for people, in English and Korean.

Each area keeps its catalog in a module here (doctor, commands, lint, notes): MESSAGES[lang][key] -> a
str.format template. `say` picks one language; `both` renders a message in every language at once, for
records (doctor's results) that are built before anyone knows the language they will be shown in.
A test fails when a key lacks a language, when the two languages take different fields, and when a
module it scans prints a prose literal that does not come from here.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

LANGS = ("en", "ko")
AREAS = ("doctor", "commands", "lint", "notes")


@cache
def catalog(area: str) -> dict[str, dict[str, str]]:
    messages: dict[str, dict[str, str]] = importlib.import_module(f"triage.messages.{area}").MESSAGES
    return messages


@cache
def _merged(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for area in AREAS:
        out.update(catalog(area)[lang])
    return out


def say(key: str, lang: str = "en", **fields: Any) -> str:
    """The message `key` in `lang` (English for an unknown language), fields filled in.

    A field that is itself a Text is shown in the same language."""
    template = _merged(lang if lang in LANGS else "en")[key]
    values = {k: v.pick(lang) if isinstance(v, Text) else v for k, v in fields.items()}
    return template.format(**values)


class Text:
    """One message in both languages; raw text (tool output, paths) is the same in both.

    A plain class, not a dataclass: this module is imported on every run that renders, and a dataclass costs
    a millisecond to build."""

    __slots__ = ("en", "ko")

    def __init__(self, en: str, ko: str) -> None:
        self.en, self.ko = en, ko

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.en, self.ko) == (other.en, other.ko)

    def __hash__(self) -> int:
        return hash((self.en, self.ko))

    def __repr__(self) -> str:
        return f"Text({self.en!r}, {self.ko!r})"

    def pick(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def __add__(self, other: Text | str) -> Text:
        o = other if isinstance(other, Text) else raw(other)
        return Text(self.en + o.en, self.ko + o.ko)

    def __radd__(self, other: str) -> Text:
        return raw(other) + self


def both(key: str, **fields: Any) -> Text:
    return Text(say(key, "en", **fields), say(key, "ko", **fields))


def raw(text: str) -> Text:
    """Text that is not ours to translate: tool output, names, versions."""
    return Text(text, text)


def join(sep: str, parts: Iterable[Text | str]) -> Text:
    items = [p if isinstance(p, Text) else raw(p) for p in parts]
    return Text(sep.join(p.en for p in items), sep.join(p.ko for p in items))


# A field never spans " · ", the separator of an evidence line's parts (reason · position); in lint's texts not
# "; " either (one reason; another), except the field that holds the rest of a list.
_FIELD = r"(?:(?! · ).)+?"
_LINT_FIELD = r"(?:(?! · |; ).)+?"
_LIST_REST = ("rest", "reason", "detail")  # a list, or a whole reason that may quote "a; b"


@cache
def _patterns(area: str) -> list[tuple[re.Pattern[str], str]]:
    out = []

    # the most specific first (most fixed text): a note with an optional tail must not be read as the shorter
    # one, and a bare frame ("{reason} · {position}") only when nothing more specific fits
    def fixed(template: str) -> int:
        return len(re.sub(r"\{[^}]*\}", "", template))

    for key, template in sorted(catalog(area)["en"].items(), key=lambda kv: (-fixed(kv[1]), kv[0])):
        parts = re.split(r"\{(\w+)[^}]*\}", template)
        pattern, seen = "", set()
        for i, part in enumerate(parts):
            if i % 2 == 0:
                pattern += re.escape(part)
            else:  # a field named twice ({high}x{high}) holds the same text both times
                field = _LINT_FIELD if area == "lint" and part not in _LIST_REST else _FIELD
                pattern += f"(?P={part})" if part in seen else f"(?P<{part}>{field})"
                seen.add(part)
        out.append((re.compile(pattern + r"\Z", re.DOTALL), key))
    return out


def _localize(text: str, lang: str, area: str, depth: int, parts: str | None = None) -> str:
    """`text` matched against the English templates of `area`, shown in `lang`; its fields are localized the
    same way (with the templates of `parts` when given), `depth` levels down."""
    if lang == "en" or depth == 0:
        return text
    for pattern, key in _patterns(area):
        m = pattern.match(text)
        if m:
            fields = {k: _localize(v, lang, parts or area, depth - 1) for k, v in m.groupdict().items()}
            return say(key, lang, **fields)
    return text


def localize_note(note: str, lang: str) -> str:
    """A note the core wrote in English (report.notes, source notes: part of the JSON contract), in `lang`.

    The core keeps writing English into the record; renderers call this to show the note to people. Its fields
    may quote lint's reasons (a node's unchecked condition), localized with lint's templates."""
    return _localize(note, lang, "notes", 4, parts="lint")


# How rules.node_evidence and rules.input_evidence begin a text: the node's label, or the input and its shape.
_NODE_HEAD = re.compile(r"(?P<head>[^\s']+ '[^'\n]*'): (?P<rest>.*)\Z", re.DOTALL)
_INPUT_HEAD = re.compile(r"input (?P<name>'[^'\n]*') (?P<shape>\[[^\]]*\]): (?P<rest>.*)\Z", re.DOTALL)


def localize_evidence(text: str, lang: str) -> str:
    """A lint evidence text (English in the record), in `lang`; its parts (reason, position) are localized too."""
    if lang == "en":
        return text
    m = _INPUT_HEAD.match(text)
    if m:
        shape = _localize(m["shape"], lang, "lint", 1)
        rest = _localize(m["rest"], lang, "lint", 5)
        return say("ev_input", lang, name=m["name"], shape=shape, detail=rest)
    m = _NODE_HEAD.match(text)
    if m:
        return f"{m['head']}: {_localize(m['rest'], lang, 'lint', 5)}"
    return _localize(text, lang, "lint", 5)
