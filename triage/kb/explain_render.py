"""Render an `explain` answer as plain text, markdown or JSON."""

from __future__ import annotations

import json
import textwrap

from triage.kb.explain import EXCEPTION_MODULE, RUNTIME_RAISED, CodeResolution, Explanation, explained_by
from triage.kb.explain import claimed_codes as _claimed
from triage.kb.loader import KnowledgeBase
from triage.kb.schema import Pattern
from triage.messages import localize_note, say

WIDTH = 100


def _label(key: str, lang: str) -> str:
    """A section label (messages/commands.py, explain_label_*; the Korean ones follow the seed note's wording)."""
    return say(f"explain_label_{key}", lang)


def _title(p: Pattern, lang: str) -> str:
    return p.title_ko if lang == "ko" and p.title_ko else p.title


def _steps(p: Pattern, lang: str) -> list[str]:
    return p.remediation_ko if lang == "ko" and p.remediation_ko else p.remediation


def _oneline(text: str) -> str:
    return " ".join(text.split())


def code_raised_as(res: CodeResolution, lang: str = "en") -> str:
    """How the code shows up in a log: its exception class, or InternalError for the runtime."""
    e = res.entry
    if res.table == "runtime" and e.code not in RUNTIME_RAISED:
        return say("explain_legacy_raised", lang)
    if e.exception:
        msg = f": {e.message}" if e.message else ""
        return f"{EXCEPTION_MODULE[res.table]}.{e.exception}{msg} (native error code: {e.code})"
    return ""


def pattern_dict(kb: KnowledgeBase, p: Pattern) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "title_ko": p.title_ko,
        "severity": p.severity,
        "component": p.component,
        "kind": p.kind,
        "sdk": p.sdk,
        "why": _oneline(p.why),
        "why_ko": _oneline(p.why_ko),
        "remediation": list(p.remediation),
        "remediation_ko": list(p.remediation_ko),
        "checklist": list(p.checklist),
        "checklist_ko": list(p.checklist_ko),
        "references": list(p.references),
        "keywords": list(p.keywords),
        "reads": (["log"] if p.match else []) + (["model"] if p.lint is not None else []),
        "codes": [{"table": t, "code": e.code, "name": e.name} for t, e in _claimed(kb, p)],
        "explains": list(p.explains),
        "explained_by": [q.id for q in explained_by(kb, p.id)],
    }


def code_dict(kb: KnowledgeBase, res: CodeResolution) -> dict:
    e = res.entry
    return {
        "table": res.table,
        "code": e.code,
        "name": e.name,
        "message": e.message,
        "exception": e.exception,
        "raised_as": code_raised_as(res),
        "causes": [pattern_dict(kb, p) for p in res.causes],
        "fallback": (
            {**pattern_dict(kb, res.fallback), "title": res.fallback_title("en"), "title_ko": res.fallback_title("ko")}
            if res.fallback and not res.causes
            else None
        ),
        "related": [p.id for p in res.related],
    }


def to_dict(kb: KnowledgeBase, ex: Explanation) -> dict:
    return {
        "query": ex.query,
        "note": ex.note,
        "patterns": [pattern_dict(kb, p) for p in ex.patterns],
        "codes": [code_dict(kb, r) for r in ex.codes],
    }


def render_json(kb: KnowledgeBase, ex: Explanation, lang: str = "en") -> str:
    return json.dumps(to_dict(kb, ex), indent=2, ensure_ascii=False) + "\n"


