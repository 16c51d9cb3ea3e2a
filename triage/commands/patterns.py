"""`warboy-triage patterns list|validate|test`: the knowledge base checks itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from triage.commands.common import EXIT_FINDINGS, EXIT_OK, Format, Lang, load_kb

patterns_app = typer.Typer(
    help="Check pattern files: list them, validate them, test their examples (exit 1 on any failure).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
PatternsDir = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional
    typer.Argument(help="Patterns directory (default: the bundled one).", show_default=False),
]


@patterns_app.command("list")
def patterns_list(
    directory: PatternsDir = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format (markdown: the table in docs/causes.md).")
    ] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
) -> None:
    """List every cause: id, severity, kind, title and the native codes it claims."""
    import json

    from triage.selfcheck import listing, render_listing, render_listing_markdown

    kb = load_kb(directory)
    if fmt is Format.json:
        typer.echo(json.dumps(listing(kb), indent=2, ensure_ascii=False))
    elif fmt is Format.markdown:
        sys.stdout.write(render_listing_markdown(kb, lang.value))
    else:
        sys.stdout.write(render_listing(kb, lang.value))


@patterns_app.command("validate")
def patterns_validate(directory: PatternsDir = None) -> None:
    """Schema, regexes, unique ids, English and Korean text, and every native error code covered."""
    from triage.selfcheck import summary, validate

    result = validate(directory)
    sys.stdout.write(summary(result, "validate"))
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@patterns_app.command("test", epilog="CI runs `warboy-triage patterns test`.")
def patterns_test(directory: PatternsDir = None) -> None:
    """validate, then: examples match, counterexamples do not, no pattern fires on another's examples."""
    from triage.selfcheck import run_tests, summary

    result = run_tests(directory)
    sys.stdout.write(summary(result, "test"))
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.add_typer(patterns_app, name="patterns")
