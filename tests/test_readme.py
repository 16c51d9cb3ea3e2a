"""The README's console examples are real: each `$ warboy-triage ...` line is run and its output compared
byte for byte (COLUMNS=100, as the examples were recorded); `$ echo $?` checks the exit code before it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def _examples() -> list[tuple[list[str], str, int | None]]:
    """(argv, expected output, expected exit code or None) for every command in every console block."""
    found: list[tuple[list[str], str, int | None]] = []
    for block in _BLOCK.findall(README.read_text(encoding="utf-8")):
        chunks = re.split(r"^\$ (.*)\n", block, flags=re.M)[1:]
        pairs = list(zip(chunks[0::2], chunks[1::2], strict=True))
        for i, (command, output) in enumerate(pairs):
            if command == "echo $?":
                continue
            code = None
            if i + 1 < len(pairs) and pairs[i + 1][0] == "echo $?":
                code = int(pairs[i + 1][1].strip())
            found.append((shlex.split(command), output, code))
    return found


def test_readme_has_examples() -> None:
    assert len(_examples()) >= 1  # the check below must have something to check


@pytest.mark.parametrize("argv,expected,code", _examples(), ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_readme_example_output_is_real(argv: list[str], expected: str, code: int | None) -> None:
    assert argv[0] == "warboy-triage", "README console examples run warboy-triage only"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "WARBOY_TRIAGE_NO_CACHE": "1"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "triage", *argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == expected, f"README example differs from the real output of: {' '.join(argv)}"
    if code is not None:
        assert done.returncode == code
