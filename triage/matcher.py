"""Stage 3: match evidence against the knowledge base and rank the findings.

Line rules (a regex on the line text) run while streaming; rules on parsed events (native
error codes, exceptions, version skew) run once at the end. Findings are then folded
(a root cause absorbs the symptoms it explains; the generic native-error fallback keeps
only codes nothing specific claimed) and ranked.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from triage.engine import LineRules, Searcher, line_rules, searcher
from triage.kb import KnowledgeBase, MatchRule, Pattern
from triage.report import SEVERITY_ORDER, ErrorCode, Evidence, Finding, Severity, VersionInfo, VersionSkew
from triage.versions import in_range

if TYPE_CHECKING:
    from triage.parsers import Events

MAX_HITS_KEPT = 200  # per pattern; beyond this only the count grows
KIND_TIER = {"root-cause": 0, "symptom": 1, "generic": 2, "noise": 3}


@dataclass
class _Draft:
    pattern: Pattern
    evidence: list[Evidence] = field(default_factory=list)
    count: int = 0
    severities: set[str] = field(default_factory=set)
    fired: bool = False
    vetoed: bool = False
    all_ambiguous: bool = True
    explains: list[str] = field(default_factory=list)
    code_events: list[ErrorCode] = field(default_factory=list)

    def copy(self) -> _Draft:
        return dataclasses.replace(
            self,
            evidence=list(self.evidence),
            severities=set(self.severities),
            explains=list(self.explains),
            code_events=list(self.code_events),
        )

    def add(self, ev: Evidence, rule: MatchRule | None, supporting: bool) -> None:
        ev.supporting = supporting
        self.count += 1
        if len(self.evidence) < MAX_HITS_KEPT:
            self.evidence.append(ev)
        if not supporting:
            self.fired = True
            self.severities.add((rule.severity if rule else None) or self.pattern.severity)
            if not ev.ambiguous:
                self.all_ambiguous = False


class Matcher:
    """Line rules run while streaming, in one pass per line (triage/engine.py): an RE2 set of
    every rule's relaxed twin names the few rules that may match, and only those are decided,
    in linear time for ASCII lines. No time limit anywhere: the same input, the same report."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.drafts: dict[str, _Draft] = {p.id: _Draft(p) for p in kb.patterns}
        self.line_rules: list[tuple[_Draft, MatchRule, bool]] = [
            (self.drafts[p.id], rule, supporting)
            for p in kb.patterns
            for rules, supporting in ((p.match, False), (p.supporting, True))
            for rule in rules
            if rule.is_line_rule
        ]
        self.veto_rules: list[tuple[_Draft, MatchRule]] = [
            (self.drafts[p.id], rule) for p in kb.patterns for rule in p.unless
        ]
        self.notes: list[str] = []
        self._line_rules: LineRules | None = None  # built on the first line (a KB-only caller never pays)
        self._searchers: list[Searcher] = []

    def _build(self) -> LineRules:
        rules = [rule for _, rule, _ in self.line_rules] + [rule for _, rule in self.veto_rules]
        # twins from the knowledge-base cache; without it the searchers derive theirs when first used
        sources = tuple(cast(str, rule.message) for rule in rules)
        derived = [self.kb.twins.get(src) for src in sources]
        self._searchers = [searcher(src, None, d) for src, d in zip(sources, derived, strict=True)]
        relaxed_twins = None if None in derived else tuple(d[1] for d in derived if d is not None)
        self._line_rules = line_rules(sources, relaxed_twins)
        return self._line_rules

    def interest_literals(self) -> set[str] | None:
        """Literals one of which is in every line a line rule can match, save lines at WARN or
        ERROR level (the scan sends those anyway); None when some rule has no prefilter."""
        found: set[str] = set()
        rules = [rule for _, rule, _ in self.line_rules] + [rule for _, rule in self.veto_rules]
        for rule in rules:
            lits = rule.literals()
            if lits is None:
                if rule.level and set(rule.level) <= {"WARN", "ERROR"}:
                    continue
                return None
            found |= lits
        return found

    def line_regexes(self) -> list[tuple[str, frozenset[str] | None, list[str] | None]]:
        """(regex, prefilter literals, levels) of every line and veto rule, for the fast scan."""
        rules = [rule for _, rule, _ in self.line_rules] + [rule for _, rule in self.veto_rules]
        return [(rule.message, rule.literals(), rule.level) for rule in rules]  # type: ignore[misc]

    # -- streaming -------------------------------------------------------------------------
    def feed(self, no: int, text: str, source: str, level: str | None) -> tuple[str, ...]:
        """Run the line rules on one line; the ids of the patterns whose rules matched it."""
        line_rules = self._line_rules or self._build()
        data = text.encode("utf-8", "surrogatepass")
        matched: list[str] = []
        n_line = len(self.line_rules)
        for i in line_rules.candidates(data):
            if i < n_line:
                draft, rule, supporting = self.line_rules[i]
                if rule.level is not None and level not in rule.level:
                    continue
                if self._searchers[i].search(text, data):
                    draft.add(Evidence(line=no, text=text.strip(), source=source), rule, supporting)
                    matched.append(draft.pattern.id)
            else:
                draft, rule = self.veto_rules[i - n_line]
                if (
                    not draft.vetoed
                    and (rule.level is None or level in rule.level)
                    and self._searchers[i].search(text, data)
                ):
                    draft.vetoed = True
        return tuple(matched)

    # -- events ----------------------------------------------------------------------------
    def copy(self) -> Matcher:
        """A matcher whose finish() leaves this one untouched (finish adds event evidence to the drafts)."""
        clone = copy.copy(self)
        clone.drafts = {pid: d.copy() for pid, d in self.drafts.items()}
        clone.line_rules = [(clone.drafts[d.pattern.id], rule, sup) for d, rule, sup in self.line_rules]
        clone.veto_rules = [(clone.drafts[d.pattern.id], rule) for d, rule in self.veto_rules]
        clone.notes = list(self.notes)
        return clone

    def finish(self, events: Events) -> list[Finding]:
        """Run the event rules (codes, exceptions, version skew) on what the parsers found, then fold
        explained symptoms into their causes and rank. Spends the drafts (see copy())."""
        sdk, sources = events.sdk, events.sources
        for draft in self.drafts.values():
            p = draft.pattern
            for rules, supporting in ((p.match, False), (p.supporting, True)):
                for rule in rules:
                    if not rule.is_line_rule:
                        self._event_rule(
                            draft, rule, supporting, events.error_codes, events.exceptions, events.versions, events.skew
                        )
        live = [
            d
            for d in self.drafts.values()
            if d.fired and not d.vetoed and not (sdk and d.pattern.sdk and not in_range(sdk, d.pattern.sdk))
        ]
        live = _fold_explained(live)
        order = {name: i for i, name in enumerate(sources)}
        findings = _expand_generic(live, order)
        return rank(findings, order)

    def _event_rule(
        self,
        draft: _Draft,
        rule: MatchRule,
        supporting: bool,
        codes: list[ErrorCode],
        exceptions: list,
        versions: list[tuple[str, VersionInfo]],
        skew: list[VersionSkew],
    ) -> None:
        # the rule's searchers taken once, not per event (--jobs' parent spends its time here)
        message = None if rule.message is None else searcher(rule.message)
        if rule.code:
            for c in codes:
                if _code_matches(rule.code, c) and (message is None or message.search(c.text)):
                    draft.add(
                        Evidence(line=c.line, text=c.text, source=c.source, kind="error_code", ambiguous=c.ambiguous),
                        rule,
                        supporting,
                    )
                    if draft.pattern.group_by_code and len(draft.code_events) < MAX_HITS_KEPT:
                        draft.code_events.append(c)
        elif rule.exception or rule.exception_message:
            exc_type, exc_message = (
                None if src is None else searcher(src) for src in (rule.exception, rule.exception_message)
            )
            for x in exceptions:
                if exc_type is not None and not exc_type.search(x.type):
                    continue
                if exc_message is not None and not exc_message.search(x.message):
                    continue
                if message is not None and not message.search(x.text):
                    continue
                draft.add(Evidence(line=x.line, text=x.text, source=x.source, kind="exception"), rule, supporting)
        elif rule.version_skew:
            for s in skew:
                lines = [v for name, v in versions if name in s.components]
                first = min(lines, key=lambda v: v.line) if lines else None
                draft.add(
                    Evidence(
                        line=first.line if first else 0,
                        text=s.detail,
                        source=first.source if first else "",
                        kind="version_skew",
                    ),
                    rule,
                    supporting,
                )
        if rule.versions and draft.fired:
            for _name, v in versions:
                draft.add(Evidence(line=v.line, text=v.text, source=v.source, kind="version"), None, True)


