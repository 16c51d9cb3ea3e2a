"""Pattern regexes rewritten for linear-time engines (RE2, Hyperscan).

A line rule's regex is written for the `regex` module, a backtracking engine: on a crafted line
some regexes cost time quadratic (or worse) in the line. RE2 and Hyperscan run in time linear in
the text, but know no lookaround or backreference and read \\d, \\w, \\b as ASCII. So each
regex gets two rewrites, both from Python's own parse of it:

- exact(): the same regex for RE2, or None when it uses something RE2 cannot run. It gives the
  same yes/no as the original on every ASCII line (where ASCII and Unicode classes agree).
- relaxed(): a *superset* regex for RE2 and Hyperscan: every line the original matches, it
  matches too (lookarounds, anchors and \\b dropped or loosened; classes widened to their
  Unicode extent). It never matches a line feed, so run over a block of lines it finds the
  lines that may match. None when the regex has a construct it cannot loosen safely.

Both are pure text functions: what they return is compiled by the caller.
"""

from __future__ import annotations

import re

try:  # Python >= 3.11
    import re._constants as sre  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_COUNT = 1000  # RE2's largest repeat count
_WIDE_COUNT = 16  # relaxed twins: a repeat allowing more than this is written unbounded
_FOREIGN = re.compile(r"\[:\^?\w+:\]|\{\s*[eids]\s*[<=]")  # posix classes, fuzzy matching (regex only)

# Classes as RE2/Hyperscan text. ASCII lines: what Python's Unicode classes match on ASCII text
# (\s also matches \v and \x1c-\x1f). Wide: a superset of the Unicode class, without \n.
_ASCII = {
    sre.CATEGORY_DIGIT: "0-9",
    sre.CATEGORY_WORD: "0-9A-Za-z_",
    sre.CATEGORY_SPACE: "\\t\\n\\x0b\\f\\r \\x1c-\\x1f",
}
_WIDE = {  # (any non-ASCII character: a superset that keeps the automata small)
    sre.CATEGORY_DIGIT: "0-9\\x{80}-\\x{10ffff}",
    sre.CATEGORY_WORD: "0-9A-Za-z_\\x{80}-\\x{10ffff}",
    sre.CATEGORY_SPACE: "\\t\\x0b\\f\\r \\x1c-\\x1f\\x{80}-\\x{10ffff}",
}
_NOT = {
    sre.CATEGORY_NOT_DIGIT: sre.CATEGORY_DIGIT,
    sre.CATEGORY_NOT_WORD: sre.CATEGORY_WORD,
    sre.CATEGORY_NOT_SPACE: sre.CATEGORY_SPACE,
}


class _Cannot(Exception):
    """The regex uses something this rewrite cannot express."""


def _parse(pattern: str):  # type: ignore[no-untyped-def]
    if _FOREIGN.search(pattern):
        raise _Cannot
    try:
        return sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - syntax only the regex module reads: no rewrite
        raise _Cannot from None


def _char(code: int, ascii_only: bool = False) -> str:
    ch = chr(code)
    if ascii_only and code > 0x7F:  # Hyperscan in byte mode: the UTF-8 bytes (never in an ASCII block)
        return "".join(f"\\x{b:02x}" for b in ch.encode())
    if ch.isascii() and (ch.isalnum() or ch == "_"):
        return ch
    if ch == "\n":
        return "\\n"
    return f"\\x{{{code:x}}}"


def _flags_prefix(flags: int) -> str:
    out = ""
    if flags & sre.SRE_FLAG_IGNORECASE:
        out += "i"
    if flags & sre.SRE_FLAG_DOTALL:
        out += "s"
    return f"(?{out})" if out else ""


