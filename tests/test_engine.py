"""The linear-time twins of pattern regexes (triage/kb/linear.py, triage/engine.py) give the
`regex` module's answer: on every fixture line, every example and counterexample, the bench
logs' lines, and generated lines mixing the rules' own words with Unicode look-alikes."""

from __future__ import annotations

import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from triage.engine import LineRules, searcher
from triage.kb import load
from triage.kb.linear import relaxed

KB = load()
RULES = [r for p in KB.patterns for r in [*p.match, *p.supporting, *p.unless] if r.message]
EVENT_REGEXES = sorted(
    {v for p in KB.patterns for r in [*p.match, *p.supporting] for v in (r.exception, r.exception_message) if v}
)


def _lines() -> list[str]:

    out = [
        line
        for path in sorted(FIXTURES.glob("*.log"))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    for p in KB.patterns:
        for text in [*p.examples, *p.counterexamples]:
            out += text.splitlines()
    return out


LINES = _lines()


@pytest.mark.parametrize("rule", RULES, ids=[r.message[:40] for r in RULES])
def test_twins_agree_with_the_regex_module(rule) -> None:  # type: ignore[no-untyped-def]
    s = searcher(rule.message, rule._message)
    for line in LINES:
        assert s.search(line) == (rule._message.search(line) is not None), line


def test_the_rule_set_names_every_rule_that_matches() -> None:
    sources = [r.message for r in RULES]
    rules = LineRules(sources)
    for line in LINES:
        candidates = set(rules.candidates(line.encode()))
        for i, r in enumerate(RULES):
            if r._message.search(line):
                assert i in candidates, (r.message, line)


WORDS = sorted({w for r in RULES for w in (r.literals() or ())} | {"ms", "s", "초", "fps", "1", "100", "640", "x"})
_PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(
        [" ", "  ", ".", ":", "=", "(", ")", "[", "]", ",", "/", "_", "-", "é", "ſ", "K", "١", "\u3000", "한"]
    ),
    st.integers(0, 2000).map(str),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25))
def test_twins_agree_on_generated_lines(pieces: list[str]) -> None:
    line = "".join(pieces)
    data = line.encode()
    for rule in RULES:
        want = rule._message.search(line) is not None
        assert searcher(rule.message, rule._message).search(line, data) == want, (rule.message, line)
        r = relaxed(rule.message)
        if want and r is not None:
            import re2

            assert re2.compile(r.encode()).search(data) is not None, (rule.message, line)


@pytest.mark.parametrize("source", EVENT_REGEXES)
def test_event_regexes_agree(source: str) -> None:
    rx = regex.compile(source, regex.VERSION0)
    rng = random.Random(5)
    for line in rng.sample(LINES, min(400, len(LINES))):
        assert searcher(source, rx).search(line) == (rx.search(line) is not None), line


@pytest.mark.parametrize(
    "line",
    [
        "1s\u3000/ frame",  # `s(?![\w])`: an ideographic space is no word character
        "추론 지연1000 ms per image",  # `(?<![\d.])1000`: a Hangul syllable is no digit
        "inference latency 2초",
    ],
)
def test_twins_let_non_ascii_through_a_negative_lookaround(line: str) -> None:
    """A negative lookaround on \\w or \\d becomes one consumed character outside the class: the
    relaxed twin must leave out only what is surely in it (its ASCII part), not every non-ASCII one."""
    for rule in RULES:
        want = rule._message.search(line) is not None
        assert searcher(rule.message, rule._message).search(line, line.encode()) == want, (rule.message, line)
