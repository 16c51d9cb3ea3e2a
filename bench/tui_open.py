"""How fast `warboy-triage tui` shows its first screen on a 100 MB log.

Writes a deterministic log unless it exists (bench/biglog.py, or with --kind one of bench/logs.py's
logs: `--kind traffic` is runtime traffic with a latency on one line in five), then starts the app
headless the way the tui command does (no ready report: the analysis runs in a child process) and
prints:
  first screen   - from before importing the TUI until the main screen has drawn log rows
  index complete - every line offset known (scrolling to the end and search work from here)
  report ready   - the child analysis finished and the findings are listed (slowest part)

    python bench/tui_open.py [--size-mb 100] [--kind traffic] [--log PATH] [--keep] [--pty]

--pty also times the real command, `python -m triage tui LOG`, in a pseudo-terminal: from process
start (interpreter, imports, CLI) until the terminal shows the log's first line.
Targets (issue 14): first screen < 2000 ms; findings listed ("report ready") < 5000 ms on a 100 MB
traffic log. Also printed: the CPU seconds of this process and of the analysis child.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from biglog import generate  # noqa: E402
from logs import KINDS  # noqa: E402
from logs import generate as generate_kind  # noqa: E402

POLL = 0.02
TIMEOUT = 600.0


async def measure(log: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    from triage.tui.app import make_app
    from triage.tui.widgets.log_view import LogView

    figures: dict[str, float] = {}
    render_row = LogView._render_row

    def timed_render_row(self, row):  # type: ignore[no-untyped-def]
        # the first log row drawn for the screen: the main screen is up with the log in it
        figures.setdefault("first screen", time.perf_counter() - t0)
        return render_row(self, row)

    LogView._render_row = timed_render_row  # type: ignore[method-assign]
    app = make_app([str(log)])
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(LogView)
        while time.perf_counter() - t0 < TIMEOUT:
            if "index complete" not in figures and view.index is not None and view.index.complete:
                figures["index complete"] = time.perf_counter() - t0
            if "report ready" not in figures and app.report is not None:
                figures["report ready"] = time.perf_counter() - t0
                figures["findings"] = len(app.report.findings)
            if len(figures) == 4 or getattr(app.screen, "error", ""):
                break
            await asyncio.sleep(POLL)
        error = getattr(app.screen, "error", "")
        await pilot.press("q")
    if error:
        print(error)
    print(f"stopped after {time.perf_counter() - t0:.1f} s")
    LogView._render_row = render_row  # type: ignore[method-assign]
    return figures


def measure_pty(log: Path, first_line: bytes) -> float | None:
    """Seconds from starting `python -m triage tui LOG` in a pseudo-terminal to its first log row."""
    import fcntl
    import os
    import pty
    import select
    import subprocess
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x28\x00\x78\x00\x00\x00\x00\x00")  # 40 x 120

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "TERM": "xterm-256color"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "tui", str(log)],
        cwd=root,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=own_terminal,
        env=env,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - t0 < 60:
            if select.select([master], [], [], 0.05)[0]:
                seen = (seen + os.read(master, 1 << 16))[-(1 << 20) :]
                if first_line in seen:
                    elapsed = time.perf_counter() - t0
                    break
        os.write(master, b"q")
        proc.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--kind", choices=KINDS, help="write this bench/logs.py log instead of bench/biglog.py's")
    parser.add_argument("--log", type=Path, help="use (or create) this log instead of a temporary one")
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    parser.add_argument("--pty", action="store_true", help="also time the real command in a pseudo-terminal")
    args = parser.parse_args()
    kind = args.kind or "biglog"
    log = args.log or Path(tempfile.gettempdir()) / f"warboy-triage-bench-{kind}-{args.size_mb}mb.log"
    size = args.size_mb * 1024 * 1024
    if not log.exists() or abs(log.stat().st_size - size) > 4096:
        started = time.perf_counter()
        if args.kind:
            generate_kind(args.kind, log, size)
        else:
            generate(log, size)
        with open(log, "rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        print(
            f"wrote {log} ({log.stat().st_size / 1e6:.1f} MB, {lines:,} lines) in {time.perf_counter() - started:.1f} s"
        )
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        figures = asyncio.run(measure(log))
        if args.pty:
            with open(log, "rb") as f:
                first = f.readline().strip()[:40]
            figures["terminal"] = measure_pty(log, first)
    finally:
        if not args.keep and args.log is None:
            log.unlink(missing_ok=True)
    for name in ("first screen", "index complete", "report ready"):
        value = figures.get(name)
        print(f"{name:15} {value * 1000:8.0f} ms" if value is not None else f"{name:15} (timed out)")
    print(f"findings        {int(figures.get('findings', 0)):8d}")
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    kids = child1.ru_utime + child1.ru_stime - child0.ru_utime - child0.ru_stime
    print(f"CPU             {own:8.1f} s in the app, {kids:.1f} s in the analysis child (and --pty's command)")
    if args.pty:
        value = figures.get("terminal")
        print(
            f"tui in a terminal, start to first log row: {value * 1000:.0f} ms"
            if value is not None
            else "tui in a terminal: first log row not seen within 60 s"
        )


if __name__ == "__main__":
    main()
