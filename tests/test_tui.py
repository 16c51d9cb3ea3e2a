"""Drive the TUI with Textual's Pilot: findings, evidence, search, filter, copy, KB, checklist, quit."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ROOT
from tests.tui_support import SEED, plain, seed_app, settle
from triage.parsers.log_records import parse_record

ENF = "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU."


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def visible_texts(log) -> list[str]:  # type: ignore[no-untyped-def]
    top = int(log.scroll_offset.y)
    rows = [log.row_at(top + y) for y in range(log.size.height)]
    return [log.index.row_text(r)[1] for r in rows if r is not None]


async def test_top_finding_highlights_its_evidence_in_the_log(kb) -> None:
    from triage.tui.screens.main import MainScreen
    from triage.tui.widgets.finding_detail import FindingDetail
    from triage.tui.widgets.log_view import LogView

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.selected == 0
        detail = app.screen.query_one(FindingDetail)
        assert "SDK version mismatch" in plain(detail.query_one("#detail-head"))
        log = app.screen.query_one(LogView)
        evidence_texts = {log.index.row_text(r)[1] for r in log.evidence}
        assert ENF in evidence_texts
        assert ENF in visible_texts(log)  # the view jumped to it
        enf_row = next(r for r in log.evidence if log.index.row_text(r)[1] == ENF)
        y = enf_row - int(log.scroll_offset.y)
        strip = log.render_line(y)
        evidence_style = log.get_component_rich_style("log-view--evidence")
        body = [s for s in strip if s.text.strip() and "ENF" in s.text]
        assert body and all(s.style.bgcolor == evidence_style.bgcolor for s in body)
        plain_row = next(r for r in range(log.index.rows) if r not in log.evidence)
        assert log.index.row_text(plain_row)[1] not in evidence_texts


async def test_search_moves_between_hits(kb) -> None:
    from triage.tui.widgets.log_view import LogView

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        log = app.screen.query_one(LogView)
        await pilot.press("slash")
        await pilot.press(*"version")
        await pilot.press("enter")
        await settle(pilot)
        first = log.cursor
        assert first is not None and "version" in log.index.row_text(first)[1].lower()
        assert log.index.row_text(first)[1] in visible_texts(log)
        await pilot.press("n")
        await settle(pilot)
        second = log.cursor
        assert second is not None and second > first
        await pilot.press("N")
        await settle(pilot)
        assert log.cursor == first
        await pilot.press("slash", *"no such text", "enter")
        await settle(pilot)
        assert log.cursor == first  # a miss keeps the place (and says so)


async def test_errors_only_toggle(kb) -> None:
    from triage.tui.widgets.log_view import LogView

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        log = app.screen.query_one(LogView)
        everything = log.visible_count
        await pilot.press("e")
        await settle(pilot)
        assert log.problems_only and 0 < log.visible_count < everything
        for text in visible_texts(log):
            assert parse_record(text).level in ("ERROR", "WARN")
        assert ENF in visible_texts(log)
        await pilot.press("e")
        await settle(pilot)
        assert log.visible_count == everything


async def test_copy_remediation_command(kb) -> None:
    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        first = app.report.findings[0].remediation[0]
        assert app.clipboard and f"`{app.clipboard}`" in first
        # a focused, highlighted step copies its own command
        steps = app.screen.query_one("#remediation")
        steps.focus()
        steps.highlighted = 1
        await pilot.press("c")
        assert f"`{app.clipboard}`" in app.report.findings[0].remediation[1]


async def test_korean_toggle_shows_korean_title_and_remediation(kb) -> None:
    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        finding = app.report.findings[0]
        assert finding.title_ko and finding.remediation_ko
        await pilot.press("k")
        await pilot.pause()
        head = plain(app.screen.query_one("#detail-head"))
        assert finding.title_ko in head
        steps = app.screen.query_one("#remediation")
        assert finding.remediation_ko[0] in str(steps.get_option_at_index(0).prompt)
        await pilot.press("k")
        await pilot.pause()
        assert finding.title in plain(app.screen.query_one("#detail-head"))


async def test_knowledge_base_search_english_and_korean(kb) -> None:
    from triage.tui.screens.kb import KnowledgeBaseScreen
    from triage.tui.screens.main import MainScreen

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KnowledgeBaseScreen)
        assert len(screen.shown) == len(kb.patterns)
        await pilot.press("slash", *"instruction memory")
        await pilot.pause()
        assert screen.shown[0].id == "instruction-memory-overflow"
        assert len(screen.shown) < len(kb.patterns)
        assert "256 KB" in plain(screen.query_one("#kb-detail"))
        screen.query_one("#kb-query").value = "버전 불일치"
        await pilot.pause()
        assert screen.shown[0].id == "sdk-version-mismatch"
        assert len(screen.shown) < len(kb.patterns)
        screen.query_one("#kb-query").value = "zzz-nothing"
        await pilot.pause()
        assert screen.shown == []
        await pilot.press("escape")  # leaves the search box
        await pilot.pause()
        assert isinstance(app.screen, KnowledgeBaseScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_checklist_toggle_and_export(kb, tmp_path) -> None:
    from triage.tui.screens.checklist import ChecklistScreen

    app = seed_app(kb)
    out = tmp_path / "checklist.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        items = app.report.findings[0].checklist
        await pilot.press("space")
        await pilot.pause()
        assert app.checklist_done == {0}
        await pilot.press("s")
        await pilot.pause()
        dialog_input = app.screen.query_one("#export-path")
        dialog_input.value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        text = out.read_text()
        assert f"- [x] {items[0]}" in text
        assert f"- [ ] {items[1]}" in text
        await pilot.press("escape")  # ticks survive closing and reopening
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#checklist").selected == [0]


async def test_help_and_quit(kb) -> None:
    from triage.tui.screens.help import HelpScreen

    app = seed_app(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("d")
        assert app.theme == "textual-light"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_no_log_opens_on_the_knowledge_base(kb) -> None:
    from textual.widgets import Input

    from triage.tui.app import make_app
    from triage.tui.screens.kb import KnowledgeBaseScreen

    app = make_app([], kb=kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, KnowledgeBaseScreen)
        search = app.screen.query_one("#kb-query", Input)
        assert not search.has_focus  # q must quit, not type
        await pilot.press("slash", *"quit")  # in the search box q is a letter
        await pilot.pause()
        assert search.value == "quit" and app.return_code is None
        await pilot.press("escape")  # leaves the search, does not quit
        await pilot.pause()
        assert isinstance(app.screen, KnowledgeBaseScreen) and not search.has_focus and app.return_code is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_escape_from_the_top_of_the_knowledge_base_quits(kb) -> None:
    from triage.tui.app import make_app

    app = make_app([], kb=kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_quits_even_from_the_search_box(kb) -> None:
    from triage.tui.app import make_app

    app = make_app([], kb=kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_korean_toggle_translates_why_heading_and_footer(kb) -> None:
    from textual.widgets import Footer, Label

    from triage.tui.widgets.finding_detail import FindingDetail

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(FindingDetail)
        finding = app.report.findings[0]
        await pilot.press("k")
        await settle(pilot)
        head = plain(detail.query_one("#detail-head"))
        assert finding.why_ko and " ".join(finding.why_ko.split())[:30] in " ".join(head.split())
        assert str(detail.query_one("#remediation-heading", Label).content) == "해결 방법"
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"종료", "도움말", "로그 검색"} <= descriptions and "Quit" not in descriptions
        assert app.screen.query_one(Footer) is not None
        await pilot.press("b")  # a screen opened after the switch speaks Korean too
        await pilot.pause()
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"뒤로", "검색"} <= descriptions and "Back" not in descriptions
        await pilot.press("escape", "k")
        await settle(pilot)
        assert "Quit" in {b.binding.description for b in app.screen.active_bindings.values()}


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_footer_fits_120_columns(kb, lang: str) -> None:
    from textual.widgets import Footer

    app = seed_app(kb, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = [w for w in footer.children if w.display]
        assert keys and all(w.region.right <= 120 and w.region.width > 0 for w in keys)
        assert sum(w.region.width for w in keys) <= 120


async def test_log_gutter_numbers_every_row(kb) -> None:
    from triage.tui.widgets.log_view import LogView

    app = seed_app(kb)  # the seed log is one flattened line shown as many rows
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        log = app.screen.query_one(LogView)
        gutters = [list(log.render_line(y))[0].text for y in range(log.size.height)]
        assert gutters and all(g.strip().rstrip("┆").strip().isdigit() for g in gutters)


async def test_ticked_and_unticked_boxes_differ_by_glyph(kb) -> None:
    from triage.tui.screens.checklist import TICKED, UNTICKED

    app = seed_app(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        checklist = app.screen.query_one("#checklist")
        await pilot.press("space")
        await pilot.pause()
        boxes = [list(checklist.render_line(y))[1].text for y in range(2)]
        assert boxes == [TICKED, UNTICKED] and TICKED.strip() and TICKED != UNTICKED


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_notifications_cover_no_search_box(kb, size: tuple[int, int]) -> None:
    from textual.widgets import Input

    from triage.tui.app import make_app
    from triage.tui.widgets.find_bar import FindBar

    app = make_app([], kb=kb)  # the knowledge base: its search box is at the top left
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("l")  # no report: a warning toast
        await pilot.pause(0.2)
        search = app.screen.query_one("#kb-query", Input)
        toasts = list(app.screen.query("Toast"))
        assert toasts and not any(t.region.overlaps(search.region) for t in toasts)
    app = seed_app(kb)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.notify("a notification while the log search box is open")
        await pilot.pause(0.2)
        find = app.screen.query_one(FindBar)
        toasts = list(app.screen.query("Toast"))
        assert toasts and find.region.height > 0
        assert not any(t.region.overlaps(find.region) for t in toasts)


async def test_without_a_report_the_app_analyses_in_the_background(kb) -> None:
    from triage.tui.app import make_app
    from triage.tui.widgets.log_view import LogView

    app = make_app([SEED], kb=kb)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 90  # the child process takes a moment (more on a busy machine)
        while app.report is None and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await settle(pilot)
        assert app.report is not None and app.report.findings[0].id == "sdk-version-mismatch"
        log = app.screen.query_one(LogView)
        assert ENF in {log.index.row_text(r)[1] for r in log.evidence}


async def test_analysis_error_is_shown_not_raised(kb, tmp_path) -> None:
    from triage.tui.app import make_app

    binary = tmp_path / "blob.log"
    binary.write_bytes(b"\x00\x01\x02" * 5000)
    app = make_app([str(binary)], kb=kb)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 90
        while not app.screen.error and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert "binary" in app.screen.error


async def test_large_log_is_read_lazily(kb, tmp_path) -> None:
    from triage.pipeline import analyze
    from triage.tui.app import make_app
    from triage.tui.widgets.log_view import LogView

    log_path = tmp_path / "big.log"
    lines = [f"2023-02-11T06:22:18.{i:06d}Z  INFO nux::npu: step {i}" for i in range(60_000)]
    lines[-10] = ENF
    log_path.write_text("\n".join(lines) + "\n")
    report = analyze([str(log_path)], kb)
    app = make_app([str(log_path)], report=report, kb=kb)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(LogView)
        assert view.index.rows == 60_000
        assert ENF in visible_texts(view)
        assert len(view._cache) <= view.size.height * 2  # only rows on screen were drawn


async def test_several_files_follow_the_evidence(kb, tmp_path) -> None:
    from triage.pipeline import analyze
    from triage.tui.app import make_app
    from triage.tui.widgets.log_view import LogView

    quiet = tmp_path / "quiet.log"
    quiet.write_text("2023-02-11T06:22:18.000000Z  INFO nux::npu: fine\n")
    loud = tmp_path / "loud.log"
    loud.write_text(ENF + "\n")
    report = analyze([str(quiet), str(loud)], kb)
    app = make_app([str(quiet), str(loud)], report=report, kb=kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(LogView)
        assert view.index.name == str(loud)
        assert visible_texts(view) == [ENF]
        await pilot.press("o")
        await settle(pilot)
        assert view.index.name == str(quiet)
