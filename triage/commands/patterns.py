"""`warboy-triage patterns list|validate|test|new`: the knowledge base checks itself and grows."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from triage.commands.common import EXIT_FINDINGS, EXIT_OK, Format, Lang, LangOption, PatternsOption, fail, load_kb

patterns_app = typer.Typer(
    help="Check pattern files: list them, validate them, test their examples (exit 1 on any failure).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
PatternsDir = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional
    typer.Argument(
        metavar="DIR",
        help="Patterns directory (default: the bundled one with the user's over it, see `patterns new --help`).",
        show_default=False,
    ),
]


@patterns_app.command("list")
def patterns_list(
    directory: PatternsDir = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format (markdown: the table in docs/causes.md).")
    ] = Format.text,
    lang: LangOption = Lang.en,
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


@patterns_app.command(
    "new",
    epilog="Examples:\n\n  warboy-triage patterns new --from run.log:57\n\n"
    "  warboy-triage patterns new --from run.log -o ~/.config/warboy-triage/patterns/\n\n"
    "Patterns in ~/.config/warboy-triage/patterns/ (or $WARBOY_TRIAGE_PATTERNS) are layered over the "
    "bundled ones: they add causes, or replace a bundled cause with the same id.",
)
def patterns_new(
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="LOG:LINE, or LOG alone for the first line of its unrecognized-error finding.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write <id>.toml into this directory instead of printing it."),
    ] = None,
    pattern_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--id", help="The pattern id (default: from the line's words)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    patterns: PatternsOption = None,
) -> None:
    """Draft a pattern file from a log line no pattern explains: its regex, examples and near misses."""
    from triage.capture import CaptureError, draft_from_log, write_draft
    from triage.kb.schema import ID_PATTERN

    if pattern_id is not None and not re.match(ID_PATTERN, pattern_id):
        raise fail(f"--id {pattern_id!r}: lowercase words joined by dashes, e.g. npu-reset-timeout")
    kb = load_kb(patterns)
    try:
        draft = draft_from_log(source, kb, pattern_id)
        written = write_draft(draft, output, force) if output is not None else None
    except CaptureError as exc:
        raise fail(str(exc)) from None
    if written is None:
        sys.stdout.write(draft.toml)
    else:
        typer.echo(f"warboy-triage: wrote {written}", err=True)
    for problem in draft.problems:
        typer.echo(f"warboy-triage: check: {problem}", err=True)
    if draft.problems:
        raise typer.Exit(EXIT_FINDINGS)
    test = "warboy-triage patterns test"
    if written is not None and not _is_user_dir(written.parent):
        import shlex

        test = f"WARBOY_TRIAGE_PATTERNS={shlex.quote(str(written.parent))} {test}"
    typer.echo(
        f"warboy-triage: next: fill in title, why and remediation (English and Korean), then run `{test}`",
        err=True,
    )


def _is_user_dir(directory: Path) -> bool:
    """Whether patterns written here are the ones layered over the bundled ones."""
    from triage.kb import PatternError, user_patterns_dir

    try:
        user = user_patterns_dir()
    except PatternError:
        return False
    return user is not None and user.resolve() == directory.resolve()


def register(app: typer.Typer) -> None:
    app.add_typer(patterns_app, name="patterns")
