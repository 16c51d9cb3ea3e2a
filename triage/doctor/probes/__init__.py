"""Every doctor check is a Probe: an id, a title, a time budget and run(env) -> CheckResult."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.messages import Text, both, raw

DEFAULT_TIMEOUT = 15.0  # seconds per check, commands included


class Probe(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def timeout(self) -> float: ...

    def run(self, env: Env) -> CheckResult: ...


@dataclass(frozen=True)
class FunctionProbe:
    id: str
    title: str
    fn: Callable[[Env], CheckResult]
    timeout: float = DEFAULT_TIMEOUT

    def run(self, env: Env) -> CheckResult:
        return self.fn(env)


def all_probes() -> list[Probe]:
    """The checks in the order they are shown: the machine first, then Furiosa's software, then devices."""
    from triage.doctor.probes import devices, furiosa_env, software, system

    probes: list[Probe] = [*system.PROBES, *software.PROBES, *devices.PROBES, *furiosa_env.PROBES]
    return probes


def command_error(error: str) -> Text:
    """Why a command gave no result (CommandResult.error), in both languages; the OS's own reasons stay raw."""
    if error == "not found":
        return both("cmd_not_found")
    m = re.fullmatch(r"timed out after (\S+)s", error)
    return both("cmd_timed_out", seconds=m.group(1)) if m else raw(error)
