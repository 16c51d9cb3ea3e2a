"""Find knowledge-base patterns by words, in English or Korean. No Textual imports.

A local substring match: every word of the query must occur (ignoring case) in the pattern's id,
title, title_ko, keywords or why. (`warboy-triage search`, triage/kb/search.py, was not on main
when this was written; switch the TUI to it once it lands so both rank the same way.)
"""

from __future__ import annotations

from triage.kb import KnowledgeBase, Pattern


def haystack(pattern: Pattern) -> str:
    return "\n".join([pattern.id, pattern.title, pattern.title_ko, *pattern.keywords, pattern.why]).casefold()


def search(kb: KnowledgeBase, query: str) -> list[Pattern]:
    """Patterns matching every word of `query`; hits in id/title/keywords first, then the rest."""
    words = query.casefold().split()
    if not words:
        return sorted(kb.patterns, key=lambda p: p.id)
    hits = [p for p in kb.patterns if all(w in haystack(p) for w in words)]

    def strength(p: Pattern) -> tuple[int, str]:
        head = "\n".join([p.id, p.title, p.title_ko, *p.keywords]).casefold()
        return (-sum(w in head for w in words), p.id)

    return sorted(hits, key=strength)
