"""Required literals of a regex: a set of strings such that every match contains one of them.

Used as a prefilter: a line that contains none of a rule's literals (compared lower-cased)
cannot match the rule, so its regex never runs. The set is derived from the parsed regex
(Python's own parser); anything this module does not understand yields None ("no
prefilter"), which is always safe: the rule then runs on every line.
"""

from __future__ import annotations

try:  # Python >= 3.11
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter literals match nearly every line: no better than no prefilter
_MAX_VARIANTS = 16  # `devices?` style alternatives multiply; beyond this give up on the run
# Syntax of the `regex` module that Python's parser reads differently (or not at all):
# posix classes, properties, named lists, fuzzy matching, branch reset, version flags.
_FOREIGN = ("[:", "\\p", "\\P", "\\N", "\\X", "\\L<", "\\m", "\\M", "\\G", "(?|", "(?V", "(?r", "(?f",
            "(?e", "{e", "{i", "{d", "{s", "(?(DEFINE)", "\\K")

Literals = frozenset[str]


def required_literals(pattern: str, min_len: int = MIN_LITERAL) -> Literals | None:
    """Lower-cased strings one of which every match of `pattern` contains, or None."""
    if any(f in pattern for f in _FOREIGN):
        return None
    try:
        tree = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - any syntax Python's parser rejects: no prefilter
        return None
    found = _sequence(list(tree))
    if not found:
        return None
    lowered = frozenset(s.lower() for s in found)
    if min(len(s) for s in lowered) < min_len or not all(s.isascii() for s in lowered):
        return None
    return lowered


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
        if name == "LITERAL":
            runs = {r + chr(av) for r in runs}
        elif name == "IN" and (chars := _small_class(av)) is not None and len(runs) * len(chars) <= _MAX_VARIANTS:
            runs = {r + c for r in runs for c in chars}
        elif name == "AT":
            continue  # zero-width (^, $, \b): the text on both sides is still contiguous
        elif name == "SUBPATTERN":
            body = list(av[-1])
            if all(_name(o) == "LITERAL" for o, _ in body):
                runs = {r + "".join(chr(v) for _, v in body) for r in runs}
            else:
                flush()
                inner = _sequence(body)
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
        elif name == "ATOMIC_GROUP":
            flush()
            inner = _sequence(list(av))
            if inner:
                options.append(inner)
        else:  # any character, classes, backreferences, lookarounds, conditionals
            flush()
    flush()
    return _best(options)
