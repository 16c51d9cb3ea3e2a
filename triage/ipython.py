"""`%load_ext triage`: a diagnosis under a cell's traceback when the failure is a known Warboy one.

A post_run_cell hook, not a custom exception handler: IPython (or ipykernel) shows the traceback
exactly as it would without us, and only then do we add the compact diagnosis, as HTML in Jupyter
and text in a terminal (one display bundle holds both). An exception the knowledge base does not
recognise gets nothing. Magics:

    %triage            the full report for the last exception (or for a file: %triage run.log)
    %%triage           run the cell, teeing what it prints, then diagnose its output and exception
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, TextIO

from triage.diagnosis import compact_html, compact_text, diagnose, exception_text

MORE = "%triage for the full report"
_STATE = "_warboy_triage_extension"


def _display(report: Any, lang: str, more: str = MORE) -> None:
    from IPython.display import display

    bundle = {
        "text/plain": compact_text(report, lang=lang, more=more).rstrip("\n"),
        "text/html": compact_html(report, lang=lang, more=more),
    }
    display(bundle, raw=True)


def _display_text(text: str, markdown: str | None = None) -> None:
    """Text in a terminal; Jupyter picks the markdown when there is one."""
    from IPython.display import display

    bundle = {"text/plain": text}
    if markdown is not None:
        bundle["text/markdown"] = markdown
    display(bundle, raw=True)


class _Tee(io.TextIOBase):
    """Writes go to the real stream (the user still sees them as they come) and to a buffer."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buffer_ = io.StringIO()

    def write(self, text: str) -> int:
        self.buffer_.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:  # encoding, fileno, ... of the real stream
        return getattr(self.stream, name)


class TriageExtension:
    """What %load_ext installs: the post_run_cell hook and the magics; one per shell."""

    def __init__(self, shell: Any, lang: str = "en") -> None:
        self.shell = shell
        self.lang = lang
        self.last_text = ""
        """The traceback (or cell output) diagnosed last: what %triage reports on in full."""
        self.last_report: Any = None
        self._in_cell_magic = False
        self._traceback_before: Any = getattr(sys, "last_traceback", None)

    # -- the automatic diagnosis ---------------------------------------------------------

    def pre_run_cell(self, info: Any = None) -> None:
        self._traceback_before = getattr(sys, "last_traceback", None)

    def post_run_cell(self, result: Any) -> None:
        if self._in_cell_magic:
            return
        exc = getattr(result, "error_in_exec", None)
        if exc is None and getattr(sys, "last_traceback", None) is not self._traceback_before:
            # a magic showed a traceback and went on (%run script.py): IPython recorded it in sys.last_*
            # (the traceback, not the exception, tells: furiosa's runtime re-raises the same instances)
            exc = getattr(sys, "last_value", None)
        if exc is None:
            return
        try:
            self.last_text = exception_text(exc)
            report = diagnose(self.last_text, lang=self.lang)  # type: ignore[arg-type]
        except Exception as err:  # noqa: BLE001 - our failure must never hide the user's exception
            sys.stderr.write(f"warboy-triage: could not diagnose this exception ({type(err).__name__}: {err})\n")
            return
        if report is not None:
            self.last_report = report
            _display(report, self.lang)

    # -- magics -----------------------------------------------------------------------------

    def triage_magic(self, line: str, cell: str | None = None) -> None:
        """%triage [FILE] | %%triage: diagnose the last exception, a log file, or a cell's output."""
        from triage.api import analyze
        from triage.reader import ReaderError

        arg = line.strip()
        if cell is not None:
            return self._run_cell(cell)
        if arg:
            try:
                report = analyze(Path(arg).expanduser(), lang=self.lang)  # type: ignore[arg-type]
            except ReaderError as err:  # a missing file is the user's slip: one line, not our traceback
                _display_text(f"warboy-triage: {err}")
                return None
        else:
            exc = getattr(sys, "last_value", None)
            text = self.last_text or (exception_text(exc) if exc is not None else "")
            if not text:
                _display_text("warboy-triage: no exception yet in this session; %triage FILE reads a log file")
                return None
            report = analyze(text, name="<last failure>", lang=self.lang)  # type: ignore[arg-type]
        self.last_report = report
        _display_text(report.render("text"), report.render("markdown"))
        return None

    def _run_cell(self, cell: str) -> None:
        out, err = _Tee(sys.stdout), _Tee(sys.stderr)
        saved = sys.stdout, sys.stderr
        self._in_cell_magic = True
        try:
            sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
            result = self.shell.run_cell(cell, store_history=False)
        finally:
            sys.stdout, sys.stderr = saved
            self._in_cell_magic = False
            self._traceback_before = getattr(sys, "last_traceback", None)  # handled here, not again after the cell
        # NULs carry no text; kept, a binary blob the cell printed makes the whole output "binary data"
        printed = (out.buffer_.getvalue() + err.buffer_.getvalue()).replace("\x00", "")
        exc = result.error_in_exec or result.error_before_exec
        # the exception as Python formats it (qualified class name); ipykernel sends the traceback as a
        # message, a terminal shell prints its own (coloured, cut) one into the tee as well
        text = f"{printed.rstrip()}\n{exception_text(exc)}" if exc is not None else printed
        self.last_text = text
        report = diagnose(text, name="<cell output>", lang=self.lang)  # type: ignore[arg-type]
        if report is None:
            _display_text("warboy-triage: no known Warboy problem in this cell's output")
            return
        self.last_report = report
        _display(report, self.lang)


def load_ipython_extension(shell: Any) -> None:
    if getattr(shell, _STATE, None) is not None:  # %load_ext twice: one hook, not two
        return
    ext = TriageExtension(shell)
    shell.events.register("pre_run_cell", ext.pre_run_cell)
    shell.events.register("post_run_cell", ext.post_run_cell)
    from IPython.core.magic import Magics, line_cell_magic, magics_class

    @magics_class
    class _TriageMagics(Magics):
        @line_cell_magic
        def triage(self, line: str, cell: str | None = None) -> None:
            """%triage [FILE]: the full report for the last exception or a log file.
            %%triage: run the cell, then diagnose what it printed and raised."""
            ext.triage_magic(line, cell)

    shell.register_magics(_TriageMagics(shell))
    setattr(shell, _STATE, ext)


def unload_ipython_extension(shell: Any) -> None:
    ext = getattr(shell, _STATE, None)
    if ext is None:
        return
    shell.events.unregister("pre_run_cell", ext.pre_run_cell)
    shell.events.unregister("post_run_cell", ext.post_run_cell)
    setattr(shell, _STATE, None)
