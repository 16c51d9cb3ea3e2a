"""`warboy-triage analyze FILE...` (the default command): logs in, ranked findings out."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from triage.commands.common import (
    EXIT_USAGE,
    ColorOption,
    FailOn,
    FailOnOption,
    Lang,
    LangOption,
    PatternsOption,
    exit_code,
    fail,
    load_kb,
    silence_stdout,
    write_now,
)
from triage.reader import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from triage.kb import KnowledgeBase
    from triage.reader import LineReader
    from triage.report import Finding, Report

EPILOG = (
    "Examples:\n\n  warboy-triage analyze run.log\n\n  cat run.log | warboy-triage analyze -f json\n\n"
    "  warboy-triage analyze a.log b.log.gz --fail-on warning\n\n"
    "A file that cannot be read is reported on stderr; the others are still analysed, and the exit code is 2."
)

USAGE_HINT = (
    "warboy-triage: no log given. Pipe one in or name files, e.g.\n"
    "  furiosa-compile model.onnx 2>&1 | warboy-triage\n"
    "  warboy-triage run.log\n"
    "Run 'warboy-triage --help' for more."
)


class AnalyzeFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    jsonl = "jsonl"
    prometheus = "prometheus"


class InputFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


class Backend(str, Enum):
    auto = "auto"
    re = "re"
    hyperscan = "hyperscan"
    line = "line"


def analyze(
    files: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer needs Optional
        typer.Argument(
            metavar="FILE",
            help="Log files (plain or gzip). '-' or nothing reads standard input.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        AnalyzeFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format (jsonl: one record per line, written as each input ends; prometheus: the text format"
            " of node_exporter's textfile collector).",
        ),
    ] = AnalyzeFormat.text,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional
        typer.Option(
            "--output", "-o", help="Write the report to this file, atomically (for a textfile collector or a shipper)."
        ),
    ] = None,
    label: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--label",
            help="NAME=VALUE added to every jsonl record and prometheus series (repeatable). jsonl also gets"
            " host=<this machine> unless you give host.",
            show_default=False,
        ),
    ] = None,
    fail_on: FailOnOption = FailOn.error,
    lang: LangOption = Lang.en,
    max_evidence: Annotated[
        int, typer.Option(min=0, max=10000, help="Evidence lines shown per finding (0: none, only the count).")
    ] = 20,
    patterns: PatternsOption = None,
    color: ColorOption = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=64, help="Processes for a large plain log file (same report).")
    ] = 1,
    backend: Annotated[
        Backend,
        typer.Option(
            help="Line scanner: auto (Hyperscan when installed, else re), re, hyperscan (pip install "
            "'warboy-triage[fast]'), or line (every line through every rule; slowest). Same report."
        ),
    ] = Backend.auto,
    input_format: Annotated[
        InputFormat,
        typer.Option(help="jsonl: the inputs are log shippers' JSON records (Vector, Fluent Bit, journalctl -o json)."),
    ] = InputFormat.text,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            "-F",
            help="Keep reading files and directories as they grow (tail -F: rotation, truncation, files that"
            " appear later) and print each finding as soon as it is known, and again when it grows."
            " Ctrl-C stops. With jsonl: one event record per change.",
        ),
    ] = False,
    message_key: Annotated[
        str, typer.Option(help="With --input-format jsonl: the field holding the log line (dots for nested fields).")
    ] = "message",
    max_bytes: Annotated[
        int,
        typer.Option(
            min=0,
            help="Stop reading an input after this many bytes (decompressed; a note says so): gzip bombs and"
            " endless devices end. 0: no limit. Counted in bytes, not time, so reports do not depend on load.",
        ),
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Analyse logs and print the ranked findings (the default command)."""
    from triage.api import analyze_paths
    from triage.fastpath import resolve_backend
    from triage.labels import LabelError, parse_labels
    from triage.messages import localize_note, say
    from triage.progress import progress_bar
    from triage.reader import ReaderError, stdin_is_terminal
    from triage.render import get_renderer
    from triage.safety import terminal_safe

    try:
        labels = parse_labels(label or [], default_host=fmt is AnalyzeFormat.jsonl)
    except LabelError as exc:
        raise fail(str(exc)) from None
    paths: list[str | None] = list(files) if files else [None]
    if paths == [None] and stdin_is_terminal():
        typer.echo(USAGE_HINT, err=True)
        raise typer.Exit(EXIT_USAGE)
    kb = load_kb(patterns)
    if follow and output is not None:  # it was ignored: the events went to stdout, the file never came
        raise fail(say("analyze_follow_no_output", lang.value))
    if follow:
        raise typer.Exit(_follow(paths, kb, fmt, max_evidence, labels, lang.value, fail_on))
    scanner, note = (None, None) if backend is Backend.line else resolve_backend(backend.value)
    if note:
        typer.echo(f"warboy-triage: note: {localize_note(note, lang.value)}", err=True)
    line_reader = None
    if input_format is InputFormat.jsonl:  # shipper records are decoded line by line
        from triage.jsonl_input import jsonl_reader

        line_reader = jsonl_reader(message_key)
    if fmt is AnalyzeFormat.jsonl and output is None:
        raise typer.Exit(_stream_jsonl(paths, kb, max_evidence, line_reader, fail_on, scanner, jobs, labels, max_bytes))
    unreadable: list[str] = []
    while True:  # an unreadable file costs its own report, not the others' (like grep: exit 2 at the end)
        try:
            with progress_bar(paths) as progress:
                report = analyze_paths(
                    paths,
                    kb=kb,
                    max_evidence=max_evidence,
                    backend=scanner,
                    jobs=jobs,
                    progress=progress,
                    line_reader=line_reader,
                    max_bytes=max_bytes,
                )
            break
        except ReaderError as exc:
            bad = _failed_path(paths, str(exc))
            if bad is None or len(paths) == 1:
                for message in unreadable:
                    typer.echo(f"warboy-triage: error: {terminal_safe(localize_note(message, lang.value))}", err=True)
                raise fail(localize_note(str(exc), lang.value)) from None
            unreadable.append(str(exc))
            paths.remove(bad)
    for message in unreadable:
        typer.echo(f"warboy-triage: error: {terminal_safe(localize_note(message, lang.value))}", err=True)
    _say_empty(report, lang.value)
    render = get_renderer(fmt.value)
    if output is not None:
        from triage.atomic import write_atomic

        try:
            write_atomic(output, render(report, lang=lang.value, color=False, labels=labels))
        except OSError as exc:
            raise fail(say("analyze_cannot_write", lang.value, path=output, reason=exc.strerror or exc)) from None
        raise typer.Exit(EXIT_USAGE if unreadable else exit_code(report, fail_on))
    try:
        sys.stdout.write(render(report, lang=lang.value, color=color, labels=labels))
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        silence_stdout()
    raise typer.Exit(EXIT_USAGE if unreadable else exit_code(report, fail_on))


