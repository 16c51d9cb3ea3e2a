"""--help without Python type labels: typer prints `<str>`, `<int range>`, `<path>` next to every option.

A flag needs no type; a choice shows its values; a number, a path or free text a short word. Applied once by cli.py
before any help is rendered: typer's TyperOption and TyperArgument ask make_metavar() for that column and for the
usage line (typer 0.28; pyproject.toml says why not 0.29).
"""

from __future__ import annotations

from typing import Any

from typer import core


def _plain_type(param: Any) -> str | None:
    kind = type(param.type).__name__
    if kind == "TyperChoice":
        return "|".join(str(getattr(c, "value", c)) for c in param.type.choices)
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False) or kind == "BoolParamType":
        return None
    if kind in ("IntRange", "FloatRange", "IntParamType", "FloatParamType"):
        return "N"  # a range follows in the help text, e.g. [0<=x<=10000]
    if kind in ("TyperPath", "File"):
        return "PATH"
    return "TEXT"


def _option_metavar(self: Any, ctx: Any) -> str:
    if self.metavar is not None:
        return str(self.metavar)
    return (_plain_type(self) or "") + ("..." if self.nargs != 1 else "")


def _argument_metavar(self: Any, ctx: Any, *, usage: bool = False) -> str:
    """MODEL, [FILE]... : an argument by its name (typer writes {MODEL} and MODEL:<path>), optional ones
    in brackets on the usage line."""
    name = self.metavar or (self.name or "").upper()
    if usage and not self.required:
        name = f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def install() -> None:
    core.TyperOption.make_metavar = _option_metavar  # type: ignore[method-assign,assignment]
    core.TyperArgument.make_metavar = _argument_metavar  # type: ignore[method-assign,assignment]
