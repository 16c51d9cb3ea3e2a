"""Load pattern files. Pattern files are data: nothing in them is executed or followed."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from triage.kb.schema import Pattern
from triage.tomlread import loads as toml_loads

if TYPE_CHECKING:
    from pydantic import ValidationError

    from triage.kb.twins import Twins

MAX_PATTERN_FILE = 1 << 20
ENV_PATTERNS = "WARBOY_TRIAGE_PATTERNS"


class PatternError(Exception):
    """A pattern file that cannot be used; the message names the file and the field or line."""


@dataclass
class KnowledgeBase:
    patterns: list[Pattern]
    files: dict[str, Path] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)
    """The pattern directories loaded, in order: a later one adds to and overrides (by id) the earlier."""
    twins: dict[str, Twins] = field(default_factory=dict)
    """kb.twins.twins() of line-rule regexes, by regex: filled by the cache (kb/cache.py) so that a run
    does not parse every regex again; a regex missing here is derived when first searched."""

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.patterns}

    def get(self, pattern_id: str) -> Pattern | None:
        return self.by_id.get(pattern_id)


def default_patterns_dir() -> Path:
    """patterns/ inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_patterns"
    return installed if installed.is_dir() else here.parent / "patterns"


def user_patterns_dir() -> Path | None:
    """The user's (or team's) patterns, layered over the bundled ones: $WARBOY_TRIAGE_PATTERNS, else
    $XDG_CONFIG_HOME/warboy-triage/patterns (~/.config/warboy-triage/patterns); None when there is no
    such directory. A directory named by the variable must exist (a typo must not pass silently)."""
    named = os.environ.get(ENV_PATTERNS)
    if named:
        path = Path(named).expanduser()
        if not path.is_dir():
            raise PatternError(f"{path}: no such patterns directory (from {ENV_PATTERNS})")
        return path
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "warboy-triage" / "patterns"
    return path if path.is_dir() else None


def pattern_roots(directory: Path | None = None) -> list[Path]:
    """The directories load(directory) reads: `directory` alone, or the bundled one and the user's."""
    if directory is not None:
        return [directory]
    user = user_patterns_dir()
    return [default_patterns_dir(), *([user] if user is not None else [])]


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
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument") and len(err["loc"]) > 2:
            hint = (
                " (in TOML, keys after a [[table]] header belong to that table: put"
                f" '{err['loc'][-1]}' above the first [[match]])"
            )
        parts.append(f"{where}: field '{loc}': {err['msg']}{hint}")
    return "\n".join(parts)


def _read_small_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_PATTERN_FILE. Checked on the open file, before
    reading: a FIFO would block the open (every command would hang), a huge file fill the memory."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PatternError(f"{path}: not a regular file; pattern files must be regular files")
        if st.st_size > MAX_PATTERN_FILE:
            raise PatternError(f"{path}: larger than {MAX_PATTERN_FILE} bytes")
        with os.fdopen(os.dup(fd), "rb") as fh:
            raw = fh.read(MAX_PATTERN_FILE + 1)
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_PATTERN_FILE:  # it grew after the check
        raise PatternError(f"{path}: larger than {MAX_PATTERN_FILE} bytes")
    return raw


def load_file(path: Path) -> Pattern:
    if path.is_symlink():
        raise PatternError(f"{path}: is a symbolic link; pattern files must be regular files")
    raw = _read_small_regular(path)
    try:
        text = raw.decode("utf-8")
        data = toml_loads(text)
    except UnicodeDecodeError as exc:
        raise PatternError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise PatternError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nesting level; a crafted file nests thousands
        raise PatternError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    from pydantic import ValidationError  # only here: a knowledge base from the cache needs no pydantic

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


def _load_root(root: Path, errors: list[str], required: bool = True) -> dict[str, tuple[Pattern, Path]]:
    """The patterns of one directory by id; problems go to `errors`. An empty user directory is fine."""
    if not root.is_dir():
        errors.append(f"{root}: not a directory" if root.exists() else f"{root}: no such patterns directory")
        return {}
    found: dict[str, tuple[Pattern, Path]] = {}
    for path in _pattern_files(root, errors):
        try:
            pattern = load_file(path)
        except PatternError as exc:
            errors.append(str(exc))
            continue
        if pattern.id in found:
            errors.append(f"{path}: id '{pattern.id}' is already used by {found[pattern.id][1]}")
            continue
        if path.stem != pattern.id:
            errors.append(f"{path}: file name must be the pattern id ('{pattern.id}.toml')")
            continue
        found[pattern.id] = (pattern, path)
    if required and not found and not errors:
        errors.append(f"{root}: no pattern files (*.toml)")
    return found


def load(directory: Path | None = None) -> KnowledgeBase:
    """Load and cross-check every *.toml below `directory`; by default the bundled patterns with the
    user's directory (user_patterns_dir) over them: a user pattern adds a cause or replaces the
    bundled one of the same id."""
    roots = pattern_roots(directory)
    errors: list[str] = []
    merged: dict[str, tuple[Pattern, Path]] = {}
    for i, root in enumerate(roots):
        merged.update(_load_root(root, errors, required=i == 0))  # same id: the later directory wins
    patterns = [p for p, _ in merged.values()]
    files = {pid: path for pid, (_, path) in merged.items()}
    for pattern in patterns:
        for other in pattern.explains:
            if other not in files:
                errors.append(f"{files[pattern.id]}: field 'explains': unknown pattern id '{other}'")
            elif merged[other][0].group_by_code:
                errors.append(
                    f"{files[pattern.id]}: field 'explains': '{other}' is a generic"
                    " fallback; it already skips codes that a specific cause claims"
                )
    if errors:
        raise PatternError("\n".join(errors))
    return KnowledgeBase(patterns, files, roots)