class _Writer:
    def __init__(self, relaxed: bool, flags: int, hyperscan: bool = False) -> None:
        self.relaxed = relaxed
        self.hyperscan = hyperscan
        self.dotall = bool(flags & sre.SRE_FLAG_DOTALL)
        if flags & (sre.SRE_FLAG_MULTILINE | sre.SRE_FLAG_VERBOSE) or not flags & sre.SRE_FLAG_UNICODE:
            raise _Cannot  # (?m) and (?x) never occur in pattern files; bytes patterns neither

    def seq(self, items: list, top: bool = False, tail: bool = False) -> str:  # type: ignore[type-arg]
        """top: the start of the whole regex; tail: nothing follows this sequence."""
        out = []
        prev = None
        if top and self.relaxed:  # a search may start anywhere: a leading `^` or `.*` adds nothing
            lookahead = (sre.ASSERT, sre.ASSERT_NOT)
            while len(items) > 1 and (
                items[0][0] is sre.AT or _any_run(items[0]) or (items[0][0] in lookahead and items[0][1][0] == 1)
            ):
                prev = items[0]
                items = items[1:]
            if len(items) == 1 and items[0][0] is sre.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
                return self.seq(list(items[0][1][3]), top=True, tail=tail)
            if len(items) == 1 and items[0][0] is sre.BRANCH:
                alts = [self.seq(list(alt), top=True, tail=tail) for alt in items[0][1][1]]
                return "(?:" + "|".join(alts) + ")"
        for i, (op, av) in enumerate(items):
            out.append(self.node(op, av, prev, first=top and i == 0, last=tail and i == len(items) - 1))
            prev = (op, av)
        return "".join(out)

    def node(self, op, av, prev, first: bool, last: bool = False) -> str:  # type: ignore[no-untyped-def]
        if op is sre.LITERAL:
            return _char(av, self.hyperscan)
        if op is sre.NOT_LITERAL:
            return "[^\\n]" if self.hyperscan and av > 0x7F else f"[^{_char(av)}\\n]"
        if op is sre.ANY:
            if self.dotall:
                return "(?s:.)" if not self.relaxed else "[^\\n]"
            return "[^\\n]"
        if op is sre.IN:
            return self.klass(av)
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.seq(list(alt), tail=last) for alt in av[1]) + ")"
        if op is sre.SUBPATTERN:
            _group, add, remove, body = av
            if add & ~(sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_DOTALL) or remove & ~(
                sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_DOTALL
            ):
                raise _Cannot
            on = ("i" if add & sre.SRE_FLAG_IGNORECASE else "") + ("s" if add & sre.SRE_FLAG_DOTALL else "")
            off = ("i" if remove & sre.SRE_FLAG_IGNORECASE else "") + ("s" if remove & sre.SRE_FLAG_DOTALL else "")
            if "s" in on + off:
                raise _Cannot  # scoped DOTALL: rare, and `.` would have to change meaning inside
            mods = on + (f"-{off}" if off else "")
            return f"(?{mods}:" + self.seq(list(body), tail=last) + ")"
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op is getattr(sre, "POSSESSIVE_REPEAT", None):
            if op is not sre.MAX_REPEAT and op is not sre.MIN_REPEAT and not self.relaxed:
                raise _Cannot  # possessive: RE2 has none (a greedy repeat is a superset)
            lo, hi, body = av
            inner = self.seq(list(body))
            if lo > MAX_COUNT or (hi is not sre.MAXREPEAT and hi > MAX_COUNT):
                if not self.relaxed:
                    raise _Cannot
                lo = min(lo, MAX_COUNT)
                hi = sre.MAXREPEAT  # a wider count: still a superset
            if self.relaxed and hi is not sre.MAXREPEAT and hi > _WIDE_COUNT:
                # `.{0,200}`: counting states multiply in a DFA of many rules; any count is a superset
                lo, hi = min(lo, _WIDE_COUNT), sre.MAXREPEAT
            lazy = "?" if op is sre.MIN_REPEAT and not self.relaxed else ""
            count = f"{{{lo},}}" if hi is sre.MAXREPEAT else f"{{{lo},{hi}}}"
            return f"(?:{inner}){count}{lazy}"
        if op is getattr(sre, "ATOMIC_GROUP", None):
            if not self.relaxed:
                raise _Cannot
            return "(?:" + self.seq(list(av)) + ")"
        if op is sre.AT:
            return self.anchor(av)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            if not self.relaxed:
                raise _Cannot
            return self.lookaround(op, av, prev, first, last)
        if op is sre.GROUPREF:
            if not self.relaxed:
                raise _Cannot
            return "[^\\n]*"
        raise _Cannot  # conditionals and anything newer

    def anchor(self, at) -> str:  # type: ignore[no-untyped-def]
        if self.relaxed:
            return ""  # ^ $ \b \B: dropping a condition only widens
        return {
            sre.AT_BEGINNING: "^",
            sre.AT_BEGINNING_STRING: "\\A",
            sre.AT_END: "$",
            sre.AT_END_STRING: "\\z",
            sre.AT_BOUNDARY: "\\b",
            sre.AT_NON_BOUNDARY: "\\B",
        }.get(at) or _raise()

    def lookaround(self, op, av, prev, first: bool, last: bool) -> str:  # type: ignore[no-untyped-def]
        direction, body = av
        if op is sre.ASSERT and direction == 1 and last:  # `x(?=y)` at the very end: a match of xy
            return self.seq(list(body), tail=True)
        # `s(?![\w])` at the very end: one consumed character outside the class, or the line end
        if op is sre.ASSERT_NOT and direction == 1 and last and len(body) == 1 and body[0][0] in (sre.IN, sre.LITERAL):
            inner = self.klass(body[0][1], sure=True) if body[0][0] is sre.IN else f"[{_char(body[0][1])}]"
            if inner.startswith("[") and not inner.startswith("[^"):
                # Hyperscan: the LF after the line stands for its end (the caller ends blocks with one)
                return f"[^{inner[1:-1]}]" if self.hyperscan else f"(?:$|[^{inner[1:-1]}\\n])"
            return ""
        # `(?<![\d.])` after `.*` (or first in an unanchored search) is the same as one
        # consumed character outside the class, or the line start; elsewhere drop it
        if op is sre.ASSERT_NOT and direction == -1 and len(body) == 1 and body[0][0] in (sre.IN, sre.LITERAL):
            after_any = prev is not None and prev[0] in (sre.MAX_REPEAT, sre.MIN_REPEAT) and prev[1][0] == 0
            after_any = after_any and len(prev[1][2]) == 1 and prev[1][2][0][0] is sre.ANY
            if first or after_any:
                inner = self.klass(body[0][1], sure=True) if body[0][0] is sre.IN else f"[{_char(body[0][1])}]"
                if inner.startswith("[") and not inner.startswith("[^"):
                    # Hyperscan has no `^` inside a pattern: there the character may be the LF
                    # before the line (the match then starts one line early; its end is right)
                    return f"[^{inner[1:-1]}]" if self.hyperscan else f"(?:^|[^{inner[1:-1]}\\n])"
        return ""

    def klass(self, items: list, sure: bool = False) -> str:  # type: ignore[type-arg]
        """sure: only characters surely in the class (\\w, \\d, \\s by their ASCII part), for a
        lookaround that becomes one consumed character outside the class: the widened class would
        leave out every non-ASCII character, which the lookaround lets through (`1s　/ frame`)."""
        negate = bool(items) and items[0][0] is sre.NEGATE
        parts = []
        for op, av in items[1:] if negate else items:
            if self.hyperscan and op in (sre.LITERAL, sre.RANGE):
                # byte mode, ASCII blocks only: keep the ASCII part of the member
                lo, hi = (av, av) if op is sre.LITERAL else av
                if lo > 0x7F:
                    continue
                av, op = (lo, min(hi, 0x7F)), sre.RANGE
            if op is sre.LITERAL:
                parts.append(_char(av))
            elif op is sre.RANGE:
                parts.append(f"{_char(av[0])}-{_char(av[1])}")
            elif op is sre.CATEGORY:
                parts.append(self.category(av, negate, sure))
            else:
                raise _Cannot
        if negate:
            return "[^" + "".join(parts) + "\\n]"
        if not parts:
            return "\\xff"  # a class of non-ASCII characters only: no match in an ASCII block
        body = "".join(p for p in parts if not p.startswith("!"))
        nots = [p[1:] for p in parts if p.startswith("!")]
        if nots:  # a positive class holding \D, \W or \S: an alternation of classes
            alts = ([f"[{body}]"] if body else []) + [f"[^{n}\\n]" for n in nots]
            return "(?:" + "|".join(alts) + ")"
        return f"[{body}]"

    def category(self, cat, negate: bool, sure: bool = False) -> str:  # type: ignore[no-untyped-def]
        if cat in _NOT:  # \D \W \S
            if negate:
                raise _Cannot  # [^\D]: never seen in a pattern file
            return "!" + _ASCII[_NOT[cat]]  # not-ASCII-digit is a superset of not-Unicode-digit
        if cat not in _ASCII:
            raise _Cannot
        if negate:  # [^\w]: leave out only what is surely in \w (its ASCII part): a superset
            return _ASCII[cat]
        if self.hyperscan:  # ASCII blocks only
            return _ASCII[cat].replace("\\n", "")
        return _WIDE[cat] if self.relaxed and not sure else _ASCII[cat]


