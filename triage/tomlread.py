"""TOML for the bundled data files: tomllib (3.11+) or its backport, imported only when a file is
actually parsed (most runs read the parsed tables from the user's cache, see triage/datacache.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def _tomllib():  # type: ignore[no-untyped-def]
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def loads(text: str) -> dict[str, Any]:
    return _tomllib().loads(text)  # type: ignore[no-any-return]


def load_path(path: Path) -> dict[str, Any]:
    """The parsed file; OSError, UnicodeDecodeError and TOMLDecodeError (a ValueError) pass through."""
    return loads(path.read_text(encoding="utf-8"))
