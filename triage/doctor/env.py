"""What the probes may touch on a machine, behind one small interface.

Probes never call subprocess, open() or os.environ themselves: they ask an `Env`. The real
one (`SystemEnv`) bounds every command by a timeout and never raises; `FakeEnv` replays a
machine described in a fixture directory, so tests can play a Warboy server on a laptop.
"""

from __future__ import annotations

import fnmatch
import glob as _glob
import json
import os
import platform as _platform
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

COMMAND_TIMEOUT = 10.0  # seconds per external command (furiosactl, lspci, dpkg-query)
READ_LIMIT = 1 << 20  # bytes read from any one file
OUTPUT_LIMIT = 256 * 1024  # bytes kept from a command's stdout/stderr


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    """Why there is no result: 'not found', 'timed out after 10s', 'permission denied' ..."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.returncode == 0

    @property
    def timed_out(self) -> bool:
        return bool(self.error and self.error.startswith("timed out"))


@dataclass(frozen=True)
class PlatformInfo:
    python_version: str = ""
    python_implementation: str = ""
    python_executable: str = ""
    in_virtualenv: bool = False
    system: str = ""
    kernel: str = ""
    machine: str = ""
    libc: str = ""
    libc_version: str = ""
    cpu_count: int | None = None


class Env(Protocol):
    """Everything a probe may ask of the machine. Methods return None/empty instead of raising."""

    environ: Mapping[str, str]

    def run_command(self, argv: Sequence[str], timeout: float = COMMAND_TIMEOUT) -> CommandResult: ...

    def read_file(self, path: str, limit: int = READ_LIMIT) -> str | None: ...

    def glob(self, pattern: str) -> list[str]: ...

    def mtime(self, path: str) -> float | None: ...

    def is_dir(self, path: str) -> bool: ...

    def which(self, name: str) -> str | None: ...

    def distributions(self) -> dict[str, str] | None:
        """Installed Python distributions (name -> version) of the inspected interpreter; None if unknown."""
        ...

    def platform(self) -> PlatformInfo: ...


# Runs inside the inspected interpreter (maybe not ours): stdlib only, Python >= 3.8.
_PROBE_SCRIPT = r"""
import json, os, platform, sys
try:
    from importlib import metadata
    dists = {}
    for d in metadata.distributions():
        name = d.metadata["Name"]
        if name:
            dists.setdefault(name, d.version)
except Exception:
    dists = None
libc = platform.libc_ver()
print(json.dumps({"distributions": dists, "python_version": platform.python_version(),
    "python_implementation": platform.python_implementation(), "python_executable": sys.executable,
    "in_virtualenv": sys.prefix != getattr(sys, "base_prefix", sys.prefix),
    "system": platform.system(), "kernel": platform.release(), "machine": platform.machine(),
    "libc": libc[0], "libc_version": libc[1], "cpu_count": os.cpu_count()}))
