"""ReDoS: catastrophic regexes are rejected by `patterns validate`; at analysis time a regex
that hits its time limit becomes a note in the report and cannot hang the run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from triage.kb import load
from triage.kb.redos import check_regex
from triage.matcher import MAX_TIMEOUTS, REGEX_TIMEOUT
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


def test_a_timeout_is_a_note_not_a_hang(tmp_path) -> None:
    log = tmp_path / "crafted.log"
    hostile = "a" * 4000 + "!"
    log.write_text("ordinary line\n" + "\n".join([hostile] * 50) + "\nlast line\n")
    start = time.monotonic()
    report = analyze([str(log)], load(_bad_dir(tmp_path)))
    took = time.monotonic() - start
    notes = [n for n in report.notes if "bad-regex" in n]
    assert len(notes) == 1, report.notes
    assert "line(s) 2, 3, 4" in notes[0] and "skipped for the rest" in notes[0]
    # 50 crafted lines cost at most MAX_TIMEOUTS time limits, not 50 (generous bound for slow CI)
    assert took < 50 * REGEX_TIMEOUT
    assert report.sources[0].lines == 52


def test_timeout_note_reaches_the_text_output(tmp_path) -> None:
    from triage.render import get_renderer

    log = tmp_path / "crafted.log"
    log.write_text("a" * 4000 + "!\n")
    report = analyze([str(log)], load(_bad_dir(tmp_path)))
    out = get_renderer("text")(report, color=False)
    assert "note: pattern 'bad-regex' gave up on line(s) 1" in out
    assert MAX_TIMEOUTS > 1 and "skipped" not in out  # one timeout: the pattern keeps running
