"""What every command shares: option types, exit codes, one-line errors, loading the knowledge base."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from triage.kb import KnowledgeBase
    from triage.report import LintReport, Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Lang(str, Enum):
    en = "en"
    ko = "ko"


# typer reads these annotations at run time: it needs Optional, not `X | None`
PatternsOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(help="Use this patterns directory instead of the bundled one."),
]
ColorOption = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--color/--no-color", help="Colour the text output (default: when stdout is a terminal).", show_default=False
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LANG_ENV = "WARBOY_TRIAGE_LANG"
LangOption = Annotated[
    Lang, typer.Option(envvar=LANG_ENV, help="Language of what is printed for people (JSON stays English).")
]
FailOnOption = Annotated[FailOn, typer.Option(help="Exit 1 when a finding is at least this severe.")]


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    from triage.safety import terminal_safe

    typer.echo(f"warboy-triage: error: {terminal_safe(message)}", err=True)
    return typer.Exit(code)


def load_kb(patterns: Path | None) -> KnowledgeBase:
    from triage.api import knowledge_base
    from triage.kb import PatternError

    try:
        return knowledge_base(patterns)
    except PatternError as exc:
        raise fail(f"cannot load patterns:\n{exc}") from None


def exit_code(report: Report | LintReport, fail_on: FailOn) -> int:
    """The exit policy: 1 when a finding is at least as severe as --fail-on, else 0."""
    if fail_on is FailOn.never:
        return EXIT_OK
    worst = report.worst_severity()
    if worst == "error" or (worst == "warning" and fail_on is FailOn.warning):
        return EXIT_FINDINGS
    return EXIT_OK


def write_now(text: str) -> bool:
    """Write and flush at once; False when the reader of our output has gone away."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        return False
    return True


def silence_stdout() -> None:
    """After the reader of our output went away (`| head`), keep Python's exit flush quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
