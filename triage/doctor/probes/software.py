"""Furiosa's software: Python packages, apt packages, libnux, and whether their versions agree."""

from __future__ import annotations

from triage.doctor.collect import apt_packages, furiosa_distributions
from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe
from triage.messages import Text, both, raw
from triage.parsers.versions import SDK_COMPONENTS
from triage.versions import LATEST_SDK, SDK_PROXIES, release

LIB_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib",
    "/usr/lib64",
    "/usr/local/lib",
    "/usr/local/lib64",
)


def python_packages(env: Env) -> CheckResult:
    executable = env.platform().python_executable
    where = raw(executable) if executable else both("py_this")
    found = furiosa_distributions(env)
    if found is None:
        return CheckResult.of("unknown", both("pkgs_unlisted", where=where))
    if not found:
        return CheckResult.of(
            "warn",
            both("pkgs_none", where=where),
            [both("pkgs_install_hint")],
            {"packages": {}, "python": where.en},
        )
    listing = raw(", ".join(f"{n} {v}" for n, v in found.items()))
    return CheckResult.of("pass", listing, [both("pkgs_from", where=where)], {"packages": found, "python": where.en})


def apt(env: Env) -> CheckResult:
    packages, note = apt_packages(env)
    if packages is None:
        return CheckResult.of("unknown", note)
    installed = [p for p in packages if p.installed]
    if not installed:
        return CheckResult.of("warn", both("apt_none"), [note] if note.en else [], {"packages": {}})
    others = [p.name for p in packages if not p.installed]
    return CheckResult.of(
        "pass",
        raw(", ".join(f"{p.name} {p.raw_version}" for p in installed)),
        [both("apt_known_not_installed", names=", ".join(others))] if others else [],
        {"packages": {p.name: p.raw_version for p in installed}},
    )


def _ld_cache(env: Env) -> str:
    """`ldconfig -p`: the dynamic linker's view, which also covers directories from ld.so.conf.d."""
    for argv in (["ldconfig", "-p"], ["/sbin/ldconfig", "-p"]):
        res = env.run_command(argv, timeout=5)
        if res.ok:
            return res.stdout
    return ""


def _find_library(env: Env, stem: str) -> list[str]:
    dirs = [d for d in env.environ.get("LD_LIBRARY_PATH", "").split(":") if d] + list(LIB_DIRS)
    seen: list[str] = []
    for d in dirs:
        for path in env.glob(f"{d.rstrip('/')}/{stem}.so*"):
            if path not in seen:
                seen.append(path)
    # ldconfig -p lines: "\tlibnux.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libnux.so"
    for line in _ld_cache(env).splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith(f"{stem}.so") and path and path not in seen:
            seen.append(path.strip())
    return seen


def libnux(env: Env) -> CheckResult:
    nux = _find_library(env, "libnux")
    hal = _find_library(env, "libfuriosa_hal")
    data = {"libnux": nux, "libfuriosa_hal": hal}
    details: list[Text | str] = [f"libfuriosa_hal: {', '.join(hal)}"] if hal else []
    if nux:
        return CheckResult.of("pass", raw(", ".join(nux)), details, data)
    runtime = {"furiosa-runtime", "furiosa-sdk"} & set(furiosa_distributions(env) or {})
    if runtime:
        summary = both("libnux_missing_runtime", names=", ".join(sorted(runtime)))
        return CheckResult.of("warn", summary, [both("libnux_hint"), *details], data)
    return CheckResult.of("warn", both("libnux_missing"), details, data)


def installed_components(env: Env) -> dict[str, str]:
    """SDK-versioned components on this machine; apt ones labelled '(apt)' to keep both sources."""
    out: dict[str, str] = {}
    for name, version in (furiosa_distributions(env) or {}).items():
        if name in SDK_COMPONENTS:
            out[name] = version
    packages, _ = apt_packages(env)
    for p in packages or []:
        if p.installed and p.name in SDK_COMPONENTS:
            out[f"{p.name} (apt)"] = p.version
    return out


def machine_sdk_version(components: dict[str, str]) -> str | None:
    for proxy in SDK_PROXIES:
        for label in (proxy, f"{proxy} (apt)"):
            if label in components:
                return components[label]
    return None


def sdk_versions(env: Env) -> CheckResult:
    comps = installed_components(env)
    if not comps:
        return CheckResult.of("unknown", both("sdk_nothing"), data={"components": {}, "sdk": None, "skew": False})
    lines: dict[tuple[int, ...], list[str]] = {}
    for name, version in comps.items():
        rel = release(version)[:2]
        if len(rel) == 2:
            lines.setdefault(rel, []).append(name)
    sdk = machine_sdk_version(comps)
    data = {"components": comps, "sdk": sdk, "skew": len(lines) > 1, "latest_known": LATEST_SDK}
    listing: list[Text | str] = [f"{n}: {v}" for n, v in comps.items()]
    if len(lines) > 1:
        detail = " vs ".join(
            f"{'.'.join(map(str, rel))}.x ({', '.join(sorted(names))})" for rel, names in sorted(lines.items())
        )
        return CheckResult.of("fail", both("sdk_skew", detail=detail), [*listing, both("sdk_skew_hint")], data)
    if sdk and release(sdk) < release(LATEST_SDK):
        summary = both("sdk_old", sdk=sdk, latest=LATEST_SDK)
        return CheckResult.of("warn", summary, [*listing, both("sdk_newest", latest=LATEST_SDK)], data)
    return CheckResult.of("pass", both("sdk_agree", sdk=sdk or "?"), listing, data)


PROBES = [
    FunctionProbe("python-packages", "Furiosa Python packages", python_packages, timeout=35),
    FunctionProbe("apt-packages", "Furiosa apt packages", apt),
    FunctionProbe("libnux", "libnux library", libnux, timeout=35),
    FunctionProbe("sdk-versions", "SDK version consistency", sdk_versions, timeout=35),
]
