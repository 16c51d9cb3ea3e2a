"""A bounded copy on disk of what a command printed: its head in full, then a rolling tail.

A compile or an inference server can print for hours; the diagnosis needs the banners at the
start (versions) and the failure at the end, not every line between. So the first `head_bytes`
go to one file and the rest to a tail that keeps at most the last `tail_bytes` (two files that
take turns), and the note says how much was left out. Disk use stays below head + 2 x tail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

DEFAULT_HEAD = 16 * 1024 * 1024
DEFAULT_TAIL = 48 * 1024 * 1024


class Spool:
    def __init__(self, head_bytes: int = DEFAULT_HEAD, tail_bytes: int = DEFAULT_TAIL) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="warboy-triage-run-"))
        os.chmod(self.dir, 0o700)  # a command's output can hold secrets
        self.head_bytes, self.tail_bytes = head_bytes, tail_bytes
        self.head = self.dir / "head.log"
        self._head = open(self.head, "wb")  # noqa: SIM115 - open for the whole run, closed by close()
        self._tails = [self.dir / "tail-0.log", self.dir / "tail-1.log"]
        self._tail: BinaryIO | None = None  # the open tail file, once the head is full
        self._tail_index = 0
        self._tail_size = 0
        self.total = 0
        self.dropped = 0
        self._head_full = head_bytes <= 0
        self.head_written = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        # NUL bytes carry no text; kept, a binary blob the command dumped would make the reader
        # reject the whole output as binary data and the failure after it would go undiagnosed
        data = data.replace(b"\x00", b"")
        if not self._head_full:
            room = self.head_bytes - self.head_written
            if len(data) <= room:
                self._head.write(data)
                self.head_written += len(data)
                return
            cut = data.rfind(b"\n", 0, room) + 1  # the head ends with a whole line when it can
            self._head.write(data[:cut])
            self.head_written += cut
            data = data[cut:]
            self._head_full = True
        if self._tail is None or self._tail_size >= self.tail_bytes:
            self._rotate()
        assert self._tail is not None
        self._tail.write(data)
        self._tail_size += len(data)

    def _rotate(self) -> None:
        if self._tail is not None:
            self._tail.close()
            self._tail_index ^= 1
        older = self._tails[self._tail_index]
        if older.exists():
            self.dropped += older.stat().st_size
        self._tail = open(older, "wb")  # noqa: SIM115 - likewise
        self._tail_size = 0

    def close(self) -> None:
        self._head.close()
        if self._tail is not None:
            self._tail.close()

    def parts(self) -> list[Path]:
        """The files to read, in order: head, then the older and the newer tail."""
        newer = self._tails[self._tail_index]
        older = self._tails[self._tail_index ^ 1]
        return [p for p in (self.head, older, newer) if p.exists() and p.stat().st_size]

    def note(self) -> str | None:
        if not self.dropped:
            return None
        return (
            f"the command printed {self.total:,} bytes; the diagnosis read the first {self.head_written:,} and the"
            f" last {self.total - self.head_written - self.dropped:,} ({self.dropped:,} in between were not kept)"
        )

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.dir, ignore_errors=True)