def _any_run(item) -> bool:  # type: ignore[no-untyped-def]
    """`.*` or `.*?`."""
    op, av = item
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and len(av[2]) == 1 and av[2][0][0] is sre.ANY


def _raise() -> str:
    raise _Cannot


def exact(pattern: str) -> str | None:
    """`pattern` for RE2, same answer as the regex module on ASCII lines; None if RE2 cannot run it."""
    try:
        tree = _parse(pattern)
        return _flags_prefix(tree.state.flags) + _Writer(False, tree.state.flags).seq(list(tree))
    except (_Cannot, RecursionError):
        return None


def relaxed(pattern: str, hyperscan: bool = False) -> str | None:
    """A superset of `pattern` for RE2 (multi-line mode) that never matches a line feed, or None
    (also when the superset would match every line). hyperscan: the same for Hyperscan, which
    may take the LF before the line (use match ends)."""
    try:
        tree = _parse(pattern)
        flags = tree.state.flags
        items = list(tree)
        if _nullable(items):
            # `^(?=.*?A)(?=.*?B)`: what is left after the lookarounds matches anywhere; a line
            # that matches holds a match of each positive lookahead's body: take the first one
            bodies = [av[1] for op, av in items if op is sre.ASSERT and av[0] == 1 and not _nullable(list(av[1]))]
            if not bodies:
                return None
            items = list(bodies[0])
        prefix = ("" if hyperscan else "(?m)") + _flags_prefix(flags & sre.SRE_FLAG_IGNORECASE)
        text = prefix + _Writer(True, flags, hyperscan).seq(items, top=True, tail=True)
    except (_Cannot, RecursionError):
        return None
    return text


