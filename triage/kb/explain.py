"""`explain`: look up a cause id, a native error code (number or name) or an exception class.

Which cause a code resolves to is read from the pattern files themselves (their `code` and
`exception` rules), so the answer is the same one the analyser gives for a log; nothing here
keeps its own code -> cause table.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import regex

from triage import codes
from triage.codes import CodeEntry
from triage.kb.loader import KnowledgeBase
from triage.kb.schema import MatchRule, Pattern

# Module an exception class lives in, per table (furiosa-facts.md).
EXCEPTION_MODULE = {"runtime": "furiosa.runtime.errors", "compiler": "furiosa.tools.compiler.api.errors"}
# Codes the legacy runtime raises as their own exception class; every other one becomes
# InternalError 'unknown' (native error code: 15).
RUNTIME_RAISED = frozenset({11, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 30})
# Correct spellings users type for names the upstream tables misspell (compiler code 9 is
# OUT_OF_INSTUCTION_MEMORY in furiosa/tools/compiler/api/errors.py).
NAME_ALIASES = {"OUT_OF_INSTRUCTION_MEMORY": "OUT_OF_INSTUCTION_MEMORY"}
# Classes shared by many codes say nothing about which code it was.
_SHARED_CLASSES = frozenset({"InternalError"})


class UnknownQuery(LookupError):
    """Nothing matches the query; `suggestions` holds the closest ids and code names."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass
class CodeResolution:
    table: str
    entry: CodeEntry
    causes: list[Pattern] = field(default_factory=list)
    """Specific causes whose match rules claim this code (by number, name or exception class)."""
    fallback: Pattern | None = None
    """The generic pattern that reports this code when no specific cause claims it."""
    related: list[Pattern] = field(default_factory=list)
    """Causes that take this code as supporting evidence (it often comes with them)."""

    @property
    def resolved(self) -> bool:
        return bool(self.causes) or self.fallback is not None

    def fallback_title(self, lang: str = "en") -> str:
        if self.fallback is None:
            return ""
        template = self.fallback.title_ko if lang == "ko" and self.fallback.title_ko else self.fallback.title
        return template.format(code=self.entry.code, name=self.entry.name, table=self.table)


@dataclass
class Explanation:
    query: str
    patterns: list[Pattern] = field(default_factory=list)
    codes: list[CodeResolution] = field(default_factory=list)
    note: str = ""


def _ref_claims(ref: str, table: str, entry: CodeEntry, allow_wildcard_code: bool) -> bool:
    ref_table, _, ref_code = ref.partition(":")
    if ref_table not in ("*", table):
        return False
    if ref_code == "*":
        return allow_wildcard_code
    return ref_code == entry.name or (ref_code.isdigit() and int(ref_code) == entry.code)


def _rule_claims(rule: MatchRule, table: str, entry: CodeEntry, generic: bool) -> bool:
    if rule.code:
        return any(_ref_claims(r, table, entry, allow_wildcard_code=generic) for r in rule.code)
    if rule.exception and entry.exception and entry.exception not in _SHARED_CLASSES:
        qualified = f"{EXCEPTION_MODULE[table]}.{entry.exception}"
        rx = regex.compile(rule.exception, regex.VERSION0)
        if rx.search(qualified) is None:
            return False
        if rule.exception_message:
            return regex.compile(rule.exception_message, regex.VERSION0).search(entry.message) is not None
        return True
    return False


def resolve_code(kb: KnowledgeBase, table: str, code: int) -> CodeResolution:
    """The causes a native error code leads to, as the matcher would report it."""
    res = CodeResolution(table=table, entry=codes.entry(table, code))
    for p in kb.patterns:
        if p.group_by_code:
            if res.fallback is None and any(_rule_claims(r, table, res.entry, True) for r in p.match):
                res.fallback = p
            continue
        if any(_rule_claims(r, table, res.entry, False) for r in p.match):
            res.causes.append(p)
        elif any(_rule_claims(r, table, res.entry, False) for r in p.supporting):
            res.related.append(p)
    res.related.sort(key=lambda p: _relevance(p, table, res.entry))
    return res


_KIND_ORDER = {"root-cause": 0, "symptom": 1, "generic": 2, "noise": 3}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _relevance(p: Pattern, table: str, entry: CodeEntry) -> tuple[bool, int, int, str]:
    """Most relevant first: causes marked common for this code, then root causes before symptoms, errors first."""
    common = any(r.common and _rule_claims(r, table, entry, False) for r in p.supporting)
    return (not common, _KIND_ORDER[p.kind], _SEVERITY_ORDER[p.severity], p.id)


def explained_by(kb: KnowledgeBase, pattern_id: str) -> list[Pattern]:
    """Causes whose `explains` names this (symptom) pattern."""
    return [p for p in kb.patterns if pattern_id in p.explains]


