"""Start the TUI from the command line: check inputs, take the pipe, reopen the terminal.

Textual is imported here only after the inputs are known to be usable, so `warboy-triage tui`
with a bad file fails as fast and as plainly as the other commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

from triage.messages import localize_note, say
from triage.reader import ReaderError, stdin_is_terminal
from triage.tui.inputs import LogFile, NoTerminal, check_files, cleanup, copy_stdin, take_terminal

EXIT_OK, EXIT_USAGE = 0, 2


def _error(message: str) -> int:
    sys.stderr.write(f"warboy-triage: error: {message}\n")
    return EXIT_USAGE


def run(paths: list[str], lang: str = "en", patterns: Path | None = None) -> int:
    """Run the app; returns the exit code."""
    from triage.kb import PatternError, load

    try:
        kb = load(patterns)
    except PatternError as exc:
        return _error(say("tui_cannot_load_patterns", lang, error=exc))
    try:
        files: list[LogFile] = check_files([p for p in paths if p != "-"])
    except ReaderError as exc:
        return _error(localize_note(str(exc), lang))
    piped = not stdin_is_terminal() and (not paths or "-" in paths)
    if piped:
        files.append(copy_stdin())
    try:
        if not stdin_is_terminal():
            take_terminal()
    except NoTerminal as exc:
        cleanup(files)
        return _error(say("tui_needs_terminal", lang, reason=exc))
    try:
        from triage.tui.app import make_app

        make_app(files, kb=kb, patterns=patterns, lang=lang).run()
    finally:
        cleanup(files)
    return EXIT_OK
