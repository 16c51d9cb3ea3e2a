"""The JSON contract (see README and schema/report.schema.json)."""

from __future__ import annotations

from triage.report import Report
from triage.safety import json_safe


def render(report: Report, **_: object) -> str:
    return json_safe(report.model_dump_json(indent=2)) + "\n"
