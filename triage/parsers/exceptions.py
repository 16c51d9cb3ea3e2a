"""Python tracebacks and one-line `module.Class: message` exceptions."""

from __future__ import annotations

import re

from triage import codes
from triage.reader import Line
from triage.report import ExceptionInfo, Frame

MAX_EXCEPTIONS = 1000
MAX_FRAMES = 50  # the last frames are kept: they are nearest to the raise

_TB_START = "Traceback (most recent call last)"
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>\S+))?\s*(?P<code>.*)$')
# An optional pytest `E   ` prefix, then a qualified or bare class name, then the message.
_EXC = re.compile(r"^\s*(?:E\s+)?(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*)(?:: ?(?P<msg>.*))?$")
_CODE_IN_MSG = re.compile(r"\(native error code:\s*(-?\d+)\)")
_SUFFIXES = (
    "Error",
    "Exception",
    "Exit",
    "Interrupt",
    "Timeout",
    "Failed",
    "Terminated",
    "Busy",
    "Mismatch",
    "Overflow",
)
_KNOWN = codes.RUNTIME_ONLY_CLASSES | codes.COMPILER_ONLY_CLASSES | {"InternalError"}
# Outside a traceback, every line feed() acts on contains one of these (any case): the start of
# a traceback, or an exception type that _is_exception_type accepts or that starts with furiosa.
INTEREST_LITERALS = (_TB_START.lower(), "furiosa.", *(s.lower() for s in _SUFFIXES), *(k.lower() for k in _KNOWN))
_TB_NOISE = ("During handling of the above exception", "The above exception was the direct cause")


def _is_exception_type(name: str, strict: bool) -> bool:
    cls = name.rsplit(".", 1)[-1]
    if cls in _KNOWN or cls.endswith(_SUFFIXES):
        return True
    # `furiosa.runtime.errors.DeviceBusy`: a lower-case dotted module before a class name
    return not strict and "." in name and name.split(".", 1)[0].islower()


def parse_exception_line(text: str, strict: bool = True) -> tuple[str, str] | None:
    """(type, message) if the line is an exception line, else None.

    strict (outside a traceback): a message is required and the class must look like an
    exception (Error/Exception/Exit suffix, a Furiosa exception class, or furiosa.* module).
    """
    m = _EXC.match(text)
    if not m:
        return None
    exc_type, msg = m.group("type"), m.group("msg")
    if strict:
        if msg is None or not msg.strip():
            return None
        if not (_is_exception_type(exc_type, strict=True) or exc_type.startswith("furiosa.")):
            return None
    elif not _is_exception_type(exc_type, strict=False):
        return None
    return exc_type, (msg or "").strip()


class ExceptionParser:
    def __init__(self, out: list[ExceptionInfo]) -> None:
        self.out = out
        self.dropped = 0
        self.in_traceback = False
        self.frames: list[Frame] = []
        self.frames_seen = 0

    def feed(self, line: Line, source: str) -> str | None:
        """Returns the exception type when this line ends a traceback or is an exception line."""
        text = line.text
        if _TB_START in text:
            self.in_traceback = True
            self.frames = []
            self.frames_seen = 0
            return None
        if self.in_traceback:
            fm = _FRAME.match(text)
            if fm:
                self._add_frame(fm)
                return None
            if text.startswith((" ", "\t")) or not text.strip() or any(n in text for n in _TB_NOISE):
                if self.frames and text.strip() and not self.frames[-1].code:
                    self.frames[-1].code = text.strip()
                return None
            parsed = parse_exception_line(text, strict=False)
            self.in_traceback = False
            if parsed:
                return self._emit(parsed, line, source, self.frames, self.frames_seen)
            return None
        if ": " not in text:
            return None
        parsed = parse_exception_line(text, strict=True)
        if parsed:
            return self._emit(parsed, line, source, [], 0)
        return None

    def close(self) -> None:
        self.in_traceback = False
        self.frames = []

    def _add_frame(self, fm: re.Match[str]) -> None:
        self.frames_seen += 1
        self.frames.append(
            Frame(
                file=fm.group("file"),
                line=int(fm.group("line")),
                function=fm.group("func") or "",
                code=fm.group("code").strip(),
            )
        )
        if len(self.frames) > MAX_FRAMES:
            del self.frames[0]

    def _emit(self, parsed: tuple[str, str], line: Line, source: str, frames: list[Frame], seen: int) -> str:
        exc_type, msg = parsed
        if len(self.out) >= MAX_EXCEPTIONS:
            self.dropped += 1
            return exc_type
        cm = _CODE_IN_MSG.search(msg)
        self.out.append(
            ExceptionInfo(
                type=exc_type,
                message=msg,
                line=line.no,
                text=line.text.strip(),
                source=source,
                code=int(cm.group(1)) if cm else None,
                frames=list(frames),
                frames_omitted=max(0, seen - len(frames)),
            )
        )
        self.frames = []
        return exc_type
