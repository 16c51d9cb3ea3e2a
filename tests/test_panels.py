"""Typer / rich-click Error panels read like click's plain `Error:` line: the message without its
borders is the evidence, and an unknown panel message is still a failure (exit 1). The panels here
are synthetic, drawn the way rich draws them; the messages are click's."""

from __future__ import annotations

import pytest

from triage.parsers.panels import ErrorPanel
from triage.pipeline import analyze_text

BOX = (
    "Usage: furiosa-llm serve [OPTIONS] MODEL\n"
    "Try 'furiosa-llm serve --help' for help.\n"
    "╭─ Error ──────────────────────────────────────────────────────────────────────╮\n"
    "│ {msg:<76} │\n"
    "╰──────────────────────────────────────────────────────────────────────────────╯\n"
)


def test_panel_message_read_without_borders() -> None:
    panel = ErrorPanel()
    lines = BOX.format(msg="Missing option '--devices'.").splitlines()
    assert [panel.feed(t) for t in lines] == [None, None, None, "Error: Missing option '--devices'.", None]


def test_only_the_first_row_is_the_message_and_other_panels_are_not_errors() -> None:
    panel = ErrorPanel()
    rows = ["┌─ Error ───────┐", "│ Got unexpected │", "│ extra argument │", "└───────────────┘"]
    assert [panel.feed(t) for t in rows] == [None, "Error: Got unexpected", None, None]
    help_panel = ["╭─ Options ─────────────╮", "│ --help  Show this message │", "╰───────────────────────╯"]
    assert [panel.feed(t) for t in help_panel] == [None, None, None]


def test_usage_error_in_a_panel_is_named_with_clean_evidence(kb) -> None:
    report = analyze_text(BOX.format(msg="Missing option '--devices'."), kb=kb)
    first = report.findings[0]
    assert first.id == "cli-usage-error"
    assert first.evidence[0].text == "Error: Missing option '--devices'."
    assert first.evidence[0].line == 4


@pytest.mark.parametrize("msg", ["Rate limit exceeded", "Model 'x' could not be loaded"])
def test_unknown_panel_message_is_a_failure(kb, msg: str) -> None:
    report = analyze_text(BOX.format(msg=msg), kb=kb)
    assert [f.id for f in report.findings] == ["unrecognized-error"]
    assert report.findings[0].evidence[0].text == f"Error: {msg}"


def test_help_output_with_panels_is_quiet(kb) -> None:
    text = (
        "Usage: furiosa-llm serve [OPTIONS] MODEL\n\n"
        "╭─ Options ────────────────────────────────────────╮\n"
        "│ --devices  TEXT  Devices to use  [required]      │\n"
        "│ --help           Show this message and exit.     │\n"
        "╰──────────────────────────────────────────────────╯\n"
    )
    assert analyze_text(text, kb=kb).findings == []
