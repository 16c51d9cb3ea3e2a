"""Failure lines that no other parser reads: Rust panics, crashes (signals, core dumps, aborts)
and `error:` lines of command-line tools.

They feed the safety net (triage/unrecognized.py): a failure that no pattern explains must not
end as "no known problem" with exit status 0. Python exceptions come from the exception parser
and ERROR / FATAL / CRITICAL records from the record parser; this one covers the rest.
"""

from __future__ import annotations

import re

from triage.parsers.literal_gate import LiteralGate

# `thread 'main' panicked at 'msg', src/lib.rs:1:2` (Rust < 1.73) and
# `thread 'tokio-runtime-worker' panicked at src/lib.rs:1:2:` (the message on the next line),
# `thread 'main' (9925) panicked at ...` (newer releases add the thread id)
_PANIC = re.compile(r"\bthread '[^']{0,200}'(?: \(\d+\))? panicked at\b")
# Signals as shells report a child's death: bash `Segmentation fault (core dumped)`, a script's
# `./run.sh: line 3: 4242 Killed  python3 x.py`, a job `[1]+  Killed  python3 x.py`, zsh
# `zsh: segmentation fault (core dumped)  python3 x.py`.
_SIGNAL = re.compile(
    r"^(?P<prefix>[\w./-]{1,100}: (?:line \d+: )?)?(?P<pid>\d+ +|\[\d+\][+-]? +)?"
    r"(?P<signal>segmentation fault|killed|aborted|bus error|illegal instruction|floating point exception)"
    r"(?P<core> +\(core dumped\))?(?P<rest>.*)$",
    re.IGNORECASE,
)
# The C library, the kernel and the interpreter reporting a crash in a line of their own.
_CRASH = re.compile(
    r"^Fatal Python error: "
    r"|^terminate called after throwing an instance of "
    r"|^\*\*\* (?:stack smashing|buffer overflow) detected \*\*\*"
    r"|^(?:double free or corruption|free\(\): invalid |malloc\(\): |corrupted size vs\. prev_size)"
    r"|\bsegfault at [0-9a-f]+ ip [0-9a-f]+\b"  # dmesg: python3[4242]: segfault at 0 ip ...
    r"|\bOut of memory: Killed process \d+\b"  # dmesg: the OOM killer
    r"|\bBUG: unable to handle |\bkernel BUG at |\bgeneral protection fault\b|\bKernel panic - not syncing\b"
    r"|^dpkg: error\b"  # dpkg: error processing package furiosa-... (--configure):
    r"|\(core dumped\)"
)
# `error: ...` (clap, rustc, cargo), `Error: ...` (click), `ERROR: ...` (pip, setup tools) at the
# start of a line, and argparse's `prog: error: ...`.
_TOOL_ERROR = re.compile(r"^(?:error|Error|ERROR)(?:\[E\d+\])?: \S|^[\w.-]{1,60}: error: \S")
_LETTER = re.compile(r"[A-Za-z]")
# unittest's header above a test's traceback (`ERROR: test_run (test_session.TestSession)`): the
# traceback under it is the failure, read by the exception parser; the header would count it twice.
_UNITTEST_HEADER = re.compile(r"^(?:ERROR|FAIL): \w+ \([\w.]+\)$")
# furiosa-litmus marks a failed step `[Step 1] Failed` (FuriosaAI's CLI docs, 0.8)
_LITMUS_FAILED = re.compile(r"^\[Step \d+\] Failed\b")

# Every line failure_kind() returns a kind for contains one of these (compared lower-cased);
# the fast scan feeds such lines (see triage/scan.py).
INTEREST_LITERALS = (
    "panicked at",
    "segmentation fault",
    "killed",
    "aborted",
    "bus error",
    "illegal instruction",
    "floating point exception",
    "fatal python error",
    "terminate called",
    "detected ***",
    "double free",
    "free(): invalid",
    "malloc(): ",
    "corrupted size",
    "segfault at",
    "core dumped",
    "bug: unable to handle",
    "kernel bug at",
    "general protection fault",
    "kernel panic",
    "dpkg: error",
    "error",
    "] failed",
)


# on the lower-cased line: re.IGNORECASE over this alternation is about ten times slower
_GATE = LiteralGate(INTEREST_LITERALS, like_ignorecase=False)


def failure_kind(text: str) -> str | None:
    """'panic', 'crash' or 'tool-error' when the line reports a failure of its own, else None."""
    if not _GATE(text):  # most lines: one pass instead of the regexes below
        return None
    if "panicked at" in text and _PANIC.search(text):
        return "panic"
    stripped = text.strip()
    if _crash_line(stripped):
        return "crash"
    if _TOOL_ERROR.match(stripped) and not metric_like(stripped) and not _UNITTEST_HEADER.match(stripped):
        return "tool-error"  # (`error: 1.5e-3` is a figure)
    if _LITMUS_FAILED.match(stripped):
        return "tool-error"
    return None


def metric_like(text: str) -> bool:
    """`Error: 0.25`, `MeanError: 1.5e-3`: a name and a number, which the exception parser reads as an
    exception line when no traceback comes before it, but which is a figure, not a failure."""
    _, sep, value = text.partition(":")
    return bool(sep) and not _LETTER.search(value.replace("e-", "").replace("e+", ""))


def _crash_line(text: str) -> bool:
    m = _SIGNAL.match(text)
    if m is not None:
        rest = m.group("rest")
        # the signal alone on its line, or followed by the command in a shell's job report;
        # "Killed 3 zombie workers" or "Aborted by user" are sentences, not a death report
        if not rest.strip() or m.group("core") or (rest[:2] == "  " and (m.group("pid") or m.group("prefix"))):
            return True
    return _CRASH.search(text) is not None
