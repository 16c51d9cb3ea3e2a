"""Command line: wires reader -> parsers -> matcher -> report -> renderer. No logic lives here.

`warboy-triage FILE...` is short for `warboy-triage analyze FILE...`.
"""

from __future__ import annotations

import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

# pydantic otherwise scans every installed package's entry points for plugins at start-up
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402

from triage import __version__
from triage.versions import LATEST_SDK

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="warboy-triage",
    help="Diagnose FuriosaAI Warboy NPU logs: the cause, the evidence lines, and the fix.\n\n"
    "Give it a log file (plain or .gz), several files, or pipe a log into it. "
    "`warboy-triage FILE` is short for `warboy-triage analyze FILE`.",
    epilog="Examples:\n\n"
    "  furiosa-compile model.onnx 2>&1 | warboy-triage\n\n"
    "  warboy-triage run.log --format markdown > ticket.md\n\n"
    "  warboy-triage run.log.gz --format json --fail-on warning\n\n"
    "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad usage or unreadable input.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class AnalyzeFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    jsonl = "jsonl"


class InputFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Backend(str, Enum):
    auto = "auto"
    re = "re"
    hyperscan = "hyperscan"
    line = "line"


class Lang(str, Enum):
    en = "en"
    ko = "ko"


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    from triage.safety import terminal_safe

    typer.echo(f"warboy-triage: error: {terminal_safe(message)}", err=True)
    return typer.Exit(code)


def load_kb(patterns: Path | None):  # type: ignore[no-untyped-def]
    from triage.kb import PatternError
    from triage.kb.cache import load_cached

    try:
        return load_cached(patterns)
    except PatternError as exc:
        raise fail(f"cannot load patterns:\n{exc}") from None


def exit_code(report, fail_on: FailOn) -> int:  # type: ignore[no-untyped-def]
    if fail_on is FailOn.never:
        return EXIT_OK
    worst = report.worst_severity()
    if worst == "error" or (worst == "warning" and fail_on is FailOn.warning):
        return EXIT_FINDINGS
    return EXIT_OK


USAGE_HINT = (
    "warboy-triage: no log given. Pipe one in or name files, e.g.\n"
    "  furiosa-compile model.onnx 2>&1 | warboy-triage\n"
    "  warboy-triage run.log\n"
    "Run 'warboy-triage --help' for more."
)