def _code_matches(refs: list[str], c: ErrorCode) -> bool:
    for ref in refs:
        table, _, code = ref.partition(":")
        if table not in ("*", c.table):
            continue
        if code == "*" or code == c.name or (code.isdigit() and int(code) == c.code):
            return True
    return False


def _fold_explained(drafts: list[_Draft]) -> list[_Draft]:
    """A fired cause absorbs the fired symptoms it explains (evidence and all)."""
    by_id = {d.pattern.id: d for d in drafts}
    changed = True
    while changed:
        changed = False
        for d in list(by_id.values()):
            for other in d.pattern.explains:
                q = by_id.get(other)
                if q is None or q is d or d.pattern.id not in by_id:
                    continue
                d.evidence.extend(q.evidence)
                d.count += q.count
                # the folded finding is as severe as the worst thing it explains
                d.severities |= q.severities
                d.all_ambiguous = d.all_ambiguous and q.all_ambiguous
                d.explains.extend([other, *q.explains])
                del by_id[other]
                changed = True
    return [d for d in drafts if d.pattern.id in by_id]


def _evidence_key(order: dict[str, int]):  # type: ignore[no-untyped-def]
    # what fired the finding first, then supporting lines, then version context; each in log order
    return lambda e: (e.supporting, e.kind == "version", order.get(e.source, 0), e.line)


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    seen: set[tuple] = set()
    out = []
    for e in evidence:
        key = (e.source, e.line, e.text)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _expand_generic(drafts: list[_Draft], order: dict[str, int]) -> list[Finding]:
    """Turn drafts into findings; a group_by_code pattern yields one per unclaimed code."""
    claimed = {(e.source, e.line) for d in drafts if not d.pattern.group_by_code for e in d.evidence}
    findings: list[Finding] = []
    for d in drafts:
        if not d.pattern.group_by_code:
            findings.append(_finding(d, d.evidence, d.count, {}))
            continue
        groups: dict[tuple[int, str], list[ErrorCode]] = {}
        for c in d.code_events:
            if (c.source, c.line) not in claimed:
                groups.setdefault((c.code, "*" if c.ambiguous else c.table), []).append(c)
        for (code, table), events in groups.items():
            ambiguous = table == "*"
            evs = [
                Evidence(line=c.line, text=c.text, source=c.source, kind="error_code", ambiguous=c.ambiguous)
                for c in events
            ]
            fields = _code_fields(code, ambiguous, events)
            findings.append(_finding(d, evs, len({(c.source, c.line) for c in events}), fields))
    for f in findings:
        f.evidence.sort(key=_evidence_key(order))
    return findings


