"""Version arithmetic and the SDK release table (furiosa-facts.md, "Versions and components")."""

from __future__ import annotations

import re

# SDK release -> date; 0.10.0 also fixes the native components it ships with.
SDK_RELEASES: dict[str, str] = {
    "0.5.0": "2021-12-09",
    "0.6.0": "2022-03-17",
    "0.7.0": "2022-06-16",
    "0.8.0": "2022-11-04",
    "0.9.0": "2023-04-19",
    "0.10.0": "2023-08-08",
    "0.10.1": "2023-11-24",
    "0.10.2": "",
}
LATEST_SDK = "0.10.2"
SHIPPED_WITH = {"0.10.0": {"driver": "1.9.2", "firmware": "1.7.3", "libfuriosa_hal": "0.11.0"}}

_OP = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*v?(\d+(?:\.\d+){0,2})\s*$")


def release(version: str) -> tuple[int, ...]:
    """Numeric (major, minor, patch) of a version string; unparsable parts stop the tuple."""
    out: list[int] = []
    for part in re.split(r"[.\-+]", version.removeprefix("v")):
        if not part.isdigit():
            break
        out.append(int(part))
    return tuple(out)


def parse_range(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    """'>=0.7, <0.10' -> [('>=', (0, 7)), ('<', (0, 10))]; raises ValueError when malformed."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        m = _OP.match(part)
        if not m:
            raise ValueError(f"version range part {part!r} is not like '>=0.10' or '<0.8.2'")
        out.append((m.group(1) or "==", release(m.group(2))))
    return out


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    return (a > b) - (a < b)


def in_range(version: str, spec: str) -> bool:
    """True when `version` satisfies every clause of `spec` (an empty spec admits all)."""
    v = release(version)
    if not v:
        return True
    for op, bound in parse_range(spec):
        c = _cmp(v, bound)
        ok = {">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0, "==": c == 0, "!=": c != 0}[op]
        if not ok:
            return False
    return True


# Which component's version stands for the SDK release, most telling first.
SDK_PROXIES = ("furiosa-sdk", "furiosa-runtime", "furiosart", "furiosa-compiler", "furiosa-libnux")


def sdk_version(versions: dict[str, str]) -> str | None:
    for name in SDK_PROXIES:
        if name in versions:
            return versions[name]
    return None
