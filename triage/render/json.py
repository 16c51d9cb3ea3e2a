"""The JSON contract (see README, schema/report.schema.json and, for lint, schema/lint-report.schema.json)."""

from __future__ import annotations

from triage.report import LintReport, Report, dump_json
from triage.safety import json_safe


def render(report: Report | LintReport, **_: object) -> str:
    return json_safe(dump_json(report)) + "\n"
