"""A cache of the validated knowledge base, so that start-up skips TOML parsing and validation.

The cache is a pickle of what load() returned, in the user's cache directory, keyed by the
tool version and the name, size and mtime of every pattern file, the user's included (see
loader.user_patterns_dir): any edit to a pattern file makes a new key. It is only read from a
directory owned by the user and closed to others (a pickle runs code when loaded), and every
problem with it falls back to load(). The pickling itself is triage/datacache.py's, which keeps
other data computed from data files the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from triage import datacache
from triage.datacache import ENV_DISABLE, cache_dir, read, store
from triage.kb.loader import KnowledgeBase, load, pattern_roots

__all__ = ["ENV_DISABLE", "cache_dir", "derive", "derived", "load_cached"]

FORMAT = 4  # what a pickle holds; bump when KnowledgeBase or what derive() stores changes
T = TypeVar("T")
_CODE_FILES = ("kb/schema.py", "kb/loader.py", "kb/literals.py", "kb/linear.py", "kb/twins.py")
# the code that shapes or derives what is cached (see datacache.digest)
_CODE = [Path(__file__).resolve().parent.parent / name for name in _CODE_FILES]


def _key(roots: list[Path]) -> str | None:
    """Changes with the tool, Python, and the name, size and mtime of every pattern file of every
    directory loaded (the bundled one and the user's)."""
    digest = datacache.digest(FORMAT, _CODE)
    try:
        for root in roots:
            digest.update(f"||{root.resolve()}".encode())
            for path in sorted(root.rglob("*.toml")):
                st = path.lstat()
                digest.update(f"|{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return None
    return digest.hexdigest()[:24]


def load_cached(directory: Path | None = None) -> KnowledgeBase:
    """load(directory), from the cache when the pattern files have not changed."""
    roots = pattern_roots(directory)
    key = _key(roots) if all(r.is_dir() for r in roots) and not os.environ.get(ENV_DISABLE) else None
    if key is None:
        return load(directory)
    folder = cache_dir()
    path = folder / f"kb-{key}.pickle"
    kb = read(folder, path)
    if isinstance(kb, KnowledgeBase):
        return kb
    kb = load(directory)  # raises PatternError for bad files: never cached
    derive(kb)
    store(folder, path, kb, "kb-*.pickle")
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
    """datacache.derived() for data derived with the knowledge base's code (kb/literals.py: the
    literals of the version banner regexes)."""
    return datacache.derived(name, files, build, kind, code=_CODE)