# -- text ---------------------------------------------------------------------------------


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(_oneline(text), WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _own_steps(steps: list[str]) -> list[str]:
    """Fix steps without the advice to run `explain`: the reader is looking at its answer."""
    return [s for s in steps if "warboy-triage explain" not in s]


def _pattern_text(
    kb: KnowledgeBase, p: Pattern, lang: str, title: str | None = None, self_explaining: bool = True
) -> list[str]:
    out = [f"{p.id}: {title or _title(p, lang)}"]
    meta = say("explain_meta", lang, severity=p.severity, component=p.component, kind=p.kind)
    meta += f" · SDK {p.sdk}" if p.sdk else ""
    out.append(meta)
    if p.lint is not None:
        out.append(say("explain_found_in_model" if not p.match else "explain_found_in_both", lang))
    claimed = _claimed(kb, p)
    if claimed:
        out.append(say("explain_native_codes", lang, codes=", ".join(f"{t} {e.code} {e.name}" for t, e in claimed)))
    if p.explains:
        out.append(say("explain_explains", lang, ids=", ".join(p.explains)))
    by = explained_by(kb, p.id)
    if by:
        out.append(say("explain_explained_by", lang, ids=", ".join(q.id for q in by)))
    out.append(f"  {_label('why', lang)}:")
    out += _wrap(p.why_ko if lang == "ko" and p.why_ko else p.why, "    ")
    out.append(f"  {_label('fix', lang)}:")
    steps = _steps(p, lang) if self_explaining else _own_steps(_steps(p, lang))
    for i, step in enumerate(steps, 1):
        out += textwrap.wrap(_oneline(step), WIDTH, initial_indent=f"    {i}. ", subsequent_indent="       ")
    if p.checklist:
        out.append(f"  {_label('collect', lang)}:")
        for item in p.checklist_ko if lang == "ko" and p.checklist_ko else p.checklist:
            out += textwrap.wrap(_oneline(item), WIDTH, initial_indent="    - ", subsequent_indent="      ")
    if p.references:
        out.append(f"  {_label('refs', lang)}:")
        out += [f"    - {r}" for r in p.references]
    return out


def _code_head(res: CodeResolution, lang: str = "en") -> str:
    e = res.entry
    head = say("explain_code_head", lang, table=res.table, code=e.code, name=e.name)
    if e.message:
        head += f' "{e.message}"'
    return head


def render_text(kb: KnowledgeBase, ex: Explanation, lang: str = "en") -> str:
    out: list[str] = []
    if ex.note:
        out += _wrap(localize_note(ex.note, lang), "")
        out.append("")
    for p in ex.patterns:
        out += _pattern_text(kb, p, lang)
        out.append("")
    for res in ex.codes:
        out.append(_code_head(res, lang))
        if res.entry.name == "SUCCESS":
            out += [say("explain_success", lang), ""]
            continue
        raised = code_raised_as(res, lang)
        if raised:
            out += _wrap(say("explain_appears_as", lang, raised=raised), "  ")
        if res.causes:
            ids = ", ".join(p.id for p in res.causes)
            out.append(say("explain_causes" if len(res.causes) > 1 else "explain_cause", lang, ids=ids))
            for p in res.causes:
                out += ["  " + line for line in _pattern_text(kb, p, lang)]
        elif res.related:
            # A code that many failures share (15 above all): the causes behind it are the answer, not the fallback.
            out.append(f"  {_label('behind', lang)}:")
            for i, p in enumerate(res.related, 1):
                out += textwrap.wrap(
                    f"{p.id}: {_title(p, lang)}", WIDTH, initial_indent=f"    {i}. ", subsequent_indent="       "
                )
                first = _own_steps(_steps(p, lang))[:1]
                if first:
                    out += textwrap.wrap(
                        _oneline(first[0]), WIDTH, initial_indent="       → ", subsequent_indent="         "
                    )
            out += _wrap(_label("more", lang), "  ")
        if not res.causes and res.fallback is not None:
            out.append(f"  {_label('fallback', lang)}:")
            out += [
                "  " + line
                for line in _pattern_text(kb, res.fallback, lang, res.fallback_title(lang), self_explaining=False)
            ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- markdown -----------------------------------------------------------------------------


def _pattern_md(
    kb: KnowledgeBase, p: Pattern, lang: str, level: str, title: str | None = None, self_explaining: bool = True
) -> list[str]:
    out = [f"{level} {title or _title(p, lang)} (`{p.id}`)", ""]
    meta = f"**{p.severity}** · {p.component} · {p.kind}" + (f" · SDK {p.sdk}" if p.sdk else "")
    claimed = _claimed(kb, p)
    if claimed:
        meta += say("explain_md_codes", lang, codes=", ".join(f"{t} {e.code} `{e.name}`" for t, e in claimed))
    why = p.why_ko if lang == "ko" and p.why_ko else p.why
    out += [meta, "", _oneline(why), "", f"**{_label('fix', lang)}**", ""]
    steps = _steps(p, lang) if self_explaining else _own_steps(_steps(p, lang))
    out += [f"{i}. {_oneline(s)}" for i, s in enumerate(steps, 1)]
    if p.checklist:
        items = p.checklist_ko if lang == "ko" and p.checklist_ko else p.checklist
        out += ["", f"**{_label('collect', lang)}**", ""] + [f"- {c}" for c in items]
    if p.explains:
        out += ["", say("explain_md_explains", lang, ids=", ".join(f"`{x}`" for x in p.explains))]
    by = explained_by(kb, p.id)
    if by:
        out += ["", say("explain_md_explained_by", lang, ids=", ".join(f"`{q.id}`" for q in by))]
    return [*out, ""]


def render_markdown(kb: KnowledgeBase, ex: Explanation, lang: str = "en") -> str:
    out: list[str] = [f"# warboy-triage explain `{ex.query}`", ""]
    if ex.note:
        out += [f"> {localize_note(ex.note, lang)}", ""]
    for p in ex.patterns:
        out += _pattern_md(kb, p, lang, "##")
    for res in ex.codes:
        out += [f"## {_code_head(res, lang)}", ""]
        raised = code_raised_as(res, lang)
        if raised:
            shown = f"`{raised}`" if "(native error code" in raised else raised
            out += [say("explain_appears_as", lang, raised=shown), ""]
        for p in res.causes:
            out += _pattern_md(kb, p, lang, "###")
        if not res.causes and res.related:
            out += [f"**{_label('behind', lang)}**", ""]
            for i, p in enumerate(res.related, 1):
                first = _own_steps(_steps(p, lang))[:1]
                out.append(f"{i}. `{p.id}`: {_title(p, lang)}" + (f" — {_oneline(first[0])}" if first else ""))
            out += ["", _label("more", lang), ""]
        if not res.causes and res.fallback is not None:
            out += [f"{_label('fallback', lang)}:", ""]
            out += _pattern_md(kb, res.fallback, lang, "###", res.fallback_title(lang), self_explaining=False)
    return "\n".join(out).rstrip() + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
