"""The `/` search box under the log. Posts FindRequest and FindClosed; the screen searches."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from triage.i18n import label
from triage.tui.messages import FindClosed, FindRequest


class FindBar(Input):
    BINDINGS = [Binding("escape", "close", "Close search", show=False)]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("placeholder", label("find_placeholder"))
        super().__init__(*args, **kwargs)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(FindRequest(event.value))

    def action_close(self) -> None:
        self.post_message(FindClosed())
