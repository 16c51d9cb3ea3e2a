"""Bounded-cost check for pattern regexes, run when a pattern file is loaded (and by `patterns validate`).

Line rules run in linear time in RE2 where RE2 can run them (triage/engine.py); the `regex`
module, a backtracking engine, still decides non-ASCII lines and regexes with lookarounds. So a
regex is accepted only when its structure bounds what backtracking can cost, decided from the
regex alone (no timing: the answer is the same on an idle or a busy machine):

- at most MAX_REGEX characters (a 900 KB literal or a 60,000-word alternation is refused
  before anything is derived from it);
- repeat counts whose product over nesting stays under MAX_EXPANSION (`(a{1000}){1000}`);
- no repeated part that can be matched in more than one way: a repeat (of more than
  MAX_INNER_REPEAT) around another variable repeat, `(a+)+`, `(\\w+\\s?)+`, or around
  alternatives that can start with the same character, `(a|aa)+`;
- a lookaround may only repeat a single character class, not `.`: `(?=.*x)` costs the rest of
  the line at every start position, unless the regex is anchored at the line start with `^`.
"""

from __future__ import annotations

import functools
import re
import sys

if sys.version_info >= (3, 11):
    import re._constants as sre  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

MAX_REGEX = 4096  # characters; the largest bundled regex is about 600
MAX_EXPANSION = 100_000  # product of the repeat counts along any nesting
MAX_INNER_REPEAT = 16  # a bounded repeat up to this may hold a variable one: `(?:[^\w\s]\s*){0,4}`
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT} | ({sre.POSSESSIVE_REPEAT} if hasattr(sre, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
# syntax of the `regex` module that Python's parser does not know, replaced by a single class
# of the same shape for the structural check: \p{..} \P{..} \X, posix classes
_REGEX_ONLY = re.compile(r"\\[pP]\{[^}]{1,40}\}|\\[pP][A-Za-z]|\\X|\[\[:\^?\w+:\]\]")
_REGEX_ONLY_IN_CLASS = re.compile(r"\[:\^?\w+:\]")

BACKTRACKING_HINT = (
    "avoid nested or overlapping repeats such as (a+)+, (a|aa)* or (\\w+\\s?)+"
    " (make each repeated part match one way only)"
)


class _Refused(Exception):
    def __init__(self, message: str, backtracking: bool = False) -> None:
        super().__init__(f"catastrophic backtracking: {message}" if backtracking else message)


def _first_chars(seq: list) -> set[str] | None:  # type: ignore[type-arg]
    """A few characters the sequence can start with (None: could be anything or empty)."""
    for op, av in seq:
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.LITERAL:
            return {chr(av).lower()}
        if op is sre.IN:
            chars: set[str] = set()
            for o, v in av:
                if o is sre.LITERAL:
                    chars.add(chr(v).lower())
                elif o is sre.RANGE and v[1] - v[0] < 64:
                    chars |= {chr(c).lower() for c in range(v[0], v[1] + 1)}
                else:
                    return None
            return chars
        if op is sre.SUBPATTERN:
            return _first_chars(list(av[-1]))
        if op is sre.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                f = _first_chars(list(alt))
                if f is None:
                    return None
                out |= f
            return out
        if op in _REPEATS and av[0] >= 1:
            return _first_chars(list(av[2]))
        return None
    return None


def _variable(seq: list) -> bool:  # type: ignore[type-arg]
    """Whether the sequence holds a repeat of variable count (so a repeat of it splits text many ways)."""
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, body = av
            if lo != hi or _variable(list(body)):
                return True
        elif op is sre.SUBPATTERN:
            if _variable(list(av[-1])):
                return True
        elif op is sre.BRANCH:  # alternatives themselves are checked by _check_branches
            if any(_variable(list(alt)) for alt in av[1]):
                return True
        elif op is _ATOMIC and _variable(list(av)):
            return True
    return False


def _walk(seq: list, expansion: int, in_look: bool, anchored: bool) -> None:  # type: ignore[type-arg]
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, body = av
            body = list(body)
            count = max(lo, 1) if hi is sre.MAXREPEAT else hi
            if expansion * max(count, 1) > MAX_EXPANSION:
                raise _Refused(f"repeat counts multiply to more than {MAX_EXPANSION:,}: use smaller counts")
            unbounded = hi is sre.MAXREPEAT or hi > MAX_INNER_REPEAT
            if unbounded and _variable(body):
                raise _Refused(
                    f"nested repeats: a repeated part can match its text in many ways; {BACKTRACKING_HINT}", True
                )
            if unbounded:
                _check_branches(body)
            wide = any(o is sre.ANY or o is sre.NOT_LITERAL for o, _ in body)
            if in_look and not anchored and hi is sre.MAXREPEAT and wide:
                raise _Refused(
                    "a lookaround that repeats `.` scans the rest of the line at every start: anchor it with ^"
                )
            _walk(body, expansion * max(count, 1), in_look, anchored)
        elif op is sre.SUBPATTERN:
            _walk(list(av[-1]), expansion, in_look, anchored)
        elif op is sre.BRANCH:
            for alt in av[1]:
                _walk(list(alt), expansion, in_look, anchored)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _walk(list(av[1]), expansion, True, anchored)
        elif op is _ATOMIC:
            _walk(list(av), expansion, in_look, anchored)
        elif op is sre.GROUPREF_EXISTS:
            raise _Refused("conditional groups are not supported in pattern regexes")


def _strings(seq: list) -> set[str] | None:  # type: ignore[type-arg]
    """Every text a purely literal sequence matches (a few), or None."""
    out = {""}
    for op, av in seq:
        first = _first_chars([(op, av)]) if op in (sre.LITERAL, sre.IN) else None
        if first is None or len(out) * len(first) > 64:
            return None
        out = {a + b for a in out for b in first}
    return out


def _check_branches(body: list) -> None:  # type: ignore[type-arg]
    """Alternatives inside a repeated part must match one way only: literal alternatives none of
    which is a prefix of another (`(?:foo|bar|baz)+`), or alternatives that start differently."""
    for op, av in body:
        if op is sre.SUBPATTERN:
            _check_branches(list(av[-1]))
        if op is not sre.BRANCH:
            continue
        texts = [_strings(list(alt)) for alt in av[1]]
        if all(t for t in texts):
            words = sorted(w for t in texts for w in t)  # type: ignore[union-attr]
            if all(w for w in words) and not any(b.startswith(a) for a, b in zip(words, words[1:], strict=False)):
                continue
            raise _Refused(f"repeated alternatives where one is a prefix of another; {BACKTRACKING_HINT}", True)
        seen: set[str] = set()
        for alt in av[1]:
            first = _first_chars(list(alt))
            if first is None or first & seen:
                raise _Refused(f"repeated alternatives that can start alike; {BACKTRACKING_HINT}", True)
            seen |= first


def _anchored(seq: list) -> bool:  # type: ignore[type-arg]
    for op, av in seq:
        if op is sre.AT:
            return av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.SUBPATTERN:
            return _anchored(list(av[-1]))
        if op is sre.BRANCH:
            return all(_anchored(list(alt)) for alt in av[1])
        return False
    return False


@functools.lru_cache(maxsize=4096)  # validate runs over whole directories, often the same regexes again
def check_regex(pattern: str) -> str | None:
    """Why `pattern` cannot be run with a bounded cost, or None when it can."""
    if len(pattern) > MAX_REGEX:
        return f"longer than {MAX_REGEX} characters ({len(pattern):,}); split it into several rules"
    shaped = _REGEX_ONLY.sub("a", pattern)
    shaped = _REGEX_ONLY_IN_CLASS.sub("a", shaped)
    try:
        tree = sre_parse.parse(shaped)
    except RecursionError:
        return "cannot compile: nested too deeply"
    except (re.error, OverflowError) as exc:
        return f"cannot compile: {exc}"
    except Exception as exc:  # noqa: BLE001 - any other parser failure is still just a bad regex
        return f"cannot compile: {exc}"
    seq = list(tree)
    try:
        _walk(seq, 1, False, _anchored(seq))
    except _Refused as exc:
        return str(exc)
    except RecursionError:
        return "cannot compile: nested too deeply"
    return None
