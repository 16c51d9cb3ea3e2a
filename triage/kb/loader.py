"""Load pattern files. Pattern files are data: nothing in them is executed or followed."""

from __future__ import annotations

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


def _format_validation(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(file)"
        hint = ""
        if err["type"] == "extra_forbidden" and len(err["loc"]) > 2:
            hint = (" (in TOML, keys after a [[table]] header belong to that table: put"
                    f" '{err['loc'][-1]}' above the first [[match]])")
        parts.append(f"{path}: field '{loc}': {err['msg']}{hint}")
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
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PatternError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(f"{path}: invalid TOML: {exc}") from None
    try:
        return Pattern.model_validate(data)
    except ValidationError as exc:
        raise PatternError(_format_validation(path, exc)) from None


def load(directory: Path | None = None) -> KnowledgeBase:
    """Load and cross-check every *.toml below `directory` (default: the bundled patterns)."""
    root = directory or default_patterns_dir()
    if not root.is_dir():
        raise PatternError(f"{root}: no such patterns directory")
    patterns: list[Pattern] = []
    files: dict[str, Path] = {}
    errors: list[str] = []
    for path in sorted(root.rglob("*.toml")):
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
                errors.append(f"{files[pattern.id]}: field 'explains': '{other}' is a generic"
                              " fallback; it already skips codes that a specific cause claims")
    if errors:
        raise PatternError("\n".join(errors))
    if not patterns:
        raise PatternError(f"{root}: no pattern files (*.toml)")
    return KnowledgeBase(patterns, files)
