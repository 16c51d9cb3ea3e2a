"""Python tracebacks and one-line `module.Class: message` exceptions, in the layouts users paste.

Layouts read (each checked against real pastes, see tests/test_parsers.py):
- plain CPython: `Traceback (most recent call last):`, `  File "x.py", line 3, in f`, code lines;
  3.11+ caret lines (`^^^^`) and exception groups (`  | ` prefixes, `+-+---- 1 ----`);
- IPython/Jupyter 8+: a `----` rule, `ValueError    Traceback (most recent call last)`, `Cell In[3], line 1`,
  `File ~/x.py:142, in f(a)`, context lines with a `----> 1` marker;
- IPython 7 and older: `<ipython-input-1-0c2219f9314e> in <module>`, `~/x.py in f(a)`, the same markers;
- pytest `E   ` prefixes;
- chains: "During handling of the above exception, another exception occurred" (context) and "The above
  exception was the direct cause of the following exception" (cause) link the next exception to the one
  before it, so a later error in cleanup (a RecursionError) does not hide the first.
"""

from __future__ import annotations

import re

from triage import codes
from triage.reader import Line
from triage.report import ExceptionInfo, Frame

MAX_EXCEPTIONS = 1000
MAX_FRAMES = 50  # the last frames are kept: they are nearest to the raise

_TB_START = "Traceback (most recent call last)"
# CPython: `  File "x.py", line 3, in f` (the code may follow on the same line in flattened pastes)
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>\S+))?\s*(?P<code>.*)$')
# IPython 8+: `Cell In[3], line 1` and `File ~/lib/x.py:142, in Session.run(self, inputs)`
_IPY_CELL = re.compile(r"^\s*(?P<file>Cell In ?\[\d*\]), line (?P<line>\d+)(?:, in (?P<func>.+?))?\s*$")
_IPY_INPUT = re.compile(r"^\s*(?P<file>Input In ?\[\d*\]), in (?P<func>.+?)\s*$")
_IPY_FILE = re.compile(r"^\s*File (?P<file>\S.*?):(?P<line>\d+)(?:, in (?P<func>.+?))?\s*$")
# IPython 7 and older: `<ipython-input-1-0c2219f9314e> in <module>`, `~/lib/x.py in f(a, b)`
_IPY_OLD = re.compile(
    r"^(?P<file><ipython-input-[\w-]+>|<[\w.-]+>|[~/.\w][^\s]*\.pyx?) in (?P<func>[\w<>.]+)(?:\(.*\))?\s*:?\s*$"
)
# The marker on the line that raised: `----> 1 sess.run(x)`, `--> 142 raise ...`
_IPY_MARKER = re.compile(r"^\s*-+> ?(?P<line>\d+)(?: (?P<code>.*))?$")
# IPython's rule above the header, and elisions in its context: `(...)`
_IPY_RULE = re.compile(r"^-{20,}\s*$")
# Exception groups (3.11+): `  | ` prefixes and `  +-+---------------- 1 ----------------` separators
_GROUP_PREFIX = re.compile(r"^\s*(?:\| ?)+")
_GROUP_RULE = re.compile(r"^\s*\+[-+ \d.]*$")

