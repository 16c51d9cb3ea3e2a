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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Text:
    """One message in both languages; raw text (tool output, paths) is the same in both."""

    en: str
    ko: str

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


@cache
def _note_patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    # the longest first: a note with an optional tail must not be read as the shorter one
    for key, template in sorted(catalog("notes")["en"].items(), key=lambda kv: -len(kv[1])):
        parts = re.split(r"\{(\w+)[^}]*\}", template)
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(pattern + r"\Z", re.DOTALL), key))
    return out


def localize_note(note: str, lang: str) -> str:
    """A note the core wrote in English (report.notes, source notes: part of the JSON contract), in `lang`.

    The core keeps writing English into the record; renderers call this to show the note to people."""
    if lang == "en":
        return note
    for pattern, key in _note_patterns():
        m = pattern.match(note)
        if m:
            return say(key, lang, **m.groupdict())
    return note
