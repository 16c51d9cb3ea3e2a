"""Assemble a ticket: inputs -> analysis -> doctor -> markdown -> (redacted) files -> zip.

Redaction runs over everything that leaves the machine, in two passes over all of it
(triage/redact.py), including the names of the files. The pseudonym mapping is returned to
the caller and never written into the zip.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from triage import __version__
from triage.doctor.model import DoctorReport
from triage.kb import KnowledgeBase
from triage.redact import Redactor, Replacement
from triage.report import Report
from triage.ticket.inputs import LogInput, compile_log_pointers, read_log
from triage.ticket.markdown import render_ticket

MANIFEST_NOTE = (
    "Redacted by warboy-triage: host names, IP and MAC addresses, e-mail addresses, user names in"
    " paths, tokens and keys, device serials and UUIDs were replaced by stable pseudonyms such as"
    " <host-1>. The mapping back to the original values is not in this bundle."
)


JSON_KINDS = ("report", "doctor")


@dataclass
class Member:
    """One file of the bundle, before redaction."""

    arcname: str
    text: str
    kind: str  # log, compile-log, report, doctor, ticket
    source: str = ""

    def strings(self) -> Iterator[tuple[str, str]]:
        """(where, text) pieces to redact. JSON is walked value by value, because its escapes
        (a newline is `\\n`) would hide a value's word boundaries from the patterns."""
        if self.kind in JSON_KINDS:
            yield from _json_strings(json.loads(self.text), self.arcname)
        else:
            yield self.arcname, self.text


def _json_strings(obj: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(obj, str):
        yield where, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _json_strings(k, f"{where}:{k}")
            yield from _json_strings(v, f"{where}:{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _json_strings(v, f"{where}[{i}]")


def _json_map(obj: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, dict):
        return {fn(k): _json_map(v, fn) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_json_map(v, fn) for v in obj]
    return obj


@dataclass
class Ticket:
    markdown: str
    members: list[Member]
    report: Report
    doctor: DoctorReport | None
    not_attached: list[tuple[str, str]] = field(default_factory=list)
    redactor: Redactor | None = None

    def redacted(self, text: str) -> str:
        return self.redactor.apply(text) if self.redactor else text

    def member_bytes(self, m: Member) -> bytes:
        if self.redactor is None:
            return m.text.encode("utf-8")
        if m.kind in JSON_KINDS:
            data = _json_map(json.loads(m.text), self.redactor.apply)
            return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        return self.redactor.apply(m.text).encode("utf-8")


def gather(
    files: list[str], stdin: LogInput | str | None, follow: Callable[[str], bool]
) -> tuple[list[LogInput], list[tuple[str, str]]]:
    """The named logs, plus each compile log they point at for which follow(path) says yes;
    and (path, why) for the compile logs left out."""
    inputs = [read_log(f) for f in files]
    if stdin is not None:
        inputs.append(LogInput(name="<stdin>", text=stdin) if isinstance(stdin, str) else stdin)
    named = {os.path.abspath(i.name) for i in inputs if i.name != "<stdin>"}
    skipped: dict[str, str] = {}
    for item in list(inputs):
        for path in compile_log_pointers(item.text):
            if os.path.abspath(path) in named or path in skipped:
                continue
            if not os.path.isfile(path):
                skipped[path] = "not found on this machine"
            elif follow(path):
                inputs.append(read_log(path, kind="compile-log"))
                named.add(os.path.abspath(path))
            else:
                skipped[path] = "not followed (add it with --follow-compile-log)"
    return inputs, list(skipped.items())


def _arcnames(inputs: list[LogInput]) -> list[str]:
    used: set[str] = set()
    out = []
    for item in inputs:
        base = "stdin.log" if item.name == "<stdin>" else PurePosixPath(item.name.replace("\\", "/")).name
        base = base.removesuffix(".gz") or "log"
        folder = "logs/compile" if item.kind == "compile-log" else "logs"
        name, n = f"{folder}/{base}", 1
        while name in used:
            n += 1
            stem, dot, ext = base.rpartition(".")
            name = f"{folder}/{stem}-{n}.{ext}" if dot else f"{folder}/{base}-{n}"
        used.add(name)
        out.append(name)
    return out


def build(
    inputs: list[LogInput],
    not_attached: list[tuple[str, str]],
    kb: KnowledgeBase,
    doctor: DoctorReport | None,
    redactor: Redactor | None,
    lang: str = "en",
    bundle: bool = True,
) -> Ticket:
    from triage.pipeline import analyze_streams

    report = analyze_streams((i.stream() for i in inputs), kb)  # the reader's own Source: lines, bytes, notes
    arcnames = _arcnames(inputs)
    if bundle:
        attachments = [*arcnames, "report.json", *(["doctor.json"] if doctor else []), "ticket.md", "manifest.json"]
    else:
        attachments = [i.name for i in inputs]
    markdown = render_ticket(report, doctor, attachments, not_attached, lang)
    members = [Member(a, i.text, i.kind, i.name) for a, i in zip(arcnames, inputs, strict=True)]
    members.append(Member("report.json", report.model_dump_json(indent=2) + "\n", "report"))
    if doctor is not None:
        members.append(Member("doctor.json", doctor.model_dump_json(indent=2) + "\n", "doctor"))
    members.append(Member("ticket.md", markdown, "ticket"))
    ticket = Ticket(markdown, members, report, doctor, not_attached, redactor)
    if redactor is not None:
        # pass 1 over everything that can leave the machine, names included; pass 2 happens on output
        for m in members:
            for _, text in m.strings():
                redactor.scan(text)
            redactor.scan(m.source)
            redactor.scan(m.arcname)
        for path, _ in not_attached:
            redactor.scan(path)
    return ticket


def preview(ticket: Ticket) -> Iterator[tuple[str, int, str, str, list[Replacement]]]:
    """(file, line number, original, redacted, replacements) for each line redaction changes."""
    if ticket.redactor is None:
        return
    for m in ticket.members:
        for where, text in m.strings():
            for no, old, new, done in ticket.redactor.preview(text):
                yield where, no, old, new, done


def write_zip(ticket: Ticket, path: Path) -> list[dict]:
    """Write the bundle atomically; returns the manifest's file list."""
    entries: list[dict] = []
    contents: list[tuple[str, bytes]] = []
    for m in ticket.members:
        data = ticket.member_bytes(m)
        arcname = ticket.redacted(m.arcname)
        contents.append((arcname, data))
        entries.append(
            {
                "path": arcname,
                "kind": m.kind,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                **({"source": ticket.redacted(m.source)} if m.source else {}),
            }
        )
    manifest = {
        "tool": f"warboy-triage {__version__}",
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "redacted": ticket.redactor is not None,
        "redactions": ticket.redactor.counts() if ticket.redactor else {},
        "note": MANIFEST_NOTE if ticket.redactor else "NOT redacted (--no-redact): review before sending.",
        "files": entries,
        "not_included": [
            {"path": ticket.redacted(p), "why": f"named by a log; {why}"} for p, why in ticket.not_attached
        ],
    }
    contents.append(("manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()))
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=".warboy-triage-", suffix=".zip", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for arcname, data in contents:
                zf.writestr(arcname, data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return entries
