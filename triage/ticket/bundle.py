"""Assemble a ticket: inputs -> analysis -> doctor -> markdown -> (redacted) files -> zip or tar.gz.

Redaction runs over everything that leaves the machine, in two passes over all of it
(triage/redact.py), including the names of the files. Logs are never held in memory: they are
analysed, scanned and redacted as streams, file to file. The pseudonym mapping is returned to
the caller and never written into the bundle.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from triage import __version__
from triage.doctor.model import DoctorReport
from triage.kb import KnowledgeBase
from triage.redact import Redactor, Replacement, residue
from triage.report import Report
from triage.ticket.files import COPY_CHUNK, Workspace, check_named, follow_target, furiosa_log_dirs
from triage.ticket.inputs import InputError, LogInput, compile_log_pointers, compile_log_pointers_in, copy_log
from triage.ticket.markdown import render_ticket

MANIFEST_NOTE = (
    "Redacted by warboy-triage: host, user and Kubernetes names, IP and MAC addresses, e-mail"
    " addresses, private keys, tokens and other secrets, device serials, UUIDs and environment values"
    " were replaced by stable pseudonyms such as <host-1>. The mapping back to the original values is"
    " not in this bundle."
)


JSON_KINDS = ("report", "doctor")


@dataclass
class Member:
    """One file of the bundle, before redaction: generated text, or a log read from `path`."""

    arcname: str
    text: str | None
    kind: str  # log, compile-log, report, doctor, ticket
    source: str = ""
    path: str | None = None

    def strings(self) -> Iterator[tuple[str, str]]:
        """(where, text) pieces of a generated member. JSON is walked value by value, because its
        escapes (a newline is `\\n`) would hide a value's word boundaries from the patterns."""
        if self.text is None:
            return
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
    workspace: Workspace | None = None

    def redacted(self, text: str) -> str:
        return self.redactor.apply(text) if self.redactor else text

    def write_member(self, m: Member, out: BinaryIO) -> None:
        """The member's bytes as they go into the bundle, streamed for logs."""
        if m.path is not None:
            with open(m.path, "rb") as src:
                if self.redactor is None:
                    shutil.copyfileobj(src, out, COPY_CHUNK)
                else:
                    self.redactor.apply_stream(src, out, key=m.path)  # pass 1's spans of this file
            return
        text = m.text or ""
        if self.redactor is not None:
            if m.kind in JSON_KINDS:
                text = json.dumps(_json_map(json.loads(text), self.redactor.apply), indent=2, ensure_ascii=False) + "\n"
            else:
                text = self.redactor.apply(text)
        out.write(text.encode("utf-8"))

    def member_bytes(self, m: Member) -> bytes:
        buf = io.BytesIO()
        self.write_member(m, buf)
        return buf.getvalue()

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()


def gather(
    files: list[str],
    stdin: LogInput | str | bool | None,
    follow: Callable[[str], bool],
    workspace: Workspace | None = None,
    log_dirs: list[str] | None = None,
) -> tuple[list[LogInput], list[tuple[str, str]]]:
    """The named logs (each once), plus each compile log they point at that sits under a Furiosa log
    directory and for which follow(path) says yes; and (path, why) for the compile logs left out.
    stdin: True reads standard input; a string or a LogInput is a log given as is."""
    ws = workspace or Workspace()
    dirs = furiosa_log_dirs() if log_dirs is None else log_dirs
    inputs: list[LogInput] = []
    seen: set[str] = set()
    for name in files:
        real = check_named(name, dirs)
        if real in seen:
            continue  # each file once
        seen.add(real)
        log = copy_log(name, ws, real=real)
        inputs.append(log)
    if stdin is True:
        inputs.append(copy_log(None, ws))
    elif isinstance(stdin, str):
        inputs.append(LogInput(name="<stdin>", text=stdin))
    elif isinstance(stdin, LogInput):
        inputs.append(stdin)
    skipped: dict[str, str] = {}
    for item in list(inputs):
        pointers = compile_log_pointers_in(item.path) if item.path is not None else compile_log_pointers(item.text)
        for pointer in pointers:
            if pointer in skipped:
                continue
            target, why = follow_target(pointer, dirs)
            if target is not None and target in seen:
                continue
            if target is None:
                skipped[pointer] = why
            elif follow(pointer):
                seen.add(target)
                log = copy_log(target, ws, kind="compile-log", real=target)
                log.name = pointer
                if log.source is not None:
                    log.source.name = pointer
                inputs.append(log)
            else:
                skipped[pointer] = "not followed (add it with --follow-compile-log)"
    return inputs, list(skipped.items())


FAST_FROM = 1 << 20  # a copy this large is analysed by the fast scan (its fixed cost pays off)


