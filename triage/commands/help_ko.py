"""`--help` in Korean, when asked for with `--lang ko` or WARBOY_TRIAGE_LANG=ko.

Loaded only when the command line asks for help: the help texts stay English where they are declared (typer
reads them at import), and this swaps in the Korean ones (triage/messages/help.py) on the command tree just
before click prints it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from triage.commands.common import LANG_ENV

HELP_FLAGS = ("-h", "--help")


def own_args(args: Sequence[str]) -> list[str]:
    """warboy-triage's own arguments: what comes after `--` belongs to the command `run` starts."""
    return list(args[: args.index("--")]) if "--" in args else list(args)


def asked_language(args: Sequence[str]) -> str | None:
    mine = own_args(args)
    for i, arg in enumerate(mine):
        if arg == "--lang" and i + 1 < len(mine):
            return mine[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def wants_korean_help(args: Sequence[str], environ: Mapping[str, str]) -> bool:
    if not any(a in HELP_FLAGS for a in own_args(args)):
        return False
    return (asked_language(args) or environ.get(LANG_ENV, "en")) == "ko"


def translate(command: Any) -> list[str]:
    """Put the Korean help texts on `command` and its subcommands; the English texts that have none."""
    from triage.messages.help import HELP_KO

    missing: list[str] = []

    def korean(text: str | None) -> str | None:
        if not text:
            return text
        if text not in HELP_KO:
            missing.append(text)
        return HELP_KO.get(text, text)

    def walk(c: Any) -> None:
        c.help, c.epilog = korean(c.help), korean(c.epilog)
        if getattr(c, "short_help", None):  # the summary in the parent's list: the first paragraph of help
            c.short_help = korean(c.short_help)
        for p in c.params:
            if getattr(p, "help", None):
                p.help = korean(p.help)
        for sub in getattr(c, "commands", {}).values():
            walk(sub)

    walk(command)
    return missing


def run_in_korean(app: Any, args: list[str], prog_name: str) -> None:
    """Run the command line (which asks for --help) with the command tree in Korean. What is patched for it
    (the help option's text, typer's frame words) is put back afterwards: a caller's process lives on."""
    import typer.main
    import typer.rich_utils

    from triage.messages.help import PANELS_KO

    command = typer.main.get_command(app)
    translate(command)
    saved = [
        (typer.rich_utils, name, getattr(typer.rich_utils, name, None))
        for name in ("ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE")
    ]
    saved += _korean_help_option(type(command).__mro__) + _korean_frame()
    typer.rich_utils.ARGUMENTS_PANEL_TITLE = PANELS_KO["Arguments"]
    typer.rich_utils.OPTIONS_PANEL_TITLE = PANELS_KO["Options"]
    typer.rich_utils.COMMANDS_PANEL_TITLE = PANELS_KO["Commands"]
    try:
        command.main(args=args, prog_name=prog_name, standalone_mode=True)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


Saved = list[tuple[Any, str, Any]]  # (owner, attribute, value to put back)


def _korean_help_option(classes: Sequence[type]) -> Saved:
    """The -h/--help option itself is made by the command class when asked for; give it its Korean text."""
    from triage.messages.help import HELP_KO

    owner = next((c for c in classes if "get_help_option" in vars(c)), None)
    if owner is None:  # another typer/click layout: that one line stays English
        return []
    original = vars(owner)["get_help_option"]

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None and option.help in HELP_KO:
            option.help = HELP_KO[option.help]
        return option

    owner.get_help_option = get_help_option  # type: ignore[attr-defined]
    return [(owner, "get_help_option", original)]


def _korean_frame() -> Saved:
    """Plain (click) help: its headings, [required], default and env-var notes go through gettext in typer's
    core, and the usage prefix is the formatter's default; give them Korean. Another typer layout keeps them
    English (the texts that matter, the help texts, are already swapped)."""
    import typer.core

    from triage.messages.help import FRAME_KO

    saved: Saved = []
    gettext = getattr(typer.core, "_", None)
    if callable(gettext):
        saved.append((typer.core, "_", gettext))

        def korean(message: str) -> str:
            return FRAME_KO.get(message, message)

        typer.core._ = korean
    formatter = getattr(getattr(typer.core, "_click", None), "formatting", None)
    cls = getattr(formatter, "HelpFormatter", None)
    original = vars(cls).get("write_usage") if cls is not None else None
    if cls is None or original is None:
        return saved

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, FRAME_KO["Usage: "] if prefix is None else prefix)

    cls.write_usage = write_usage
    saved.append((cls, "write_usage", original))
    return saved
