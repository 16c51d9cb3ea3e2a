from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


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
