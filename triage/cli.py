"""The entry point: registers the commands of triage/commands/ and runs them.

`warboy-triage FILE...` is short for `warboy-triage analyze FILE...`. Each command's options and
messages live in its own module; nothing else lives here but the argv shortcut and Ctrl-C.
"""

from __future__ import annotations

import copy
import gc
import inspect
import os
import signal
import sys
from typing import Annotated, NoReturn

# Start-up allocates objects that live for the whole run (typer's commands, the knowledge base);
# the cyclic garbage collector scanning them again and again cost ~20% of a small log's run.
# It is off while this module loads and, for the process's own command line, until the command
# starts (_root); then what start-up allocated is frozen out of later collections.
_GC_WAS_ON = gc.isenabled()
gc.disable()

import typer  # noqa: E402
from typer.models import CommandInfo  # noqa: E402

from triage import __version__  # noqa: E402
from triage.commands import analyze, doctor, explain, lint, patterns, run, schema, search, ticket, tui  # noqa: E402
from triage.commands.common import EXIT_INTERRUPTED, EXIT_OK, silence_stdout  # noqa: E402
from triage.commands.help_types import install as plain_help_types  # noqa: E402

plain_help_types()

COMMANDS = (analyze, run, lint, explain, search, patterns, tui, schema, doctor, ticket)

app = typer.Typer(
    name="warboy-triage",
    help="Diagnose FuriosaAI Warboy NPU logs: the cause, the evidence lines, and the fix.\n\n"
    "Give it a log file (plain or .gz), several files, or pipe a log into it. "
    "`warboy-triage FILE` is short for `warboy-triage analyze FILE`.",
    epilog="Examples:\n\n"
    "  furiosa-compile model.onnx 2>&1 | warboy-triage\n\n"
    "  warboy-triage run.log --format markdown > ticket.md\n\n"
    "  warboy-triage run.log.gz --format json --fail-on warning\n\n"
    "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad usage or unreadable input.",
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    no_args_is_help=False,
    # plain help and usage errors: typer's rich panels cost ~90 ms of start-up (rich, markdown-it, pygments)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
for command in COMMANDS:
    command.register(app)


def _whole_summaries(typer_app: typer.Typer) -> None:
    """Plain help cuts a command's summary to fit one line ("..."): give each command and group its
    whole first paragraph as short help instead, wrapped like any other help text."""
    for info in typer_app.registered_commands:
        text = info.help or (info.callback.__doc__ if info.callback else None)
        if not info.short_help and text:
            info.short_help = inspect.cleandoc(text).split("\n\n")[0]
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        text = group.help or sub.info.help
        if not group.short_help and not sub.info.short_help and isinstance(text, str):
            group.short_help = inspect.cleandoc(text).split("\n\n")[0]
        _whole_summaries(sub)


_whole_summaries(app)
if _GC_WAS_ON:
    gc.enable()
_gc_paused = False  # main() paused the collector for the start-up of this process's own command


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"warboy-triage {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Diagnose FuriosaAI Warboy NPU logs."""
    _end_startup()


def _end_startup() -> None:
    """The command is about to run: what start-up allocated lives until the end (gc.freeze)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def _name(command: CommandInfo) -> str | None:
    if command.name:
        return command.name
    return command.callback.__name__.replace("_", "-") if command.callback is not None else None


def _command_names() -> set[str]:
    names = {name for c in app.registered_commands if (name := _name(c))}
    names |= {g.name for g in app.registered_groups if g.name}
    return names


def main(argv: list[str] | None = None) -> None:
    """Entry point: `warboy-triage FILE...` means `warboy-triage analyze FILE...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 and args[0] == "--lang":  # `warboy-triage --lang ko CMD`: the language of every command
        os.environ["WARBOY_TRIAGE_LANG"], args = args[1], args[2:]
    root_options = ("-h", "--help", "--version", "--install-completion", "--show-completion")
    if not args or (args[0] not in _command_names() and args[0] not in root_options):
        args.insert(0, "analyze")
    # typer turns Ctrl-C into a silent exit 130; the flag lets us say why we stopped
    signal.signal(signal.SIGINT, _on_sigint)
    global _gc_paused
    if argv is None and gc.isenabled():  # the process's own command line (not a caller's argv)
        _gc_paused = True
        gc.disable()
    try:
        if "-h" in args or "--help" in args:  # only then: the Korean help costs nothing otherwise
            from triage.commands.help_ko import run_in_korean, wants_korean_help

            if wants_korean_help(args, os.environ):
                run_in_korean(app, args, "warboy-triage")
        _app_for(args[0])(args=args, prog_name="warboy-triage", standalone_mode=True)
    except BrokenPipeError:
        silence_stdout()
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit:
        if _sigint_seen:
            _interrupted()
        raise
    finally:
        if _gc_paused:  # the command never started (help, a usage error)
            _gc_paused = False
            gc.enable()


def _app_for(name: str) -> typer.Typer:
    """The app with only the command `name`: typer builds the parameters of every command it holds on
    each run (~10 ms for all of them), and a run needs one. The root options and shell completion,
    which list every command, get the whole app."""
    if name.startswith("-") or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    one = copy.copy(app)  # the same settings and root callback
    one.registered_commands = [c for c in app.registered_commands if _name(c) == name]
    one.registered_groups = [g for g in app.registered_groups if g.name == name]
    return one if one.registered_commands or one.registered_groups else app


_sigint_seen = False


def _on_sigint(signum: int, frame: object) -> None:
    global _sigint_seen
    _sigint_seen = True
    raise KeyboardInterrupt


def _interrupted() -> NoReturn:
    sys.stderr.write("warboy-triage: interrupted\n")
    sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
