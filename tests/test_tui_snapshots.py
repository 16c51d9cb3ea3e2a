"""SVG snapshots of the TUI's main screens at 80x24 and 120x40 (pytest-textual-snapshot).

The knowledge base here is tests/data/tui_kb (copies of two patterns), so the pictures change
only when the TUI does, not whenever a pattern's wording is improved. Review a changed picture
in the report, then update with `pytest tests/test_tui_snapshots.py --snapshot-update`
(docs/contributing.md). With a textual outside the range pyproject.toml pins, these tests fail:
they never skip, so a silent textual upgrade cannot hide a broken screen.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest

from tests.conftest import ROOT
from tests.tui_support import settle

# SVGs differ between Textual releases; they were recorded with this one, inside pyproject's range.
RECORDED_WITH = "8.2.8"
SIZES = [(80, 24), (120, 40)]
KB_DIR = ROOT / "tests" / "data" / "tui_kb"


def test_installed_textual_is_the_one_the_snapshots_hold_for() -> None:
    installed = version("textual")
    assert installed == RECORDED_WITH, (
        f"textual {installed} is installed; the snapshots were recorded with {RECORDED_WITH}. Install the pinned "
        "range (pip install -e '.[dev]') or re-record them as docs/contributing.md says."
    )
    pin = next(
        line for line in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines() if '"textual' in line
    )
    assert f">={RECORDED_WITH}" in pin and "<" in pin, pin


@pytest.fixture
def snapshot_kb():
    from triage.kb import load

    return load(KB_DIR)


@pytest.fixture
def seed_app(monkeypatch, snapshot_kb):
    from tests.tui_support import seed_app as make

    monkeypatch.chdir(ROOT)
    return make(snapshot_kb)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, seed_app, size) -> None:
    assert snap_compare(seed_app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen_errors_only_after_search(snap_compare, seed_app, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("slash", *"nux", "enter")
        await settle(pilot)

    assert snap_compare(seed_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_knowledge_base(snap_compare, snapshot_kb, size) -> None:
    from triage.tui.app import make_app

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.press("slash", *"version")
        await pilot.press("enter")  # to the list: no blinking cursor in the picture
        await pilot.pause()

    assert snap_compare(make_app([], kb=snapshot_kb), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checklist(snap_compare, seed_app, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("space", "down")
        await pilot.pause()

    assert snap_compare(seed_app, terminal_size=size, run_before=run_before)


def test_help_korean(snap_compare, seed_app) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("k")
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(seed_app, terminal_size=(120, 40), run_before=run_before)
