"""The `ticket` command's steps and its conversation with the user (prompts, preview, output)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer

from triage.kb import KnowledgeBase
from triage.redact import Redactor, environment_secrets
from triage.safety import terminal_safe
from triage.ticket.bundle import build, bundle_type, gather, preview, what_stayed, write_bundle
from triage.ticket.files import check_outputs, write_private
from triage.ticket.inputs import InputError

EXIT_OK, EXIT_USAGE = 0, 2


@dataclass
class TicketOptions:
    files: list[str]
    output: Path | None = None
    bundle: Path | None = None
    redact: bool = True
    preview: bool = False
    follow_compile_log: bool | None = None
    doctor: bool = True
    python: str | None = None
    save_mapping: Path | None = None
    lang: str = "en"


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def local_identity() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """This machine's host and user names: the values most likely to be in its logs."""
    import getpass
    import socket

    hosts: list[str] = []
    try:
        name = socket.gethostname()
        hosts += [name, name.split(".")[0]]
    except OSError:
        pass
    users: tuple[str, ...]
    try:
        users = (getpass.getuser(),)
    except (KeyError, OSError):
        users = ()
    return tuple(dict.fromkeys(h for h in hosts if h)), users


def run_ticket(opts: TicketOptions, kb: KnowledgeBase, fail: Callable[[str], typer.Exit]) -> int:
    from triage.messages import localize_note, say

    lang = opts.lang
    for target in (opts.bundle, opts.output, opts.save_mapping):
        if target is not None and not target.resolve().parent.is_dir():
            raise fail(say("ticket_no_dir", lang, path=target))
    if opts.save_mapping is not None and not opts.redact:
        raise fail(say("ticket_mapping_needs_redaction", lang))
    try:
        if opts.bundle is not None:
            bundle_type(opts.bundle)
    except InputError as exc:
        raise fail(localize_note(str(exc), lang)) from None
    interactive = _interactive()
    stdin = not opts.files and not interactive  # read by the reader (UTF-16 or gzip on a pipe too) into a private copy

    def follow(path: str) -> bool:
        if opts.follow_compile_log is not None:
            return opts.follow_compile_log
        if interactive:
            return typer.confirm(say("ticket_follow_prompt", lang, path=path), default=False, err=True)
        return False

    try:
        inputs, skipped = gather(opts.files, stdin, follow)
        check_outputs(inputs, [opts.bundle, opts.output, opts.save_mapping])
    except InputError as exc:
        raise fail(localize_note(str(exc), lang)) from None
    try:
        return _write(opts, kb, inputs, skipped, interactive, fail)
    finally:
        if inputs and inputs[0].workspace is not None:
            inputs[0].workspace.close()


def _write(opts: TicketOptions, kb: KnowledgeBase, inputs, skipped, interactive: bool, fail) -> int:  # type: ignore[no-untyped-def]
    from triage.messages import localize_note, say

    lang = opts.lang
    doctor = None
    if opts.doctor:
        from triage.doctor import SystemEnv, run_doctor

        doctor = run_doctor(SystemEnv(python=opts.python))
    redactor = None
    if opts.redact:
        hosts, users = local_identity()
        redactor = Redactor(known_hosts=hosts, known_users=users, known_secrets=environment_secrets())
    ticket = build(inputs, skipped, kb, doctor, redactor, opts.lang, bundle=opts.bundle is not None)

    if opts.preview:
        shown = _show_preview(ticket, lang)
        if not (interactive and typer.confirm(say("ticket_confirm_write", lang), default=False, err=True)):
            typer.echo(say("ticket_preview_only", lang, count=shown), err=True)
            return EXIT_OK

    markdown = ticket.redacted(ticket.markdown)
    if opts.bundle is not None:
        try:
            entries = write_bundle(ticket, opts.bundle)
        except OSError as exc:
            raise fail(say("ticket_cannot_write", lang, path=opts.bundle, reason=exc.strerror or exc)) from None
        counts = ticket.redactor.counts() if ticket.redactor else {}
        what = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or say("ticket_nothing_redacted", lang)
        what = what if ticket.redactor else say("ticket_not_redacted", lang)
        typer.echo(say("ticket_wrote_bundle", lang, path=opts.bundle, count=len(entries) + 1, what=what), err=True)
    if opts.save_mapping is not None and ticket.redactor is not None:
        write_private(opts.save_mapping, json.dumps(ticket.redactor.table(), indent=2, ensure_ascii=False) + "\n")
        typer.echo(say("ticket_wrote_mapping", lang, path=opts.save_mapping), err=True)
    if opts.output is not None:
        try:
            opts.output.write_text(markdown, encoding="utf-8")
        except OSError as exc:
            raise fail(say("ticket_cannot_write", lang, path=opts.output, reason=exc.strerror or exc)) from None
        typer.echo(say("ticket_wrote", lang, path=opts.output), err=True)
    elif opts.bundle is None:
        sys.stdout.write(terminal_safe(markdown))  # log text and doctor output can carry escape sequences
        sys.stdout.flush()
    for path, why in skipped:
        typer.echo(say("ticket_skipped_compile_log", lang, path=path, why=localize_note(why, lang)), err=True)
    if not opts.redact:
        typer.echo(say("ticket_no_redact_warning", lang), err=True)
    return EXIT_OK


def _window(text: str, needle: str, width: int = 240) -> str:
    """The part of a (possibly flattened, very long) line around the first replacement."""
    text = text.strip()
    if len(text) <= width:
        return text
    start = max(0, text.find(needle) - width // 3)
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def _show_preview(ticket, lang: str = "en") -> int:  # type: ignore[no-untyped-def]
    from triage.messages import say

    lines = 0
    for where, no, old, new, done in preview(ticket):
        lines += 1
        unique = list(dict.fromkeys((r.kind, r.original, r.placeholder) for r in done))
        swaps = ", ".join(f"[{kind}] {orig} -> {ph}" for kind, orig, ph in unique)
        typer.echo(terminal_safe(f"{where}:{no}: {swaps}", keep_newlines=False))  # raw log text
        typer.echo(terminal_safe(f"  - {_window(old, unique[0][1])}", keep_newlines=False))
        typer.echo(terminal_safe(f"  + {_window(new, unique[0][2])}", keep_newlines=False))
    if not lines:
        typer.echo(say("ticket_nothing_to_replace", lang))
    stayed = what_stayed(ticket)
    if stayed:
        typer.echo(say("ticket_still_in_text", lang))
        for token, count in stayed:
            typer.echo(terminal_safe(f"  {token}  ({count}x)", keep_newlines=False))
    return lines
