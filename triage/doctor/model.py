"""The doctor's record: one result per check, and the JSON contract of `doctor --json`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from triage.messages import Text, raw

DOCTOR_SCHEMA_VERSION = 1

Status = Literal["pass", "warn", "fail", "unknown"]
"""unknown: the check could not collect (tool missing, unreadable, timed out)."""
STATUS_ORDER: dict[str, int] = {"fail": 0, "warn": 1, "unknown": 2, "pass": 3}


class _Korean(BaseModel):
    """The Korean copy of summary and details, for `--lang ko`; left out of the JSON record (English stays there)."""

    summary_ko: str = Field(default="", exclude=True)
    details_ko: list[str] = Field(default_factory=list, exclude=True)

    def summary_in(self, lang: str) -> str:
        summary: str = getattr(self, "summary")  # noqa: B009 - the subclasses own the field (and its JSON position)
        return self.summary_ko if lang == "ko" and self.summary_ko else summary

    def details_in(self, lang: str) -> list[str]:
        details: list[str] = getattr(self, "details")  # noqa: B009
        return self.details_ko if lang == "ko" and len(self.details_ko) == len(details) else details


class CheckResult(_Korean):
    model_config = ConfigDict(extra="forbid")

    status: Status
    summary: str
    """One line for people."""
    details: list[str] = Field(default_factory=list)
    """More lines for people: raw tool output, what to do next."""
    data: dict[str, Any] = Field(default_factory=dict)
    """Machine-readable facts (versions, paths, counts); keys are stable per check."""

    @classmethod
    def of(
        cls, status: Status, summary: Text, details: Sequence[Text | str] = (), data: dict[str, Any] | None = None
    ) -> CheckResult:
        """A result whose texts come from the message catalog (both languages; raw str for tool output)."""
        lines = [d if isinstance(d, Text) else raw(d) for d in details]
        return cls(
            status=status,
            summary=summary.en,
            summary_ko=summary.ko,
            details=[d.en for d in lines],
            details_ko=[d.ko for d in lines],
            data=data or {},
        )

    def korean(self) -> dict[str, Any]:
        return {"summary_ko": self.summary_ko, "details_ko": self.details_ko}


class CheckRecord(_Korean):
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
