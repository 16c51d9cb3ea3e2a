"""`warboy-triage doctor`: check this machine for what Warboy needs."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from triage.commands.common import EXIT_FINDINGS, EXIT_OK, Lang, LangOption, fail

EPILOG = (
    "Examples:\n\n  warboy-triage doctor\n\n  warboy-triage doctor --json > doctor.json\n\n"
    "  warboy-triage doctor --python ~/venvs/furiosa/bin/python\n\n"
    "Exit codes: 0 no check failed (warnings are fine), 1 a check failed, 2 bad usage."
)


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON record.")] = False,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="List the checks and exit.")] = False,
    check: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional
        typer.Option(
            "--check", "-c", help="Run only this check (repeatable; ids from --list-checks).", show_default=False
        ),
    ] = None,
    python: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Inspect the packages of this Python interpreter instead of warboy-triage's own."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show details of passing checks too.")] = False,
    lang: LangOption = Lang.en,
) -> None:
    """Check this machine for what Warboy needs: packages, versions, devices, logs."""
    from triage.doctor import SystemEnv, all_probes, run_doctor
    from triage.doctor import render as doctor_render
    from triage.doctor.render import check_title
    from triage.doctor.runner import select
    from triage.messages import say
    from triage.safety import terminal_safe

    probes = all_probes()
    if list_checks:
        for p in probes:
            title = check_title(p.id, p.title, lang.value)
            typer.echo(say("doctor_list_line", lang.value, id=p.id, title=title, seconds=f"{p.timeout:g}"))
        raise typer.Exit(EXIT_OK)
    try:
        probes = select(probes, check, lang.value) if check else probes
    except ValueError as exc:
        raise fail(str(exc)) from None
    if python is not None:
        import shutil

        if shutil.which(python) is None:
            raise fail(say("doctor_no_python", lang.value, python=python))
    report = run_doctor(SystemEnv(python=python), probes)
    # probe details quote dmesg, lspci and package managers: text from outside, like a log
    text = (
        doctor_render.json(report)
        if as_json
        else terminal_safe(doctor_render.text(report, verbose=verbose, lang=lang.value))
    )
    sys.stdout.write(text)
    raise typer.Exit(EXIT_FINDINGS if report.counts()["fail"] else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(doctor)
