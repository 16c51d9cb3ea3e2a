"""Component versions from the formats Furiosa software prints (see furiosa-facts.md)."""

from __future__ import annotations

import re

from triage.reader import Line
from triage.report import VersionInfo, VersionSkew
from triage.versions import release

_V = r"v?(\d+\.\d+(?:\.\d+)?(?:[-.+]?(?:dev|rc|a|b|post)\d*)?)"

# (component or None for "taken from the match", regex); the version is the last group.
_RULES: list[tuple[str | None, re.Pattern[str]]] = [
    ("python", re.compile(r"^\s*-\s*Python version:\s*(\d+\.\d+(?:\.\d+)?)")),
    (None, re.compile(r"^\s*-\s*(furiosa-(?:libnux|compiler|runtime))\s+version:\s*" + _V)),
    ("furiosa-compiler", re.compile(r"\bUsing furiosa-compiler\s+" + _V)),
    ("libfuriosa_hal", re.compile(r"\blibfuriosa_hal\.so\s+---\s+" + _V)),
    ("furiosart", re.compile(r"\bFuriosaRT\s+\(" + _V)),
    ("furiosa-compiler", re.compile(r"\bFound furiosa-compiler\s+\(" + _V)),
    ("libfuriosa_hal", re.compile(r"\bFound libhal\s+\((?:type:\s*[\w-]+,\s*)?" + _V)),
    ("firmware", re.compile(r"\bfirmware:\s*" + _V)),
    # pip freeze / pip list / `furiosa --version` style
    (None, re.compile(r"^\s*(furiosa-(?:sdk|runtime|compiler|quantizer|libnux))(?:\s*==\s*|\s+)" + _V + r"\s*$")),
    # dpkg -l / apt list lines for the native packages
    ("furiosa-libnux", re.compile(r"^(?:ii\s+)?furiosa-libnux(?:/\S+)?\s+" + _V)),
    ("driver", re.compile(r"^(?:ii\s+)?furiosa-driver-[\w-]+(?:/\S+)?\s+" + _V)),
]
_PREFILTER = re.compile(r"version|furiosa|FuriosaRT|firmware|libhal", re.IGNORECASE)

# Components versioned with the SDK release (0.8.x, 0.10.x ...); HAL, firmware and driver
# follow their own numbering, so they are not compared here.
SDK_COMPONENTS = (
    "furiosa-sdk",
    "furiosa-runtime",
    "furiosa-compiler",
    "furiosa-libnux",
    "furiosart",
    "furiosa-quantizer",
)


def interest_literals() -> tuple[str, ...] | None:
    """Literals one of which every line a rule matches contains (any case); None if one has none."""
    from triage.kb.literals import required_literals

    found: list[str] = []
    for pattern in [rx.pattern for _, rx in _RULES]:
        lits = required_literals(pattern)
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
        self._releases: set[tuple[str, tuple[int, ...]]] = set()  # only filled once the cap is reached

    def feed(self, line: Line, source: str) -> None:
        text = line.text
        if not _PREFILTER.search(text):
            return
        for component, rx in _RULES:
            m = rx.search(text)
            if m:
                name = component or m.group(1)
                version = normalize(m.group(m.lastindex or 1))
                if len(self.out) >= MAX_VERSION_LINES and not self._new_release(name, version):
                    self.dropped += 1  # memory stays flat on logs that repeat their banners forever
                    return
                self.out.append((name, VersionInfo(version=version, line=line.no, text=text.strip(), source=source)))
                return

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
        if len(rel) == 2:
            lines.setdefault(rel, {})[name] = info.version
    if len(lines) < 2:
        return []
    comps: dict[str, str] = {}
    for group in lines.values():
        comps.update(group)
    detail = " vs ".join(f"{'.'.join(map(str, rel))}.x ({', '.join(sorted(g))})" for rel, g in sorted(lines.items()))
    return [VersionSkew(components=comps, detail=f"SDK components from different releases: {detail}")]
