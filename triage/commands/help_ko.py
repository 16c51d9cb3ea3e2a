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
        for p in c.params:
            if getattr(p, "help", None):
                p.help = korean(p.help)
        for sub in getattr(c, "commands", {}).values():
            walk(sub)

    walk(command)
    return missing


def run_in_korean(app: Any, args: list[str], prog_name: str) -> None:
    """Run the command line (which asks for --help) with the command tree in Korean."""
    import typer.main
    import typer.rich_utils

    from triage.messages.help import PANELS_KO

    command = typer.main.get_command(app)
    translate(command)
    _korean_help_option(type(command).__mro__)
    typer.rich_utils.ARGUMENTS_PANEL_TITLE = PANELS_KO["Arguments"]
    typer.rich_utils.OPTIONS_PANEL_TITLE = PANELS_KO["Options"]
    typer.rich_utils.COMMANDS_PANEL_TITLE = PANELS_KO["Commands"]
    command.main(args=args, prog_name=prog_name, standalone_mode=True)


def _korean_help_option(classes: Sequence[type]) -> None:
    """The -h/--help option itself is made by the command class when asked for; give it its Korean text."""
    from triage.messages.help import HELP_KO

    owner = next((c for c in classes if "get_help_option" in vars(c)), None)
    if owner is None:  # another typer/click layout: that one line stays English
        return
    original = vars(owner)["get_help_option"]

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None and option.help in HELP_KO:
            option.help = HELP_KO[option.help]
        return option

    owner.get_help_option = get_help_option  # type: ignore[attr-defined]  # this process prints help, then ends
