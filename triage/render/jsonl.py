"""`--format jsonl`: one JSON object per line, for log shippers and fleet pipelines.

Records, each with a `record` field saying what it is:
  {"record": "finding", "source": ..., <every Finding field>}   one per finding, in rank order
  {"record": "note", "note": ...}                                what the analysis had to skip
  {"record": "source", "source": ..., "lines", "bytes", "notes", "findings", "schema_version"}
The `source` record comes last for each input: when it is written, that input is finished.
With labels (`--label k=v`, and the host name by default on the command line) every record carries
`"labels": {...}` and each finding a stable `"key"` (same cause, input and labels: same key).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from triage.labels import finding_key
from triage.report import Finding, Report
from triage.safety import json_safe


def json_line(obj: dict) -> str:  # type: ignore[type-arg]
    """One record as one physical line: json.dumps escapes LF and C0; json_safe adds C1 and bidi."""
    return json_safe(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))


def finding_record(finding: Finding, source: str, labels: Mapping[str, str] | None, **extra: object) -> dict:  # type: ignore[type-arg]
    """A finding's record (also `--follow`'s events): its fields, and with labels a stable key and the labels."""
    key = {"key": finding_key(finding.id, source, labels)} if labels else {}
    tag = {"labels": dict(labels)} if labels else {}
    return {"record": "finding", **extra, "source": source, **key, **finding.to_plain(), **tag}


def records(report: Report, labels: Mapping[str, str] | None = None) -> Iterator[str]:
    only = report.sources[0].name if len(report.sources) == 1 else ""
    tag = {"labels": dict(labels)} if labels else {}
    for f in report.findings:
        source = only or (f.evidence[0].source if f.evidence else "")
        yield json_line(finding_record(f, source, labels))
    for note in report.notes:
        yield json_line({"record": "note", "source": only, "note": note, **tag})
    for s in report.sources:
        mine = sum(1 for f in report.findings if only or any(e.source == s.name for e in f.evidence))
        yield json_line(
            {
                "record": "source",
                "source": s.name,
                "lines": s.lines,
                "bytes": s.bytes,
                "notes": s.notes,
                "findings": mine,
                "schema_version": report.schema_version,
                **tag,
            }
        )


def render(report: Report, labels: Mapping[str, str] | None = None, **_: object) -> str:
    return "".join(r + "\n" for r in records(report, labels))
