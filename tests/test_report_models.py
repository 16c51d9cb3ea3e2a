"""The report types (dataclasses, triage/report.py) and their JSON: what pydantic gives, without
importing pydantic on a run's way (start-up, issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import triage
from tests.conftest import FIXTURES, ROOT
from triage.report import Evidence, Finding, Report, SourceInfo, VersionInfo, dump_json
from triage.safety import safe_report
from triage.typeadapter import adapter

LOGS = sorted(FIXTURES.glob("*.log")) + sorted((FIXTURES / "real").glob("*.log"))


@pytest.mark.parametrize("log", LOGS, ids=lambda p: p.name)
def test_dump_json_is_pydantics_json(log: Path) -> None:
    report = triage.analyze(log)
    assert dump_json(report) == report.model_dump_json(indent=2)
    assert report.to_plain() == adapter(type(report)).dump_python(report, mode="json")  # pydantic's own


# every character class json writes differently: controls, quotes, backslash, DEL and C1,
# non-BMP, bidi controls, Hangul, NUL
_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=None), max_size=40) | st.sampled_from(
    ["", '"\\/\b\f\n\r\t\x00\x1f\x7f\x85\u2028\u2029', "\u202e대화\U0001f600", "é" * 3]
)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(_TEXT, min_size=3, max_size=3),
    numbers=st.lists(st.integers(min_value=-(2**63), max_value=2**63), min_size=2, max_size=2),
    flag=st.booleans(),
    levels=st.dictionaries(_TEXT, st.integers(min_value=0, max_value=10**12), max_size=3),
)
def test_dump_json_on_any_values(texts: list[str], numbers: list[int], flag: bool, levels: dict[str, int]) -> None:
    evidence = Evidence(line=numbers[0], text=texts[0], source=texts[1], supporting=flag, count=numbers[1])
    finding = Finding(id=texts[2], title=texts[0], severity="error", rank=1, evidence=[evidence], why=texts[1])
    report = Report(
        sources=[SourceInfo(name=texts[1], notes=[texts[2]])],
        versions={texts[0]: VersionInfo(version=texts[1], line=numbers[1])},
        findings=[finding],
        levels=levels,
        notes=texts,
    )
    assert dump_json(report) == report.model_dump_json(indent=2)
    assert json.loads(dump_json(report)) == adapter(Report).dump_python(report, mode="json")


def test_construction_checks_names_not_values() -> None:
    with pytest.raises(TypeError, match="colour"):
        Evidence(line=1, text="x", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="text"):
        Evidence(line=1)  # type: ignore[call-arg]
    e = Evidence(line=3, text="x")
    assert e.kind == "message" and e.count == 1
    a, b = SourceInfo(name="a"), SourceInfo(name="a")
    assert a.notes is not b.notes  # default factories run per instance
    assert a == b


def test_outside_data_is_still_validated() -> None:
    with pytest.raises(ValidationError):
        Report.model_validate({"findings": [{"id": "x"}]})
    with pytest.raises(ValidationError):
        Report.model_validate_json('{"sources": [{"name": "a", "lines": "many"}]}')
    again = Report.model_validate_json(dump_json(triage.analyze(FIXTURES / "device-busy.log")))
    assert isinstance(again.findings[0].evidence[0], Evidence)


def test_safe_report_copies_and_cleans_every_string() -> None:
    report = triage.analyze(FIXTURES / "device-busy.log")
    report.notes.append("\x1b]52;c;aGk=\x07note")
    report.levels["\x1b[31mERROR"] = 1
    safe = safe_report(report)
    assert "\x1b" not in dump_json(safe) and "\\u001b" not in dump_json(safe)
    assert "\x1b" in report.notes[-1]  # the original is untouched
    assert safe.findings[0].evidence[0] is not report.findings[0].evidence[0]
    assert safe.lang == report.lang


def test_a_run_never_imports_pydantic(tmp_path: Path) -> None:
    """The point of it all (start-up, issue 14): once the cache is filled, a run of the command line
    in any output format never imports pydantic (~65 ms); only validating outside data, loading
    changed pattern files or asking for the schema does."""
    code = (
        "import sys, io, contextlib\n"
        "from triage.cli import main\n"
        "for fmt in ('text', 'json', 'markdown', 'jsonl', 'prometheus'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        f"            main([{str(FIXTURES / 'device-busy.log')!r}, '--format', fmt, '--lang', 'ko'])\n"
        "        except SystemExit:\n"
        "            pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "WARBOY_TRIAGE_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # its own: other tests' pattern sets do not evict it
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env) for _ in "12"
    ]
    assert runs[0].stdout.strip() != "[]"  # the first run validated the pattern files
    assert runs[1].stdout.strip() == "[]", runs[1].stdout + runs[1].stderr
