"""`--format prometheus`: the text format that node_exporter's textfile collector reads.

Generated with prometheus_client (never by hand), one file per host and run. Prometheus does
the aggregation across hosts; these are per-host gauges:
  warboy_triage_finding{id, severity, component, kind, confidence}   evidence lines of each finding
  warboy_triage_findings{severity}                                   findings per severity (0 when none)
  warboy_triage_component_version_info{component, version}           1 per component version seen
  warboy_triage_input_lines / warboy_triage_input_bytes              what was read
  warboy_triage_last_run_timestamp_seconds                           when this file was written
Labels given with --label k=v are added to every series.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from triage.report import Report

SEVERITIES = ("error", "warning", "info")


def render(report: Report, labels: Mapping[str, str] | None = None, now: float | None = None, **_: object) -> str:
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    extra = dict(labels or {})
    names = tuple(extra)
    registry = CollectorRegistry()

    def gauge(name: str, doc: str, own: tuple[str, ...] = ()) -> Gauge:
        return Gauge(name, doc, [*own, *names], registry=registry)

    finding = gauge(
        "warboy_triage_finding",
        "Evidence lines of each finding in the last run (present only while the finding is).",
        ("id", "severity", "component", "kind", "confidence"),
    )
    for f in report.findings:
        finding.labels(f.id, f.severity, f.component, f.kind, f.confidence, *extra.values()).set(
            f.evidence_count or len(f.evidence)
        )
    by_severity = gauge("warboy_triage_findings", "Findings of each severity in the last run.", ("severity",))
    for severity in SEVERITIES:
        by_severity.labels(severity, *extra.values()).set(sum(1 for f in report.findings if f.severity == severity))
    versions = gauge(
        "warboy_triage_component_version_info",
        "Furiosa component versions seen in the logs (value 1).",
        ("component", "version"),
    )
    for component, info in sorted(report.versions.items()):
        versions.labels(component, info.version, *extra.values()).set(1)

    def plain(name: str, doc: str, value: float) -> None:
        g = gauge(name, doc)
        (g.labels(*extra.values()) if names else g).set(value)  # a gauge without labels takes no labels()

    plain("warboy_triage_input_lines", "Lines read in the last run.", sum(s.lines for s in report.sources))
    plain("warboy_triage_input_bytes", "Bytes read in the last run.", sum(s.bytes for s in report.sources))
    plain(
        "warboy_triage_last_run_timestamp_seconds",
        "When warboy-triage last wrote this file (Unix time).",
        time.time() if now is None else now,
    )
    return generate_latest(registry).decode()
