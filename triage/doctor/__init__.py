"""`warboy-triage doctor`: probe this machine the way support would, without ever crashing."""

from triage.doctor.env import CommandResult, Env, FakeEnv, SystemEnv
from triage.doctor.model import CheckRecord, CheckResult, DoctorReport
from triage.doctor.probes import Probe, all_probes
from triage.doctor.runner import run_doctor

__all__ = [
    "CheckRecord",
    "CheckResult",
    "CommandResult",
    "DoctorReport",
    "Env",
    "FakeEnv",
    "Probe",
    "SystemEnv",
    "all_probes",
    "run_doctor",
]
