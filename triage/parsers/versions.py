"""Component versions from the banners Furiosa software prints.

The banner styles are data: triage/data/banners.toml (one rule per style, with the real line it
was taken from). This module loads them, feeds every line through them, and compares what it found:
`skew` across SDK components of different release lines, `conflicts` when one component is
reported with different versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from triage.parsers.literal_gate import LiteralGate
from triage.reader import Line
from triage.report import VersionConflict, VersionInfo, VersionSkew
from triage.tomlread import load_path
from triage.versions import release

BANNERS_PATH = Path(__file__).resolve().parent.parent / "data" / "banners.toml"


@dataclass(frozen=True)
class BannerRule:
    id: str
    pattern: str  # the rule's regex with {V} filled in; compiled on first use (see `regex`)
    component: str | None  # None: taken from the named group `component`, through the aliases
    kind: str  # "banner" or "soname"
    source: str
    examples: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (line, ((component, version), ...))
    near_misses: tuple[str, ...]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled when a line first needs it: Python's compiler takes ~1 ms a rule, and a small log
        meets two or three of the 23 rules (cached_property writes past the frozen dataclass)."""
        return _compile_rule(self.id, self.pattern, self.component)


class BannerError(ValueError):
    """banners.toml is malformed (a bug in the data file, reported with the rule id)."""


@dataclass(frozen=True)
class Banners:
    rules: tuple[BannerRule, ...]
    aliases: dict[str, str]

    def extract(self, text: str, rules: tuple[BannerRule, ...] | None = None) -> list[tuple[str, str, BannerRule]]:
        """(component, normalized version, rule) for every banner in one line, first sighting per component.
        rules: only these (in order), when the caller knows the others cannot match."""
        out: list[tuple[str, str, BannerRule]] = []
        seen: set[tuple[str, str]] = set()
        for rule in self.rules if rules is None else rules:
            for m in rule.regex.finditer(text):
                raw = rule.component or m.group("component")
                name = self.aliases.get(raw, raw)
                version = normalize(m.group("version"))
                if (name, version) not in seen:
                    seen.add((name, version))
                    out.append((name, version, rule))
        return out


def _compile_rule(rid: str, pattern: str, component: str | None) -> re.Pattern[str]:
    try:
        rx = re.compile(pattern)
    except re.error as e:
        raise BannerError(f"banner rule {rid}: bad or missing regex: {e}") from e
    if "version" not in rx.groupindex or (component is None and "component" not in rx.groupindex):
        raise BannerError(f"banner rule {rid}: needs a `version` group and a component (key or named group)")
    return rx


def load_banners(path: Path = BANNERS_PATH, *, compile_now: bool = True) -> Banners:
    """Parse banners.toml and (compile_now) compile every rule; raises BannerError naming the rule at fault.
    The analysis loads the bundled file with compile_now=False: `patterns test` and the tests compile it."""
    data = load_path(path)
    shared = data.get("version")
    if not isinstance(shared, str) or "(?P<version>" not in shared:
        raise BannerError(f"{path.name}: top-level `version` must be a regex with a named group `version`")
    aliases = {str(k): str(v) for k, v in data.get("aliases", {}).items()}
    rules: list[BannerRule] = []
    for raw in data.get("rule", []):
        rid = raw.get("id", "?")
        if not isinstance(raw.get("regex"), str):
            raise BannerError(f"banner rule {rid}: bad or missing regex: `regex` must be a string")
        pattern = raw["regex"].replace("{V}", shared)
        component = raw.get("component")
        if compile_now:
            _compile_rule(rid, pattern, component)
        kind = raw.get("kind", "banner")
        if kind not in ("banner", "soname"):
            raise BannerError(f"banner rule {rid}: kind must be banner or soname, not {kind!r}")
        examples = []
        for ex in raw.get("examples", []):
            ex = dict(ex)
            line = ex.pop("line")
            examples.append((line, tuple((str(k), str(v)) for k, v in ex.items())))
        if not examples or not raw.get("source"):
            raise BannerError(f"banner rule {rid}: every rule needs a source and at least one example")
        rules.append(
            BannerRule(
                id=rid,
                pattern=pattern,
                component=component,
                kind=kind,
                source=raw["source"],
                examples=tuple(examples),
                near_misses=tuple(raw.get("near_misses", [])),
            )
        )
    if len({r.id for r in rules}) != len(rules):
        raise BannerError("banner rule ids must be unique")
    return Banners(rules=tuple(rules), aliases=aliases)


@lru_cache(maxsize=1)
def banners() -> Banners:
    """The bundled table, parsed once and then read from the user's cache until banners.toml changes."""
    from triage.datacache import derived

    return derived("banners", [BANNERS_PATH], _load_bundled, Banners, code=[Path(__file__)])


def _load_bundled() -> Banners:
    return load_banners(compile_now=False)


@lru_cache(maxsize=1)
def rule_literals() -> tuple[frozenset[str] | None, ...]:
    """required_literals() of every rule's regex, in rule order. Deriving them parses each regex with
    Python's sre parser (about as long as the rest of a small log's analysis), so they are kept in the
    user's cache (triage/kb/cache.py) until banners.toml changes."""
    from triage.kb.cache import derived

    return derived("banner-literals", [BANNERS_PATH], _derive_rule_literals, tuple)


def _derive_rule_literals() -> tuple[frozenset[str] | None, ...]:
    from triage.kb.literals import required_literals

    return tuple(required_literals(rule.pattern) for rule in banners().rules)


