"""`warboy-triage schema`: the JSON Schema of the report (the JSON contract)."""

from __future__ import annotations

from typing import Annotated

import typer


def schema(
    lint: Annotated[bool, typer.Option("--lint", help="The schema of `lint`'s report instead.")] = False,
) -> None:
    """Print the JSON Schema of the report (the JSON contract)."""
    import json

    from triage.report import json_schema

    typer.echo(json.dumps(json_schema(lint=lint), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command()(schema)
