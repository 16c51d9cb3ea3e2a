"""LiteralGate gives the decisions of the regexes it replaced: an IGNORECASE alternation (the banner
prefilter) and a search of the lower-cased line (the failure parser's gate)."""

from __future__ import annotations

import re
import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.logs import KINDS, generate
from tests.conftest import FIXTURES
from triage.parsers import failures, versions
from triage.parsers.literal_gate import IGNORECASE_FOLD, LiteralGate
from triage.parsers.versions import _prefilter


def _old_banner_prefilter() -> re.Pattern[str]:
    from triage.kb.literals import required_literals

    lits: set[str] = set()
    for rule in versions.banners().rules:
        found = required_literals(rule.regex.pattern)
        assert found is not None
        lits |= found
    return re.compile("|".join(re.escape(s) for s in sorted(lits)), re.IGNORECASE)


OLD_FAILURE_GATE = re.compile("|".join(re.escape(lit) for lit in failures.INTEREST_LITERALS))
ODD_LETTERS = "".join(map(chr, IGNORECASE_FOLD)) + "ÅǅΣσς"  # the fold table and a few other cased ones


def _lines() -> list[str]:
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file():
            out.extend(path.read_bytes().decode("utf-8", "replace").splitlines())
    return out


def _with_odd_letters(lits: list[str]) -> list[str]:
    """Each literal with each of its letters swapped for each odd letter, upper and lower case."""
    out = []
    for lit in lits:
        for i, ch in enumerate(lit):
            if ch.isalpha():
                for odd in ODD_LETTERS:
                    out.append(f"x {lit[:i]}{odd}{lit[i + 1 :]} y")
                out.append(f"x {lit[:i]}{ch.upper()}{lit[i + 1 :]} y")
    return out


def test_fold_table_is_every_non_ascii_char_ignorecase_equates_with_ascii() -> None:
    """Over every code point: a non-ASCII character that re.IGNORECASE matches against a printable
    ASCII character is in the fold table, and no other one lower-cases to anything ASCII."""
    everything = "".join(chr(cp) for cp in range(0x80, sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    equated: dict[str, str] = {}
    for a in string.printable:
        for c in re.findall(re.escape(a), everything, re.IGNORECASE):
            equated[c] = a.lower()
    assert {ord(c): a for c, a in equated.items()} == IGNORECASE_FOLD
    assert not [c for c in everything if c not in equated and any(x.isascii() for x in c.lower())]


def test_banner_gate_decides_as_the_ignorecase_alternation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    old, new = _old_banner_prefilter(), _prefilter()
    assert new is not None
    lines = _lines()
    for kind in KINDS:
        log = tmp_path / f"{kind}.log"
        generate(kind, log, 300_000, seed=5)
        lines.extend(log.read_text("utf-8").splitlines())
    lits = [re.sub(r"\\(.)", r"\1", s) for s in re.findall(r"(?:\\.|[^|])+", old.pattern)]
    lines.extend(_with_odd_letters(lits))
    hits = [bool(old.search(t)) for t in lines]
    assert [new(t) for t in lines] == hits
    assert any(hits) and not all(hits)


def test_failure_gate_decides_as_the_lowercased_search(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = _lines()
    for kind in KINDS:
        log = tmp_path / f"{kind}.log"
        generate(kind, log, 300_000, seed=5)
        lines.extend(log.read_text("utf-8").splitlines())
    lines.extend(_with_odd_letters(list(failures.INTEREST_LITERALS)))
    hits = [bool(OLD_FAILURE_GATE.search(t.lower())) for t in lines]
    assert [failures._GATE(t) for t in lines] == hits
    assert any(hits) and not all(hits)


def test_gate_refuses_non_ascii_or_empty_literals() -> None:
    with pytest.raises(ValueError):
        LiteralGate(["에러"])
    with pytest.raises(ValueError):
        LiteralGate([""])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="abc-. ", min_size=1, max_size=4), min_size=1, max_size=8), st.text("abcAB-. \n"))
def test_trie_pattern_finds_what_the_flat_alternation_finds(literals: list[str], text: str) -> None:
    from triage.parsers.literal_gate import trie_pattern

    flat = re.compile("|".join(re.escape(lit) for lit in literals))
    assert (re.search(trie_pattern(literals), text) is not None) == (flat.search(text) is not None)
