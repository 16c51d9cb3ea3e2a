"""`--follow`: tail -F over files and directories, diagnosing lines as they arrive.

Each followed file has its own open Analysis (the same stages as a whole-file run). After lines
arrive, a snapshot is taken at most every `debounce` seconds and an event is emitted for every
finding that is new or whose evidence count or rank changed: so a finding is reported within about
a second of the line that shows it, and again when it grows, never only at the end.

tail -F semantics, by polling (portable, no inotify): a file replaced under the same name (log
rotation) is read to its end and the new file from its start; a file that shrinks (truncation,
copytruncate), or whose last bytes read changed (truncated and rewritten longer between two
polls), is read again from its start; a named file that does not exist yet, or a new *.log
in a followed directory, is picked up when it appears. Files named on the command line are read
from their start; files already in a followed directory when it starts, from their end (old compile
logs are history, not news). Memory stays flat: the analyses keep bounded evidence, and a line
longer than the reader's cap is cut.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from triage.kb import KnowledgeBase
from triage.pipeline import DEFAULT_MAX_EVIDENCE, Analysis
from triage.reader import MAX_LINE, Source
from triage.report import Finding, Report
from triage.scan import Skipped, scan_blocks

READ_CHUNK = 1024 * 1024
MAX_READ_PER_POLL = 64 * 1024 * 1024  # then yield to the other files and to the snapshot
FINGERPRINT = 64  # bytes before the read position, compared at each poll to notice a rewrite


class FollowError(Exception):
    """A target that cannot be followed; the message names it and says what to do."""


def _open_regular(path: Path) -> tuple[object, os.stat_result] | None:
    """The file opened for reading, or None when it is missing or not a regular file: a FIFO would
    block the open until a writer comes, a device (/dev/zero) never ends, a pipe cannot be seeked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb"), st


@dataclass
class FollowEvent:
    kind: str
    """'finding' (new or changed), 'rotated', 'truncated', 'opened'."""
    source: str
    finding: Finding | None = None
    change: str = ""
    """For findings: 'new' or 'updated'."""
    report: Report | None = None


@dataclass
class _Followed:
    path: Path
    analysis: Analysis
    source: Source
    handle: object = None
    inode: tuple[int, int] | None = None
    pos: int = 0
    partial: bytearray = field(default_factory=bytearray)
    last_read: bytes = b""
    """The last bytes read before pos: when they changed, the file was rewritten in place."""
    overflow: bool = False
    line_no: int = 0
    dirty: bool = False
    last_snapshot: float = 0.0
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    """finding id -> (evidence count, rank) last emitted."""