def _analysis_streams(inputs: list[LogInput], kb: KnowledgeBase) -> Iterator[tuple[Any, Iterator[Any]]]:
    """Each input's (Source, lines) for the analysis. A large private copy goes through the fast scan,
    as analyze reads a file (the same report; line by line a 20 MB log took 30 s); the Source is
    the one the reader counted when the log was copied."""
    for item in inputs:
        if item.path is None or item.source is None or os.path.getsize(item.path) < FAST_FROM:
            yield item.stream()
            continue
        from triage.fastpath import fast_streams

        _, lines = next(fast_streams([item.path], kb, "auto", max_bytes=None))
        yield item.source, lines


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

    report = analyze_streams(_analysis_streams(inputs, kb), kb)  # the reader's own Source: lines, bytes, notes
    arcnames = _arcnames(inputs)
    if bundle:
        attachments = [*arcnames, "report.json", *(["doctor.json"] if doctor else []), "ticket.md", "manifest.json"]
    else:
        attachments = [i.name for i in inputs]
    markdown = render_ticket(report, doctor, attachments, not_attached, lang)
    members = [
        Member(a, None if i.path else i.text, i.kind, i.name, i.path) for a, i in zip(arcnames, inputs, strict=True)
    ]
    members.append(Member("report.json", report.model_dump_json(indent=2) + "\n", "report"))
    if doctor is not None:
        members.append(Member("doctor.json", doctor.model_dump_json(indent=2) + "\n", "doctor"))
    members.append(Member("ticket.md", markdown, "ticket"))
    workspace = next((i.workspace for i in inputs if i.workspace is not None), None)
    ticket = Ticket(markdown, members, report, doctor, not_attached, redactor, workspace)
    if redactor is not None:
        # pass 1 over everything that can leave the machine, names included; pass 2 happens on output
        for m in members:
            if m.path is not None:
                with open(m.path, "rb") as fh:
                    redactor.scan_stream(fh, key=m.path)  # its spans are kept for pass 2
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
        if m.path is not None:
            with open(m.path, "rb") as fh:
                lines = (raw.decode("utf-8", errors="replace").rstrip("\r\n") for raw in fh)
                for no, old, new, done in ticket.redactor.preview(lines):
                    yield m.arcname, no, old, new, done
        for where, text in m.strings():
            for no, old, new, done in ticket.redactor.preview(text):
                yield where, no, old, new, done


def what_stayed(ticket: Ticket, limit: int = 30) -> list[tuple[str, int]]:
    """Tokens left in the redacted bundle that could still identify a machine or a person."""
    if ticket.redactor is None:
        return []
    redactor = ticket.redactor
    ws = ticket.workspace or Workspace()

    def texts() -> Iterator[str]:
        for m in ticket.members:
            out, staged = ws.new_file()
            with out:
                ticket.write_member(m, out)
            with open(staged, "rb") as fh:
                for chunk in iter(partial(fh.read, COPY_CHUNK), b""):
                    yield chunk.decode("utf-8", errors="replace")
            os.unlink(staged)
            yield redactor.apply(m.arcname)

    return residue(texts(), limit)


BUNDLE_TYPES = {".zip": "zip", ".tar.gz": "tar.gz", ".tgz": "tar.gz"}


def bundle_type(path: Path) -> str:
    """zip or tar.gz, from the file name; a clear error for anything else."""
    name = path.name.lower()
    for suffix, kind in BUNDLE_TYPES.items():
        if name.endswith(suffix):
            return kind
    raise InputError(f"{path}: unknown bundle type; name it .zip, .tar.gz or .tgz")


class _Hashing(io.RawIOBase):
    def __init__(self, out: BinaryIO) -> None:
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self.sha.update(data)
        self.size += len(data)
        self.out.write(data)
        return len(data)


def _tarinfo(arcname: str, size: int, mtime: float) -> tarfile.TarInfo:
    """No owner, group or user name from this machine in the archive."""
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_bundle(ticket: Ticket, path: Path) -> list[dict]:
    """Write the bundle (zip or tar.gz by its name) atomically, member by member through a private
    file; returns the manifest's file list."""
    kind = bundle_type(path)
    ws = ticket.workspace or Workspace()
    entries: list[dict] = []
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=".warboy-triage-", suffix=".part", dir=directory)
    now = datetime.now(timezone.utc)
    try:
        with os.fdopen(fd, "wb") as fh:
            archive: Any = (
                zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED)
                if kind == "zip"
                else tarfile.open(fileobj=fh, mode="w:gz", format=tarfile.PAX_FORMAT)  # noqa: SIM115 - closed below
            )
            with archive:

                def add(arcname: str, staged: str, size: int) -> None:
                    if kind == "zip":
                        archive.write(staged, arcname)
                    else:
                        with open(staged, "rb") as src:
                            archive.addfile(_tarinfo(arcname, size, now.timestamp()), src)
                    os.unlink(staged)

                for m in ticket.members:
                    out, staged = ws.new_file()
                    with out:
                        hashing = _Hashing(out)
                        ticket.write_member(m, hashing)  # type: ignore[arg-type]
                    arcname = ticket.redacted(m.arcname)
                    add(arcname, staged, hashing.size)
                    entries.append(
                        {
                            "path": arcname,
                            "kind": m.kind,
                            "bytes": hashing.size,
                            "sha256": hashing.sha.hexdigest(),
                            **({"source": ticket.redacted(m.source)} if m.source else {}),
                        }
                    )
                manifest = {
                    "tool": f"warboy-triage {__version__}",
                    "created_at": now.isoformat(timespec="seconds"),
                    "redacted": ticket.redactor is not None,
                    "redactions": ticket.redactor.counts() if ticket.redactor else {},
                    "note": MANIFEST_NOTE if ticket.redactor else "NOT redacted (--no-redact): review before sending.",
                    "files": entries,
                    "not_included": [
                        {"path": ticket.redacted(p), "why": f"named by a log; {why}"} for p, why in ticket.not_attached
                    ],
                }
                out, staged = ws.new_file()
                data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
                with out:
                    out.write(data)
                add("manifest.json", staged, len(data))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return entries


write_zip = write_bundle  # the old name
