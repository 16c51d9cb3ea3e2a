"""The pytest plugin, run through pytester: a section and a JSON record for Warboy failures, nothing else.

The furiosa exceptions in the inner test files are SYNTHETIC: classes whose module and message are those
of furiosa-sdk's furiosa.runtime.errors (DeviceBusy "NPU device busy", native error code 23;
python/furiosa-runtime/furiosa/runtime/errors.py). The nux log line is the one the device-busy pattern documents.
"""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]

WARBOY_TESTS = """
import sys
import pytest

# synthetic: mimics furiosa.runtime.errors.DeviceBusy (same module, class name and message)
class DeviceBusy(Exception):
    def __str__(self):
        return "NPU device busy (native error code: 23)"
DeviceBusy.__module__ = "furiosa.runtime.errors"

@pytest.fixture
def session():
    raise DeviceBusy()

def test_exception():
    raise DeviceBusy()

def test_in_fixture(session):
    pass

def test_output_only():
    print("2023-03-14T02:41:07.551203Z ERROR nux::npu: All NPU device is busy: Device warboy(1)*1 found but still in use", file=sys.stderr)
    assert False, "inference failed"

def test_unrelated():
    assert 1 / 0

def test_passes():
    pass
"""

PASSING_TESTS = """
def test_one():
    assert 1 + 1 == 2

def test_two():
    print("hello")
"""


@pytest.fixture(autouse=True)
def _importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner pytest process imports triage from this checkout."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def _installed() -> bool:
    """True when pytest loads the plugin by itself (warboy-triage installed with its pytest11 entry point)."""
    from importlib.metadata import entry_points

    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return False
    return any(ep.value == "triage.pytest_plugin" for ep in entry_points(group="pytest11"))


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A separate pytest process, as a user runs it (and no state shared with this run's plugins).

    -p loads the plugin from this checkout unless the entry point does already (twice is an error)."""
    load = [] if _installed() else ["-p", "triage.pytest_plugin"]
    return pytester.runpytest_subprocess(*load, *args, timeout=120)


def _sections(output: str) -> dict[str, str]:
    """Failure title -> its text, from pytest's FAILURES / ERRORS listing."""
    parts = re.split(r"^_{3,} (.+?) _{3,}$", output, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_failures_get_a_section_and_a_json_record(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_warboy=WARBOY_TESTS)
    out_json = pytester.path / "ci" / "warboy.json"
    result = _run(pytester, "--warboy-triage-json", str(out_json))
    result.assert_outcomes(passed=1, failed=3, errors=1)
    text = result.stdout.str()
    failures = _sections(text)
    for title in ("test_exception", "ERROR at setup of test_in_fixture", "test_output_only"):
        body = failures[title]
        assert "- warboy-triage -" in body, title
        assert "warboy-triage: NPU device busy: another process already holds the Warboy device" in body, title
        assert "More: warboy-triage explain device-busy" in body
    assert (
        "DeviceBusy: NPU device busy (native error code: 23)" in failures["test_exception"]
    )  # pytest's own report stays
    assert "- warboy-triage -" not in failures["test_unrelated"]
    assert "warboy-triage: 3 failure(s) with a known Warboy cause; JSON in" in text

    record = json.loads(out_json.read_text())
    assert record["schema_version"] == 1
    got = [(f["nodeid"], f["when"], [x["id"] for x in f["report"]["findings"]]) for f in record["failures"]]
    assert got == [
        ("test_warboy.py::test_exception", "call", ["device-busy"]),
        ("test_warboy.py::test_in_fixture", "setup", ["device-busy"]),
        # the full report also lists the test's own AssertionError (the safety net); the section does not
        ("test_warboy.py::test_output_only", "call", ["device-busy", "unrecognized-error"]),
    ]
    assert "Also:" not in failures["test_output_only"]
    from triage.report import Report

    Report.model_validate(record["failures"][0]["report"])  # each entry is the report JSON contract


def test_off_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_warboy=WARBOY_TESTS)
    result = _run(pytester)
    result.assert_outcomes(passed=1, failed=3, errors=1)
    # the plugin's name may be in the header ("plugins: ... warboy-triage-0.1.0") once it is installed;
    # what must be missing is its report section and any diagnosis
    out = result.stdout.str()
    assert "- warboy-triage -" not in out and "explain device-busy" not in out


def test_a_passing_suite_is_unchanged(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_ok=PASSING_TESTS)
    out_json = pytester.path / "warboy.json"

    def run(*args: str) -> list[str]:
        result = _run(pytester, "-rA", *args)
        result.assert_outcomes(passed=2)
        return [re.sub(r" in [\d.]+s", "", line) for line in result.outlines]

    plain, with_plugin = run(), run("--warboy-triage")
    assert with_plugin == plain
    with_json = run("--warboy-triage-json", str(out_json))
    note = f"warboy-triage: 0 failure(s) with a known Warboy cause; JSON in {out_json}"
    assert note in with_json  # the one added line: CI can see the file was written
    assert [line for line in with_json if line != note] == plain
    assert json.loads(out_json.read_text())["failures"] == []


def test_the_entry_point_is_declared() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"warboy-triage": "triage.pytest_plugin"}


def test_importing_the_plugin_is_cheap() -> None:
    """Every pytest run in the environment imports it: no pydantic, no knowledge base."""
    import subprocess

    probe = "import sys, triage.pytest_plugin; print(sorted(m for m in ('pydantic', 'regex', 'triage.api') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_under_xdist_the_controller_writes_every_diagnosis(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    pytester.makepyfile(test_a=WARBOY_TESTS, test_b=WARBOY_TESTS)
    out_json = pytester.path / "warboy.json"
    result = _run(pytester, "-n", "2", "--warboy-triage-json", str(out_json))
    result.assert_outcomes(passed=2, failed=6, errors=2)
    assert result.stdout.str().count("- warboy-triage -") == 6
    failures = json.loads(out_json.read_text())["failures"]
    assert sorted((f["nodeid"], f["when"]) for f in failures) == [
        (f"test_{m}.py::{name}", when)
        for m in "ab"
        for name, when in (("test_exception", "call"), ("test_in_fixture", "setup"), ("test_output_only", "call"))
    ]


def test_an_unwritable_json_path_is_a_clear_error_not_an_internal_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_ok=PASSING_TESTS)
    result = _run(pytester, "--warboy-triage-json", str(pytester.path))  # a directory
    out = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in out and "INTERNALERROR" not in out
    assert f"warboy-triage: cannot write {pytester.path}" in out
    assert result.ret != 0  # CI that reads the file must not pass without it