def claimed_codes(kb: KnowledgeBase, pattern: Pattern) -> list[tuple[str, CodeEntry]]:
    """Native codes (in either table) that this pattern claims by its match rules."""
    out = []
    for table, entries in codes.TABLES.items():
        for entry in entries.values():
            if any(_rule_claims(r, table, entry, pattern.group_by_code) for r in pattern.match):
                out.append((table, entry))
    return out if not pattern.group_by_code else []


def patterns_for_exception(kb: KnowledgeBase, name: str) -> list[Pattern]:
    """Causes whose exception rules match a class name that has no code of its own (SessionClosed)."""
    if not regex.fullmatch(r"(?:[A-Za-z_]\w*\.)*[A-Z]\w*", name.strip()):
        return []
    cls = name.strip().rsplit(".", 1)[-1]
    if cls in _SHARED_CLASSES:
        return []
    candidates = [name.strip()] if "." in name else [f"{m}.{cls}" for m in EXCEPTION_MODULE.values()]
    out = []
    for p in kb.patterns:
        exceptions = [r.exception for r in p.match if r.exception]
        if any(regex.compile(x, regex.VERSION0).search(c) for x in exceptions for c in candidates):
            out.append(p)
    return out


def _parse_code(query: str) -> tuple[list[str], int] | None:
    """'15' -> (both tables, 15); 'runtime:15' / 'compiler 9' -> ([table], code)."""
    q = query.strip().lower()
    m = regex.fullmatch(r"(?:(runtime|compiler)\s*[: ]\s*)?(-?\d{1,9})", q)
    if not m:
        return None
    tables = [m.group(1)] if m.group(1) else list(codes.TABLES)
    return tables, int(m.group(2))


def _code_names() -> list[str]:
    words: list[str] = []
    for entries in codes.TABLES.values():
        for e in entries.values():
            words.append(e.name)
            if e.exception:
                words.append(e.exception)
    return list(dict.fromkeys(words))


def _closest(query: str, vocab: list[str], n: int) -> list[str]:
    lowered = {w.lower(): w for w in vocab}
    close = difflib.get_close_matches(query, list(lowered), n=n, cutoff=0.5)
    close += [w for w in lowered if len(query) >= 3 and query in w and w not in close]
    return [lowered[w] for w in close]


def completions(kb: KnowledgeBase, prefix: str) -> list[str]:
    """What `explain` accepts that starts with `prefix`: cause ids, then code and exception names (shell completion)."""
    words = [p.id for p in kb.patterns] + _code_names() + list(NAME_ALIASES)
    low = prefix.lower()
    return [w for w in dict.fromkeys(words) if w.lower().startswith(low)]


def suggest(kb: KnowledgeBase, query: str, n: int = 5) -> list[str]:
    """Closest cause ids first, then code and exception names."""
    q = query.strip().lower()
    ids = _closest(q.replace(" ", "-").replace("_", "-"), [p.id for p in kb.patterns], n)
    names = _closest(q.replace(" ", "_").replace("-", "_"), _code_names(), n)
    return list(dict.fromkeys(ids + names))[:n]


def lookup(kb: KnowledgeBase, query: str) -> Explanation:
    """Resolve a query; raises UnknownQuery with suggestions when nothing matches."""
    q = query.strip()
    if not q:
        raise UnknownQuery(
            "nothing to explain: give a cause id, a native error code or a code name", [p.id for p in kb.patterns[:5]]
        )
    pattern = kb.get(q.lower())
    if pattern is not None:
        return Explanation(query=q, patterns=[pattern])
    parsed = _parse_code(q)
    if parsed is not None:
        tables, number = parsed
        found = [resolve_code(kb, t, number) for t in tables if number in codes.TABLES[t]]
        if not found:
            known = ", ".join(f"{t}: {min(codes.TABLES[t])}-{max(codes.TABLES[t])}" for t in tables)
            if len(tables) > 1:
                raise UnknownQuery(f"native error code {number} is not in either table ({known})", [])
            raise UnknownQuery(f"native error code {number} is not in the {tables[0]} table ({known})", [])
        note = ""
        if len(found) > 1:
            note = (
                f"Native error code {number} exists in both tables and means different things; the "
                "exception's module (furiosa.runtime... or furiosa.tools.compiler...) or the lines "
                "around it tell which one printed it."
            )
        return Explanation(query=q, codes=found, note=note)
    by_name = codes.lookup_name(q)
    if not by_name:
        key = q.upper().replace("-", "_").replace(" ", "_")
        by_name = codes.lookup_name(NAME_ALIASES.get(key, key))
    by_class = [
        (t, e)
        for t, entries in codes.TABLES.items()
        for e in entries.values()
        if e.exception and e.exception.lower() == q.rsplit(".", 1)[-1].lower()
    ]
    hits = list(dict.fromkeys(by_name + by_class))
    if hits:
        return Explanation(query=q, codes=[resolve_code(kb, t, e.code) for t, e in hits])
    by_exception = patterns_for_exception(kb, q)
    if by_exception:
        return Explanation(query=q, patterns=by_exception)
    raise UnknownQuery(f"'{q}' is not a cause id, a native error code or a code name", suggest(kb, q))
