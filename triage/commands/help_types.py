"""--help without Python type labels: typer prints `<bool>`, `<list[str]>`, `<str>` next to every option.

A flag needs no type; a choice shows its values; a number, a path or free text a short word. Applied once by cli.py
before any help is rendered (typer's TyperOption/TyperArgument ask `display_type_rich` for that column).
"""

from __future__ import annotations

from typing import Any

from typer import core


def _plain_type(param: Any, ctx: Any) -> str | None:
    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return None
    if isinstance(param, core.TyperArgument):
        return None  # the argument's name (its metavar) already says what it is
    if desc.is_ranged:
        return "N"  # the range itself follows, e.g. [0<=x<=10000]
    if desc.is_path:
        return "PATH"
    annotation = desc.annotation
    if annotation is int:
        return "N"
    if annotation is bool:
        return None
    return "TEXT"


def _usage_name(param: Any) -> str:
    """MODEL, [FILE]... : required arguments bare (typer writes {model}), optional ones in brackets."""
    name = param.display_name_raw if param.required else f"[{param.display_name_raw}]"
    return name + ("..." if param.nargs != 1 else "")


def _panel_name(param: Any) -> str:
    return param.display_name_raw + ("..." if param.nargs != 1 else "")


def install() -> None:
    core.TyperOption.display_type_rich = _plain_type  # type: ignore[method-assign,assignment]
    core.TyperArgument.display_type_rich = _plain_type  # type: ignore[method-assign,assignment]
    core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign,assignment]
    core.TyperArgument._rich_display_name = _panel_name  # type: ignore[method-assign,assignment]
