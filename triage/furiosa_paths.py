"""Where Furiosa software writes its logs (furiosa-facts.md, 'Log files'): one rule for doctor, ticket and run."""

from __future__ import annotations

from collections.abc import Mapping

COMPILE_LOG_GLOBS = ("compile-*.log", "compiler-*.log")
"""Legacy (0.5-0.9) and 0.10 compile log names."""


def log_dir_candidates(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every directory the rule could choose, in its order of preference, with the rule's name."""
    found = []
    if environ.get("FURIOSA_LOG_DIR"):
        found.append((environ["FURIOSA_LOG_DIR"], "FURIOSA_LOG_DIR"))
    if environ.get("XDG_STATE_HOME"):
        found.append((environ["XDG_STATE_HOME"].rstrip("/") + "/furiosa/logs", "$XDG_STATE_HOME/furiosa/logs"))
    home = environ.get("HOME", "~").rstrip("/")
    found.append((f"{home}/.local/state/furiosa/logs", "~/.local/state/furiosa/logs (default)"))
    return found


def log_dir(environ: Mapping[str, str]) -> tuple[str, str]:
    """The Furiosa log directory, and which rule chose it."""
    return log_dir_candidates(environ)[0]
