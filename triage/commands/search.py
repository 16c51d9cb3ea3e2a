"""`warboy-triage search WORDS`: the causes that match a symptom, English or Korean."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from triage.commands.common import EXIT_FINDINGS, Format, FormatOption, Lang, LangOption, PatternsOption, fail, load_kb

EPILOG = (
    "Examples:\n\n  warboy-triage search slow inference\n\n  warboy-triage search 느려요\n\n"
    "  warboy-triage search device busy --format json"
)


def search(
    words: Annotated[
        list[str], typer.Argument(metavar="WORDS", help="Symptom words, English or Korean.", show_default=False)
    ],
    fmt: FormatOption = Format.text,
    lang: LangOption = Lang.en,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most causes to list.")] = 5,
    patterns: PatternsOption = None,
) -> None:
    """Find the causes that match a symptom ("slow inference", "정확도", "device busy")."""
    from triage.api import search as search_kb

    query = " ".join(words)
    load_kb(patterns)  # a bad patterns directory: a one-line error, not a traceback
    result = search_kb(query, limit=limit, lang=lang.value, patterns=patterns)
    if not result and fmt is not Format.json:
        from triage.messages import say

        raise fail(say("search_none", lang.value, query=query), EXIT_FINDINGS)
    sys.stdout.write(result.render(fmt.value))
    if not result:
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(search)
