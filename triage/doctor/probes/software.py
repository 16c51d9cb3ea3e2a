"""Furiosa's software: Python packages, apt packages, libnux, and whether their versions agree."""

from __future__ import annotations

from triage.doctor.collect import apt_packages, furiosa_distributions
from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe
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
    where = env.platform().python_executable or "this Python"
    found = furiosa_distributions(env)
    if found is None:
        return CheckResult(status="unknown", summary=f"could not list the packages of {where}")
    if not found:
        return CheckResult(
            status="warn",
            summary=f"no furiosa Python package in {where}",
            details=[
                "Install the SDK with `pip install furiosa-sdk`, or, if it lives in another environment,"
                " run `warboy-triage doctor --python /path/to/that/python`."
            ],
            data={"packages": {}, "python": where},
        )
    return CheckResult(
        status="pass",
        summary=", ".join(f"{n} {v}" for n, v in found.items()),
        details=[f"from {where}"],
        data={"packages": found, "python": where},
    )


def apt(env: Env) -> CheckResult:
    packages, note = apt_packages(env)
    if packages is None:
        return CheckResult(status="unknown", summary=note)
    installed = [p for p in packages if p.installed]
    if not installed:
        return CheckResult(
            status="warn",
            summary="no furiosa apt package is installed",
            details=[note] if note else [],
            data={"packages": {}},
        )
    others = [p.name for p in packages if not p.installed]
    return CheckResult(
        status="pass",
        summary=", ".join(f"{p.name} {p.raw_version}" for p in installed),
        details=[f"known to dpkg but not installed: {', '.join(others)}"] if others else [],
        data={"packages": {p.name: p.raw_version for p in installed}},
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
    details = [f"libfuriosa_hal: {', '.join(hal)}"] if hal else []
    if nux:
        return CheckResult(status="pass", summary=", ".join(nux), details=details, data=data)
    runtime = {"furiosa-runtime", "furiosa-sdk"} & set(furiosa_distributions(env) or {})
    if runtime:
        return CheckResult(
            status="warn",
            summary=f"libnux.so not found, but {', '.join(sorted(runtime))} is installed",
            details=[
                "The legacy runtime stops with 'SystemExit: fail to find libnux' without it:"
                " `sudo apt-get install furiosa-libnux`.",
                *details,
            ],
            data=data,
        )
    return CheckResult(
        status="warn", summary="libnux.so not found (apt package furiosa-libnux)", details=details, data=data
    )


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
        return CheckResult(
            status="unknown",
            summary="nothing to compare: no Furiosa SDK component installed",
            data={"components": {}, "sdk": None, "skew": False},
        )
    lines: dict[tuple[int, ...], list[str]] = {}
    for name, version in comps.items():
        rel = release(version)[:2]
        if len(rel) == 2:
            lines.setdefault(rel, []).append(name)
    sdk = machine_sdk_version(comps)
    data = {"components": comps, "sdk": sdk, "skew": len(lines) > 1, "latest_known": LATEST_SDK}
    listing = [f"{n}: {v}" for n, v in comps.items()]
    if len(lines) > 1:
        detail = " vs ".join(
            f"{'.'.join(map(str, rel))}.x ({', '.join(sorted(names))})" for rel, names in sorted(lines.items())
        )
        return CheckResult(
            status="fail",
            summary=f"SDK components from different releases: {detail}",
            details=[
                *listing,
                "Bring every component to one SDK release (`pip install --upgrade furiosa-sdk`,"
                " `sudo apt-get install --only-upgrade furiosa-libnux`), then compile the model again:"
                " a binary built by another release fails with 'ENF configuration is not compatible'.",
            ],
            data=data,
        )
    if sdk and release(sdk) < release(LATEST_SDK):
        return CheckResult(
            status="warn",
            summary=f"components agree on SDK {sdk}, older than {LATEST_SDK}",
            details=[*listing, f"The newest SDK release warboy-triage knows is {LATEST_SDK}."],
            data=data,
        )
    return CheckResult(status="pass", summary=f"components agree on SDK {sdk or '?'}", details=listing, data=data)


PROBES = [
    FunctionProbe("python-packages", "Furiosa Python packages", python_packages, timeout=35),
    FunctionProbe("apt-packages", "Furiosa apt packages", apt),
    FunctionProbe("libnux", "libnux library", libnux, timeout=35),
    FunctionProbe("sdk-versions", "SDK version consistency", sdk_versions, timeout=35),
]