class Follower:
    def __init__(
        self,
        targets: Iterable[str],
        kb: KnowledgeBase,
        max_evidence: int = DEFAULT_MAX_EVIDENCE,
        debounce: float = 0.3,
        clock: Callable[[], float] = time.monotonic,
        backend: str = "auto",
    ) -> None:
        from triage.fastpath import ScannerCache, resolve_backend

        self.scanners = ScannerCache(resolve_backend(backend)[0], kb)
        self.kb = kb
        self.max_evidence = max_evidence
        self.debounce = debounce
        self.clock = clock
        self.files: dict[Path, _Followed] = {}
        self.directories: list[Path] = []
        self.pending: list[Path] = []  # named files that do not exist yet
        self.stdin: _Followed | None = None
        self.finished = False
        """Standard input reached its end and nothing else is followed."""
        for target in targets:
            if target == "-":
                self.stdin = self._new_state(Path("<stdin>"))
                continue
            path = Path(target)
            if path.is_dir():
                self.directories.append(path)
                for log in sorted(path.glob("*.log")):
                    self._add(log, from_end=True)
            elif path.exists() and not path.is_file():
                raise FollowError(
                    f"{target}: not a regular file; --follow reads files and directories"
                    f" (for a pipe or a command's output: CMD | warboy-triage --follow -)"
                )
            else:
                self.pending.append(path)

    def _add(self, path: Path, from_end: bool = False) -> _Followed | None:
        opened = _open_regular(path)  # kept open while followed, closed on rotation
        if opened is None:
            return None
        handle, st = opened
        followed = self._new_state(path)
        followed.handle, followed.inode = handle, (st.st_dev, st.st_ino)
        if from_end:
            followed.pos = handle.seek(0, os.SEEK_END)  # type: ignore[attr-defined]
            handle.seek(max(0, followed.pos - FINGERPRINT))  # type: ignore[attr-defined]
            followed.last_read = handle.read(FINGERPRINT)  # type: ignore[attr-defined]
        self.files[path] = followed
        return followed

    def _new_state(self, path: Path) -> _Followed:
        source = Source(name=str(path))
        analysis = Analysis(self.kb, self.max_evidence)
        analysis.start(source)
        return _Followed(path=path, analysis=analysis, source=source)

    def poll(self) -> list[FollowEvent]:
        """Read what arrived since the last poll; the events it makes."""
        events: list[FollowEvent] = []
        for path in list(self.pending):
            if path.exists() and self._add(path) is not None:
                self.pending.remove(path)
                events.append(FollowEvent("opened", str(path)))
        for directory in self.directories:
            for log in sorted(directory.glob("*.log")):
                if log not in self.files and self._add(log) is not None:
                    events.append(FollowEvent("opened", str(log)))
        for followed in list(self.files.values()):
            events += self._read(followed)
            events += self._maybe_snapshot(followed)
        if self.stdin is not None:
            ended = self._read_stdin(self.stdin)
            events += self._maybe_snapshot(self.stdin, force=ended)
            if ended:
                self.stdin = None
                self.finished = not (self.files or self.pending or self.directories)
        return events

    def _read_stdin(self, f: _Followed) -> bool:
        """What standard input has now, without waiting; True at its end."""
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError):  # closed (`<&-`): an input that has ended
            f.analysis.end_source()
            return True
        budget = MAX_READ_PER_POLL
        while budget > 0 and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, READ_CHUNK)
            if not chunk:
                if f.partial:
                    self._feed(f, b"\n")
                f.analysis.end_source()
                return True
            budget -= len(chunk)
            f.source.bytes_read += len(chunk)
            self._feed(f, chunk)
        return False

    def _read(self, f: _Followed) -> list[FollowEvent]:
        events: list[FollowEvent] = []
        try:
            st = os.stat(f.path)
        except OSError:
            st = None  # moved away and not yet replaced: keep reading the open file
        handle = f.handle
        assert handle is not None
        if st is not None and (st.st_dev, st.st_ino) != f.inode:
            self._drain(f)  # the rest of the rotated file first
            handle.close()  # type: ignore[attr-defined]
            self._restart(f, "rotated")
            events.append(FollowEvent("rotated", str(f.path)))
            return events
        if st is not None and (st.st_size < f.pos or self._rewritten(f)):
            self._restart(f, "truncated", reopen=False)
            events.append(FollowEvent("truncated", str(f.path)))
        self._drain(f)
        return events

    def _rewritten(self, f: _Followed) -> bool:
        """Truncated and written past the old end between two polls (copytruncate, then a burst):
        the size never looked smaller, but the bytes before our position are not the ones we read."""
        if not f.last_read:
            return False
        handle = f.handle
        handle.seek(f.pos - len(f.last_read))  # type: ignore[attr-defined]
        return handle.read(len(f.last_read)) != f.last_read  # type: ignore[attr-defined,no-any-return]

    def _restart(self, f: _Followed, why: str, reopen: bool = True) -> None:
        """A new generation of the file: its own analysis, read from its start."""
        fresh = self._new_state(f.path)
        f.analysis, f.source, f.line_no, f.pos, f.seen = fresh.analysis, fresh.source, 0, 0, {}
        f.partial.clear()
        f.last_read = b""
        f.source.notes.append(f"followed from its start after the file was {why}")
        if reopen:
            opened = _open_regular(f.path)
            if opened is None:  # gone again, or now a FIFO or a device: wait for a regular file
                del self.files[f.path]
                self.pending.append(f.path)
            else:
                f.handle, st = opened
                f.inode = (st.st_dev, st.st_ino)
        else:
            f.handle.seek(0)  # type: ignore[attr-defined]
        f.dirty = True

    def _drain(self, f: _Followed) -> None:
        handle = f.handle
        assert handle is not None
        handle.seek(f.pos)  # type: ignore[attr-defined]
        budget = MAX_READ_PER_POLL
        while budget > 0:
            chunk = handle.read(min(READ_CHUNK, budget))  # type: ignore[attr-defined]
            if not chunk:
                break
            budget -= len(chunk)
            f.pos += len(chunk)
            f.source.bytes_read += len(chunk)
            f.last_read = (f.last_read + chunk[-FINGERPRINT:])[-FINGERPRINT:]
            self._feed(f, chunk)

    def _feed(self, f: _Followed, chunk: bytes) -> None:
        """Complete lines go through the fast scan (the lines no rule or parser needs are only
        counted); the unfinished last line waits for the rest, capped as the reader caps lines.
        NULs are dropped as the reader drops them (copytruncate leaves a hole of them)."""
        if b"\x00" in chunk:
            chunk = chunk.translate(None, b"\x00")
        if f.overflow:  # the rest of an over-long line: dropped up to its end
            nl = chunk.find(b"\n")
            if nl < 0:
                return
            chunk = chunk[nl:]  # keep the LF: it ends the capped line held in partial
            f.overflow = False
        data = bytes(f.partial) + chunk
        last = data.rfind(b"\n")
        if last < 0:
            f.partial = bytearray(data[:MAX_LINE])
            f.overflow = len(data) > MAX_LINE
            return
        f.partial = bytearray(data[last + 1 :][:MAX_LINE])
        f.overflow = len(data) - last - 1 > MAX_LINE
        block = data[: last + 1]
        scanner = self.scanners.get(block)
        exceptions = f.analysis.parsers.exceptions
        for item in scan_blocks([block], f.source, scanner, f.line_no + 1, exceptions.in_traceback):
            if type(item) is Skipped:
                f.analysis.skipped(item)
            else:
                f.analysis.feed(item, f.source.name)  # type: ignore[arg-type]
        f.line_no = f.source.lines
        f.dirty = True

    def _maybe_snapshot(self, f: _Followed, force: bool = False) -> list[FollowEvent]:
        now = self.clock()
        if not f.dirty or (now - f.last_snapshot < self.debounce and not force):
            return []
        f.dirty, f.last_snapshot = False, now
        report = f.analysis.snapshot()
        events = []
        for finding in report.findings:
            state = (finding.evidence_count, finding.rank)
            before = f.seen.get(finding.id)
            if before != state:
                change = "new" if before is None else "updated"
                events.append(FollowEvent("finding", f.source.name, finding, change, report))
                f.seen[finding.id] = state
        return events

    def close(self) -> None:
        for f in self.files.values():
            with contextlib.suppress(OSError):
                f.handle.close()  # type: ignore[attr-defined]
