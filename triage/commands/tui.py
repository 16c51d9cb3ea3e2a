"""`warboy-triage tui [FILE...]`: the terminal interface (textual is imported only when it runs)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from triage.commands.common import LANG_ENV, Lang, PatternsOption

EPILOG = (
    "Examples:\n\n  warboy-triage tui run.log\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage tui\n\n"
    "  warboy-triage tui   (no log: browse the knowledge base)"
)


def tui(
    files: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional
        typer.Argument(
            metavar="FILE",
            help="Log files (plain or gzip); a pipe is read too. None: the knowledge base browser.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option(envvar=LANG_ENV, help="Start in this language (k toggles).")] = Lang.en,
    patterns: PatternsOption = None,
) -> None:
    """Browse findings, their evidence in the log, remediation, the knowledge base and the checklist."""
    from triage.tui.launch import run

    raise typer.Exit(run(list(files or []), lang.value, patterns))


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(tui)
