"""Native error code tables of the Furiosa runtime and compiler, read from triage/data/native_codes.toml
(with the source of each table and examples that `patterns test` checks).

The same `(native error code: N)` suffix is printed by both with different tables, so a
number alone is ambiguous; `hint_of` and `table_of_exception` decide from the text around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from triage.tomlread import load_path


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: int
    name: str
    message: str = ""
    exception: str = ""


DATA = Path(__file__).resolve().parent / "data" / "native_codes.toml"
TABLE_NAMES = ("runtime", "compiler")


class CodeTableError(ValueError):
    """native_codes.toml is not usable; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class CodeTables:
    tables: dict[str, dict[int, CodeEntry]]
    modules: dict[str, str]
    classes_without_code: dict[str, frozenset[str]]
    hints: dict[str, tuple[str, ...]]
    examples: tuple[dict, ...]  # type: ignore[type-arg]


def load_tables(path: Path = DATA) -> CodeTables:
    """Read and check the tables: every code an int with a NAME, each code and name once per table."""
    try:
        data = load_path(path)
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or not TOML
        raise CodeTableError(f"{path}: {exc}") from None
    tables: dict[str, dict[int, CodeEntry]] = {}
    for name in TABLE_NAMES:
        table = data.get(name)
        if not isinstance(table, dict) or not table.get("codes"):
            raise CodeTableError(f"{path}: no [{name}] table with [[{name}.codes]] entries")
        entries: dict[int, CodeEntry] = {}
        for i, raw in enumerate(table["codes"], 1):
            code, code_name = raw.get("code"), raw.get("name")
            if not isinstance(code, int) or not isinstance(code_name, str) or not _NAME.match(code_name):
                raise CodeTableError(f"{path}: {name} entry {i}: needs an integer 'code' and an UPPER_CASE 'name'")
            if code in entries or any(e.name == code_name for e in entries.values()):
                raise CodeTableError(f"{path}: {name} entry {i}: code {code} or name {code_name} given twice")
            entries[code] = CodeEntry(code, code_name, raw.get("message", ""), raw.get("exception", ""))
        tables[name] = entries
    return CodeTables(
        tables=tables,
        modules={n: data[n].get("module", "") for n in TABLE_NAMES},
        classes_without_code={n: frozenset(data[n].get("classes_without_code", [])) for n in TABLE_NAMES},
        hints={n: tuple(h.lower() for h in data[n].get("hints", [])) for n in TABLE_NAMES},
        examples=tuple(data.get("examples", [])),
    )


_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _loaded() -> CodeTables:
    from triage.datacache import derived

    return derived("native-codes", [DATA], load_tables, CodeTables, code=[Path(__file__)])


LOADED = _loaded()  # parsed once, then from the user's cache until the file changes (start-up)
RUNTIME: dict[int, CodeEntry] = LOADED.tables["runtime"]
COMPILER: dict[int, CodeEntry] = LOADED.tables["compiler"]
TABLES: dict[str, dict[int, CodeEntry]] = {"runtime": RUNTIME, "compiler": COMPILER}

# Exception classes (last dotted component) that exist in only one of the two modules.
RUNTIME_ONLY_CLASSES = (
    frozenset(e.exception for e in RUNTIME.values() if e.exception and e.exception != "InternalError")
    | LOADED.classes_without_code["runtime"]
)
COMPILER_ONLY_CLASSES = (
    frozenset(e.exception for e in COMPILER.values() if e.exception and e.exception != "InternalError")
    | LOADED.classes_without_code["compiler"]
)


def entry(table: str, code: int) -> CodeEntry:
    found = TABLES[table].get(code)
    return found or CodeEntry(code, "UNKNOWN_CODE", f"not in the {table} table")


def lookup_name(name: str) -> list[tuple[str, CodeEntry]]:
    """Find codes by name (case-insensitive, '-' or ' ' for '_'), in every table."""
    key = name.strip().upper().replace("-", "_").replace(" ", "_")
    return [(t, e) for t, table in TABLES.items() for e in table.values() if e.name == key]


_RUNTIME_HINTS = LOADED.hints["runtime"]
_COMPILER_HINTS = LOADED.hints["compiler"]

HINTS = _RUNTIME_HINTS + _COMPILER_HINTS


def hint_of(text: str) -> str | None:
    """'runtime' or 'compiler' when this text names one of them unambiguously, else None."""
    low = text.lower()
    if any(h in low for h in _RUNTIME_HINTS):
        return "runtime"
    if any(h in low for h in _COMPILER_HINTS):
        return "compiler"
    return None


def table_of_exception(exc_type: str) -> str | None:
    """Decide the table from an exception's qualified type, if it says."""
    low = exc_type.lower()
    if "compiler" in low:
        return "compiler"
    if "runtime" in low:
        return "runtime"
    cls = exc_type.rsplit(".", 1)[-1]
    if cls in COMPILER_ONLY_CLASSES:
        return "compiler"
    if cls in RUNTIME_ONLY_CLASSES:
        return "runtime"
    return None
