"""A cache of the validated knowledge base, so that start-up skips TOML parsing and validation.

The cache is a pickle of what load() returned, in the user's cache directory, keyed by the
tool version and the name, size and mtime of every pattern file, the user's included (see
loader.user_patterns_dir): any edit to a pattern file makes a new key. It is only read from a
directory owned by the user and closed to others (a pickle runs code when loaded), and every
problem with it falls back to load().
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path

from triage import __version__
from triage.kb.loader import KnowledgeBase, load, pattern_roots

ENV_DISABLE = "WARBOY_TRIAGE_NO_CACHE"
FORMAT = 2  # what a pickle holds; bump when KnowledgeBase or what derive() stores changes


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "warboy-triage"


def _key(roots: list[Path]) -> str | None:
    """Changes with the tool, Python, and the name, size and mtime of every pattern file of every
    directory loaded (the bundled one and the user's)."""
    digest = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}".encode())
    try:
        for root in roots:
            digest.update(f"||{root.resolve()}".encode())
            for path in sorted(root.rglob("*.toml")):
                st = path.lstat()
                digest.update(f"|{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return None
    return digest.hexdigest()[:24]


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
    if _private(folder) and _private(path):
        try:
            with open(path, "rb") as f:
                kb = pickle.load(f)  # noqa: S301 - our own file, in a private directory
            if isinstance(kb, KnowledgeBase):
                return kb
        except Exception:  # noqa: BLE001 - a stale or broken cache is rebuilt
            pass
    kb = load(directory)  # raises PatternError for bad files: never cached
    derive(kb)
    _store(folder, path, kb)
    return kb


def derive(kb: KnowledgeBase) -> None:
    """Work that depends on the pattern files alone, done once and kept in the cache: each rule's
    prefilter literals and the RE2 twins of every line rule (a Matcher builds its searchers from them)."""
    from triage.engine import twins

    for pattern in kb.patterns:
        for rule in [*pattern.match, *pattern.supporting, *pattern.unless]:
            rule.literals()
            if rule.is_line_rule and rule.message not in kb.twins:
                kb.twins[rule.message] = twins(rule.message)  # type: ignore[index,arg-type]


def _store(folder: Path, path: Path, kb: KnowledgeBase) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        for old in folder.glob("kb-*.pickle"):  # one knowledge base at a time
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(kb, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: no cache, same results
