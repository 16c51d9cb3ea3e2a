"""docs/causes.md is the output of `warboy-triage patterns list --format markdown` (regenerate it with
that command when a pattern is added or renamed)."""

from __future__ import annotations

from tests.conftest import ROOT
from triage.selfcheck import render_listing_markdown


def test_docs_causes_is_generated_from_the_patterns(kb) -> None:  # type: ignore[no-untyped-def]
    expected = render_listing_markdown(kb)
    actual = (ROOT / "docs" / "causes.md").read_text(encoding="utf-8")
    assert actual == expected, "regenerate: warboy-triage patterns list --format markdown > docs/causes.md"
    assert all(f"`{p.id}`" in actual for p in kb.patterns)
