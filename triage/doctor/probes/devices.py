"""The NPU itself: PCI presence, device nodes, furiosactl, driver and firmware versions.

furiosactl's output format is not part of what warboy-triage knows (furiosa-facts.md lists
only the commands), so its output is kept raw for the ticket, never parsed.
"""

from __future__ import annotations

import re

from triage.doctor.collect import apt_packages, npu_nodes, pci_devices
from triage.doctor.env import Env
from triage.doctor.model import CheckResult, Status
from triage.doctor.probes import FunctionProbe
from triage.doctor.probes.software import installed_components, machine_sdk_version
from triage.versions import SHIPPED_WITH, release

FURIOSACTL_TIMEOUT = 10.0
RAW_LIMIT = 4000  # characters of a tool's output kept in the record


def _clip(text: str) -> str:
    text = text.rstrip()
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + f"\n... ({len(text) - RAW_LIMIT} more characters)"


def pci(env: Env) -> CheckResult:
    devices = pci_devices(env)
    res = env.run_command(["lspci", "-d", "1ed2:"], timeout=FURIOSACTL_TIMEOUT)
    lspci_lines = res.stdout.strip().splitlines() if res.ok else []
    details = [f"lspci: {line}" for line in lspci_lines]
    if res.error and res.error != "not found":
        details.append(f"lspci -d 1ed2: {res.error}")
    if devices is None:
        if lspci_lines:
            return CheckResult(
                status="pass",
                summary=f"{len(lspci_lines)} FuriosaAI PCI device(s) (lspci)",
                details=details,
                data={"devices": [], "lspci": lspci_lines},
            )
        return CheckResult(
            status="unknown", summary="/sys/bus/pci is not readable and lspci gave nothing", details=details
        )
    data = {
        "devices": [{"slot": d.slot, "id": f"{d.vendor[2:]}:{d.device[2:]}", "warboy": d.is_warboy} for d in devices],
        "lspci": lspci_lines,
    }
    if not devices:
        return CheckResult(
            status="warn", summary="no FuriosaAI device (PCI vendor 1ed2) on the PCI bus", details=details, data=data
        )
    warboys = [d for d in devices if d.is_warboy]
    summary = (
        f"{len(warboys)} Warboy (1ed2:0000) at {', '.join(d.slot for d in warboys)}"
        if warboys
        else f"{len(devices)} FuriosaAI device(s), none with Warboy's id 1ed2:0000"
    )
    return CheckResult(status="pass" if warboys else "warn", summary=summary, details=details, data=data)


def device_nodes(env: Env) -> CheckResult:
    nodes = npu_nodes(env)
    on_bus = pci_devices(env) or []
    data: dict = {"nodes": nodes, "pci_devices": len(on_bus)}
    devname = env.environ.get("NPU_DEVNAME", "")
    if not nodes:
        if on_bus:
            return CheckResult(
                status="fail",
                summary=f"{len(on_bus)} FuriosaAI card(s) on the PCI bus but no /dev/npu*",
                details=[
                    "The kernel driver is not loaded: install or reload the Furiosa driver package"
                    " (furiosa-driver-*) and check `dmesg` for its messages."
                ],
                data=data,
            )
        return CheckResult(status="warn", summary="no /dev/npu* device nodes (no NPU or no driver)", data=data)
    details = []
    status: Status = "pass"
    m = re.match(r"npu(\d+)", devname)
    if devname and m and not any(n.startswith(f"/dev/npu{m.group(1)}") for n in nodes):
        status = "warn"
        details.append(f"NPU_DEVNAME={devname} names NPU {m.group(1)}, which has no device node here")
    indexes = sorted({int(x) for x in re.findall(r"/dev/npu(\d+)", " ".join(nodes))})
    data["npu_indexes"] = indexes
    return CheckResult(
        status=status,
        summary=f"{len(nodes)} node(s) for NPU {', '.join(map(str, indexes))}: "
        + " ".join(n.removeprefix("/dev/") for n in nodes[:8])
        + (" ..." if len(nodes) > 8 else ""),
        details=details,
        data=data,
    )


def furiosactl(env: Env) -> CheckResult:
    if env.which("furiosactl") is None:
        return CheckResult(
            status="unknown",
            summary="furiosactl is not installed (apt package furiosa-toolkit)",
            data={"installed": False},
        )
    data: dict = {"installed": True, "format": "raw: warboy-triage does not parse furiosactl output"}
    details: list[str] = []
    outcome: list[str] = []
    status: Status = "pass"
    for sub in ("info", "ps"):
        res = env.run_command(["furiosactl", sub], timeout=FURIOSACTL_TIMEOUT)
        data[sub] = {
            "returncode": res.returncode,
            "stdout": _clip(res.stdout),
            "stderr": _clip(res.stderr),
            "error": res.error,
        }
        if res.error:
            status = "unknown" if status == "pass" else status
            outcome.append(f"{sub}: {res.error}" + (" (a hung driver or device?)" if res.timed_out else ""))
        elif res.returncode != 0:
            status = "warn"
            outcome.append(f"{sub}: exited {res.returncode}")
            details.append(f"$ furiosactl {sub}  (exit {res.returncode})\n{_clip(res.stderr or res.stdout)}")
        else:
            outcome.append(f"{sub}: answered")
            details.append(f"$ furiosactl {sub}\n{_clip(res.stdout)}")
    summary = "; ".join(outcome) + (" (raw output kept below)" if details else "")
    return CheckResult(status=status, summary=summary, details=details, data=data)


def driver_firmware(env: Env) -> CheckResult:
    packages, note = apt_packages(env)
    drivers = {p.name: p.version for p in packages or [] if p.installed and p.name.startswith("furiosa-driver")}
    sdk = machine_sdk_version(installed_components(env))
    data = {"driver_packages": drivers, "firmware": None, "sdk": sdk}
    details = [
        "The firmware version is not readable without the device tools: `furiosactl info` (see that"
        " check) and FuriosaRT's start-up line ('firmware: 1.7.3') show it."
    ]
    if not drivers:
        return CheckResult(
            status="unknown",
            summary="no furiosa-driver-* package found" + (f" ({note})" if note else ""),
            details=details,
            data=data,
        )
    summary = ", ".join(f"{n} {v}" for n, v in drivers.items())
    shipped = SHIPPED_WITH.get(sdk or "", {}).get("driver")
    if sdk and shipped and all(release(v) != release(shipped) for v in drivers.values()):
        return CheckResult(
            status="warn",
            summary=f"{summary}; SDK {sdk} ships with driver {shipped}",
            details=details,
            data={**data, "shipped_driver": shipped},
        )
    return CheckResult(status="pass", summary=summary, details=details, data=data)


PROBES = [
    FunctionProbe("pci", "Warboy on the PCI bus", pci),
    FunctionProbe("npu-devices", "NPU device nodes", device_nodes),
    FunctionProbe("furiosactl", "furiosactl info / ps", furiosactl, timeout=2 * FURIOSACTL_TIMEOUT + 5),
    FunctionProbe("driver-firmware", "Driver and firmware", driver_firmware, timeout=35),
]
