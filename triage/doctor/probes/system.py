"""The machine around the NPU: Python, OS, C library, CPU and memory."""

from __future__ import annotations

import re

from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe


def python(env: Env) -> CheckResult:
    p = env.platform()
    if not p.python_version:
        return CheckResult(status="unknown", summary="could not run the Python interpreter to inspect")
    where = "virtualenv" if p.in_virtualenv else "system or user site"
    return CheckResult(
        status="pass",
        summary=f"{p.python_implementation or 'Python'} {p.python_version} ({where})",
        details=[f"executable: {p.python_executable}"],
        data={
            "version": p.python_version,
            "implementation": p.python_implementation,
            "executable": p.python_executable,
            "virtualenv": p.in_virtualenv,
        },
    )


def _os_release(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Z_]+)=\"?(.*?)\"?\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def operating_system(env: Env) -> CheckResult:
    p = env.platform()
    rel = _os_release(env.read_file("/etc/os-release") or env.read_file("/usr/lib/os-release") or "")
    name = rel.get("PRETTY_NAME") or " ".join(filter(None, (rel.get("NAME"), rel.get("VERSION_ID"))))
    if not name and not p.kernel:
        return CheckResult(status="unknown", summary="neither /etc/os-release nor the kernel release is readable")
    summary = ", ".join(filter(None, (name or p.system, f"kernel {p.kernel}" if p.kernel else "", p.machine)))
    return CheckResult(
        status="pass",
        summary=summary,
        data={
            "name": name,
            "id": rel.get("ID", ""),
            "version_id": rel.get("VERSION_ID", ""),
            "kernel": p.kernel,
            "machine": p.machine,
        },
    )


def glibc(env: Env) -> CheckResult:
    p = env.platform()
    if p.libc and p.libc_version:
        return CheckResult(
            status="pass", summary=f"{p.libc} {p.libc_version}", data={"libc": p.libc, "version": p.libc_version}
        )
    res = env.run_command(["ldd", "--version"], timeout=5)
    first = (res.stdout or res.stderr).strip().splitlines()[:1]
    m = re.search(r"(\d+\.\d+)\s*$", first[0]) if first else None
    if m:
        return CheckResult(
            status="pass", summary=f"glibc {m.group(1)}", details=first, data={"libc": "glibc", "version": m.group(1)}
        )
    return CheckResult(
        status="unknown",
        summary="could not tell the C library version",
        details=[res.error or (first[0] if first else "ldd printed nothing")],
    )


def cpu_memory(env: Env) -> CheckResult:
    cpuinfo = env.read_file("/proc/cpuinfo") or ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.lower().startswith("model name")), ""
    )
    cores = sum(1 for line in cpuinfo.splitlines() if re.match(r"processor\s*:", line)) or env.platform().cpu_count
    meminfo = env.read_file("/proc/meminfo") or ""
    m = re.search(r"^MemTotal:\s*(\d+)\s*kB", meminfo, re.MULTILINE)
    mem_gib = round(int(m.group(1)) / (1 << 20), 1) if m else None
    if not cores and mem_gib is None:
        return CheckResult(status="unknown", summary="/proc/cpuinfo and /proc/meminfo are not readable")
    parts = [model or "CPU", f"{cores} logical cores" if cores else "", f"{mem_gib} GiB RAM" if mem_gib else ""]
    return CheckResult(
        status="pass",
        summary=", ".join(filter(None, parts)),
        data={"cpu_model": model, "logical_cores": cores, "memory_gib": mem_gib},
    )


PROBES = [
    FunctionProbe("python", "Python", python, timeout=35),
    FunctionProbe("os", "Operating system", operating_system),
    FunctionProbe("glibc", "C library (glibc)", glibc),
    FunctionProbe("cpu-memory", "CPU and memory", cpu_memory),
]
