"""Load pattern files. Pattern files are data: nothing in them is executed or followed."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from triage.kb.schema import Pattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_PATTERN_FILE = 1 << 20


class PatternError(Exception):
    """A pattern file that cannot be used; the message names the file and the field or line."""


@dataclass
class KnowledgeBase:
    patterns: list[Pattern]
    files: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.patterns}

    def get(self, pattern_id: str) -> Pattern | None:
        return self.by_id.get(pattern_id)


def default_patterns_dir() -> Path:
    """patterns/ inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_patterns"
    return installed if installed.is_dir() else here.parent / "patterns"


def _line_of(text: str, loc: tuple) -> int | None:  # type: ignore[type-arg]
    """Best-effort line of the key a validation error is about: `key =` at the top, or inside
    the n-th `[[table]]` for ("table", n, "key"). None when the file spells it another way."""
    lines = text.splitlines()
    start, end, key = 0, len(lines), loc[0] if loc else None
    headers = [i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")]
    if len(loc) >= 2 and isinstance(loc[1], int):
        mine = [i for i in headers if lines[i].strip() == f"[[{loc[0]}]]"]
        if loc[1] >= len(mine):
            return None
        start = mine[loc[1]]
        end = next((i for i in headers if i > start), len(lines))
        key = loc[2] if len(loc) > 2 else None
        if key is None:
            return start + 1
    elif headers:
        end = headers[0]
    if not isinstance(key, str):
        return None
    for i in range(start, end):
        name = lines[i].split("=", 1)[0].strip().strip("'\"")
        if "=" in lines[i] and name == key:
            return i + 1
    return None


def _format_validation(path: Path, exc: ValidationError, text: str = "") -> str:
    parts = []
    for err in exc.errors():
        line = _line_of(text, tuple(err["loc"])) if text else None
        where = f"{path}:{line}" if line else str(path)
        loc = ".".join(str(x) for x in err["loc"]) or "(file)"
        hint = ""
        if err["type"] == "extra_forbidden" and len(err["loc"]) > 2:
            hint = (
                " (in TOML, keys after a [[table]] header belong to that table: put"
                f" '{err['loc'][-1]}' above the first [[match]])"
            )
        parts.append(f"{where}: field '{loc}': {err['msg']}{hint}")
    return "\n".join(parts)


def load_file(path: Path) -> Pattern:
    if path.is_symlink():
        raise PatternError(f"{path}: is a symbolic link; pattern files must be regular files")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_PATTERN_FILE:
        raise PatternError(f"{path}: larger than {MAX_PATTERN_FILE} bytes")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise PatternError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nesting level; a crafted file nests thousands
        raise PatternError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    try:
        return Pattern.model_validate(data)
    except ValidationError as exc:
        raise PatternError(_format_validation(path, exc, text)) from None


def _pattern_files(root: Path, errors: list[str]) -> list[Path]:
    """*.toml below root. Symbolically linked directories are refused, not followed: a
    patterns directory must not reach files elsewhere (symlinked files fail in load_file)."""
    found: list[Path] = []
    for here, dirs, files in os.walk(root):  # os.walk does not descend into symlinked dirs
        for d in sorted(dirs):
            if (Path(here) / d).is_symlink():
                errors.append(f"{Path(here) / d}: is a symbolic link; pattern directories must be real directories")
        found += [Path(here) / f for f in files if f.endswith(".toml")]
    return sorted(found)


def load(directory: Path | None = None) -> KnowledgeBase:
    """Load and cross-check every *.toml below `directory` (default: the bundled patterns)."""
    root = directory or default_patterns_dir()
    if not root.is_dir():
        raise PatternError(f"{root}: no such patterns directory")
    patterns: list[Pattern] = []
    files: dict[str, Path] = {}
    errors: list[str] = []
    for path in _pattern_files(root, errors):
        try:
            pattern = load_file(path)
        except PatternError as exc:
            errors.append(str(exc))
            continue
        if pattern.id in files:
            errors.append(f"{path}: id '{pattern.id}' is already used by {files[pattern.id]}")
            continue
        if path.stem != pattern.id:
            errors.append(f"{path}: file name must be the pattern id ('{pattern.id}.toml')")
            continue
        files[pattern.id] = path
        patterns.append(pattern)
    for pattern in patterns:
        for other in pattern.explains:
            if other not in files:
                errors.append(f"{files[pattern.id]}: field 'explains': unknown pattern id '{other}'")
            elif next(p for p in patterns if p.id == other).group_by_code:
                errors.append(
                    f"{files[pattern.id]}: field 'explains': '{other}' is a generic"
                    " fallback; it already skips codes that a specific cause claims"
                )
    if errors:
        raise PatternError("\n".join(errors))
    if not patterns:
        raise PatternError(f"{root}: no pattern files (*.toml)")
    return KnowledgeBase(patterns, files)