"""


def _decode(data: bytes | None) -> str:
    return (data or b"")[:OUTPUT_LIMIT].decode("utf-8", errors="replace")


class SystemEnv:
    """This machine. Commands run without a shell, in their own process group, killed on timeout."""

    def __init__(self, python: str | None = None, environ: Mapping[str, str] | None = None) -> None:
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)
        self.python = python
        self._cache: dict[tuple[str, ...], CommandResult] = {}
        self._locks: dict[tuple[str, ...], threading.Lock] = {}
        self._guard = threading.Lock()
        self._interp: dict | None = None

    def run_command(self, argv: Sequence[str], timeout: float = COMMAND_TIMEOUT) -> CommandResult:
        """Run once per argv (several probes share dpkg-query), bounded by `timeout` seconds."""
        key = tuple(argv)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = self._run(key, timeout)
            return self._cache[key]

    def _run(self, argv: tuple[str, ...], timeout: float) -> CommandResult:
        exe = shutil.which(argv[0], path=self.environ.get("PATH"))
        if exe is None:
            return CommandResult(argv, error="not found")
        env = {**self.environ, "LC_ALL": "C", "LANG": "C"}
        try:
            proc = subprocess.Popen(
                [exe, *argv[1:]],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            return CommandResult(argv, error=exc.strerror or str(exc))
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Kill the whole group: a hung tool's children must not keep our pipes open.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            try:
                out, err = proc.communicate(timeout=2)
            except subprocess.TimeoutExpired:
                out, err = b"", b""
            return CommandResult(
                argv, proc.returncode, _decode(out), _decode(err), error=f"timed out after {timeout:g}s"
            )
        return CommandResult(argv, proc.returncode, _decode(out), _decode(err))

    def read_file(self, path: str, limit: int = READ_LIMIT) -> str | None:
        try:
            with open(path, "rb") as fh:
                return fh.read(limit).decode("utf-8", errors="replace")
        except OSError:
            return None

    def glob(self, pattern: str) -> list[str]:
        try:
            return sorted(_glob.glob(pattern))
        except OSError:
            return []

    def mtime(self, path: str) -> float | None:
        try:
            return os.stat(path).st_mtime
        except OSError:
            return None

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(path)

    def which(self, name: str) -> str | None:
        return shutil.which(name, path=self.environ.get("PATH"))

    def _interpreter(self) -> dict:
        """Facts about the inspected Python: ours, or the one given with --python."""
        if self._interp is None:
            if self.python is None:
                from importlib import metadata

                dists: dict[str, str] = {}
                for d in metadata.distributions():
                    name = d.metadata["Name"]
                    if name:
                        dists.setdefault(name, d.version)
                libc = _platform.libc_ver()
                self._interp = {
                    "distributions": dists,
                    "python_version": _platform.python_version(),
                    "python_implementation": _platform.python_implementation(),
                    "python_executable": sys.executable,
                    "in_virtualenv": sys.prefix != sys.base_prefix,
                    "system": _platform.system(),
                    "kernel": _platform.release(),
                    "machine": _platform.machine(),
                    "libc": libc[0],
                    "libc_version": libc[1],
                    "cpu_count": os.cpu_count(),
                }
            else:
                res = self.run_command([self.python, "-c", _PROBE_SCRIPT], timeout=30)
                try:
                    self._interp = json.loads(res.stdout) if res.ok else {}
                except ValueError:
                    self._interp = {}
        return self._interp

    def distributions(self) -> dict[str, str] | None:
        return self._interpreter().get("distributions")

    def platform(self) -> PlatformInfo:
        data = self._interpreter()
        return PlatformInfo(**{k: v for k, v in data.items() if k in PlatformInfo.__dataclass_fields__})


@dataclass
class FakeEnv:
    """A machine described by data: tests and fixtures/doctor/<machine>/machine.toml."""

    environ: dict[str, str] = field(default_factory=dict)
    commands: dict[str, CommandResult] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    mtimes: dict[str, float] = field(default_factory=dict)
    programs: dict[str, str] = field(default_factory=dict)
    dists: dict[str, str] | None = field(default_factory=dict)
    platform_info: PlatformInfo = field(default_factory=PlatformInfo)
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def run_command(self, argv: Sequence[str], timeout: float = COMMAND_TIMEOUT) -> CommandResult:
        key = tuple(argv)
        self.calls.append(key)
        if " ".join(argv) in self.commands:
            found = self.commands[" ".join(argv)]
            return CommandResult(key, found.returncode, found.stdout, found.stderr, found.error)
        if argv[0] not in self.programs:
            return CommandResult(key, error="not found")
        return CommandResult(key, returncode=1, stderr=f"{argv[0]}: (no output recorded for this fixture)")

    def read_file(self, path: str, limit: int = READ_LIMIT) -> str | None:
        text = self.files.get(path)
        return None if text is None else text[:limit]

    def glob(self, pattern: str) -> list[str]:
        names = set(self.files) | self.dirs
        return sorted(n for n in names if fnmatch.fnmatchcase(n, pattern) and n.count("/") == pattern.count("/"))

    def mtime(self, path: str) -> float | None:
        return self.mtimes.get(path, 0.0) if path in self.files or path in self.dirs else None

    def is_dir(self, path: str) -> bool:
        return path.rstrip("/") in self.dirs

    def which(self, name: str) -> str | None:
        return self.programs.get(name)

    def distributions(self) -> dict[str, str] | None:
        return self.dists

    def platform(self) -> PlatformInfo:
        return self.platform_info

    @classmethod
    def load(cls, directory: Path) -> FakeEnv:
        """Read machine.toml; `stdout = "@name"` and file contents `"@name"` refer to files beside it."""
        data = tomllib.loads((directory / "machine.toml").read_text(encoding="utf-8"))

        def text(value: str) -> str:
            return (directory / value[1:]).read_text(encoding="utf-8") if value.startswith("@") else value

        commands = {
            line: CommandResult(
                tuple(line.split()),
                spec.get("returncode", 0),
                text(spec.get("stdout", "")),
                text(spec.get("stderr", "")),
                spec.get("error"),
            )
            for line, spec in data.get("commands", {}).items()
        }
        files = {path: text(v) for path, v in data.get("files", {}).items()}
        dirs = set(data.get("dirs", []))
        for path in list(files) + list(dirs):  # every parent of a file is a directory
            parts = path.split("/")
            dirs.update("/".join(parts[:i]) for i in range(2, len(parts)))
        return cls(
            environ=dict(data.get("environ", {})),
            commands=commands,
            files=files,
            dirs=dirs,
            mtimes={k: float(v) for k, v in data.get("mtimes", {}).items()},
            programs=dict(data.get("programs", {})),
            dists=data.get("distributions", {}),
            platform_info=PlatformInfo(**data.get("platform", {})),
        )
