from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# The suite runs on the bundled patterns only: no user pattern directory of whoever runs it
# (~/.config/warboy-triage/patterns), in this process or the commands it starts.
os.environ.pop("WARBOY_TRIAGE_PATTERNS", None)
os.environ["XDG_CONFIG_HOME"] = str(ROOT / "tests" / "data" / "no-config-home")


@pytest.fixture(scope="session")
def kb():
    from triage.kb import load

    return load()


@pytest.fixture
def analyze_text(kb):
    from triage.pipeline import analyze_text

    def run(text: str):
        return analyze_text(text, kb=kb)

    return run
