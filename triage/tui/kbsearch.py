"""Which knowledge-base patterns the browser lists for a query. No Textual imports.

The ranking is `warboy-triage search`'s (triage.kb.search, English and Korean aware), so the
browser and the command agree; an empty query lists every pattern by id.
"""

from __future__ import annotations

from triage.kb import KnowledgeBase, Pattern
from triage.kb.search import search as rank


def search(kb: KnowledgeBase, query: str) -> list[Pattern]:
    if not query.strip():
        return sorted(kb.patterns, key=lambda p: p.id)
    return [hit.pattern for hit in rank(kb, query, limit=len(kb.patterns))]
