"""The machine around the NPU: Python, OS, C library, CPU and memory."""

from __future__ import annotations

import re

from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe, command_error
from triage.messages import Text, both, join, raw


def python(env: Env) -> CheckResult:
    p = env.platform()
    if not p.python_version:
        return CheckResult.of("unknown", both("py_unrunnable"))
    where = both("py_venv") if p.in_virtualenv else both("py_system")
    return CheckResult.of(
        "pass",
        both("py_summary", implementation=p.python_implementation or "Python", version=p.python_version, where=where),
        [both("py_executable", path=p.python_executable)],
        {
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
        return CheckResult.of("unknown", both("os_unreadable"))
    kernel = both("os_kernel", kernel=p.kernel) if p.kernel else raw("")
    summary = join(", ", [part for part in (raw(name or p.system), kernel, raw(p.machine)) if part.en])
    return CheckResult.of(
        "pass",
        summary,
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
        data = {"libc": p.libc, "version": p.libc_version}
        return CheckResult.of("pass", raw(f"{p.libc} {p.libc_version}"), data=data)
    res = env.run_command(["ldd", "--version"], timeout=5)
    first = (res.stdout or res.stderr).strip().splitlines()[:1]
    m = re.search(r"(\d+\.\d+)\s*$", first[0]) if first else None
    if m:
        return CheckResult.of("pass", raw(f"glibc {m.group(1)}"), first, {"libc": "glibc", "version": m.group(1)})
    why: Text = command_error(res.error) if res.error else raw(first[0]) if first else both("libc_ldd_empty")
    return CheckResult.of("unknown", both("libc_unknown"), [why])


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
        return CheckResult.of("unknown", both("cpu_unreadable"))
    parts = [raw(model or "CPU")]
    parts += [both("cpu_cores", count=cores)] if cores else []
    parts += [both("mem_gib", gib=mem_gib)] if mem_gib else []
    return CheckResult.of(
        "pass",
        join(", ", parts),
        data={"cpu_model": model, "logical_cores": cores, "memory_gib": mem_gib},
    )


PROBES = [
    FunctionProbe("python", "Python", python, timeout=35),
    FunctionProbe("os", "Operating system", operating_system),
    FunctionProbe("glibc", "C library (glibc)", glibc),
    FunctionProbe("cpu-memory", "CPU and memory", cpu_memory),
]
