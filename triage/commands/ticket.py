"""`warboy-triage ticket [FILE...]`: a support ticket and, with --bundle, a redacted archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from triage.commands.common import Lang, LangOption, PatternsOption, fail, load_kb

EPILOG = (
    "Examples:\n\n  warboy-triage ticket run.log > ticket.md\n\n"
    "  warboy-triage ticket run.log --bundle ticket.zip --follow-compile-log\n\n"
    "  warboy-triage ticket run.log --bundle ticket.zip --preview\n\n"
    "Redaction is on by default: host, user and Kubernetes names, IPs, MACs, e-mails, keys, tokens,"
    " serials, UUIDs and environment values become pseudonyms like `<host-1>` (docs/redaction.md)."
    " The mapping never goes into the bundle."
)


def ticket(
    files: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional
        typer.Argument(
            metavar="FILE",
            help="Log files (plain or gzip). Nothing: read a piped log, or write an environment-only ticket.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write the ticket markdown here instead of standard output."),
    ] = None,
    bundle: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Also write a bundle, a zip or (for .tar.gz/.tgz) a tar.gz: redacted logs, report.json,"
            " doctor.json, ticket.md, manifest.json."
        ),
    ] = None,
    redact: Annotated[bool, typer.Option("--redact/--no-redact", help="Replace personal and secret values.")] = True,
    preview: Annotated[
        bool,
        typer.Option(help="Show every replacement with its line and what stayed, then write only after you confirm."),
    ] = False,
    follow_compile_log: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--follow-compile-log/--no-follow-compile-log",
            help="Add the compile log a named log points at (default: ask when interactive, else no).",
            show_default=False,
        ),
    ] = None,
    run_doctor: Annotated[bool, typer.Option("--doctor/--no-doctor", help="Probe this machine too.")] = True,
    python: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="For doctor: inspect the packages of this Python interpreter."),
    ] = None,
    save_mapping: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Keep the pseudonym mapping (original value -> `<host-1>`) in this file, for your own records."
        ),
    ] = None,
    lang: LangOption = Lang.en,
    patterns: PatternsOption = None,
) -> None:
    """Write a support ticket (markdown) and, with --bundle, a redacted zip or tar.gz to attach to it."""
    from triage.commands.ticket_flow import TicketOptions, run_ticket

    opts = TicketOptions(
        files=list(files or []),
        output=output,
        bundle=bundle,
        redact=redact,
        preview=preview,
        follow_compile_log=follow_compile_log,
        doctor=run_doctor,
        python=python,
        save_mapping=save_mapping,
        lang=lang.value,
    )
    raise typer.Exit(run_ticket(opts, load_kb(patterns), fail))


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(ticket)
