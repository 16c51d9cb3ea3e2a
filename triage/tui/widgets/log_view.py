"""A lazy log view: only the rows on screen are read (os.pread via LogIndex) and drawn.

The index is built by a thread worker; the view grows as ScanProgress messages arrive. Evidence
rows, the search cursor and search matches are highlighted. With `problems_only` the view shows
only ERROR/WARN rows (found by a second thread worker over the index).
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left

from rich.segment import Segment
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from triage.i18n import label
from triage.tui.logindex import LogIndex
from triage.tui.messages import ScanProgress

PROGRESS_EVERY = 0.1  # seconds between progress messages from the scan thread


class LogView(ScrollView, can_focus=True):
    """Rows of one LogIndex with a line-number gutter."""

    COMPONENT_CLASSES = {"log-view--lineno", "log-view--evidence", "log-view--cursor", "log-view--match"}
    DEFAULT_CSS = """
    LogView { background: $surface; }
    LogView > .log-view--lineno { color: $text-muted; }
    LogView > .log-view--evidence { background: $error 35%; text-style: bold; }
    LogView > .log-view--cursor { background: $accent 45%; }
    LogView > .log-view--match { background: $warning; color: $background; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "scroll_up", "Up", show=False),
        Binding("down", "scroll_down", "Down", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    problems_only: reactive[bool] = reactive(False)
    find_text: reactive[str] = reactive("")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.index: LogIndex | None = None
        self.evidence: set[int] = set()
        self.cursor: int | None = None  # the current search hit (a row)
        self.filtered = array("i")  # rows shown when problems_only
        self.filter_complete = False
        self._evidence_lines: list[tuple[int, str]] = []
        self._pending: list[tuple[int, str]] = []  # evidence the index has not reached yet
        self._jump: tuple[int, str] | None = None
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._gutter = 5

    # -- loading --------------------------------------------------------------------------------

    def load(self, index: LogIndex) -> None:
        """Show `index`; starts scanning it when it has not been scanned yet."""
        self.index = index
        self.evidence = set()
        self.cursor = None
        self._evidence_lines, self._pending, self._jump = [], [], None
        self._reset_filter()
        self._clear()
        self.scroll_to(0, 0, animate=False)
        self._resize()
        if not index.complete and not index.rows:
            self._scan(index)

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, index: LogIndex) -> None:
        last = 0.0
        for rows in index.scan():
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or rows < 2000:
                last = now
                self.post_message(ScanProgress(rows, index.complete))
        self.post_message(ScanProgress(index.rows, True))

    def on_scan_progress(self, message: ScanProgress) -> None:
        self._resize()
        if self._pending or self._jump is not None:
            self._apply_evidence()
        if message.complete and self.problems_only and not self.filter_complete:
            self._filter(self.index)
        self.refresh()

    def loading_note(self, lang: str = "en") -> str:
        if self.index is None:
            return label("t_no_log", lang)
        if self.index.error:
            return self.index.error
        state = "" if self.index.complete else label("log_indexing", lang)
        if self.problems_only:
            state += label("log_problem_rows", lang, count=f"{len(self.filtered):,}")
            state += "" if self.filter_complete else label("log_so_far", lang)
        return label("log_lines", lang, name=self.index.name, lines=f"{self.index.lines:,}") + state

    # -- geometry -------------------------------------------------------------------------------

    @property
    def visible_count(self) -> int:
        if self.index is None:
            return 0
        return len(self.filtered) if self.problems_only else self.index.rows

    def row_at(self, position: int) -> int | None:
        """The row shown at a vertical position of the view."""
        if not 0 <= position < self.visible_count:
            return None
        return self.filtered[position] if self.problems_only else position

    def position_of(self, row: int) -> int | None:
        if not self.problems_only:
            return row
        i = bisect_left(self.filtered, row)
        return i if i < len(self.filtered) and self.filtered[i] == row else None

    def _resize(self) -> None:
        lines = self.index.lines if self.index else 0
        gutter = max(len(f"{lines:,}"), 4) + 1
        if gutter != self._gutter:
            self._gutter = gutter
            self._clear()
        width = (self.index.width if self.index else 0) + gutter + 2
        self.virtual_size = Size(width, self.visible_count)

    def _clear(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- evidence and cursor --------------------------------------------------------------------

    def show_evidence(self, evidence: list[tuple[int, str]], jump: tuple[int, str] | None = None) -> None:
        """Highlight (line, text) evidence rows and scroll to `jump` (default: the first one).

        Evidence beyond the part indexed so far is applied when the scan reaches it."""
        self._evidence_lines = evidence
        self._jump = jump or (evidence[0] if evidence else None)
        self.cursor = None
        self._apply_evidence()

    def _apply_evidence(self) -> None:
        if self.index is None:
            return
        indexed = self.index.lines
        rows: set[int] = set()
        for no, text in self._evidence_lines:
            if no <= indexed:
                rows.update(self.index.rows_for(no, text))
        self.evidence = rows
        self._pending = [e for e in self._evidence_lines if e[0] > indexed]
        if self._jump is not None and self._jump[0] <= indexed:
            found = self.index.rows_for(*self._jump)
            self._jump = None
            if found:
                self.center_on(found[0])
        self._clear()

    def center_on(self, row: int) -> None:
        position = self.position_of(row)
        if position is None:  # hidden by the ERROR/WARN filter: show everything again
            self.problems_only = False
            position = row
        self._resize()
        self.scroll_to(y=max(position - self.size.height // 3, 0), animate=False, force=True)
        self.refresh()

    def move_cursor(self, row: int | None) -> None:
        self.cursor = row
        if row is not None:
            self.center_on(row)
        self._clear()

    @property
    def cursor_start(self) -> int:
        """Row where the next search starts: the cursor, else the top row on screen."""
        if self.cursor is not None:
            return self.cursor
        top = self.row_at(int(self.scroll_offset.y))
        return (top if top is not None else 0) - 1

    # -- ERROR/WARN filter ----------------------------------------------------------------------

    def _reset_filter(self) -> None:
        self.filtered = array("i")
        self.filter_complete = False

    def watch_problems_only(self, on: bool) -> None:
        if on and self.index is not None and not self.filter_complete and self.index.complete:
            self._filter(self.index)
        self._resize()
        self.scroll_to(0, 0, animate=False)
        self._clear()

    @work(thread=True, exclusive=True, group="filter")
    def _filter(self, index: LogIndex) -> None:
        found = array("i")
        last = 0.0
        for batch in index.problem_rows():
            found.extend(batch)
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                self.app.call_from_thread(self._filter_progress, index, array("i", found), False)
        self.app.call_from_thread(self._filter_progress, index, found, True)

    def _filter_progress(self, index: LogIndex, rows: array, complete: bool) -> None:
        if index is not self.index:
            return
        self.filtered = rows
        self.filter_complete = complete
        self._resize()
        self._clear()
        self.post_message(ScanProgress(index.rows, index.complete))

    def watch_query(self) -> None:
        self._clear()

    # -- drawing --------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        row = self.row_at(scroll_y + y)
        if row is None or self.index is None:
            return Strip.blank(width, self.rich_style)
        key = (row, 0)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row)
            self._cache[key] = strip
        gutter = strip.crop(0, self._gutter)
        body = strip.crop(self._gutter + scroll_x, self._gutter + scroll_x + max(width - self._gutter, 0))
        return Strip.join([gutter, body]).extend_cell_length(width, self.rich_style).crop(0, width)

    def _render_row(self, row: int) -> Strip:
        assert self.index is not None
        no, text = self.index.row_text(row)
        first = self.problems_only or self.index.first_row(no) == row
        base = self.rich_style
        # every row shows its line number: a flattened paste is one line of many rows, and a gutter of bare
        # continuation marks left the whole view unnumbered; ┆ marks the rows after a line's first
        number = f"{no:>{self._gutter - 1}}" + (" " if first else "┆")
        line = Text(text, style=base, no_wrap=True, end="")
        if row in self.evidence:
            line.stylize(self.get_component_rich_style("log-view--evidence"))
        if row == self.cursor:
            line.stylize(self.get_component_rich_style("log-view--cursor"))
        if self.find_text:
            line.highlight_words(
                [self.find_text], self.get_component_rich_style("log-view--match"), case_sensitive=False
            )
        gutter_style = self.get_component_rich_style("log-view--lineno")
        if row in self.evidence:
            gutter_style += self.get_component_rich_style("log-view--evidence")
        segments = [Segment(number, base + gutter_style)]
        segments += [
            Segment(s.text, (base + s.style) if s.style else base) for s in line.render(self.app.console) if s.text
        ]
        return Strip(segments)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
