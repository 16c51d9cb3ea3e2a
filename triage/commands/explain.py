"""`warboy-triage explain ID|CODE`: one cause or native error code, in full."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from triage.commands.common import Format, FormatOption, Lang, LangOption, PatternsOption, fail, load_kb

EPILOG = (
    "Examples:\n\n  warboy-triage explain 15\n\n  warboy-triage explain OUT_OF_SRAM\n\n"
    "  warboy-triage explain instruction-memory-overflow --lang ko"
)


def _complete(incomplete: str) -> list[str]:
    """Shell completion after `explain`: cause ids and native code names."""
    from triage.kb import PatternError
    from triage.kb.cache import load_cached
    from triage.kb.explain import completions

    try:
        return completions(load_cached(None), incomplete)
    except PatternError:
        return []


def explain(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            autocompletion=_complete,
            help="A cause id, a native error code (15, compiler:9) or a code "
            "or exception name (OUT_OF_SRAM, DeviceBusy).",
        ),
    ],
    fmt: FormatOption = Format.text,
    lang: LangOption = Lang.en,
    patterns: PatternsOption = None,
) -> None:
    """Explain a cause or a native error code: what it means, why it happens, how to fix it."""
    from triage.api import explain as explain_query
    from triage.kb.explain import UnknownQuery
    from triage.messages import localize_note, say

    load_kb(patterns)  # a bad patterns directory: a one-line error, not a traceback
    try:
        answer = explain_query(query, lang=lang.value, patterns=patterns)
    except UnknownQuery as exc:
        hint = say("explain_closest", lang.value, names=", ".join(exc.suggestions)) if exc.suggestions else ""
        raise fail(say("explain_unknown", lang.value, error=localize_note(str(exc), lang.value), hint=hint)) from None
    sys.stdout.write(answer.render(fmt.value))


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(explain)
