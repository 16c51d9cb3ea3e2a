"""`warboy-triage run -- CMD [ARGS...]`: run a command, pass its output through, diagnose it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from triage.commands.common import (
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    FailOn,
    Format,
    Lang,
    LangOption,
    PatternsOption,
    fail,
    load_kb,
)

EPILOG = (
    "Examples:\n\n  warboy-triage run -- python infer.py --model yolo.enf\n\n"
    "  warboy-triage run -- furiosa-compiler model.onnx -o model.enf\n\n"
    "  warboy-triage run --fail-on warning --report diag.json -- sh -c 'make compile && make bench'\n\n"
    "The command's output is passed through as it comes (on a terminal it keeps its colours). When it fails,"
    " or its output shows an error a cause explains, the diagnosis is printed on stderr after it. Exit status:"
    " the command's own; with --fail-on, 1 also when the command exited 0 but a finding is that severe."
    " Ctrl-C reaches the command first; warboy-triage then diagnoses what it printed and exits 130."
)


def run_command(
    command: Annotated[
        list[str], typer.Argument(help="The command and its arguments, after `--`.", show_default=False)
    ],
    fail_on: Annotated[
        FailOn,
        typer.Option(help="Also exit 1 when the command exited 0 but a finding is at least this severe."),
    ] = FailOn.never,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Format of the diagnosis on stderr.")] = Format.text,
    report_path: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional
        typer.Option("--report", help="Also write the full JSON report here (every run, healthy or not)."),
    ] = None,
    always: Annotated[
        bool, typer.Option("--always", help="Print the diagnosis even when the run looks healthy.")
    ] = False,
    follow_compile_log: Annotated[
        bool,
        typer.Option(
            "--follow-compile-log/--no-follow-compile-log",
            help="Also read the compile logs the command names or writes to the Furiosa log directory.",
        ),
    ] = True,
    pty: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--pty/--no-pty",
            help="Give the command a pseudo-terminal (default: when stdout is a terminal; keeps its colours).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = Lang.en,
    max_evidence: Annotated[int, typer.Option(min=1, max=10000, help="Evidence lines shown per finding.")] = 5,
    patterns: PatternsOption = None,
) -> None:
    """Run a command, pass its output through, and diagnose it when it fails."""
    from triage.live.child import StartError
    from triage.live.runner import run_and_diagnose
    from triage.messages import localize_note, say
    from triage.render import get_renderer

    kb = load_kb(patterns)
    use_pty = sys.stdout.isatty() if pty is None else pty
    try:
        outcome = run_and_diagnose(command, kb, use_pty, follow_compile_log, max_evidence)
    except StartError as exc:
        raise fail(localize_note(str(exc), lang.value), exc.code) from None
    child, report = outcome.child, outcome.report
    if report is None:
        typer.echo(f"warboy-triage: note: {localize_note(outcome.error or '', lang.value)}", err=True)
        raise typer.Exit(child.returncode)
    if report_path is not None:
        try:
            report_path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            reason = exc.strerror or exc
            typer.echo(
                f"warboy-triage: note: {say('run_cannot_write_report', lang.value, path=report_path, reason=reason)}",
                err=True,
            )
    worst = report.worst_severity()
    failed = child.returncode != 0
    if failed or worst == "error" or always or (worst == "warning" and fail_on is FailOn.warning):
        rendered = get_renderer(fmt.value)(report, lang=lang.value, color=sys.stderr.isatty())
        _print_diagnosis(rendered, child, banner=fmt is Format.text, lang=lang.value)
    if child.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED if child.returncode in (0, 130) or child.signal else child.returncode)
    if failed:
        raise typer.Exit(child.returncode)
    threshold = {FailOn.error: ("error",), FailOn.warning: ("error", "warning"), FailOn.never: ()}[fail_on]
    raise typer.Exit(EXIT_FINDINGS if worst in threshold else 0)


def _print_diagnosis(text: str, child: object, banner: bool = True, lang: str = "en") -> None:
    """After the command's output; -f json and markdown get no banner line (a parser reads them)."""
    from triage.live.child import ChildResult
    from triage.messages import say

    assert isinstance(child, ChildResult)
    status = (
        say("run_killed", lang, signal=child.signal) if child.signal else say("run_exited", lang, code=child.returncode)
    )
    try:
        sys.stderr.write(say("run_banner", lang, status=status) + text if banner else f"\n{text}")
        sys.stderr.flush()
    except BrokenPipeError:
        pass


def register(app: typer.Typer) -> None:
    app.command("run", epilog=EPILOG, context_settings={"allow_interspersed_args": False})(run_command)
