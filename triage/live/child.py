"""Run a command with its output passed through as it comes, and a copy handed to a callback.

On a terminal the command gets a pseudo-terminal for stdout and stderr, so it keeps its
colours and progress bars and its two streams stay in the order it wrote them (as on any
terminal). Otherwise two pipes: stdout goes to our stdout and stderr to our stderr, each
byte-identical, and the copy keeps the order in which the chunks arrived.

The command stays in our process group: Ctrl-C in the terminal reaches it directly, and we
only wait for it to end. A SIGTERM or SIGHUP sent to us is passed on to it.
"""

from __future__ import annotations

import errno
import io
import os
import selectors
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CHUNK = 64 * 1024
GRACE = 2.0
"""Seconds we keep reading after the command exited: a process it started in the background (a
daemon, a server) can hold its output open for hours, and the run must not wait for that."""


@dataclass
class ChildResult:
    returncode: int
    """The command's exit status; for a command killed by signal N, 128 + N (as shells report it)."""
    signal: int | None = None
    interrupted: bool = False
    """We saw Ctrl-C (SIGINT) while it ran."""
    held_open: bool = False
    """The command exited but a process it started still held its output open; we stopped reading."""


class StartError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run(
    argv: Sequence[str],
    copy: Callable[[bytes], None],
    use_pty: bool,
    out: Callable[[bytes], None] | None = None,
    err: Callable[[bytes], None] | None = None,
) -> ChildResult:
    """Run argv; every chunk it prints goes to out/err (default: our own stdout/stderr) and to copy."""
    out = out or _writer(sys.stdout)
    err = err or _writer(sys.stderr)
    interrupted = False
    started: list[subprocess.Popen[bytes]] = []  # filled by _start, read by the signal handler

    def on_sigint(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True  # the command got it too (same process group); let it decide

    def forward(signum: int, frame: object) -> None:
        if started and started[0].poll() is None:
            started[0].send_signal(signum)

    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    signal.signal(signal.SIGINT, on_sigint)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        pump = _pump_pty(argv, copy, out, started) if use_pty else _pump_pipes(argv, copy, out, err, started)
        proc, held_open = pump
        code = proc.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if code < 0:
        return ChildResult(128 - code, signal=-code, interrupted=interrupted, held_open=held_open)
    return ChildResult(code, interrupted=interrupted, held_open=held_open)


class _Deadline:
    """Until the command exits, no deadline; from then on, GRACE seconds to read what is left."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.at: float | None = None

    def timeout(self) -> float | None:
        """How long the next wait for output may take (polling for the command's exit meanwhile)."""
        if self.at is None:
            if self.proc.poll() is None:
                return 0.2
            self.at = time.monotonic() + GRACE
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at


def _start(argv: Sequence[str], started: list[subprocess.Popen[bytes]], **kwargs: object) -> subprocess.Popen[bytes]:
    name = argv[0]
    if not name:
        raise StartError("the command name is empty", 127)
    if os.sep in name and os.path.isdir(name):
        raise StartError(f"{name}: is a directory, not a command", 126)
    try:
        proc: subprocess.Popen[bytes] = subprocess.Popen(list(argv), **kwargs)  # type: ignore[call-overload]
        started.append(proc)
        return proc
    except FileNotFoundError:
        raise StartError(f"{name}: command not found{_log_hint(name)}", 127) from None
    except PermissionError:
        raise StartError(f"{name}: permission denied (not executable?){_log_hint(name)}", 126) from None
    except OSError as exc:
        raise StartError(f"{name}: cannot start ({exc.strerror or exc})", 126) from None


def _log_hint(name: str) -> str:
    """`run -- build.log`: the user meant to diagnose the file, not to run it."""
    if os.path.isfile(name) and not os.access(name, os.X_OK):
        return f"; to diagnose a log file: warboy-triage {shlex.quote(name)}"
    return ""


def _pump_pipes(
    argv: Sequence[str],
    copy: Callable[[bytes], None],
    out: Callable[[bytes], None],
    err: Callable[[bytes], None],
    started: list[subprocess.Popen[bytes]],
) -> tuple[subprocess.Popen[bytes], bool]:
    proc = _start(argv, started, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert proc.stdout is not None and proc.stderr is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    deadline = _Deadline(proc)
    while sel.get_map() and not deadline.passed():
        for key, _ in _select(sel, deadline.timeout()):
            chunk = os.read(key.fd, CHUNK)
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            key.data(chunk)
            copy(chunk)
    held_open = bool(sel.get_map())
    sel.close()
    proc.stdout.close()  # a background process that still writes gets SIGPIPE, as after `cmd | head`
    proc.stderr.close()
    return proc, held_open


def _pump_pty(
    argv: Sequence[str],
    copy: Callable[[bytes], None],
    out: Callable[[bytes], None],
    started: list[subprocess.Popen[bytes]],
) -> tuple[subprocess.Popen[bytes], bool]:
    import pty

    master, slave = pty.openpty()
    _copy_window_size(master)
    try:
        proc = _start(argv, started, stdout=slave, stderr=slave)
    finally:
        os.close(slave)
    deadline = _Deadline(proc)
    held_open = False
    try:
        while True:
            if deadline.passed():
                held_open = True
                break
            if not _readable(master, deadline.timeout()):
                continue
            try:
                chunk = os.read(master, CHUNK)
            except InterruptedError:
                continue
            except OSError as exc:  # EIO: the command closed its end (it exited)
                if exc.errno == errno.EIO:
                    break
                raise
            if not chunk:
                break
            out(chunk)
            copy(chunk)
    finally:
        os.close(master)
    return proc, held_open


def _select(sel: selectors.BaseSelector, timeout: float | None) -> list:  # type: ignore[type-arg]
    while True:
        try:
            return sel.select(timeout)
        except InterruptedError:
            continue


def _readable(fd: int, timeout: float | None) -> bool:
    import select

    try:
        return bool(select.select([fd], [], [], timeout)[0])
    except InterruptedError:
        return False


def _copy_window_size(master: int) -> None:
    import fcntl
    import termios

    for stream in (sys.stdout, sys.stdin):
        try:  # either may be closed (None) or not a real file (an IDE, a test runner)
            size = fcntl.ioctl(stream.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
            fcntl.ioctl(master, termios.TIOCSWINSZ, size)
            return
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            continue


def _writer(stream) -> Callable[[bytes], None]:  # type: ignore[no-untyped-def]
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):  # closed (`>&-`): the copy still counts
        return lambda data: None
    broken = False

    def write(data: bytes) -> None:
        nonlocal broken
        if broken:
            return  # our reader went away; the command still runs and is still copied
        try:
            stream.flush()
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        except BrokenPipeError:
            broken = True

    return write