def _nullable(items: list) -> bool:  # type: ignore[type-arg]
    """Whether the relaxed form of a node sequence can match the empty string."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return False
        if op is sre.BRANCH:
            if not any(_nullable(list(alt)) for alt in av[1]):
                return False
        elif op is sre.SUBPATTERN:
            if not _nullable(list(av[-1])):
                return False
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if not _nullable(list(av)):
                return False
        elif (op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op is getattr(sre, "POSSESSIVE_REPEAT", None)) and (
            av[0] > 0 and not _nullable(list(av[2]))
        ):
            return False
    return True


def conjunction(pattern: str) -> tuple[list[str], list[str], str | None] | None:
    """`^(?=A)(?!B)...R` as RE2 parts that decide it on ASCII lines: (patterns that must match,
    patterns that must not, the rest or None when RE2 cannot run the rest). Each part is
    anchored at the line start, as the lookarounds are. None when the regex is not of this shape
    or a lookahead cannot be written for RE2."""
    try:
        tree = _parse(pattern)
        flags = tree.state.flags
        items = list(tree)
        if not items or items[0] != (sre.AT, sre.AT_BEGINNING):
            return None
        prefix = _flags_prefix(flags) + "^"
        must: list[str] = []
        must_not: list[str] = []
        i = 1
        while i < len(items) and items[i][0] in (sre.ASSERT, sre.ASSERT_NOT) and items[i][1][0] == 1:
            op, (_direction, body) = items[i]
            text = prefix + _Writer(False, flags).seq(list(body))
            (must if op is sre.ASSERT else must_not).append(text)
            i += 1
        if i == 1:
            return None
        try:
            rest: str | None = prefix + _Writer(False, flags).seq(items[i:])
        except _Cannot:
            rest = None
        return must, must_not, rest
    except (_Cannot, RecursionError):
        return None
