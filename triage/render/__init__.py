"""Stage 4: renderers turn a Report into text for people or JSON/markdown for tools."""

from __future__ import annotations

from collections.abc import Callable

from triage.report import Report

FORMATS = ("text", "json", "markdown", "jsonl", "prometheus")


def get_renderer(fmt: str) -> Callable[..., str]:
    """Imported on demand so that one format's dependencies never slow another."""
    render: Callable[..., str]
    if fmt == "json":
        from triage.render.json import render
    elif fmt == "markdown":
        from triage.render.markdown import render
    elif fmt == "jsonl":
        from triage.render.jsonl import render
    elif fmt == "text":
        from triage.render.text import render
    elif fmt == "prometheus":
        from triage.render.prometheus import render
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return render


def localized(finding, lang: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Title and remediation in the asked language, falling back to English."""
    if lang == "ko":
        return finding.title_ko or finding.title, finding.remediation_ko or finding.remediation
    return finding.title, finding.remediation


__all__ = ["FORMATS", "Report", "get_renderer", "localized"]
