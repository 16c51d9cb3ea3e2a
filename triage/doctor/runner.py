"""Run the probes in parallel threads, each within its own time budget; never raise."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import datetime, timezone

from triage import __version__
from triage.doctor.env import Env
from triage.doctor.model import CheckRecord, CheckResult, DoctorReport
from triage.doctor.probes import Probe, all_probes
from triage.messages import both, say


class _Run(threading.Thread):
    def __init__(self, probe: Probe, env: Env) -> None:
        # daemon: a probe stuck in a system call must not keep the process alive after doctor ends
        super().__init__(name=f"doctor-{probe.id}", daemon=True)
        self.probe, self.env = probe, env
        self.result: CheckResult | None = None
        self.seconds = 0.0

    def run(self) -> None:
        start = time.monotonic()
        try:
            self.result = self.probe.run(self.env)
        except Exception as exc:  # a probe bug must cost one check, not the whole doctor run
            self.result = CheckResult.of("unknown", both("run_crashed", error=f"{type(exc).__name__}: {exc}"))
        self.seconds = time.monotonic() - start


def run_doctor(env: Env, probes: Sequence[Probe] | None = None) -> DoctorReport:
    probes = list(all_probes() if probes is None else probes)
    runs = [_Run(p, env) for p in probes]
    start = time.monotonic()
    for r in runs:
        r.start()
    records = []
    for r in runs:
        r.join(max(0.0, start + r.probe.timeout - time.monotonic()))
        result = (
            r.result
            if not r.is_alive() and r.result is not None
            else CheckResult.of("unknown", both("run_timeout", seconds=f"{r.probe.timeout:g}"))
        )
        records.append(
            CheckRecord(
                id=r.probe.id,
                title=r.probe.title,
                seconds=round(r.seconds, 3),
                **result.model_dump(),
                **result.korean(),
            )
        )
    return DoctorReport(
        tool_version=__version__, collected_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), checks=records
    )


def select(probes: Sequence[Probe], ids: Sequence[str], lang: str = "en") -> list[Probe]:
    """The probes with these ids, in their usual order; ValueError names an unknown id."""
    known = {p.id for p in probes}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(say("doctor_unknown_check", lang, ids=", ".join(unknown)))
    return [p for p in probes if p.id in ids]