def _code_fields(code: int, ambiguous: bool, events: list[ErrorCode]) -> dict[str, str]:
    if ambiguous:
        readings = " or ".join(f"{c.name} ({c.table})" for c in events if c.line == events[0].line)
        return {"code": str(code), "name": readings, "table": "runtime or compiler"}
    return {"code": str(code), "name": events[0].name, "table": events[0].table}


_PLACEHOLDER = re.compile(r"\{(code|name|table)\}")


def fill(template: str, fields: dict[str, str]) -> str:
    """Put {code}, {name}, {table} into a title. Not str.format: a pattern file is user data,
    and format specs ({code:>999999999}) or attribute lookups ({code.__class__}) must stay text."""
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group()), template)


def _finding(d: _Draft, evidence: list[Evidence], count: int, fields: dict[str, str]) -> Finding:
    p = d.pattern
    severity = cast(Severity, min(d.severities or {p.severity}, key=SEVERITY_ORDER.__getitem__))
    title = fill(p.title, fields) if fields else p.title
    evidence = _dedupe(sorted(evidence, key=lambda e: e.supporting))  # a line that fired wins
    main = [e for e in evidence if e.kind not in ("version",)]
    return Finding(
        id=p.id,
        title=title,
        severity=severity,
        rank=0,
        component=p.component,
        kind=p.kind,
        confidence="possible"
        if p.confidence == "possible" or (d.all_ambiguous and any(e.ambiguous for e in main))
        else "likely",
        why=p.why,
        why_ko=p.why_ko,
        evidence=evidence,
        evidence_count=len(evidence) if count <= MAX_HITS_KEPT else count,
        explains=list(dict.fromkeys(d.explains)),
        remediation=list(p.remediation),
        checklist=list(p.checklist),
        checklist_ko=list(p.checklist_ko),
        references=list(p.references),
        title_ko=fill(p.title_ko, fields) if fields and p.title_ko else p.title_ko,
        remediation_ko=list(p.remediation_ko),
    )


def rank_key(f: Finding, order: dict[str, int]) -> tuple:
    fired = [e for e in f.evidence if not e.supporting] or f.evidence
    first = min(((order.get(e.source, 0), e.line) for e in fired), default=(0, 0))
    minor = f.severity == "info" or f.kind == "noise"
    # a heuristic's guess never outranks what the software itself printed
    return (minor, f.confidence == "possible", KIND_TIER[f.kind], SEVERITY_ORDER[f.severity], first, f.id)


def rank(findings: list[Finding], order: dict[str, int]) -> list[Finding]:
    """Real problems before guidance and noise; likely before possible; root cause, then symptom, then generic;
    error before warning before info; then the earliest evidence."""
    findings.sort(key=lambda f: rank_key(f, order))
    for i, f in enumerate(findings, 1):
        f.rank = i
    return findings