@app.command(
    epilog="Examples:\n\n  warboy-triage analyze run.log\n\n  cat run.log | warboy-triage analyze -f json\n\n"
    "  warboy-triage analyze a.log b.log.gz --fail-on warning"
)
def analyze(
    files: Annotated[
        Optional[list[str]],
        typer.Argument(  # noqa: UP045 - typer needs Optional
            help="Log files (plain or gzip). '-' or nothing reads standard input.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        AnalyzeFormat,
        typer.Option("--format", "-f", help="Output format (jsonl: one record per line, written as each input ends)."),
    ] = AnalyzeFormat.text,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 when a finding is at least this severe.")] = FailOn.error,
    lang: Annotated[
        Lang, typer.Option(help="Language of titles and fixes (ko where the knowledge base has it).")
    ] = Lang.en,
    max_evidence: Annotated[int, typer.Option(min=1, max=10000, help="Evidence lines shown per finding.")] = 20,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
    color: Annotated[
        Optional[bool],
        typer.Option(  # noqa: UP045
            "--color/--no-color",
            help="Colour the text output (default: when stdout is a terminal).",
            show_default=False,
        ),
    ] = None,
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
    message_key: Annotated[
        str, typer.Option(help="With --input-format jsonl: the field holding the log line (dots for nested fields).")
    ] = "message",
) -> None:
    """Analyse logs and print the ranked findings (the default command)."""
    from triage.pipeline import analyze as run_pipeline
    from triage.reader import ReaderError, stdin_is_terminal
    from triage.render import get_renderer

    paths: list[str | None] = list(files) if files else [None]
    if paths == [None] and stdin_is_terminal():
        typer.echo(USAGE_HINT, err=True)
        raise typer.Exit(EXIT_USAGE)
    kb = load_kb(patterns)
    from triage.fastpath import resolve_backend
    from triage.progress import progress_bar

    scanner, note = (None, None) if backend is Backend.line else resolve_backend(backend.value)
    if note:
        typer.echo(f"warboy-triage: note: {note}", err=True)
    line_reader = None
    if input_format is InputFormat.jsonl:  # shipper records are decoded line by line
        from triage.jsonl_input import jsonl_reader

        line_reader = jsonl_reader(message_key)
    if fmt is AnalyzeFormat.jsonl:
        raise typer.Exit(_stream_jsonl(paths, kb, max_evidence, line_reader, fail_on, scanner, jobs))
    try:
        with progress_bar(paths) as progress:
            report = run_pipeline(
                paths,
                kb,
                max_evidence=max_evidence,
                backend=scanner,
                jobs=jobs,
                progress=progress,
                line_reader=line_reader,
            )
    except ReaderError as exc:
        raise fail(str(exc)) from None
    render = get_renderer(fmt.value)
    try:
        sys.stdout.write(render(report, lang=lang.value, color=color))
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _silence_stdout()
    raise typer.Exit(exit_code(report, fail_on))


def _write_now(text: str) -> bool:
    """Write and flush at once; False when the reader of our output has gone away."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        return False
    return True


def _stream_jsonl(
    paths,
    kb,
    max_evidence: int,
    line_reader,
    fail_on: FailOn,  # type: ignore[no-untyped-def]
    backend: str | None,
    jobs: int,
) -> int:
    """--format jsonl: records of each input as soon as it ends; errors go to stderr."""
    from triage.report import Report
    from triage.stream import stream_jsonl

    result = stream_jsonl(paths, kb, _write_now, max_evidence, line_reader, backend=backend, jobs=jobs)
    if result.closed:  # `| head`: quiet, and the exit code of the findings written so far
        _silence_stdout()
        return exit_code(Report(findings=result.findings), fail_on)
    for message in result.errors:
        typer.echo(f"warboy-triage: error: {message}", err=True)
    if result.errors:
        return EXIT_USAGE
    return exit_code(Report(findings=result.findings), fail_on)


@app.command(
    epilog="Examples:\n\n  warboy-triage lint model.onnx\n\n  warboy-triage lint model.onnx --sdk 0.9 -f markdown\n\n"
    "Needs the optional extra: pip install 'warboy-triage[model]'. The model is read, never run."
)
def lint(
    model: Annotated[str, typer.Argument(help="The ONNX model file.", show_default=False)],
    sdk: Annotated[str, typer.Option(help="Furiosa SDK release to check the operator table against.")] = LATEST_SDK,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 when a finding is at least this severe.")] = FailOn.error,
    lang: Annotated[Lang, typer.Option(help="Language of titles and fixes.")] = Lang.en,
    max_evidence: Annotated[int, typer.Option(min=1, max=10000, help="Evidence nodes shown per finding.")] = 20,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
    color: Annotated[
        Optional[bool],
        typer.Option(  # noqa: UP045
            "--color/--no-color",
            help="Colour the text output (default: when stdout is a terminal).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check an ONNX model for Warboy before compiling: quantization, CPU-bound operators, input sizes."""
    from triage.lint import LintError, lint_model
    from triage.render import get_renderer

    kb = load_kb(patterns)
    try:
        report = lint_model(model, sdk=sdk, kb=kb, max_evidence=max_evidence)
    except LintError as exc:
        raise fail(str(exc)) from None
    sys.stdout.write(get_renderer(fmt.value)(report, lang=lang.value, color=color))
    sys.stdout.flush()
    raise typer.Exit(exit_code(report, fail_on))


@app.command(
    epilog="Examples:\n\n  warboy-triage explain 15\n\n  warboy-triage explain OUT_OF_SRAM\n\n"
    "  warboy-triage explain instruction-memory-overflow --lang ko"
)
def explain(
    query: Annotated[
        str,
        typer.Argument(
            help="A cause id, a native error code (15, compiler:9) or a code "
            "or exception name (OUT_OF_SRAM, DeviceBusy)."
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of titles and fixes.")] = Lang.en,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
) -> None:
    """Explain a cause or a native error code: what it means, why it happens, how to fix it."""
    from triage.kb.explain import UnknownQuery, lookup
    from triage.kb.explain_render import RENDERERS

    kb = load_kb(patterns)
    try:
        answer = lookup(kb, query)
    except UnknownQuery as exc:
        hint = f"; closest: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise fail(f"{exc}{hint}. `warboy-triage patterns list` shows every cause id.") from None
    sys.stdout.write(RENDERERS[fmt.value](kb, answer, lang=lang.value))


@app.command(
    epilog="Examples:\n\n  warboy-triage search slow inference\n\n  warboy-triage search 느려요\n\n"
    "  warboy-triage search device busy --format json"
)
def search(
    words: Annotated[list[str], typer.Argument(help="Symptom words, English or Korean.", show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most causes to list.")] = 5,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
) -> None:
    """Find the causes that match a symptom ("slow inference", "정확도", "device busy")."""
    import json

    from triage.kb import search as kb_search

    query = " ".join(words)
    kb = load_kb(patterns)
    hits = kb_search.search(kb, query, limit=limit)
    if fmt is Format.json:
        typer.echo(json.dumps(kb_search.to_dict(query, hits), indent=2, ensure_ascii=False))
    elif not hits:
        raise fail(f"no cause matches '{query}'; `warboy-triage patterns list` shows them all", EXIT_FINDINGS)
    elif fmt is Format.markdown:
        sys.stdout.write(kb_search.render_markdown(query, hits, lang.value))
    else:
        sys.stdout.write(kb_search.render_text(query, hits, lang.value))
    if not hits:
        raise typer.Exit(EXIT_FINDINGS)


patterns_app = typer.Typer(
    help="Check pattern files: list them, validate them, test their examples (exit 1 on any failure).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(patterns_app, name="patterns")
PatternsDir = Annotated[
    Optional[Path],
    typer.Argument(  # noqa: UP045
        help="Patterns directory (default: the bundled one).", show_default=False
    ),
]


@patterns_app.command("list")
def patterns_list(
    directory: PatternsDir = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format (text or json).")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
) -> None:
    """List every cause: id, severity, kind, title and the native codes it claims."""
    import json

    from triage.kb.selfcheck import listing, render_listing

    kb = load_kb(directory)
    if fmt is Format.json:
        typer.echo(json.dumps(listing(kb), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_listing(kb, lang.value))


@patterns_app.command("validate")
def patterns_validate(directory: PatternsDir = None) -> None:
    """Schema, regexes, unique ids, English and Korean text, and every native error code covered."""
    from triage.kb.selfcheck import summary, validate

    result = validate(directory)
    sys.stdout.write(summary(result, "validate"))
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@patterns_app.command("test", epilog="CI runs `warboy-triage patterns test`.")
def patterns_test(directory: PatternsDir = None) -> None:
    """validate, then: examples match, counterexamples do not, no pattern fires on another's examples."""
    from triage.kb.selfcheck import run_tests, summary

    result = run_tests(directory)
    sys.stdout.write(summary(result, "test"))
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@app.command(
    epilog="Examples:\n\n  warboy-triage tui run.log\n\n  furiosa-compile model.onnx 2>&1 | warboy-triage tui\n\n"
    "  warboy-triage tui   (no log: browse the knowledge base)"
)
def tui(
    files: Annotated[
        Optional[list[str]],
        typer.Argument(  # noqa: UP045 - typer needs Optional
            help="Log files (plain or gzip); a pipe is read too. None: the knowledge base browser.", show_default=False
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Start in this language (k toggles).")] = Lang.en,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
) -> None:
    """Browse findings, their evidence in the log, remediation, the knowledge base and the checklist."""
    from triage.tui.launch import run

    raise typer.Exit(run(list(files or []), lang.value, patterns))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report (the JSON contract)."""
    import json

    from triage.report import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@app.command(
    epilog="Examples:\n\n  warboy-triage doctor\n\n  warboy-triage doctor --json > doctor.json\n\n"
    "  warboy-triage doctor --python ~/venvs/furiosa/bin/python\n\n"
    "Exit codes: 0 no check failed (warnings are fine), 1 a check failed, 2 bad usage."
)
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON record.")] = False,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="List the checks and exit.")] = False,
    check: Annotated[
        Optional[list[str]],
        typer.Option(  # noqa: UP045
            "--check", "-c", help="Run only this check (repeatable; ids from --list-checks).", show_default=False
        ),
    ] = None,
    python: Annotated[
        Optional[str],
        typer.Option(  # noqa: UP045
            help="Inspect the packages of this Python interpreter instead of warboy-triage's own."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show details of passing checks too.")] = False,
) -> None:
    """Check this machine for what Warboy needs: packages, versions, devices, logs."""
    from triage.doctor import SystemEnv, all_probes, run_doctor
    from triage.doctor import render as doctor_render
    from triage.doctor.runner import select

    probes = all_probes()
    if list_checks:
        for p in probes:
            typer.echo(f"{p.id:<16} {p.title} (timeout {p.timeout:g}s)")
        raise typer.Exit(EXIT_OK)
    try:
        probes = select(probes, check) if check else probes
    except ValueError as exc:
        raise fail(str(exc)) from None
    if python is not None:
        import shutil

        if shutil.which(python) is None:
            raise fail(f"--python {python}: no such interpreter")
    report = run_doctor(SystemEnv(python=python), probes)
    from triage.safety import terminal_safe

    # probe details quote dmesg, lspci and package managers: text from outside, like a log
    text = doctor_render.json(report) if as_json else terminal_safe(doctor_render.text(report, verbose=verbose))
    sys.stdout.write(text)
    raise typer.Exit(EXIT_FINDINGS if report.counts()["fail"] else EXIT_OK)


@app.command(
    epilog="Examples:\n\n  warboy-triage ticket run.log > ticket.md\n\n"
    "  warboy-triage ticket run.log --bundle ticket.zip --follow-compile-log\n\n"
    "  warboy-triage ticket run.log --bundle ticket.zip --preview\n\n"
    "Redaction is on by default: host names, IPs, MACs, e-mails, user names in paths, tokens, serials"
    " and UUIDs become pseudonyms like `<host-1>`. The mapping never goes into the bundle."
)
def ticket(
    files: Annotated[
        Optional[list[str]],
        typer.Argument(  # noqa: UP045 - typer needs Optional
            help="Log files (plain or gzip). Nothing: read a piped log, or write an environment-only ticket.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            "--output", "-o", help="Write the ticket markdown here instead of standard output."
        ),
    ] = None,
    bundle: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Also write a zip: redacted logs, report.json, doctor.json, ticket.md, manifest.json."
        ),
    ] = None,
    redact: Annotated[bool, typer.Option("--redact/--no-redact", help="Replace personal and secret values.")] = True,
    preview: Annotated[
        bool, typer.Option(help="Show every replacement with its line, then write only after you confirm.")
    ] = False,
    follow_compile_log: Annotated[
        Optional[bool],
        typer.Option(  # noqa: UP045
            "--follow-compile-log/--no-follow-compile-log",
            help="Add the compile log a named log points at (default: ask when interactive, else no).",
            show_default=False,
        ),
    ] = None,
    run_doctor: Annotated[bool, typer.Option("--doctor/--no-doctor", help="Probe this machine too.")] = True,
    python: Annotated[
        Optional[str],
        typer.Option(  # noqa: UP045
            help="For doctor: inspect the packages of this Python interpreter."
        ),
    ] = None,
    save_mapping: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Keep the pseudonym mapping (original value -> `<host-1>`) in this file, for your own records."
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of titles and fixes.")] = Lang.en,
    patterns: Annotated[
        Optional[Path],
        typer.Option(  # noqa: UP045
            help="Use this patterns directory instead of the bundled one."
        ),
    ] = None,
) -> None:
    """Write a support ticket (markdown) and, with --bundle, a redacted zip to attach to it."""
    from triage.ticket.flow import TicketOptions, run_ticket

    opts = TicketOptions(
        files=list(files or []),
        output=output,
        bundle=bundle,
        redact=redact,
        preview=preview,
        follow_compile_log=follow_compile_log,
        doctor=run_doctor,
        python=python,
        save_mapping=save_mapping,
        lang=lang.value,
    )
    raise typer.Exit(run_ticket(opts, load_kb(patterns), fail))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"warboy-triage {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Diagnose FuriosaAI Warboy NPU logs."""


def _command_names() -> set[str]:
    names = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands if c.callback is not None}
    names |= {g.name for g in app.registered_groups if g.name}
    return names


def main(argv: list[str] | None = None) -> None:
    """Entry point: `warboy-triage FILE...` means `warboy-triage analyze FILE...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in _command_names() and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "analyze")
    # typer turns Ctrl-C into a silent exit 130; the flag lets us say why we stopped
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        app(args=args, prog_name="warboy-triage", standalone_mode=True)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit:
        if _sigint_seen:
            _interrupted()
        raise


_sigint_seen = False


def _on_sigint(signum: int, frame: object) -> None:
    global _sigint_seen
    _sigint_seen = True
    raise KeyboardInterrupt


def _interrupted() -> NoReturn:
    sys.stderr.write("warboy-triage: interrupted\n")
    sys.exit(EXIT_INTERRUPTED)


def _silence_stdout() -> None:
    """After the reader of our output went away (`| head`), keep Python's exit flush quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


if __name__ == "__main__":
    main()