def _failed_path(paths: list[str | None], message: str) -> str | None:
    """Which input a reader error is about (its message starts with the input's name)."""
    for p in paths:
        name = "<stdin>" if p in (None, "-") else p
        if message.startswith(f"{name}:"):
            return p  # type: ignore[return-value]
    return None


def _follow(
    paths: list[str | None],
    kb: KnowledgeBase,
    fmt: AnalyzeFormat,
    max_evidence: int,
    labels: dict[str, str],
    lang: str,
    fail_on: FailOn,
) -> int:
    import time

    from triage.live import follow_render
    from triage.live.follow import Follower, FollowError
    from triage.messages import say
    from triage.report import Report

    if fmt not in (AnalyzeFormat.text, AnalyzeFormat.jsonl):
        raise fail(say("analyze_follow_formats", lang))
    try:
        follower = Follower(["-" if p in (None, "-") else p for p in paths], kb, max_evidence)
    except FollowError as exc:
        raise fail(str(exc)) from None
    for waiting in follower.pending:  # as tail -F: say so, then wait for it (a log that a run will create)
        typer.echo(f"warboy-triage: note: {say('analyze_follow_waiting', lang, path=waiting)}", err=True)
    latest: dict[tuple[str, str], Finding] = {}
    try:
        while not follower.finished:
            events = follower.poll()
            for event in events:
                if event.finding is not None:
                    latest[(event.source, event.finding.id)] = event.finding
                text = (
                    follow_render.jsonl(event, labels)
                    if fmt is AnalyzeFormat.jsonl
                    else follow_render.text(event, lang)
                )
                if not write_now(text):
                    silence_stdout()
                    return exit_code(Report(findings=list(latest.values())), fail_on)
            if not events:
                time.sleep(0.1)
    finally:
        follower.close()
    return exit_code(Report(findings=list(latest.values())), fail_on)


def _say_empty(report: Report, lang: str = "en") -> None:
    """One line on stderr per empty input: an empty pipe is not a healthy run."""
    from triage.messages import localize_note
    from triage.pipeline import empty_inputs, empty_note
    from triage.safety import terminal_safe

    for name in empty_inputs(report):
        typer.echo(f"warboy-triage: note: {terminal_safe(localize_note(empty_note(name), lang))}", err=True)


def _stream_jsonl(
    paths: list[str | None],
    kb: KnowledgeBase,
    max_evidence: int,
    line_reader: LineReader | None,
    fail_on: FailOn,
    backend: str | None,
    jobs: int,
    labels: dict[str, str],
    max_bytes: int,
) -> int:
    """--format jsonl: records of each input as soon as it ends; errors go to stderr."""
    from triage.report import Report, SourceInfo
    from triage.stream import stream_jsonl

    result = stream_jsonl(
        paths, kb, write_now, max_evidence, line_reader, backend=backend, jobs=jobs, labels=labels, max_bytes=max_bytes
    )
    if result.closed:  # `| head`: quiet, and the exit code of the findings written so far
        silence_stdout()
        return exit_code(Report(findings=result.findings), fail_on)
    for message in result.errors:
        typer.echo(f"warboy-triage: error: {message}", err=True)
    _say_empty(Report(sources=[SourceInfo(name=name) for name in result.empty]))
    if result.errors:
        return EXIT_USAGE
    return exit_code(Report(findings=result.findings), fail_on)


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(analyze)
