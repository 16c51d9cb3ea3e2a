"""Facts several probes share: Furiosa packages (pip and apt), NPU devices, the log directory."""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.doctor.env import Env
from triage.messages import Text, both, raw

DPKG_QUERY = ("dpkg-query", "-W", "-f=${Package}\\t${Version}\\t${db:Status-Abbrev}\\n", "furiosa-*")
WARBOY_PCI = ("0x1ed2", "0x0000")  # FuriosaAI vendor id, Warboy device id (furiosa-facts.md)
SECRET_NAME = re.compile(r"(?i)(?:key|token|secret|passw(?:or)?d|credential)s?$")


def normalize_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def furiosa_distributions(env: Env) -> dict[str, str] | None:
    """Python distributions named furiosa-* (normalized names); None when they cannot be listed."""
    dists = env.distributions()
    if dists is None:
        return None
    found = {normalize_name(n): v for n, v in dists.items() if normalize_name(n).startswith("furiosa")}
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class AptPackage:
    name: str
    version: str
    """Upstream version: epoch and Debian revision removed (1.9.2-3 -> 1.9.2)."""
    raw_version: str
    installed: bool


def upstream_version(debian_version: str) -> str:
    v = debian_version.split(":", 1)[-1]
    return v.rsplit("-", 1)[0] if "-" in v else v


def apt_packages(env: Env) -> tuple[list[AptPackage] | None, Text]:
    """furiosa-* packages known to dpkg, and a note; None when dpkg-query cannot be used."""
    res = env.run_command(DPKG_QUERY)
    if res.error == "not found":
        return None, both("dpkg_missing")
    if res.error:
        return None, both("dpkg_error", error=res.error)
    packages = []
    for line in res.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            continue
        name, debian_version = parts[0].strip(), parts[1].strip()
        status = parts[2] if len(parts) > 2 else ""
        installed = status.startswith("ii") or (len(parts) == 2 and bool(debian_version))
        upstream = upstream_version(debian_version) if debian_version else ""
        packages.append(AptPackage(name, upstream, debian_version, installed and bool(debian_version)))
    if not packages and res.returncode not in (0, None):
        # dpkg-query exits 1 with "no packages found matching furiosa-*"
        said = res.stderr.strip().splitlines()
        return [], raw(said[0]) if said else both("dpkg_no_packages")
    return packages, raw("")


@dataclass(frozen=True)
class PciDevice:
    slot: str
    vendor: str
    device: str

    @property
    def is_warboy(self) -> bool:
        return (self.vendor, self.device) == WARBOY_PCI


def pci_devices(env: Env) -> list[PciDevice] | None:
    """FuriosaAI PCI functions from sysfs (works without lspci); None when sysfs is unreadable."""
    vendor_files = env.glob("/sys/bus/pci/devices/*/vendor")
    if not vendor_files and not env.is_dir("/sys/bus/pci/devices"):
        return None
    found = []
    for path in vendor_files:
        vendor = (env.read_file(path, 64) or "").strip().lower()
        if vendor != WARBOY_PCI[0]:
            continue
        base = path.rsplit("/", 1)[0]
        device = (env.read_file(f"{base}/device", 64) or "").strip().lower()
        found.append(PciDevice(base.rsplit("/", 1)[-1], vendor, device))
    return found


def npu_nodes(env: Env) -> list[str]:
    return env.glob("/dev/npu*")


def log_dir(env: Env) -> tuple[str, str]:
    """Where Furiosa writes its logs, and which rule chose it."""
    from triage.furiosa_paths import log_dir as furiosa_log_dir

    return furiosa_log_dir(env.environ)


def newest_compile_logs(env: Env, directory: str, limit: int = 3) -> tuple[list[tuple[str, float]], int]:
    """The newest compile-*.log (legacy) and compiler-*.log (0.10) in `directory`, and how many there are."""
    paths = set(env.glob(f"{directory}/compile-*.log")) | set(env.glob(f"{directory}/compiler-*.log"))
    dated = [(p, env.mtime(p) or 0.0) for p in paths]
    return sorted(dated, key=lambda pm: (-pm[1], pm[0]))[:limit], len(dated)


def mask_value(name: str, value: str) -> str:
    """Only the values of known-harmless variables are shown (fails closed: a licence or auth value
    whose name does not say "key" or "token" stays hidden too)."""
    from triage.redact import hide_env_value

    return hide_env_value(name, value)
