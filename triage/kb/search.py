"""`search`: rank causes for a symptom described in English or Korean.

Korean words carry particles and endings without spaces ("정확도가", "느려요"), so a Korean
query word is compared with each field as a substring and by character bigrams: it scores by
the share of its bigrams found in the field. English words match whole words, then word
prefixes ("slow" finds "slower"), then close spellings ("devcie").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from triage.kb.loader import KnowledgeBase
from triage.kb.schema import Pattern

# Field weights: names and keywords say what a cause is; prose and examples only support it.
WEIGHTS = {
    "id": 3.0,
    "title": 3.0,
    "title_ko": 3.0,
    "keywords": 4.0,
    "why": 1.0,
    "remediation": 1.0,
    "remediation_ko": 1.0,
    "examples": 1.5,
}
MIN_PARTIAL = 0.6  # a word whose bigram overlap is below this does not count for a field
_STOP = (
    "a an and are at be but by for from how i in is it my no not of on or so the this to too very was "
    "what when why with 것 좀 너무 왜 안 같아요 같음 있어요 합니다 해요 돼요 됩니다"
)
STOP_WORDS = frozenset(_STOP.split())
FUZZY_CUTOFF = 0.85
MIN_SCORE = 1.0  # below this a cause matched only by a word in passing
RELATIVE_CUTOFF = 0.2  # results far behind the best one are noise
_SPLIT = re.compile(r"[\s,;:!?()\[\]{}\"'`/|]+")


@dataclass
class Hit:
    pattern: Pattern
    score: float
    matched: dict[str, list[str]] = field(default_factory=dict)
    """Query word -> the fields it was found in (for showing why a cause was ranked)."""


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def words(query: str) -> list[str]:
    out = []
    for w in _SPLIT.split(_norm(query)):
        w = w.strip(".")
        if w and w not in STOP_WORDS:
            out.append(w)
    return list(dict.fromkeys(out))


def _bigrams(text: str) -> set[str]:
    compact = text.replace(" ", "")
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


@dataclass
class _Doc:
    pattern: Pattern
    fields: dict[str, str]
    grams: dict[str, set[str]]
    tokens: dict[str, list[str]]


FUZZY_MAX_WORDS = 6
_DOCS: dict[int, tuple[KnowledgeBase, list[_Doc]]] = {}


def _docs(kb: KnowledgeBase) -> list[_Doc]:
    """The search documents of a knowledge base, built once per KB object (the safety net searches on
    every unexplained failure, `patterns test` on hundreds of examples)."""
    cached = _DOCS.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    docs = [_doc(p) for p in kb.patterns]
    if len(_DOCS) >= 8:
        _DOCS.clear()
    _DOCS[id(kb)] = (kb, docs)
    return docs


def _doc(p: Pattern) -> _Doc:
    fields = {
        "id": _norm(p.id),
        "title": _norm(p.title),
        "title_ko": _norm(p.title_ko),
        "keywords": " | ".join(_norm(k) for k in p.keywords),
        "why": _norm(p.why),
        "remediation": _norm(" ".join(p.remediation)),
        "remediation_ko": _norm(" ".join(p.remediation_ko)),
        "examples": _norm(" ".join(p.examples)),
    }
    return _Doc(
        p,
        fields,
        {k: _bigrams(v) for k, v in fields.items()},
        {k: sorted(set(re.findall(r"[a-z0-9]{4,}", v))) for k, v in fields.items()},
    )


def _ascii_score(word: str, text: str, tokens: list[str], fuzzy: bool = True) -> float:
    if re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", text):
        return 1.0
    if len(word) >= 3 and re.search(r"(?<![a-z0-9])" + re.escape(word), text):
        return 0.8
    if fuzzy and len(word) >= 5 and difflib.get_close_matches(word, tokens, n=1, cutoff=FUZZY_CUTOFF):
        return 0.6
    return 0.0


def _word_score(word: str, text: str, grams: set[str], tokens: list[str], fuzzy: bool = True) -> float:
    if word.isascii():
        return _ascii_score(word, text, tokens, fuzzy)
    if len(word) < 2:
        return 1.0 if re.search(r"(?<!\S)" + re.escape(word) + r"(?!\S)", text) else 0.0
    if word in text:
        return 1.0
    # Korean particles and endings sit at the end of a word ("버전이", "달라요"): try the stem too
    for cut in (1, 2):
        if len(word) - cut >= 2 and word[:-cut] in text:
            return 0.9 - 0.1 * cut
    wg = _bigrams(word)
    share = len(wg & grams) / len(wg)
    return share * 0.8 if share >= MIN_PARTIAL else 0.0


def search(kb: KnowledgeBase, query: str, limit: int = 5) -> list[Hit]:
    """Causes ranked by how well they match the query words; best first, ties by id."""
    qwords = words(query)
    if not qwords:
        return []
    phrase = " ".join(qwords)
    # typo tolerance is for what people type; a whole log line (the safety net's query) has enough words
    fuzzy = len(qwords) <= FUZZY_MAX_WORDS
    hits: list[Hit] = []
    for doc in _docs(kb):
        total = 0.0
        found = 0
        matched: dict[str, list[str]] = {}
        for w in qwords:
            per_field = {
                f: WEIGHTS[f] * _word_score(w, doc.fields[f], doc.grams[f], doc.tokens[f], fuzzy) for f in WEIGHTS
            }
            best = max(per_field.values())
            if best <= 0:
                continue
            found += 1
            # the best field counts fully, the others a little: a word everywhere beats a word once
            total += best + 0.1 * (sum(per_field.values()) - best)
            matched[w] = [f for f, s in per_field.items() if s > 0]
        if not found:
            continue
        if len(qwords) > 1 and any(
            phrase in doc.fields.get(f, "") for f in ("title", "title_ko", "keywords", "examples", "id")
        ):
            total += 3.0
        coverage = found / len(qwords)
        hits.append(Hit(doc.pattern, round(total * coverage, 3), matched))
    hits.sort(key=lambda h: (-h.score, h.pattern.id))
    if hits:
        floor = max(MIN_SCORE, RELATIVE_CUTOFF * hits[0].score)
        hits = [h for h in hits if h.score >= floor]
    return hits[:limit]


def to_dict(query: str, hits: list[Hit]) -> dict:
    return {
        "query": query,
        "results": [
            {
                "rank": i,
                "id": h.pattern.id,
                "title": h.pattern.title,
                "title_ko": h.pattern.title_ko,
                "severity": h.pattern.severity,
                "kind": h.pattern.kind,
                "score": h.score,
                "matched": h.matched,
            }
            for i, h in enumerate(hits, 1)
        ],
    }


def render_text(query: str, hits: list[Hit], lang: str = "en") -> str:
    from triage.messages import say

    out = [say("search_head", lang, query=query)]
    for i, h in enumerate(hits, 1):
        p = h.pattern
        title = p.title_ko if lang == "ko" and p.title_ko else p.title
        out.append(f"{i:>2}. {p.id} [{p.severity}] {title}")
        where = "; ".join(say("search_where", lang, word=w, fields=", ".join(fs)) for w, fs in h.matched.items())
        out.append(say("search_score", lang, score=f"{h.score:g}", where=where))
    out.append("")
    out.append(say("search_footer", lang))
    return "\n".join(out) + "\n"


def render_markdown(query: str, hits: list[Hit], lang: str = "en") -> str:
    from triage.messages import say

    out = [say("search_md_head", lang, query=query), "", say("search_md_columns", lang), "|---|---|---|---|---|"]
    for i, h in enumerate(hits, 1):
        p = h.pattern
        title = (p.title_ko if lang == "ko" and p.title_ko else p.title).replace("|", "\\|")
        out.append(f"| {i} | `{p.id}` | {p.severity} | {title} | {h.score:g} |")
    return "\n".join(out) + "\n"
