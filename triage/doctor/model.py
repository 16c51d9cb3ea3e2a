"""The doctor's record: one result per check, and the JSON contract of `doctor --json`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DOCTOR_SCHEMA_VERSION = 1

Status = Literal["pass", "warn", "fail", "unknown"]
"""unknown: the check could not collect (tool missing, unreadable, timed out)."""
STATUS_ORDER: dict[str, int] = {"fail": 0, "warn": 1, "unknown": 2, "pass": 3}


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    summary: str
    """One line for people."""
    details: list[str] = Field(default_factory=list)
    """More lines for people: raw tool output, what to do next."""
    data: dict[str, Any] = Field(default_factory=dict)
    """Machine-readable facts (versions, paths, counts); keys are stable per check."""


class CheckRecord(BaseModel):
    """One check's result as recorded: the CheckResult fields plus which check and how long it took."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    status: Status
    summary: str
    details: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    seconds: float = 0.0


class DoctorReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = DOCTOR_SCHEMA_VERSION
    tool_version: str = ""
    collected_at: str = ""
    """UTC time, ISO 8601."""
    checks: list[CheckRecord] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"pass": 0, "warn": 0, "fail": 0, "unknown": 0}
        for c in self.checks:
            out[c.status] += 1
        return out

    def get(self, check_id: str) -> CheckRecord | None:
        return next((c for c in self.checks if c.id == check_id), None)
