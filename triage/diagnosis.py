"""The compact diagnosis that the notebook, pytest and excepthook integrations print after a failure.

It speaks only when the knowledge base recognises something (a finding that is not noise): an
unrelated exception or a clean output gets None, so the integrations stay silent. Text is made
terminal-safe and HTML is escaped: both quote the user's exception message.
"""

from __future__ import annotations

import html
import re
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triage.api import Lang, Report
    from triage.report import Finding

MAX_FIX = 300


def exception_text(exc: BaseException) -> str:
    """The traceback Python would print (chained causes included), without colours."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


SAFETY_NET = "unrecognized-error"  # triage/unrecognized.py: any failure no cause explains
# What makes an unexplained failure a Warboy one: a furiosa exception, or a line of the Rust runtime
# (nux / furiosa crates' tracing records name their module: `ERROR nux::npu: ...`)
_WARBOY_MODULE = re.compile(r"^\s*furiosa[\w.]*\.\w+:|\b(?:nux|furiosa\w*)::\w")


def _warboy_failure(text: str) -> bool:
    from triage.parsers.failures import failure_kind

    return bool(_WARBOY_MODULE.search(text)) or failure_kind(text) == "panic"


def recognised(report: Report) -> bool:
    """A known cause (not noise), or an unexplained failure that is Warboy's own: a furiosa.* exception,
    a record of the native runtime, or a Rust panic (the runtime is Rust). A Python error of the
    user's own code, which the safety net also reports, is not ours to comment on."""
    return any(_speaks_for(f) for f in report.findings)


def _speaks_for(f: Finding) -> bool:
    if f.kind == "noise":
        return False
    return f.id != SAFETY_NET or any(_warboy_failure(e.text) for e in f.evidence)


def diagnose(text: str, *, name: str = "<traceback>", lang: Lang = "en") -> Report | None:
    """The report for a traceback or captured output, or None when nothing in it is a known Warboy failure."""
    from triage.api import analyze

    if not text.strip():
        return None
    report = analyze(text, name=name, lang=lang)
    return report if recognised(report) else None


def diagnose_exception(exc: BaseException, *, output: str = "", lang: Lang = "en") -> Report | None:
    """Diagnose an exception, with the output printed before it (native log lines often hold the cause)."""
    text = exception_text(exc)
    return diagnose(f"{output.rstrip()}\n{text}" if output.strip() else text, lang=lang)


def explain_query(report: Report, finding: Finding) -> str:
    """What to pass to `explain` for more: the native code for the generic code finding, else the cause id."""
    if finding.kind == "generic" and report.error_codes:
        code = report.error_codes[0]
        return str(code.code) if code.ambiguous else f"{code.table}:{code.code}"
    return finding.id


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_FIX else text[: MAX_FIX - 1] + "…"


def _parts(report: Report, lang: str) -> tuple[Finding, str, str, str, list[str]]:
    from triage.render import localized

    top = next(f for f in report.findings if _speaks_for(f))
    title, steps = localized(top, lang)
    fix = _clip(steps[0]) if steps else ""
    others = [f.id for f in report.findings if f is not top and _speaks_for(f)]  # not a test's AssertionError
    return top, title, fix, explain_query(report, top), others


def compact_text(report: Report, *, lang: str = "en", more: str = "") -> str:
    """A few lines: title, top fix, the explain hint; `more` names how to see the full report."""
    from triage.safety import terminal_safe

    top, title, fix, query, others = _parts(report, lang)
    lines = [f"warboy-triage: {title} [{top.severity}: {top.id}]"]
    if fix:
        lines.append(f"  Fix: {fix}")
    if others:
        lines.append(f"  Also: {', '.join(others)}")
    hint = f"  More: warboy-triage explain {query}"
    lines.append(hint + (f" · {more}" if more else ""))
    return terminal_safe("\n".join(lines)) + "\n"


_CODE_SPAN = re.compile(r"`([^`<>]+)`")
_COLOUR = {"error": "#b00020", "warning": "#8a6d00", "info": "#005a9c"}


def compact_html(report: Report, *, lang: str = "en", more: str = "") -> str:
    """The same lines as compact_text, as a small HTML block for Jupyter."""
    top, title, fix, query, others = _parts(report, lang)

    def e(text: str) -> str:  # escaped, with the knowledge base's `command` spans as <code>
        return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text))

    colour = _COLOUR.get(top.severity, "#333")
    rows = [
        f'<div style="font-weight:bold;color:{colour}">warboy-triage: {e(title)} '
        f'<span style="font-weight:normal">[{e(top.severity)}: <code>{e(top.id)}</code>]</span></div>'
    ]
    if fix:
        rows.append(f"<div><b>Fix:</b> {e(fix)}</div>")
    if others:
        rows.append(f"<div><b>Also:</b> {', '.join(f'<code>{e(o)}</code>' for o in others)}</div>")
    extra = f" · {e(more)}" if more else ""
    rows.append(f"<div><b>More:</b> <code>warboy-triage explain {e(query)}</code>{extra}</div>")
    style = f"border-left:4px solid {colour};padding:4px 8px;margin:4px 0;font-family:sans-serif"
    return f'<div class="warboy-triage" style="{style}">' + "".join(rows) + "</div>"
