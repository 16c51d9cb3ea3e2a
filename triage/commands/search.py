"""`warboy-triage search WORDS`: the causes that match a symptom, English or Korean."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from triage.commands.common import EXIT_FINDINGS, Format, FormatOption, Lang, PatternsOption, fail, load_kb

EPILOG = (
    "Examples:\n\n  warboy-triage search slow inference\n\n  warboy-triage search 느려요\n\n"
    "  warboy-triage search device busy --format json"
)


def search(
    words: Annotated[list[str], typer.Argument(help="Symptom words, English or Korean.", show_default=False)],
    fmt: FormatOption = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most causes to list.")] = 5,
    patterns: PatternsOption = None,
) -> None:
    """Find the causes that match a symptom ("slow inference", "정확도", "device busy")."""
    import json

    from triage.kb import search as kb_search

    query = " ".join(words)
    kb = load_kb(patterns)
    hits = kb_search.search(kb, query, limit=limit)
    if fmt is Format.json:
        typer.echo(json.dumps(kb_search.to_dict(query, hits), indent=2, ensure_ascii=False))
    elif not hits:
        raise fail(f"no cause matches '{query}'; `warboy-triage patterns list` shows them all", EXIT_FINDINGS)
    elif fmt is Format.markdown:
        sys.stdout.write(kb_search.render_markdown(query, hits, lang.value))
    else:
        sys.stdout.write(kb_search.render_text(query, hits, lang.value))
    if not hits:
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(search)
