"""Regex engines for pattern regexes: linear time where it can be, the same answers everywhere.

Pattern regexes are written for the `regex` module (a backtracking engine). Here each one gets:
- an exact RE2 twin (triage/kb/linear.py) that decides every ASCII text in linear time;
- a relaxed RE2 twin, a superset, that rejects most other texts in linear time first.
Only a non-ASCII text that passes the relaxed twin, or a regex RE2 cannot run at all
(lookarounds, backreferences), reaches the `regex` module, with no time limit: the answer
never depends on how busy the machine is. Such regexes are checked when loaded (triage/kb/redos.py).

LineRules holds every line rule in one RE2 set: one linear pass over a line gives the few rules
that may match it, so a line costs the same however many rules there are.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import re2  # type: ignore[import-untyped]

from triage.kb.linear import relaxed
from triage.kb.twins import Twins, lookahead_conjunction, twins

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20  # RE2's DFA memory budget (a set of every rule needs more than the default)
_OPTIONS.log_errors = False


def re2_compile(pattern: str):  # type: ignore[no-untyped-def]
    """An RE2 regex for a translated pattern, or None when RE2 refuses it (e.g. too large)."""
    try:
        return re2.compile(pattern.encode(), _OPTIONS)
    except re2.error:
        return None


class Searcher:
    """search(text) -> bool with the semantics of regex.search(text) is not None.

    The RE2 twins are compiled on the first search: a run pays only for the rules its lines reach."""

    __slots__ = ("_source", "_twins", "_ready", "_exact", "_relaxed", "_regex", "_must", "_must_not", "_rest")

    def __init__(self, source: str, compiled=None, derived: Twins | None = None) -> None:  # type: ignore[no-untyped-def]
        self._source = source
        self._regex = compiled
        self._twins = derived
        self._ready = False

    def _compile(self) -> None:
        e, r, parts = self._twins or twins(self._source)
        self._exact = re2_compile(e) if e else None
        self._relaxed = re2_compile(r) if r else None
        # `^(?=A)(?!B)R`: RE2 decides the lookaheads (and R when it can) on ASCII lines
        if self._exact is not None:
            parts = None
        elif e:  # an exact twin RE2 refused (too large)
            parts = lookahead_conjunction(self._source)
        must = [re2_compile(p) for p in parts[0]] if parts else []
        must_not = [re2_compile(p) for p in parts[1]] if parts else []
        ok = parts is not None and None not in must and None not in must_not
        self._must = must if ok else None
        self._must_not = must_not if ok else None
        self._rest = re2_compile(parts[2]) if ok and parts and parts[2] else None
        self._ready = True

    def search(self, text: str, data: bytes | None = None) -> bool:
        """data: text.encode() when the caller has it already."""
        if not self._ready:
            self._compile()
        if data is None:
            data = text.encode("utf-8", "surrogatepass")
        if len(data) == len(text):  # ASCII
            if self._exact is not None:
                return self._exact.search(data) is not None
            if self._must is not None:
                if any(rx.search(data) is None for rx in self._must):
                    return False
                if any(rx.search(data) is not None for rx in self._must_not):  # type: ignore[union-attr]
                    return False
                if self._rest is not None:
                    return self._rest.search(data) is not None
        if self._relaxed is not None and self._relaxed.search(data) is None:
            return False
        if self._regex is None:  # the `regex` module: only for what the twins cannot decide
            from triage.kb.schema import compile_regex

            self._regex = compile_regex(self._source)
        return self._regex.search(text) is not None


@functools.lru_cache(maxsize=4096)
def searcher(source: str, compiled=None, derived: Twins | None = None) -> Searcher:  # type: ignore[no-untyped-def]
    """compiled: the regex module's pattern of source, when the caller has it (else compiled when
    first needed); derived: twins(source) when the caller has them (from the knowledge-base cache)."""
    return Searcher(source, compiled, derived)


@functools.lru_cache(maxsize=16)
def line_rules(sources: tuple[str, ...], relaxed_twins: tuple[str | None, ...] | None = None) -> LineRules:
    """One compiled set per rule list: every Matcher of a run (pattern examples, --follow's files, the
    API's calls) shares it; matching only reads it. relaxed_twins: relaxed(s) of each source when the
    caller has them (from the knowledge-base cache)."""
    return LineRules(sources, relaxed_twins)


class LineRules:
    """The relaxed twins of many regexes in one RE2 set: candidates(data) gives the indices of
    those that may match (a superset), in one linear pass; `always` holds the indices of
    regexes without a relaxed twin, which are candidates for every text."""

    def __init__(self, sources: Sequence[str], relaxed_twins: Sequence[str | None] | None = None) -> None:
        self.always: list[int] = []
        self._set = re2.Set.SearchSet(_OPTIONS)
        self._index: list[int] = []
        for i, src in enumerate(sources):
            r = relaxed(src) if relaxed_twins is None else relaxed_twins[i]
            added = False
            if r is not None:
                try:
                    self._set.Add(r.encode())
                    added = True
                except re2.error:
                    pass
            if added:
                self._index.append(i)
            else:
                self.always.append(i)
        self._empty = not self._index
        if not self._empty:
            self._set.Compile()

    def candidates(self, data: bytes) -> list[int]:
        hits = None if self._empty else self._set.Match(data)
        if not hits:
            return self.always
        found = [self._index[h] for h in hits]
        if self.always:
            found += self.always
        found.sort()
        return found
