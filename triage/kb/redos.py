"""Catastrophic backtracking check for pattern regexes (used by `patterns validate`).

Every regex already runs with a time limit at analysis time, so a bad one cannot hang a run,
but it silently stops matching on long lines. This check finds such regexes before they ship:
it builds long adversarial strings from the regex itself (each repeated part pumped many times,
behind a prefix that reaches it, followed by a character that makes the match fail) and from
a few generic shapes, and times a search on each.

A regex is rejected when one search over a string of at most ATTACK_CHARS characters takes
longer than LIMIT seconds. Ordinary patterns (`ERROR .*failed`) take well under a millisecond
there; nested or overlapping quantifiers such as `(a+)+$`, `(a|aa)*$` or `(\\w+\\s?)+$` take
seconds, because the engine retries every way of splitting the repeated text.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Iterator

import regex

from triage.kb.schema import compile_regex

if sys.version_info >= (3, 11):
    import re._constants as sre
    import re._parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

LIMIT = 0.1  # seconds for one search
ATTACK_CHARS = 4096
SHORT_PUMPS = 48  # exponential forms blow up already here, cheaply
SUFFIXES = ("!", "", " \u00e9")
GENERIC_PUMPS = ("a", "1", " ", "\t", "a ", "a.", "a:", "a-", "a/", "a=", "_", "A1", ": ", "0x")
MAX_PUMPS_PER_REGEX = 64

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT} | ({sre.POSSESSIVE_REPEAT} if hasattr(sre, "POSSESSIVE_REPEAT") else set())
_CANDIDATES = "a1 _.-:/A!=\t\u00e9"


def _in_class(ch: str, items: list) -> bool:  # type: ignore[type-arg]
    negate = False
    hit = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit = hit or ord(ch) == av
        elif op is sre.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op is sre.CATEGORY:
            hit = hit or bool(regex.match(_CATEGORY.get(av, r"(?!)"), ch))
    return hit != negate


_CATEGORY = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


def _char_samples(op, av) -> list[str]:  # type: ignore[no-untyped-def]
    """Characters one single-character node matches (a few, for variety)."""
    if op is sre.LITERAL:
        return [chr(av)]
    if op is sre.NOT_LITERAL:
        return [c for c in "ab" if ord(c) != av][:1]
    if op is sre.ANY:
        return ["a"]
    if op is sre.IN:
        chars = [c for c in _CANDIDATES if _in_class(c, av)][:3]
        if not chars:  # a class of unusual characters: take its first literal or range start
            chars = [chr(v if o is sre.LITERAL else v[0]) for o, v in av if o in (sre.LITERAL, sre.RANGE)][:1]
        return chars
    return []


def _samples(seq, limit: int = 4) -> list[str]:  # type: ignore[no-untyped-def]
    """A few short strings the node sequence matches (best effort; anchors and lookarounds are empty)."""
    out = [""]
    for op, av in seq:
        if op in _REPEATS:
            lo, _hi, body = av
            inner = _samples(body, limit)
            options = [s * max(lo, 1) for s in inner] if lo else ["", *inner]
        elif op is sre.SUBPATTERN:
            options = _samples(av[-1], limit)
        elif op is sre.BRANCH:
            options = [s for alt in av[1] for s in _samples(alt, limit)]
        elif hasattr(sre, "ATOMIC_GROUP") and op is sre.ATOMIC_GROUP:
            options = _samples(av, limit)
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF):
            options = [""]
        else:
            options = _char_samples(op, av) or [""]
        out = list(dict.fromkeys(a + b for a in out for b in options[:limit]))[:limit]
    return out


def _pumps(seq, prefix: str) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(prefix, pump) for every repeated part: the pump is text the repeated body matches."""
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, body = av
            if hi > 1:
                for s in _samples(body):
                    if s:
                        yield prefix, s
                # two different body matches alternated catch overlapping alternatives
                alts = [s for s in _samples(body, 8) if s]
                if len(alts) > 1:
                    yield prefix, alts[0] + alts[1]
            yield from _pumps(body, prefix)
        elif op is sre.SUBPATTERN:
            yield from _pumps(av[-1], prefix)
        elif op is sre.BRANCH:
            for alt in av[1]:
                yield from _pumps(alt, prefix)
        elif hasattr(sre, "ATOMIC_GROUP") and op is sre.ATOMIC_GROUP:
            yield from _pumps(av, prefix)
        prefix += _samples([(op, av)], 1)[0]


def _attacks(pattern: str) -> list[tuple[str, str, str]]:
    """(prefix, pump, suffix) triples: pattern-derived first, then generic shapes."""
    found: list[tuple[str, str]] = []
    try:
        found = list(dict.fromkeys(_pumps(sre_parse.parse(pattern), "")))[:MAX_PUMPS_PER_REGEX]
    except Exception:  # noqa: BLE001 - syntax only the `regex` module knows: generic attacks only
        found = []
    found += [("", p) for p in GENERIC_PUMPS]
    return [(pre, pump, suf) for pre, pump in dict.fromkeys(found) for suf in SUFFIXES]


def _too_slow(rx: regex.Pattern[str], text: str) -> bool:
    """True when a search takes longer than LIMIT, twice (a busy machine can stall one run)."""
    for _ in range(2):
        start = time.perf_counter()
        try:
            rx.search(text, timeout=LIMIT)
        except TimeoutError:
            continue
        if time.perf_counter() - start <= LIMIT:
            return False
    return True


@functools.lru_cache(maxsize=4096)  # validate runs over whole directories, often the same regexes again
def check_regex(pattern: str) -> str | None:
    """A message saying why `pattern` backtracks catastrophically, or None when it is fine."""
    try:
        start = time.perf_counter()
        rx = compile_regex(pattern)
    except (ValueError, RecursionError, OverflowError, MemoryError) as exc:
        return f"cannot compile: {exc}"
    if time.perf_counter() - start > LIMIT:
        return f"compiling it takes more than {LIMIT:g} s (huge repeat counts?)"
    for prefix, pump, suffix in _attacks(pattern):
        for count in (SHORT_PUMPS, max(1, (ATTACK_CHARS - len(prefix)) // len(pump))):
            text = prefix + pump * count + suffix
            if _too_slow(rx, text):
                shown = f"{prefix!r} + {pump!r} x {count} + {suffix!r}"
                return (
                    f"catastrophic backtracking: a search over {len(text)} characters ({shown})"
                    f" took more than {LIMIT:g} s; avoid nested or overlapping repeats such as"
                    " (a+)+, (a|aa)* or (\\w+\\s?)+ (make each repeated part match one way only)"
                )
    return None
