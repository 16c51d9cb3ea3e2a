"""Required literals of a regex: a set of strings such that every match contains one of them.

Used as a prefilter: a line that contains none of a rule's literals (compared lower-cased)
cannot match the rule, so its regex never runs. The set is derived from the parsed regex
(Python's own parser); anything this module does not understand yields None ("no
prefilter"), which is always safe: the rule then runs on every line.
"""

from __future__ import annotations

import re

try:  # Python >= 3.11
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter literals match nearly every line: no better than no prefilter
_MAX_VARIANTS = 16  # `devices?` style alternatives multiply; beyond this give up on the run
# Syntax of the `regex` module that Python's parser accepts but reads differently: posix
# classes ([[:alpha:]]) and fuzzy matching ({e<=1}). Other regex-only syntax (\p{..}, \m,
# (?|..), (?V1)) is an error for Python's parser, which also means "no prefilter".
_FOREIGN = re.compile(r"\[:\^?\w+:\]|\{\s*[eids]\s*[<=]")

Literals = frozenset[str]


def required_literals(pattern: str, min_len: int = MIN_LITERAL) -> Literals | None:
    """Lower-cased strings one of which every match of `pattern` contains, or None."""
    if _FOREIGN.search(pattern):
        return None
    try:
        tree = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - any syntax Python's parser rejects: no prefilter
        return None
    found = _sequence(list(tree))
    if not found:
        return None
    if not all(s.isascii() or _never_ascii(s) for s in found):
        return None
    # Lines with non-ASCII text always reach the regex (the scan treats them as interesting and
    # Matcher skips the prefilter for them), so literals that only occur in such lines can go.
    lowered = frozenset(s.lower() for s in found if s.isascii())
    if lowered and min(len(s) for s in lowered) < min_len:
        return None
    return frozenset(s for s in lowered if not any(o != s and o in s for o in lowered))  # `bar` covers `foobar`


def _never_ascii(literal: str) -> bool:
    """True when no case variant of the literal is ASCII text (ſ and K fold to s and k)."""
    return any(
        not ch.isascii() and not any(v.isascii() for v in (ch.lower(), ch.upper(), ch.casefold())) for ch in literal
    )


def _name(op: object) -> str:
    return str(op).rsplit(".", 1)[-1]


def _best(options: list[set[str]]) -> set[str] | None:
    """The most selective alternative set: longest shortest member, then fewest members."""
    options = [o for o in options if o]
    if not options:
        return None
    return max(options, key=lambda o: (min(len(s) for s in o), -len(o)))


def _small_class(av: list) -> list[str] | None:  # type: ignore[type-arg]
    """The characters of a class like [sS] or [.] when it lists only a few literal characters."""
    chars = []
    for op, value in av:
        if _name(op) != "LITERAL":
            return None
        chars.append(chr(value))
    return chars if 0 < len(chars) <= 3 else None


def _variants(op: object, av: object) -> set[str] | None:
    """Every string a purely literal node can match (`ab`, `(?:is|are)`, `s?`, `[sS]`), or None."""
    name = _name(op)
    if name == "LITERAL":
        return {chr(av)}  # type: ignore[arg-type]
    if name == "IN":
        chars = _small_class(av)  # type: ignore[arg-type]
        return set(chars) if chars else None
    if name == "SUBPATTERN":
        return _seq_variants(list(av[-1]))  # type: ignore[index]
    if name == "BRANCH":
        out: set[str] = set()
        for alt in av[1]:  # type: ignore[index]
            v = _seq_variants(list(alt))
            if v is None:
                return None
            out |= v
        return out if len(out) <= _MAX_VARIANTS else None
    if name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0 and av[1] == 1:  # type: ignore[index]
        v = _seq_variants(list(av[2]))  # type: ignore[index]
        return None if v is None else v | {""}
    return None


def _seq_variants(items: list) -> set[str] | None:  # type: ignore[type-arg]
    out = {""}
    for op, av in items:
        if _name(op) == "AT":
            continue
        v = _variants(op, av)
        if v is None or len(out) * len(v) > _MAX_VARIANTS:
            return None
        out = {a + b for a in out for b in v}
    return out


def _sequence(items: list) -> set[str] | None:  # type: ignore[type-arg]
    """Best required set of a sequence of regex nodes (all of which must match in order)."""
    options: list[set[str]] = []
    runs: set[str] = {""}  # the literal text just before the current position, per variant

    def flush() -> None:
        nonlocal runs
        if runs and all(runs):
            options.append(set(runs))
        runs = {""}

    for op, av in items:
        name = _name(op)
        if name == "AT":
            continue  # zero-width (^, $, \b): the text on both sides is still contiguous
        variants = _variants(op, av)
        if variants is not None and len(runs) * len(variants) <= _MAX_VARIANTS:
            runs = {r + v for r in runs for v in variants}  # `run ?time`, `per (?:image|frame)`
            continue
        if name == "SUBPATTERN":
            flush()
            inner = _sequence(list(av[-1]))
            if inner:
                options.append(inner)
        elif name == "BRANCH":
            flush()
            alternatives = [_sequence(list(alt)) for alt in av[1]]
            if all(alternatives):
                options.append(set().union(*alternatives))  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            flush()
            low, _high, body = av
            if low >= 1:
                inner = _sequence(list(body))
                if inner:
                    options.append(inner)
        elif name == "ASSERT":
            # a lookaround's text is in the line too (the prefilter is per line, not per match);
            # it may overlap what follows, so it never joins a run
            flush()
            inner = _sequence(list(av[1]))
            if inner:
                options.append(inner)
        elif name == "ATOMIC_GROUP":
            flush()
            inner = _sequence(list(av))
            if inner:
                options.append(inner)
        else:  # any character, classes, backreferences, lookarounds, conditionals
            flush()
    flush()
    return _best(options)
