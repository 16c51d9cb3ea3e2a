"""Terminal safety: the one place that knows which characters may reach a user's terminal.

A log (or a report JSON rendered later, a file name, a user's pattern file) can carry escape
sequences that set the window title, write the clipboard (OSC 52), hide a link (OSC 8), move
the cursor or redraw the screen. The reader strips them from log text (`strip_terminal`);
every renderer that writes to a terminal passes the whole report through `safe_report`, so
text from any other source is neutralised too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from triage.report import _Model

ReportT = TypeVar("ReportT", bound="_Model")

# Escape sequences, 7-bit (ESC-introduced) and 8-bit (C1) forms:
#   CSI  ESC [ ... final  |  0x9b ... final                     (colours, cursor movement, erase)
#   OSC  ESC ] ... BEL/ST |  0x9d ... BEL/ST                    (title, OSC 8 links, OSC 52 clipboard)
#   DCS/SOS/PM/APC  ESC P|X|^|_ ... ST  |  0x90/0x98/0x9e/0x9f ... ST
# An unterminated string sequence runs to the end of the text, as a terminal would swallow it.
# Every alternative starts with one literal character, so the engine skips to the next ESC or C1
# introducer in C (7x faster on escape-heavy text than alternatives led by groups); the ESC forms
# are tried in the order CSI, OSC, string, two-byte/nF, lone ESC.
ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"  # OSC
    r"|[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c|$)"  # DCS, SOS, PM, APC
    r"|[ -/]*[0-~]"  # two-byte and nF escapes: ESC c (reset), ESC 7, ESC ( B ...
    r"|)"  # a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"
    r"|\x90[^\x1b\x9c]*(?:\x1b\\|\x9c|$)"
    r"|\x98[^\x1b\x9c]*(?:\x1b\\|\x9c|$)"
    r"|\x9e[^\x1b\x9c]*(?:\x1b\\|\x9c|$)"
    r"|\x9f[^\x1b\x9c]*(?:\x1b\\|\x9c|$)"
)
# C0 controls except TAB and LF, DEL, C1 controls.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that reorder or hide what is displayed (Trojan Source style), plus the BOM.
INVISIBLE_FORMAT = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_HAS_ESCAPE = re.compile(r"[\x1b\x90\x98\x9b\x9d\x9e\x9f]")


def strip_terminal(text: str) -> str:
    """Remove escape sequences and control characters (TAB kept): the reader's log cleaning."""
    if _HAS_ESCAPE.search(text):
        text = ESCAPE_SEQUENCE.sub("", text)
    if CONTROL_CHARS.search(text):
        text = CONTROL_CHARS.sub("", text)
    if INVISIBLE_FORMAT.search(text):
        text = INVISIBLE_FORMAT.sub("", text)
    return text


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, keep_newlines: bool = True) -> str:
    """Text that cannot drive a terminal: sequences removed, other controls shown as \\xNN.

    Escaping (rather than deleting) what is left keeps a hostile file name or pattern
    recognisable in the output. TAB is kept; LF is kept unless keep_newlines is False.
    """
    if _HAS_ESCAPE.search(text):
        text = ESCAPE_SEQUENCE.sub("", text)
    if not keep_newlines and "\n" in text:
        text = text.replace("\n", "\\n")
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def safe_report(report: ReportT) -> ReportT:
    """A copy of a Report (or any report model) with every string made terminal-safe."""
    return report.map_strings(terminal_safe)


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and bidi controls written as \\u escapes (JSON already escapes C0).

    Only valid on serialised JSON: these characters can only occur inside its strings.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_UNSAFE.search(text) else text


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
