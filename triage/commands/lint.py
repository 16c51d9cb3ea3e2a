"""`warboy-triage lint MODEL.onnx`: check a model for Warboy before compiling it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from triage.commands.common import (
    ColorOption,
    FailOn,
    FailOnOption,
    Format,
    FormatOption,
    Lang,
    LangOption,
    PatternsOption,
    exit_code,
    fail,
    load_kb,
)
from triage.versions import LATEST_SDK

EPILOG = (
    "Examples:\n\n  warboy-triage lint model.onnx\n\n  warboy-triage lint model.onnx --sdk 0.9 -f markdown\n\n"
    "Needs the optional extra: pip install 'warboy-triage[model]'. The model is read, never run."
)


def lint(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="The ONNX model file.", show_default=False)],
    sdk: Annotated[str, typer.Option(help="Furiosa SDK release to check the operator table against.")] = LATEST_SDK,
    fmt: FormatOption = Format.text,
    fail_on: FailOnOption = FailOn.error,
    lang: LangOption = Lang.en,
    max_evidence: Annotated[
        int, typer.Option(min=0, max=10000, help="Evidence nodes shown per finding (0: none, only the count).")
    ] = 20,
    patterns: PatternsOption = None,
    color: ColorOption = None,
) -> None:
    """Check an ONNX model for Warboy before compiling: quantization, CPU-bound operators, input sizes."""
    from triage.lint import LintError, lint_model
    from triage.messages import localize_note
    from triage.render import get_renderer

    kb = load_kb(patterns)
    try:
        report = lint_model(model, sdk=sdk, kb=kb, max_evidence=max_evidence)
    except LintError as exc:
        raise fail(localize_note(str(exc), lang.value)) from None
    sys.stdout.write(get_renderer(fmt.value)(report, lang=lang.value, color=color))
    sys.stdout.flush()
    raise typer.Exit(exit_code(report, fail_on))


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(lint)
