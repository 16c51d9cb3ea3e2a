"""Where Furiosa software writes its logs (furiosa-facts.md, 'Log files'): one rule for doctor, ticket and run."""

from __future__ import annotations

from collections.abc import Mapping

COMPILE_LOG_GLOBS = ("compile-*.log", "compiler-*.log")
"""Legacy (0.5-0.9) and 0.10 compile log names."""


def log_dir(environ: Mapping[str, str]) -> tuple[str, str]:
    """The Furiosa log directory, and which rule chose it."""
    if environ.get("FURIOSA_LOG_DIR"):
        return environ["FURIOSA_LOG_DIR"], "FURIOSA_LOG_DIR"
    if environ.get("XDG_STATE_HOME"):
        return environ["XDG_STATE_HOME"].rstrip("/") + "/furiosa/logs", "$XDG_STATE_HOME/furiosa/logs"
    home = environ.get("HOME", "~").rstrip("/")
    return f"{home}/.local/state/furiosa/logs", "~/.local/state/furiosa/logs (default)"
