"""`warboy-triage schema`: the JSON Schema of the report (the JSON contract)."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema of the report (the JSON contract)."""
    import json

    from triage.report import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command()(schema)
