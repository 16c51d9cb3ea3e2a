"""A cache of the validated knowledge base, so that start-up skips TOML parsing and validation.

The cache is a pickle of what load() returned, in the user's cache directory, keyed by the
tool version and the name, size and mtime of every pattern file, the user's included (see
loader.user_patterns_dir): any edit to a pattern file makes a new key. It is only read from a
directory owned by the user and closed to others (a pickle runs code when loaded), and every
problem with it falls back to load(). derived() keeps other data computed from data files
(the literals of the version banner regexes) the same way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from triage import __version__
from triage.kb.loader import KnowledgeBase, load, pattern_roots

ENV_DISABLE = "WARBOY_TRIAGE_NO_CACHE"
FORMAT = 2  # what a pickle holds; bump when KnowledgeBase or what derive() stores changes
T = TypeVar("T")
_CODE_FILES = ("kb/schema.py", "kb/loader.py", "kb/literals.py", "kb/linear.py", "kb/twins.py")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "warboy-triage"


def _key(roots: list[Path]) -> str | None:
    """Changes with the tool, Python, and the name, size and mtime of every pattern file of every
    directory loaded (the bundled one and the user's)."""
    digest = _digest()
    try:
        for root in roots:
            digest.update(f"||{root.resolve()}".encode())
            for path in sorted(root.rglob("*.toml")):
                st = path.lstat()
                digest.update(f"|{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return None
    return digest.hexdigest()[:24]


# the code that shapes or derives what is cached: an edit to it (a source checkout, an editable
# install) must not meet a pickle that an older copy wrote under the same version number
_CODE = [Path(__file__).resolve().parent.parent / name for name in _CODE_FILES]


def _digest():  # type: ignore[no-untyped-def]
    digest = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}".encode())
    for path in _CODE:
        try:
            st = path.stat()
            digest.update(f"|{path.name}|{st.st_size}|{st.st_mtime_ns}".encode())
        except OSError:
            pass
    return digest


def _private(path: Path) -> bool:
    """Owned by this user and not writable by anyone else (else a pickle is not safe to load)."""
    try:
        st = path.lstat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) and not stat.S_ISLNK(st.st_mode)


def load_cached(directory: Path | None = None) -> KnowledgeBase:
    """load(directory), from the cache when the pattern files have not changed."""
    roots = pattern_roots(directory)
    key = _key(roots) if all(r.is_dir() for r in roots) and not os.environ.get(ENV_DISABLE) else None
    if key is None:
        return load(directory)
    folder = cache_dir()
    path = folder / f"kb-{key}.pickle"
    kb = _read(folder, path)
    if isinstance(kb, KnowledgeBase):
        return kb
    kb = load(directory)  # raises PatternError for bad files: never cached
    derive(kb)
    _store(folder, path, kb, "kb-*.pickle")
    return kb


def derive(kb: KnowledgeBase) -> None:
    """Work that depends on the pattern files alone, done once and kept in the cache: each rule's
    prefilter literals and the RE2 twins of every line rule (a Matcher builds its searchers from them)."""
    from triage.kb.twins import twins

    for pattern in kb.patterns:
        for rule in [*pattern.match, *pattern.supporting, *pattern.unless]:
            rule.literals()
            if rule.is_line_rule and rule.message not in kb.twins:
                kb.twins[rule.message] = twins(rule.message)  # type: ignore[index,arg-type]


def derived(name: str, files: list[Path], build: Callable[[], T], kind: type) -> T:
    """build(), for data computed from `files` alone, kept in the cache directory like the knowledge
    base until one of the files changes (name, size, mtime). A cached value not of `kind` is rebuilt."""
    digest = _digest()
    try:
        for file in files:
            st = file.stat()
            digest.update(f"|{file.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return build()
    if os.environ.get(ENV_DISABLE):
        return build()
    folder = cache_dir()
    path = folder / f"{name}-{digest.hexdigest()[:24]}.pickle"
    value = _read(folder, path)
    if isinstance(value, kind):
        return value  # type: ignore[return-value]
    value = build()
    _store(folder, path, value, f"{name}-*.pickle")
    return value


def _read(folder: Path, path: Path) -> object:
    """The object pickled at path, or None when it is missing, unsafe to load or broken."""
    if not (_private(folder) and _private(path)):
        return None
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # noqa: S301 - our own file, in a private directory
    except Exception:  # noqa: BLE001 - a stale or broken cache is rebuilt
        return None


def _store(folder: Path, path: Path, value: object, stale: str) -> None:
    """Write value to path; first remove the files matching `stale` (one version of each thing at a time)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
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
