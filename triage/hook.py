"""Diagnose a script's uncaught exception: `import triage.hook` in it, or `python -m triage.hook script.py ARGS`.

Python prints the traceback as usual (the previous sys.excepthook runs first, untouched); when the
knowledge base recognises the failure, a compact diagnosis follows on stderr. Threads too
(threading.excepthook). An exception nothing recognises gets nothing. Importing this module
installs the hook; install() and uninstall() do it by hand.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from types import TracebackType
from typing import Any

_MARK = "_warboy_triage_hook"


def _diagnose(exc: BaseException | None) -> None:
    if exc is None or isinstance(exc, KeyboardInterrupt):
        return
    try:
        from triage.diagnosis import compact_text, diagnose_exception

        report = diagnose_exception(exc)
        if report is not None:
            sys.stderr.write("\n" + compact_text(report))
    except Exception as err:  # noqa: BLE001 - the user's traceback is already out; ours must not follow it
        sys.stderr.write(f"warboy-triage: could not diagnose this exception ({type(err).__name__}: {err})\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()


_previous: dict[str, Any] = {}  # the hooks install() found, for uninstall()


def install() -> None:
    """Chain a diagnosis after sys.excepthook and threading.excepthook; a second call does nothing."""
    if getattr(sys.excepthook, _MARK, False):
        return
    previous = _previous["sys"] = sys.excepthook
    previous_thread = _previous["threading"] = threading.excepthook

    def excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        previous(etype, value, tb)
        _diagnose(value)

    def thread_excepthook(args: Any) -> None:
        previous_thread(args)
        _diagnose(args.exc_value)

    setattr(excepthook, _MARK, True)
    setattr(thread_excepthook, _MARK, True)
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def uninstall() -> None:
    """Put back the hooks that install() found."""
    if getattr(sys.excepthook, _MARK, False):
        sys.excepthook = _previous["sys"]
    if getattr(threading.excepthook, _MARK, False):
        threading.excepthook = _previous["threading"]


USAGE = "usage: python -m triage.hook SCRIPT.py [ARGS...] | -m MODULE [ARGS...]"


def _own_frames_dropped(exc: BaseException, script: str) -> TracebackType | None:
    """The traceback from the script's first frame on, as `python script.py` would show it."""
    tb = exc.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != script:
        tb = tb.tb_next
    return tb or exc.__traceback__


def main(argv: list[str] | None = None) -> int:
    """Run a script (or -m module) like python does, with the hook installed."""
    import runpy

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stderr.write(USAGE + "\n")
        return 0 if args else 2
    install()
    if args[0] == "-m":
        if len(args) < 2:
            sys.stderr.write(USAGE + "\n")
            return 2
        import importlib.util

        try:
            spec = importlib.util.find_spec(args[1])
        except (ImportError, ValueError):
            spec = None
        if spec is None or spec.origin is None:
            sys.stderr.write(f"warboy-triage: error: no module named {args[1]}\n")
            return 2
        target = os.path.abspath(spec.origin)
        sys.argv = [target, *args[2:]]
        run = lambda: runpy.run_module(args[1], run_name="__main__", alter_sys=True)  # noqa: E731
    else:
        target = os.path.abspath(args[0])
        if not os.path.isfile(target):
            why = "is a directory, not a script" if os.path.isdir(target) else "no such file"
            sys.stderr.write(f"warboy-triage: error: {args[0]}: {why}\n")
            return 2
        sys.argv = args
        sys.path[0] = os.path.dirname(target)
        run = lambda: runpy.run_path(target, run_name="__main__")  # noqa: E731
    try:
        run()
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:  # noqa: BLE001 - shown the way Python shows an uncaught exception, then exit 1
        tb = _own_frames_dropped(exc, target)
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)  # the printer reads exc.__traceback__ too
        return 1
    return 0


install()

if __name__ == "__main__":
    sys.exit(main())
