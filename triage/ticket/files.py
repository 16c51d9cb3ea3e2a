"""Which files may go into a ticket, and a private place for the copies a ticket needs.

A ticket holds only the files the user named and the compile logs that sit under a Furiosa log
directory, by their resolved paths (a `..` or a symlink in a path printed by a log cannot reach
anything else), each file once. A named log that is a symlink to a regular file outside its own
directory is refused (a link to /etc/shadow is not a log). Every log is read once by the one reader
(triage/ticket/inputs.py: copy_log) into a private (0700) directory, so that the three reads a
ticket needs (analysis, redaction pass 1 and pass 2) see the same text, and memory stays flat.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import weakref
from collections.abc import Mapping
from typing import BinaryIO

from triage.ticket.inputs import InputError

COPY_CHUNK = 1 << 20


def furiosa_log_dirs(environ: Mapping[str, str] | None = None) -> list[str]:
    """Resolved directories where Furiosa writes its logs (furiosa-facts.md, 'Log files'): all the
    candidates, since the process that wrote the log may have had another environment."""
    from triage.furiosa_paths import log_dir_candidates

    env = os.environ if environ is None else environ
    if not env.get("HOME"):  # the rule's `~` must name this user's home here, not a directory called '~'
        env = {**env, "HOME": os.path.expanduser("~")}
    return list(dict.fromkeys(os.path.realpath(d) for d, _ in log_dir_candidates(env)))


def is_under(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # different drives
        return False


def check_named(name: str, log_dirs: list[str]) -> str:
    """The resolved path of a log the user named; refuses a symlink that leads to a regular file
    outside the link's own directory and outside the Furiosa log directories."""
    real = os.path.realpath(name)
    if os.path.islink(name):
        try:
            regular = stat.S_ISREG(os.stat(real).st_mode)
        except OSError:
            regular = False
        home = os.path.realpath(os.path.dirname(os.path.abspath(name)))
        if regular and not is_under(real, home) and not any(is_under(real, d) for d in log_dirs):
            raise InputError(
                f"{name}: is a symlink to {real}, outside its directory: refused (name that file itself if you mean it)"
            )
    return real


def follow_target(pointer: str, log_dirs: list[str]) -> tuple[str | None, str]:
    """(resolved path, "") for a compile log a log points at that may be added, else (None, why)."""
    real = os.path.realpath(pointer)
    if not os.path.isfile(real):
        return None, "not found on this machine"
    if not any(is_under(real, d) for d in log_dirs):
        return None, "outside the Furiosa log directory once resolved: not followed"
    return real, ""


class Workspace:
    """A private temporary directory, removed when the ticket is done (or at exit)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="warboy-ticket-")
        os.chmod(self.dir, 0o700)
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.dir, True)
        self._n = 0

    def new_file(self, suffix: str = "") -> tuple[BinaryIO, str]:
        self._n += 1
        path = os.path.join(self.dir, f"{self._n}{suffix}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        return os.fdopen(fd, "wb"), path

    def close(self) -> None:
        self._finalizer()


def check_outputs(inputs: list, targets: list) -> None:  # type: ignore[type-arg]
    """Refuse to write a bundle, a ticket or a mapping over one of the inputs."""
    reals = {i.real for i in inputs if i.real}
    for target in targets:
        if target is None:
            continue
        real = os.path.realpath(target)
        if real in reals or any(os.path.exists(real) and os.path.samefile(real, r) for r in reals if os.path.exists(r)):
            raise InputError(f"{target}: is one of the input logs; refusing to overwrite it (choose another name)")


def write_private(path: os.PathLike | str, text: str) -> None:
    """Write a file only its owner can read (0600), also when it existed with wider permissions."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
