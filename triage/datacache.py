"""Values computed from bundled data files (TOML tables, the knowledge base), kept as pickles in the
user's cache directory so that start-up skips parsing them, until a file they come from changes.

A value is keyed by the tool version, Python's version and the name, size and mtime of the data
files and of the code that shapes it: any edit makes a new key. A pickle runs code when loaded, so
one is only read from a directory owned by the user and closed to others; every problem with the
cache falls back to building the value, and a read-only home simply has no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from triage import __version__

ENV_DISABLE = "WARBOY_TRIAGE_NO_CACHE"
T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "warboy-triage"


def disabled() -> bool:
    return bool(os.environ.get(ENV_DISABLE))


def digest(fmt: int, code: Iterable[Path] = ()):  # type: ignore[no-untyped-def]
    """A sha256 started with the tool and Python versions, `fmt` (what the pickle holds) and the size
    and mtime of the code files: an edit to them (a source checkout, an editable install) must not
    meet a pickle that an older copy wrote under the same version number."""
    h = hashlib.sha256(f"{__version__}|{fmt}|{sys.version_info[:2]}".encode())
    for path in code:
        try:
            st = path.stat()
            h.update(f"|{path.name}|{st.st_size}|{st.st_mtime_ns}".encode())
        except OSError:
            pass
    return h


def derived(name: str, files: list[Path], build: Callable[[], T], kind: type, code: Iterable[Path] = ()) -> T:
    """build(), for data computed from `files` alone (and shaped by the `code` files), kept in the cache
    directory until one of them changes (name, size, mtime). A cached value not of `kind` is rebuilt."""
    h = digest(1, code)
    try:
        for file in files:
            st = file.stat()
            h.update(f"|{file.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return build()
    if disabled():
        return build()
    folder = cache_dir()
    path = folder / f"{name}-{h.hexdigest()[:24]}.pickle"
    value = read(folder, path)
    if isinstance(value, kind):
        return value  # type: ignore[return-value]
    value = build()
    store(folder, path, value, f"{name}-*.pickle")
    return value


class Memo:
    """A dict kept in the cache directory, filled one key at a time: for values computed from a
    small input alone (a regex's twin), where which inputs a run meets depends on the knowledge base
    and the command. get() computes what is missing; save() writes it back when something was."""

    def __init__(self, name: str, code: Iterable[Path] = ()) -> None:
        self.name = name
        self._code = list(code)
        self._values: dict | None = None  # type: ignore[type-arg]
        self._dirty = False

    def _path(self) -> Path:
        return cache_dir() / f"{self.name}-{digest(1, self._code).hexdigest()[:24]}.pickle"

    def get(self, key: object, compute: Callable[[], T]) -> T:
        if self._values is None:
            found = None if disabled() else read(cache_dir(), self._path())
            self._values = found if isinstance(found, dict) else {}
        try:
            return self._values[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._values[key] = compute()
            self._dirty = True
            return value

    def save(self) -> None:
        if self._dirty and self._values is not None and not disabled():
            store(cache_dir(), self._path(), self._values, f"{self.name}-*.pickle")
        self._dirty = False


def is_private(path: Path) -> bool:
    """Owned by this user and not writable by anyone else (else a pickle is not safe to load)."""
    try:
        st = path.lstat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) and not stat.S_ISLNK(st.st_mode)


def read(folder: Path, path: Path) -> object:
    """The object pickled at path, or None when it is missing, unsafe to load or broken."""
    if not (is_private(folder) and is_private(path)):
        return None
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # noqa: S301 - our own file, in a private directory
    except Exception:  # noqa: BLE001 - a stale or broken cache is rebuilt
        return None


def store(folder: Path, path: Path, value: object, stale: str) -> None:
    """Write value to path; first remove the files matching `stale` (one version of each thing at a time)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not is_private(folder):
            return
        for old in folder.glob(stale):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: no cache, same results
