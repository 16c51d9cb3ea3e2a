"""The RE2 twins of one pattern regex: what triage/engine.py compiles to decide it in linear time.

Deriving them parses the regex with Python's sre parser (triage/kb/linear.py), which for the whole
knowledge base costs about as much as the rest of a small log's analysis: the knowledge-base cache
(triage/kb/cache.py) stores them per regex, and engine.Searcher derives them only when first asked.
"""

from __future__ import annotations

from triage.kb.linear import conjunction, exact, relaxed

Conjunction = tuple[tuple[str, ...], tuple[str, ...], str | None]
Twins = tuple[str | None, str | None, Conjunction | None]
"""(exact twin, relaxed twin, lookahead conjunction), each None when it cannot be written."""


def twins(source: str) -> Twins:
    """The twins of one regex; the conjunction only when there is no exact twin."""
    e = exact(source)
    return e, relaxed(source), None if e else lookahead_conjunction(source)


def lookahead_conjunction(source: str) -> Conjunction | None:
    """linear.conjunction() as tuples (a Twins value is hashable: engine caches searchers by it)."""
    parts = conjunction(source)
    return (tuple(parts[0]), tuple(parts[1]), parts[2]) if parts else None
