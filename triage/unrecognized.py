"""The safety net: a failure that no pattern explains becomes an `unrecognized-error` finding.

Failure lines are Python exceptions (a traceback is one, at its exception line), Rust panics,
ERROR / FATAL / CRITICAL records, `error:` lines of tools and crashes (signals, core dumps);
triage/parsers/ finds them. Those that no finding explains are grouped by shape (numbers, hex
and paths masked, as for unclassified lines) into one finding: severity error, so the exit
status says the run failed; ranked after every known cause; with the closest knowledge-base
causes (the search of `warboy-triage search`) and the command that captures it as a pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from triage.kb import KnowledgeBase, Pattern, PatternError, default_patterns_dir
from triage.kb.loader import load_file
from triage.report import Evidence, ExceptionInfo, Finding
from triage.unclassified import shape

PATTERN_ID = "unrecognized-error"
MAX_GROUPS = 50  # shapes kept; further shapes are only counted
MAX_MEMBERS = 50  # lines kept per shape to decide which are explained; further ones are counted
RELATED = 3  # closest known causes listed
SEARCHED_GROUPS = 5  # shapes whose text is searched for them
_MASK_TOKEN = re.compile(r"<(?:ts|path|hex|npu|n)>")


@dataclass(slots=True)
class _Member:
    line: int
    text: str
    source: str
    hits: tuple[str, ...]


@dataclass
class _Group:
    kind: str
    members: list[_Member] = field(default_factory=list)
    more: Counter[tuple[str, ...]] = field(default_factory=Counter)
    """Lines beyond MAX_MEMBERS, by the ids of the patterns that matched them."""


@dataclass
class FailureLines:
    """Failure lines seen while streaming, grouped by shape; bounded however long the log is."""

    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)
    dropped: int = 0
    max_groups: int = MAX_GROUPS
    """(a --jobs worker keeps every shape: the parent caps them, see merge)"""

    def add(self, no: int, text: str, source: str, kind: str, hits: tuple[str, ...]) -> None:
        text = text.strip()
        key = (kind, shape(text.split(" ", 1)[-1] if text[:1].isdigit() else text))
        group = self.groups.get(key)
        if group is None:
            if len(self.groups) >= self.max_groups:
                self.dropped += 1
                return
            group = self.groups[key] = _Group(kind)
        if len(group.members) < MAX_MEMBERS:
            group.members.append(_Member(no, text, source, hits))
        else:
            group.more[hits] += 1

    def merge(self, later: FailureLines) -> None:
        """Take in the groups of the failure lines that come after these (a --jobs unit, kept
        uncapped), as if add() had been called for each of them in order."""
        for key, group in later.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                if len(self.groups) >= self.max_groups:
                    self.dropped += len(group.members) + sum(group.more.values())
                    continue
                mine = self.groups[key] = _Group(group.kind)
            room = MAX_MEMBERS - len(mine.members)
            mine.members.extend(group.members[:room])
            for m in group.members[room:]:
                mine.more[m.hits] += 1
            mine.more.update(group.more)
        self.dropped += later.dropped

    def unexplained(
        self, findings: list[Finding], also: frozenset[tuple[str, int]] = frozenset()
    ) -> list[tuple[_Group, _Member, int]]:
        """(group, its first unexplained line, how many of its lines are unexplained), in log order
        of that line within each source. A line is explained when it is evidence of a finding, when
        a pattern that matched it made (or was folded into) a finding, or when it is in `also`."""
        explained = {(e.source, e.line) for f in findings for e in f.evidence} | also
        fired = {f.id for f in findings} | {x for f in findings for x in f.explains}
        out = []
        for group in self.groups.values():
            left = [m for m in group.members if (m.source, m.line) not in explained and not fired.intersection(m.hits)]
            more = sum(n for hits, n in group.more.items() if not fired.intersection(hits))
            if left:
                out.append((group, left[0], len(left) + more))
        return out


def safety_pattern(kb: KnowledgeBase) -> Pattern:
    """The knowledge base's unrecognized-error entry; the bundled one when a --patterns
    directory leaves it out (the safety net does not depend on a pattern directory)."""
    found = kb.get(PATTERN_ID)
    if found is not None:
        return found
    path = default_patterns_dir() / f"{PATTERN_ID}.toml"
    try:
        return load_file(path)
    except PatternError as exc:  # a broken installation: say which file
        raise PatternError(f"the safety net needs {path}: {exc}") from None


def closest_causes(kb: KnowledgeBase, texts: list[str], limit: int = RELATED) -> list[str]:
    """Ids of the causes that `warboy-triage search` ranks highest for these lines (masked of
    numbers, hex and paths), best score over the lines; pipeline-fired entries left out."""
    from triage.kb.search import search

    best: dict[str, float] = {}
    for text in texts:
        query = _MASK_TOKEN.sub(" ", shape(text))
        for hit in search(kb, query, limit=limit + 2):
            if hit.pattern.fired_by == "pipeline":
                continue
            best[hit.pattern.id] = max(best.get(hit.pattern.id, 0.0), hit.score)
    return [pid for pid, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


def _fill(steps: list[str], first: Evidence) -> list[str]:
    """Put the first evidence line into the steps' `<log>:<line>` and `<log>` (kept as they are for
    standard input: the log has to be saved to a file first)."""
    import shlex

    if not first.source or first.source.startswith("<"):
        return [s.replace("<line>", str(first.line)) for s in steps]
    at = shlex.quote(f"{first.source}:{first.line}")
    return [s.replace("<log>:<line>", at).replace("<log>", shlex.quote(first.source)) for s in steps]


def unrecognized_finding(
    failures: FailureLines,
    findings: list[Finding],
    kb: KnowledgeBase,
    order: dict[str, int],
    max_evidence: int,
    also_explained: frozenset[tuple[str, int]] = frozenset(),
) -> Finding | None:
    """The unrecognized-error finding for the failure lines no finding explains, or None.
    also_explained: (source, line) of failures explained otherwise (see chained_consequences)."""
    left = failures.unexplained(findings, also_explained)
    if not left:
        return None
    p = safety_pattern(kb)
    left.sort(key=lambda g: (order.get(g[1].source, 0), g[1].line))
    evidence = [
        Evidence(
            line=m.line,
            text=m.text,
            source=m.source,
            kind="exception" if group.kind == "exception" else "message",
            count=n,
        )
        for group, m, n in left
    ]
    first = evidence[0]
    return Finding(
        id=p.id,
        title=p.title,
        severity=p.severity,
        rank=0,
        component=p.component,
        kind=p.kind,
        why=p.why,
        why_ko=p.why_ko,
        evidence=evidence[:max_evidence],
        evidence_count=sum(e.count for e in evidence) + failures.dropped,
        remediation=_fill(list(p.remediation), first),
        checklist=list(p.checklist),
        checklist_ko=list(p.checklist_ko),
        references=list(p.references),
        title_ko=p.title_ko,
        remediation_ko=_fill(list(p.remediation_ko), first),
        related=closest_causes(kb, [e.text for e in evidence[:SEARCHED_GROUPS]]),
    )


def chained_consequences(
    exceptions: list[ExceptionInfo], explained: set[tuple[str, int]]
) -> frozenset[tuple[str, int]]:
    """Exceptions raised while handling (or from) an explained one, directly or down a chain: a
    RecursionError in cleanup after a known failure is its consequence, not a second unknown one."""
    out: set[tuple[str, int]] = set()
    for x in exceptions:  # in log order, so a chain's earlier links are decided first
        if x.chained_from is not None and (
            (x.source, x.chained_from) in explained or (x.source, x.chained_from) in out
        ):
            out.add((x.source, x.line))
    return frozenset(out)


def place(findings: list[Finding], net: Finding) -> list[Finding]:
    """Rank the safety net after every known cause, before guidance and noise (info, noise)."""
    at = next((i for i, f in enumerate(findings) if f.severity == "info" or f.kind == "noise"), len(findings))
    out = [*findings[:at], net, *findings[at:]]
    for i, f in enumerate(out, 1):
        f.rank = i
    return out


__all__ = ["PATTERN_ID", "FailureLines", "chained_consequences", "closest_causes", "place", "unrecognized_finding"]
