"""`patterns new --from LOG[:LINE]`: pick the line, draft a pattern from it, check the draft.

Without LINE the line is the first evidence of the log's unrecognized-error finding (the failure
no pattern explains). The draft (triage/kb/scaffold.py) is validated twice: its TOML text through
the loader, and the pattern against the knowledge base as `patterns test` would.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from triage.kb import KnowledgeBase, PatternError
from triage.kb.loader import load_file
from triage.kb.scaffold import Draft, ScaffoldError, scaffold
from triage.parsers.log_records import parse_record
from triage.reader import ReaderError, read
from triage.unrecognized import PATTERN_ID

__all__ = ["CaptureError", "Draft", "draft_from_log", "split_spec", "write_draft"]


class CaptureError(Exception):
    """The log, the line or the draft cannot be used; the message says why (one line)."""


@dataclass(frozen=True)
class Spec:
    path: str
    line: int | None


def split_spec(spec: str) -> Spec:
    """'run.log:57' -> (run.log, 57); 'run.log' -> (run.log, None). A file whose name ends in
    ':digits' is taken whole when it exists."""
    m = re.fullmatch(r"(.+):(\d+)", spec)
    if m and not Path(spec).exists():
        return Spec(m.group(1), int(m.group(2)))
    return Spec(spec, None)


def _line_text(path: str, no: int) -> str:
    try:
        _, lines = read(path)
        for line in lines:
            if line.no == no:
                return line.text
            if line.no > no:
                break
    except ReaderError as exc:
        raise CaptureError(str(exc)) from None
    raise CaptureError(f"{path}: no line {no} (or it is blank)")


def _first_unrecognized(path: str, kb: KnowledgeBase) -> tuple[int, str]:
    from triage.pipeline import analyze

    try:
        report = analyze([path], kb)
    except ReaderError as exc:
        raise CaptureError(str(exc)) from None
    for f in report.findings:
        if f.id == PATTERN_ID and f.evidence:
            return f.evidence[0].line, f.evidence[0].text
    if not report.findings:  # "every failure is explained" misled when there was none at all
        raise CaptureError(f"{path}: no failure found in it (nothing to capture); name the line: {path}:LINE")
    raise CaptureError(
        f"{path}: every failure in it is explained (no {PATTERN_ID} finding); name the line: {path}:LINE"
    )


def _unique_id(kb: KnowledgeBase, pid: str) -> str:
    """A new id never silently replaces a bundled cause (a user pattern with its id would)."""
    if kb.get(pid) is None:
        return pid
    n = 2
    while kb.get(f"{pid}-{n}") is not None:
        n += 1
    return f"{pid}-{n}"


def draft_from_log(spec: str, kb: KnowledgeBase, pid: str | None = None) -> Draft:
    """The checked draft for LOG[:LINE]; problems (if any) are listed in draft.problems."""
    from triage.selfcheck import check_new_pattern

    where = split_spec(spec)
    if where.line is None:
        no, text = _first_unrecognized(where.path, kb)
    else:
        no, text = where.line, _line_text(where.path, where.line)
    record = parse_record(text)
    try:
        draft = scaffold(
            text,
            f"{where.path}:{no}",
            message=record.message if record else None,
            level=record.level if record else None,
            pid=pid,
        )
        if pid is None and kb.get(draft.pattern.id) is not None:
            draft = scaffold(
                text,
                f"{where.path}:{no}",
                message=record.message if record else None,
                level=record.level if record else None,
                pid=_unique_id(kb, draft.pattern.id),
            )
    except (ScaffoldError, ValueError) as exc:
        raise CaptureError(str(exc).splitlines()[0]) from None
    with tempfile.TemporaryDirectory() as tmp:  # the file as it will be written must load
        file = Path(tmp) / f"{draft.pattern.id}.toml"
        file.write_text(draft.toml, encoding="utf-8")
        try:
            load_file(file)
        except PatternError as exc:
            draft.problems.append(f"the TOML does not load: {exc}")
    draft.problems += check_new_pattern(kb, draft.pattern)
    return draft


def write_draft(draft: Draft, directory: Path, force: bool = False) -> Path:
    """Write <directory>/<id>.toml; never over an existing file unless force."""
    directory = directory.expanduser()
    if directory.exists() and not directory.is_dir():
        raise CaptureError(f"{directory}: not a directory; -o names the directory that gets <id>.toml")
    path = directory / f"{draft.pattern.id}.toml"
    if path.exists() and not force:
        raise CaptureError(f"{path} exists; choose another id (--id) or pass --force")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(draft.toml, encoding="utf-8")
    except OSError as exc:
        raise CaptureError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path
