"""The JSON contract (see README, schema/report.schema.json and, for lint, schema/lint-report.schema.json)."""

from __future__ import annotations

from triage.report import LintReport, Report
from triage.safety import json_safe


def render(report: Report | LintReport, **_: object) -> str:
    return json_safe(report.model_dump_json(indent=2)) + "\n"