@lru_cache(maxsize=1)
def _candidate_table() -> tuple[tuple[BannerRule, frozenset[str]], ...] | None:
    """(rule, its required literals lower-cased) of every rule; None when one has none."""
    found = rule_literals()
    if any(lits is None for lits in found):
        return None
    pairs = zip(banners().rules, found, strict=True)
    return tuple((rule, frozenset(lit.lower() for lit in lits or ())) for rule, lits in pairs)


@lru_cache(maxsize=1)
def _prefilter() -> LiteralGate | None:
    """Every rule's required literals, in any case: a line without any cannot hold a banner."""
    lits: set[str] = set()
    for found in rule_literals():
        if found is None:
            return None
        lits |= found
    return LiteralGate(lits)  # as an IGNORECASE alternation would, ~20x faster


# Components versioned with the SDK release (0.8.x, 0.10.x ...); HAL, firmware and driver
# follow their own numbering, so they are not compared here.
SDK_COMPONENTS = (
    "furiosa-sdk",
    "furiosa-runtime",
    "furiosa-compiler",
    "furiosa-libnux",
    "furiosart",
    "furiosa-quantizer",
    "furiosa-litmus",
    "furiosa-cli",
)
# Before 0.5 the Python packages and the native libraries were numbered apart (docs 0.2: runtime
# 0.1.1 with libnux 0.3.0-dev; bugs.rst of 0.5: runtime, libnux and compiler all 0.5.0), so only
# versions from 0.5 on are compared for skew.
ALIGNED_FROM = (0, 5)


def interest_literals() -> tuple[str, ...] | None:
    """Literals one of which every line a rule matches contains (any case); None if one has none."""
    found: list[str] = []
    for lits in rule_literals():
        if lits is None:
            return None
        found.extend(sorted(lits))
    return tuple(found)


def normalize(version: str) -> str:
    return version.removeprefix("v").removesuffix("-release")


MAX_VERSION_LINES = 1000  # beyond this, a version line is kept only when its release line is new
MAX_EXTRA_RELEASES = 1000


class VersionParser:
    def __init__(self, out: list[tuple[str, VersionInfo]]) -> None:
        self.out = out
        self.dropped = 0
        self._banners = banners()
        self._prefilter = _prefilter()  # built on first use, not at import (start-up time)
        self._releases: set[tuple[str, tuple[int, ...]]] = set()  # only filled once the cap is reached

    def feed(self, line: Line, source: str) -> None:
        text = line.text
        if self._prefilter is not None and not self._prefilter(text):
            return
        for name, version, _rule in self._banners.extract(text, self._candidates(text)):
            self.add(name, VersionInfo(version=version, line=line.no, text=text.strip(), source=source))

    def add(self, name: str, info: VersionInfo) -> None:
        """Keep one sighting of a component's version (what feed() found, or a --jobs worker)."""
        if len(self.out) >= MAX_VERSION_LINES and not self._new_release(name, info.version):
            self.dropped += 1  # memory stays flat on logs that repeat their banners forever
            return
        self.out.append((name, info))

    def _candidates(self, text: str) -> tuple[BannerRule, ...] | None:
        """The rules whose required literals an ASCII line holds (a banner line passes one or two of
        the 23); None (every rule) for other lines and when some rule has no literals."""
        table = _candidate_table()
        if table is None or not text.isascii():
            return None
        low = text.lower()
        return tuple(rule for rule, lits in table if any(lit in low for lit in lits))

    def _new_release(self, name: str, version: str) -> bool:
        if not self._releases:
            self._releases = {(n, release(v.version)[:2]) for n, v in self.out}
        key = (name, release(version)[:2])
        if key in self._releases or len(self._releases) >= MAX_VERSION_LINES + MAX_EXTRA_RELEASES:
            return False
        self._releases.add(key)
        return True


def first_versions(found: list[tuple[str, VersionInfo]]) -> dict[str, VersionInfo]:
    """The first version seen per component, in component order of appearance."""
    out: dict[str, VersionInfo] = {}
    for name, info in found:
        out.setdefault(name, info)
    return out


def skew(found: list[tuple[str, VersionInfo]]) -> list[VersionSkew]:
    """SDK components whose major.minor release lines differ (0.8.x compiler vs 0.10.x runtime)."""
    lines: dict[tuple[int, ...], dict[str, str]] = {}
    for name, info in found:
        if name not in SDK_COMPONENTS:
            continue
        rel = release(info.version)[:2]
        if len(rel) == 2 and rel >= ALIGNED_FROM:
            lines.setdefault(rel, {})[name] = info.version
    if len(lines) < 2:
        return []
    comps: dict[str, str] = {}
    for group in lines.values():
        comps.update(group)
    detail = " vs ".join(f"{'.'.join(map(str, rel))}.x ({', '.join(sorted(g))})" for rel, g in sorted(lines.items()))
    return [VersionSkew(components=comps, detail=f"SDK components from different releases: {detail}")]


def conflicts(found: list[tuple[str, VersionInfo]]) -> list[VersionConflict]:
    """Components reported with different release numbers (two banners of one compiler that disagree),
    each version kept with the first line that showed it. Pre-release tags do not count: 0.10.0-dev and
    0.10.0 agree."""
    seen: dict[str, dict[tuple[int, ...], VersionInfo]] = {}
    for name, info in found:
        seen.setdefault(name, {}).setdefault(release(info.version), info)
    out = []
    for name, by_release in seen.items():
        if len(by_release) < 2:
            continue
        infos = list(by_release.values())
        shown = ", ".join(f"{v.version} (line {v.line})" for v in infos)
        out.append(VersionConflict(component=name, versions=infos, detail=f"{name} is reported as {shown}"))
    return out
