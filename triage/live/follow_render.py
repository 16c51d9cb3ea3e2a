"""How `--follow` events are written: JSONL records (the same finding fields as `--format jsonl`, plus
`event`), or one short text line each."""

from __future__ import annotations

import time
from collections.abc import Mapping

from triage.live.follow import FollowEvent
from triage.render.jsonl import finding_record, json_line
from triage.safety import terminal_safe


def jsonl(event: FollowEvent, labels: Mapping[str, str]) -> str:
    record: dict[str, object]
    if event.finding is not None:
        record = finding_record(event.finding, event.source, labels, event=event.change)
    else:
        record = {"record": event.kind, "source": event.source, **({"labels": dict(labels)} if labels else {})}
    record["time"] = round(time.time(), 3)
    return json_line(record) + "\n"


def text(event: FollowEvent, lang: str = "en") -> str:
    stamp = time.strftime("%H:%M:%S")
    if event.finding is None:
        return terminal_safe(f"{stamp} {event.kind}: {event.source}", keep_newlines=False) + "\n"
    f = event.finding
    title = f.title_ko if lang == "ko" and f.title_ko else f.title
    where = f" at line {f.evidence[0].line}" if f.evidence else ""
    line = (
        f"{stamp} {event.change.upper()} [{f.severity.upper()}] {f.id}: {title}"
        f" ({f.evidence_count} line{'s' if f.evidence_count != 1 else ''}; {event.source}{where})"
    )
    return terminal_safe(line, keep_newlines=False) + "\n"
