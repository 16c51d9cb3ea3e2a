"""ReDoS: regexes whose cost the loader cannot bound are refused when a pattern file is loaded
(and by `patterns validate`), from their structure alone; line rules run in linear time (RE2)
on crafted lines, with no time limit, so the report never depends on the machine's load."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from triage.kb import PatternError, load
from triage.kb.redos import check_regex
from triage.pipeline import analyze
from triage.selfcheck import validate

BAD = [r"(a+)+$", r"(a|aa)+$", r"(\w+\s?)+$", r"(x+x+)+y", r"(a*)*$", r"^ERROR: (\d+)+:$", r"(?i)(npu\d*)+!"]
GOOD = [
    r"ENF configuration is not compatible with NPU",
    r"(?i)error: .*failed",
    r"(?i)\bnpu\d+(?:pe\d+(?:-\d+)?)?\b.*\bnot found",
    r"^\s*-\s*(furiosa-\w+)\s+version:\s*(\d+\.\d+)",
    r"(?:^|\.)(?:DeviceBusy|QueueWaitTimeout)$",
    r"\p{Hangul}+ 오류",
]


@pytest.mark.parametrize("pattern", BAD)
def test_catastrophic_regexes_are_rejected(pattern: str) -> None:
    problem = check_regex(pattern)
    assert problem is not None and "catastrophic backtracking" in problem


@pytest.mark.parametrize("pattern", GOOD)
def test_ordinary_regexes_pass(pattern: str) -> None:
    assert check_regex(pattern) is None


@pytest.mark.parametrize("pattern", ["(" * 5000 + "a" + ")" * 5000, "a{99999999999}", "(unclosed"])
def test_uncompilable_regexes_are_a_message_not_a_crash(pattern: str) -> None:
    assert check_regex(pattern)


PATTERN = """id = "{id}"
title = "Deliberately bad regex"
severity = "error"
component = "general"
why = "A test pattern whose regex backtracks catastrophically."
remediation = ["Fix the regex."]
examples = ["aaaa", "aaaaa"]
counterexamples = ["b", "c"]

[[match]]
message = '{regex}'
"""


def _bad_dir(tmp_path: Path, regex: str = "(a|aa)+$") -> Path:
    d = tmp_path / "bad-patterns"
    d.mkdir()
    (d / "bad-regex.toml").write_text(PATTERN.format(id="bad-regex", regex=regex))
    return d


def test_patterns_validate_reports_the_bad_regex(tmp_path) -> None:
    result = validate(_bad_dir(tmp_path))
    problems = [str(p) for p in result.problems if "catastrophic" in p.message]
    assert problems and "bad-regex.toml" in problems[0] and "(a|aa)+$" in problems[0]
    assert not result.ok


def test_bundled_patterns_have_no_catastrophic_regex() -> None:
    result = validate(None)
    assert not [str(p) for p in result.problems if "backtracking" in p.message]


def test_a_catastrophic_regex_is_refused_before_use(tmp_path) -> None:
    with pytest.raises(PatternError) as exc:
        load(_bad_dir(tmp_path))
    assert "bad-regex.toml" in str(exc.value) and "catastrophic backtracking" in str(exc.value)


HOSTILE = {
    "huge-literal": "x" * 900_000,
    "huge-alternation": "|".join(f"w{i}" for i in range(60_000)),
    "nested-counts": "(?:(?:(?:a{1,999}){1,999}){1,999})",
    "nested-repeat": r"(?:(?:\w+\s?)+)+$",
    "unanchored-lookahead": "(?=.*uNpuDrv).*Not enough memory",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pattern_files_are_refused_with_a_clear_error(tmp_path, name: str) -> None:
    d = _bad_dir(tmp_path, HOSTILE[name])
    with pytest.raises(PatternError) as exc:
        load(d)
    message = str(exc.value)
    assert "bad-regex.toml" in message and "field 'match.0.message'" in message
    assert len(message) < 2000  # the regex is quoted short, not the 900 KB of it


CRAFTED = "2024-05-14T06:22:00.000001Z ERROR nux: Not enough memory? " + "uNpuDrv " * 30_000


def test_crafted_lines_give_the_backtracking_engines_answer(tmp_path) -> None:
    """The dram rule `\\buNpuDrv\\b.*\\bNot enough memory\\b` is quadratic in a backtracking engine on
    these lines; RE2 decides them in linear time with the same answer, and no note says a rule gave up."""
    log = tmp_path / "crafted.log"
    tail = "x uNpuDrv then Not enough memory"
    log.write_text(CRAFTED + "\n" + CRAFTED + tail + "\n")
    report = analyze([str(log)])
    rx = regex.compile(r"\buNpuDrv\b.*\bNot enough memory\b")
    assert rx.search(CRAFTED[:2000]) is None and rx.search(CRAFTED[-2000:] + tail)
    dram = [f for f in report.findings if f.id == "dram-exhausted"]
    assert dram and [e.line for e in dram[0].evidence if not e.supporting] == [2]
    assert not [n for n in report.notes if "gave up" in n]