# An optional pytest `E   ` prefix, then a qualified or bare class name, then the message.
_EXC = re.compile(r"^\s*(?:E\s+)?(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*)(?:: ?(?P<msg>.*))?$")
# IPython's header puts the class name before the traceback start: `ValueError     Traceback (most...`
_IPY_HEADER = re.compile(r"^\s*(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*)\s+Traceback \(most recent call last\)")
_CODE_IN_MSG = re.compile(r"\(native error code:\s*(-?\d+)\)")
# Messages that mark an exception re-raised by another library whatever its class is called,
# e.g. onnxruntime's `...onnxruntime_pybind11_state.Fail: [ONNXRuntimeError] : 1 : FAIL : ...`
_FOREIGN_MESSAGE = re.compile(r"^\[ONNXRuntimeError\] : \d+ : [A-Z_]+ :")
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
    "NotFound",
    "ExceptionGroup",
)
_KNOWN = codes.RUNTIME_ONLY_CLASSES | codes.COMPILER_ONLY_CLASSES | {"InternalError"}
# Outside a traceback, every line feed() acts on contains one of these (any case): the start of
# a traceback, an exception type that _is_exception_type accepts or that starts with furiosa,
# a chain line ("exception"), or a re-raised library message.
INTEREST_LITERALS = (
    _TB_START.lower(),
    "furiosa.",
    "[onnxruntimeerror]",
    *(s.lower() for s in _SUFFIXES),
    *(k.lower() for k in _KNOWN),
)
_CHAIN_CONTEXT = "During handling of the above exception"
_CHAIN_CAUSE = "The above exception was the direct cause"


def _is_exception_type(name: str, strict: bool) -> bool:
    cls = name.rsplit(".", 1)[-1]
    if cls in _KNOWN or cls.endswith(_SUFFIXES):
        return True
    # `furiosa.runtime.errors.DeviceBusy`: a lower-case dotted module before a class name
    return not strict and "." in name and name.split(".", 1)[0].islower()


def parse_exception_line(text: str, strict: bool = True) -> tuple[str, str] | None:
    """(type, message) if the line is an exception line, else None.

    strict (outside a traceback): a message is required and the class must look like an
    exception (Error/Exception/Exit suffix, a Furiosa exception class, a furiosa.* module, or a
    message another library uses for the exceptions it re-raises).
    """
    m = _EXC.match(text)
    if not m:
        return None
    exc_type, msg = m.group("type"), m.group("msg")
    if strict:
        if msg is None or not msg.strip():
            return None
        if not (
            _is_exception_type(exc_type, strict=True)
            or exc_type.startswith("furiosa.")
            or ("." in exc_type and _FOREIGN_MESSAGE.match(msg))
        ):
            return None
    elif not _is_exception_type(exc_type, strict=False):
        return None
    return exc_type, (msg or "").strip()


