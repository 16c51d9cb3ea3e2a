"""Shared by the TUI tests: the app over the seed log with a ready report, and a settle helper."""

from __future__ import annotations

import io

from tests.conftest import ROOT

SEED = "fixtures/seed-incompatible-config.log"  # relative: snapshots must not show temp paths


def seed_app(kb, **kwargs):  # type: ignore[no-untyped-def]
    from triage.pipeline import analyze
    from triage.tui.app import make_app

    report = analyze([str(ROOT / SEED)], kb)
    for finding in report.findings:  # name the file as the app is given it
        for e in finding.evidence:
            e.source = SEED
    return make_app([SEED], report=report, kb=kb, **kwargs)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the scan/search/filter workers and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def plain(static) -> str:  # type: ignore[no-untyped-def]
    """The text a Static shows (its rich renderable printed without styles)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()
