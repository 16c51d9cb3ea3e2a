"""The NPU itself: PCI presence, device nodes, furiosactl, driver and firmware versions.

furiosactl's output format is not part of what warboy-triage knows (furiosa-facts.md lists
only the commands), so its output is kept raw for the ticket, never parsed.
"""

from __future__ import annotations

import re

from triage.doctor.collect import apt_packages, npu_nodes, pci_devices
from triage.doctor.env import Env
from triage.doctor.model import CheckResult, Status
from triage.doctor.probes import FunctionProbe, command_error
from triage.doctor.probes.software import installed_components, machine_sdk_version
from triage.messages import Text, both, join, raw
from triage.versions import SHIPPED_WITH, release

FURIOSACTL_TIMEOUT = 10.0
RAW_LIMIT = 4000  # characters of a tool's output kept in the record


def _clip(text: str) -> Text:
    text = text.rstrip()
    return raw(text) if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + both("clip_more", count=len(text) - RAW_LIMIT)


def pci(env: Env) -> CheckResult:
    devices = pci_devices(env)
    res = env.run_command(["lspci", "-d", "1ed2:"], timeout=FURIOSACTL_TIMEOUT)
    lspci_lines = res.stdout.strip().splitlines() if res.ok else []
    details: list[Text | str] = [f"lspci: {line}" for line in lspci_lines]
    if res.error and res.error != "not found":
        details.append("lspci -d 1ed2: " + command_error(res.error))
    if devices is None:
        if lspci_lines:
            return CheckResult.of(
                "pass", both("pci_lspci", count=len(lspci_lines)), details, {"devices": [], "lspci": lspci_lines}
            )
        return CheckResult.of("unknown", both("pci_unreadable"), details)
    data = {
        "devices": [{"slot": d.slot, "id": f"{d.vendor[2:]}:{d.device[2:]}", "warboy": d.is_warboy} for d in devices],
        "lspci": lspci_lines,
    }
    if not devices:
        return CheckResult.of("warn", both("pci_none"), details, data)
    warboys = [d for d in devices if d.is_warboy]
    summary = (
        both("pci_warboys", count=len(warboys), slots=", ".join(d.slot for d in warboys))
        if warboys
        else both("pci_not_warboy", count=len(devices))
    )
    return CheckResult.of("pass" if warboys else "warn", summary, details, data)


def device_nodes(env: Env) -> CheckResult:
    nodes = npu_nodes(env)
    on_bus = pci_devices(env) or []
    data: dict = {"nodes": nodes, "pci_devices": len(on_bus)}
    devname = env.environ.get("NPU_DEVNAME", "")
    if not nodes:
        if on_bus:
            return CheckResult.of("fail", both("nodes_missing", count=len(on_bus)), [both("nodes_driver_hint")], data)
        return CheckResult.of("warn", both("nodes_none"), data=data)
    details: list[Text | str] = []
    status: Status = "pass"
    m = re.match(r"npu(\d+)", devname)
    if devname and m and not any(n.startswith(f"/dev/npu{m.group(1)}") for n in nodes):
        status = "warn"
        details.append(both("nodes_devname_missing", devname=devname, index=m.group(1)))
    indexes = sorted({int(x) for x in re.findall(r"/dev/npu(\d+)", " ".join(nodes))})
    data["npu_indexes"] = indexes
    names = " ".join(n.removeprefix("/dev/") for n in nodes[:8]) + (" ..." if len(nodes) > 8 else "")
    summary = both("nodes_found", count=len(nodes), indexes=", ".join(map(str, indexes)), names=names)
    return CheckResult.of(status, summary, details, data)


def furiosactl(env: Env) -> CheckResult:
    if env.which("furiosactl") is None:
        return CheckResult.of("unknown", both("ctl_missing"), data={"installed": False})
    data: dict = {"installed": True, "format": "raw: warboy-triage does not parse furiosactl output"}
    details: list[Text] = []
    outcome: list[Text] = []
    status: Status = "pass"
    for sub in ("info", "ps"):
        res = env.run_command(["furiosactl", sub], timeout=FURIOSACTL_TIMEOUT)
        data[sub] = {
            "returncode": res.returncode,
            "stdout": _clip(res.stdout).en,
            "stderr": _clip(res.stderr).en,
            "error": res.error,
        }
        if res.error:
            status = "unknown" if status == "pass" else status
            outcome.append(both("ctl_error", sub=sub, error=command_error(res.error)))
            if res.timed_out:
                outcome[-1] += both("ctl_hung")
        elif res.returncode != 0:
            status = "warn"
            outcome.append(both("ctl_exited", sub=sub, code=res.returncode))
            header = both("ctl_exit_header", sub=sub, code=res.returncode)
            details.append(header + "\n" + _clip(res.stderr or res.stdout))
        else:
            outcome.append(both("ctl_answered", sub=sub))
            details.append(f"$ furiosactl {sub}\n" + _clip(res.stdout))
    summary = join("; ", outcome) + (both("ctl_raw_below") if details else "")
    return CheckResult.of(status, summary, details, data)


def driver_firmware(env: Env) -> CheckResult:
    packages, note = apt_packages(env)
    drivers = {p.name: p.version for p in packages or [] if p.installed and p.name.startswith("furiosa-driver")}
    sdk = machine_sdk_version(installed_components(env))
    data = {"driver_packages": drivers, "firmware": None, "sdk": sdk}
    details = [both("fw_hint")]
    if not drivers:
        return CheckResult.of(
            "unknown", both("drv_none_note", note=note) if note.en else both("drv_none"), details, data
        )
    summary = ", ".join(f"{n} {v}" for n, v in drivers.items())
    shipped = SHIPPED_WITH.get(sdk or "", {}).get("driver")
    if sdk and shipped and all(release(v) != release(shipped) for v in drivers.values()):
        skew = both("drv_skew", packages=summary, sdk=sdk, shipped=shipped)
        return CheckResult.of("warn", skew, details, {**data, "shipped_driver": shipped})
    return CheckResult.of("pass", raw(summary), details, data)


PROBES = [
    FunctionProbe("pci", "Warboy on the PCI bus", pci),
    FunctionProbe("npu-devices", "NPU device nodes", device_nodes),
    FunctionProbe("furiosactl", "furiosactl info / ps", furiosactl, timeout=2 * FURIOSACTL_TIMEOUT + 5),
    FunctionProbe("driver-firmware", "Driver and firmware", driver_firmware, timeout=35),
]