class ExceptionParser:
    def __init__(self, out: list[ExceptionInfo]) -> None:
        self.out = out
        self.dropped = 0
        self.limit = MAX_EXCEPTIONS  # (a --jobs worker keeps only what the report can still take)
        self.in_traceback = False
        self.frames: list[Frame] = []
        self.frames_seen = 0
        self.header_type = ""  # IPython's header names the class before the frames
        self.in_group = False  # inside an exception group's `| ` lines
        self.chain: str | None = None  # "context" / "cause" for the next exception
        self.chain_from: int | None = None

    def feed(self, line: Line, source: str) -> str | None:
        """Returns the exception type when this line ends a traceback or is an exception line."""
        text = line.text
        if self.in_group:
            ungrouped = self._ungroup(text)
            if ungrouped is None:
                return None
            text = ungrouped
        if _TB_START in text:
            self._open(text)
            return None
        if self.in_traceback:
            return self._traceback_line(text, line, source)
        if _CHAIN_CONTEXT in text or _CHAIN_CAUSE in text:
            self._chain(text)
            return None
        if ": " not in text:
            return None
        parsed = parse_exception_line(text, strict=True)
        if parsed:
            return self._emit(parsed, line, source, [], 0)
        return None

    def state(self) -> tuple:
        """What decides how the next lines are read: an open traceback (its frames so far, IPython's
        header) and an exception group. (--jobs checks that a unit started from the state the unit
        before it ended in.) The chain to the next exception is not part of it."""
        if not self.in_traceback:
            return (False, self.in_group)
        frames = tuple((f.file, f.line, f.function, f.code) for f in self.frames)
        return (True, self.in_group, self.header_type, self.frames_seen, frames)

    def resume(self, other: ExceptionParser) -> None:
        """Go on from where `other` stands in a traceback or exception group (not its chain)."""
        self.in_traceback = other.in_traceback
        self.in_group = other.in_group
        self.header_type = other.header_type
        self.frames_seen = other.frames_seen
        self.frames = [f.model_copy() for f in other.frames]

    def close(self) -> None:
        self.in_traceback = False
        self.in_group = False
        self.frames = []
        self.header_type = ""
        self.chain = self.chain_from = None

    def _open(self, text: str) -> None:
        self.in_traceback = True
        self.frames = []
        self.frames_seen = 0
        header = _IPY_HEADER.match(text)
        self.header_type = header.group("type") if header else ""
        if "Exception Group Traceback" in text:
            self.in_group = True

    def _ungroup(self, text: str) -> str | None:
        """An exception group's line without its `| ` prefixes; None for its separators."""
        if _GROUP_RULE.match(text):
            return None
        stripped = _GROUP_PREFIX.sub("", text, count=1)
        if stripped == text:
            if text.strip() and not text.startswith((" ", "\t")) and not self.in_traceback:
                self.in_group = False  # a plain line: the group is over
            return text
        return stripped

    def _chain(self, text: str) -> None:
        if self.out:
            self.chain = "cause" if _CHAIN_CAUSE in text else "context"
            self.chain_from = self.out[-1].line

    def _traceback_line(self, text: str, line: Line, source: str) -> str | None:
        fm = _FRAME.match(text)
        if fm:
            self._add_frame(fm.group("file"), int(fm.group("line")), fm.group("func") or "", fm.group("code"))
            return None
        if self._ipython_frame(text):
            return None
        if text.startswith((" ", "\t")) or not text.strip() or _IPY_RULE.match(text):
            code = text.strip()
            if self.frames and code and not self.frames[-1].code and code.strip("^~") and code != "(...)":
                self.frames[-1].code = code
            return None
        if _CHAIN_CONTEXT in text or _CHAIN_CAUSE in text:  # a traceback whose last line was not read
            self.in_traceback = False
            self.header_type = ""
            self._chain(text)
            return None
        parsed = parse_exception_line(text, strict=False)
        self.in_traceback = False
        if parsed:
            return self._emit(parsed, line, source, self.frames, self.frames_seen)
        self.header_type = ""
        return None

    def _ipython_frame(self, text: str) -> bool:
        """Reads an IPython frame header or `---->` marker; True when the line was one."""
        for rx in (_IPY_CELL, _IPY_FILE):
            m = rx.match(text)
            if m:
                self._add_frame(m.group("file"), int(m.group("line")), m.groupdict().get("func") or "", "")
                return True
        m = _IPY_INPUT.match(text) or _IPY_OLD.match(text)
        if m:
            self._add_frame(m.group("file"), 0, m.group("func") or "", "")
            return True
        m = _IPY_MARKER.match(text)
        if m and self.frames:
            frame = self.frames[-1]
            if frame.line == 0:
                frame.line = int(m.group("line"))
            frame.code = (m.group("code") or "").strip()
            return True
        return bool(m)

    def _add_frame(self, file: str, line: int, function: str, code: str) -> None:
        self.frames_seen += 1
        self.frames.append(Frame(file=file, line=line, function=function, code=code.strip()))
        if len(self.frames) > MAX_FRAMES:
            del self.frames[0]

    def _emit(self, parsed: tuple[str, str], line: Line, source: str, frames: list[Frame], seen: int) -> str:
        exc_type, msg = parsed
        # IPython's header may qualify the class the last line leaves bare (or the reverse): keep the longer
        if self.header_type and self.header_type.endswith(exc_type) and len(self.header_type) > len(exc_type):
            exc_type = self.header_type
        self.header_type = ""
        chain, chain_from = self.chain, self.chain_from
        self.chain = self.chain_from = None
        if len(self.out) >= self.limit:
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
                chain=chain,  # type: ignore[arg-type]
                chained_from=chain_from,
            )
        )
        self.frames = []
        return exc_type
