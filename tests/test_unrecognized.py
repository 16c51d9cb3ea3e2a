"""The safety net: a failure that no pattern explains is an `unrecognized-error` finding (exit 1),
and what is not a failure stays quiet.

Failure lines here are in the shapes bash, CPython, the Rust standard library, pip, argparse and
click print (see docs/unrecognized-error.md); they are synthetic excerpts, not copies of a log."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT
from triage import fastpath, parallel
from triage.kb import KnowledgeBase, Pattern
from triage.kb.search import search
from triage.pipeline import analyze, analyze_text
from triage.unrecognized import PATTERN_ID, closest_causes


def _net(report):  # type: ignore[no-untyped-def]
    found = [f for f in report.findings if f.id == PATTERN_ID]
    return found[0] if found else None


FAILURES = {
    "python traceback": (
        "loading\nTraceback (most recent call last):\n"
        '  File "infer.py", line 3, in <module>\n    import cv2\n'
        "ModuleNotFoundError: No module named 'cv2'\n",
        5,
        "exception",
    ),
    "rust panic, old format": (
        "start\nthread 'main' panicked at 'index out of bounds: the len is 1 but the index is 1', src/main.rs:12:10\n",
        2,
        "message",
    ),
    "rust panic, new format": (
        "ok\nok\nthread 'tokio-runtime-worker' panicked at src/peers.rs:28:72:\n"
        "called `Result::unwrap()` on an `Err` value: Os { code: 111 }\n",
        3,
        "message",
    ),
    "rust panic with thread id": ("thread 'main' (9925) panicked at tests/it.rs:393:9:\nboom\n", 1, "message"),
    "ERROR record": ("2023-07-25T01:15:12.727642Z ERROR nux::npu: something nobody has seen\n", 1, "message"),
    "FATAL record": ("x\n[FATAL] cannot continue\n", 2, "message"),
    "CRITICAL record": ("CRITICAL:root:disk gone\n", 1, "message"),
    "segfault": ("running\nSegmentation fault (core dumped)\n", 2, "message"),
    "segfault in a script": (
        "./run.sh: line 3: 41882 Segmentation fault      (core dumped) python3 infer.py\n",
        1,
        "message",
    ),
    "killed": ("epoch 1\nepoch 2\nKilled\n", 3, "message"),
    "zsh killed": ("zsh: killed     python3 train.py\n", 1, "message"),
    "aborted": ("terminate called after throwing an instance of 'std::runtime_error'\n  what():  x\nAborted\n", 1, ""),
    "oom killer": ("[ 1234.5] Out of memory: Killed process 4242 (python3) total-vm:1kB\n", 1, "message"),
    "pip error": (
        # not a furiosa package: a furiosa one is a known cause (furiosa-pip-install-failed)
        "Collecting fastvideo\nERROR: Could not find a version that satisfies the requirement fastvideo==1.2.0\n",
        2,
        "message",
    ),
    "clap error": ("error: unexpected argument '--targt' found\n", 1, "message"),
    "argparse error": (
        "usage: furiosa-compile [-h] MODEL\nfuriosa-compile: error: the following arguments are required\n",
        2,
        "",
    ),
    # a ClickException's message (a usage error such as "Missing option" is cli-usage-error)
    "click error": ("Usage: app [OPTIONS]\nError: could not reach the model server\n", 2, ""),
    # "[Step N] Failed" of furiosa litmus is a known cause now (patterns/litmus-step-failed.toml)
    "kernel oops": ("[ 812.3] BUG: unable to handle page fault for address: 0000000000001000\n", 1, "message"),
    "kernel panic": ("[ 9.1] Kernel panic - not syncing: Fatal exception\n", 1, "message"),
    "dpkg error": (
        "Setting up furiosa-libnux (0.9.1-2) ...\ndpkg: error processing package furiosa-libnux (--configure):\n",
        2,
        "message",
    ),
    "fatal python error": (
        "Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007f (most recent call first):\n",
        1,
        "",
    ),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_failure_is_unrecognized_error(name: str, analyze_text) -> None:  # type: ignore[no-untyped-def]
    text, line, kind = FAILURES[name]
    report = analyze_text(text)
    net = _net(report)
    assert net is not None, [f.id for f in report.findings]
    assert net.severity == "error" and report.worst_severity() == "error"
    assert net.evidence[0].line == line
    assert text.splitlines()[line - 1].strip() == net.evidence[0].text
    if kind:
        assert net.evidence[0].kind == kind
    assert net.rank == len(report.findings)  # nothing known here: it is the only finding


NOT_FAILURES = {
    "warning record": "2023-07-25T01:15:12.727642Z  WARN nux: NPU_DEVNAME is deprecated, use FURIOSA_DEVICES\n",
    "python warning": "/usr/lib/python3.8/site-packages/x.py:12: DeprecationWarning: use y instead\n  warnings.warn(\n",
    "metric": "Error: 0.25\nMean error: 0.01\nerror: 1.5e-3\n",
    "sentence with killed": "Killed 3 zombie workers before start\n",
    "sentence with aborted": "Aborted by user request, restarting cleanly\n",
    "info record": "2023-07-25T01:15:12.727642Z  INFO nux: error counters reset\n",
    "test names": "tests/test_errors.py::test_raises_valueerror PASSED\n",
    "error in prose": "no error: all 100 inferences done\n",
    "unittest header alone": "ERROR: test_run_with (test_session.TestSessionWithNames)\n",
}


@pytest.mark.parametrize("name", sorted(NOT_FAILURES))
def test_not_a_failure(name: str, analyze_text) -> None:  # type: ignore[no-untyped-def]
    report = analyze_text(NOT_FAILURES[name])
    assert _net(report) is None
    assert report.worst_severity() in (None, "info")


def test_traceback_frames_are_one_failure(analyze_text) -> None:  # type: ignore[no-untyped-def]
    frames = "".join(f'  File "m{i}.py", line {i}, in f{i}\n    f{i + 1}()\n' for i in range(30))
    text = "Traceback (most recent call last):\n" + frames + "RecursionError: maximum recursion depth exceeded\n"
    net = _net(analyze_text(text))
    assert net is not None
    assert [(e.line, e.count) for e in net.evidence] == [(62, 1)]
    assert net.evidence_count == 1


def test_chained_tracebacks_are_two_failures_in_log_order(analyze_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Traceback (most recent call last):\n"
        '  File "a.py", line 1, in <module>\n'
        "KeyError: 'model'\n"
        "\nDuring handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "a.py", line 3, in <module>\n'
        "RuntimeError: cleanup failed\n"
    )
    net = _net(analyze_text(text))
    assert net is not None
    assert [e.line for e in net.evidence] == [3, 9]


def test_same_shape_is_grouped_with_a_count(analyze_text) -> None:  # type: ignore[no-untyped-def]
    lines = [f"2023-07-25T01:15:{10 + i}.5Z ERROR nux: buffer 0x{i:04x} lost after {i * 7} ms" for i in range(12)]
    text = "\n".join(["start", *lines, "thread 'main' panicked at src/x.rs:1:1:", "boom"]) + "\n"
    net = _net(analyze_text(text))
    assert net is not None
    assert [(e.line, e.count) for e in net.evidence] == [(2, 12), (14, 1)]
    assert net.evidence_count == 13


def test_explained_exception_is_not_unrecognized(analyze_text) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / "device-busy.log").read_text()
    report = analyze_text(text)
    assert [f.id for f in report.findings] == ["device-busy"]


def test_ranked_after_known_causes_and_before_guidance(analyze_text) -> None:  # type: ignore[no-untyped-def]
    known = (FIXTURES / "ranking-compiler-mixed.log").read_text()
    report = analyze_text(known + "thread 'main' panicked at src/x.rs:1:1:\n")
    ids = [f.id for f in report.findings]
    assert ids.index(PATTERN_ID) == len(ids) - 2 and ids[-1] == "input-size-guidance"
    assert [f.rank for f in report.findings] == list(range(1, len(ids) + 1))
    noise = (FIXTURES / "telemetry-noise.log").read_text()
    report = analyze_text(noise + "Segmentation fault (core dumped)\n")
    assert [f.id for f in report.findings] == [PATTERN_ID, "telemetry-noise"]


def test_related_are_the_search_results(kb, analyze_text) -> None:  # type: ignore[no-untyped-def]
    line = "furiosa.runtime.errors.SomethingNew: the NPU device is busy in a new way"
    net = _net(analyze_text(f'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n{line}\n'))
    assert net is not None
    assert 1 <= len(net.related) <= 3 and PATTERN_ID not in net.related
    assert net.related == closest_causes(kb, [line])
    assert net.related[0] in [h.pattern.id for h in search(kb, line.replace(".", " "), limit=5)]
    assert "device-busy" in net.related


def test_remediation_names_the_capture_command(tmp_path, kb) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "run.log"
    log.write_text("ok\nSegmentation fault (core dumped)\n")
    net = _net(analyze([str(log)], kb))
    assert net is not None
    assert any(f"patterns new --from {log}:2" in step for step in net.remediation)
    assert any(f"patterns new --from {log}:2" in step for step in net.remediation_ko)


def _kb_with(kb: KnowledgeBase, extra: dict) -> KnowledgeBase:  # type: ignore[type-arg]
    base = {
        "title": "A test cause",
        "severity": "error",
        "component": "general",
        "why": "only for this test of the safety net",
        "remediation": ["nothing"],
        "examples": ["a", "b"],
        "counterexamples": ["c", "d"],
    }
    return KnowledgeBase([*kb.patterns, Pattern.model_validate({**base, **extra})])


def test_line_matched_by_a_pattern_that_did_not_fire_is_unrecognized(kb) -> None:  # type: ignore[no-untyped-def]
    """A supporting rule, or a vetoed pattern, saw the line; no finding explains it."""
    odd = "2023-07-25T01:15:12Z ERROR nux: odd thing happened"
    supporting = _kb_with(
        kb,
        {
            "id": "test-supporting",
            "match": [{"message": "never-present-trigger"}],
            "supporting": [{"message": "odd thing"}],
        },
    )
    assert [f.id for f in analyze_text(odd + "\n", kb=supporting).findings] == [PATTERN_ID]
    vetoed = _kb_with(
        kb, {"id": "test-vetoed", "match": [{"message": "odd thing"}], "unless": [{"message": "all good"}]}
    )
    assert [f.id for f in analyze_text(odd + "\n", kb=vetoed).findings] == ["test-vetoed"]
    assert [f.id for f in analyze_text(odd + "\nall good\n", kb=vetoed).findings] == [PATTERN_ID]


def test_custom_patterns_directory_without_the_entry_still_has_the_net(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from triage.kb import load

    d = tmp_path / "patterns"
    d.mkdir()
    (d / "device-busy.toml").write_bytes((ROOT / "patterns" / "device-busy.toml").read_bytes())
    report = analyze_text("Killed\n", kb=load(d))
    assert [f.id for f in report.findings] == [PATTERN_ID]


def _synthetic(rng: random.Random) -> str:
    plain = ["2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized", "step done", ""]
    failing = [
        *(t for t, _, _ in FAILURES.values()),
        *(NOT_FAILURES.values()),
        "2023-02-11T06:22:18Z  WARN nux: slow",
    ]
    out = []
    for _ in range(3000):
        out.append(rng.choice(failing) if rng.random() < 0.05 else rng.choice(plain) + "\n")
    return "".join(out)


@pytest.mark.parametrize("seed", range(3))
def test_fast_scan_sees_every_failure(tmp_path, kb, seed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Lines the fast scan skips never hide a failure: the same JSON on every path."""
    monkeypatch.setattr(fastpath, "SMALL", 0)
    monkeypatch.setattr(parallel, "MIN_SPLIT", 0)
    monkeypatch.setattr(parallel, "UNIT", 2048)
    log = tmp_path / "mixed.log"
    log.write_text(_synthetic(random.Random(seed)))
    want = analyze([str(log)], kb).model_dump_json()
    assert _net(analyze([str(log)], kb)) is not None
    assert analyze([str(log)], kb, backend="re").model_dump_json() == want
    assert analyze([str(log)], kb, backend="re", jobs=2).model_dump_json() == want


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        [sys.executable, "-m", "triage", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_cli_exit_code_and_explain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "panic.log"
    log.write_text("thread 'main' panicked at src/main.rs:2:5:\nexplicit panic\n")
    proc = _cli(str(log), "-f", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["findings"][0]["id"] == PATTERN_ID
    assert report["findings"][0]["evidence"][0]["count"] == 1
    assert _cli("explain", PATTERN_ID).returncode == 0
    assert _cli(str(FIXTURES / "healthy-compile.log")).returncode == 0


def test_exception_chained_from_a_known_cause_is_its_consequence(analyze_text) -> None:  # type: ignore[no-untyped-def]
    # A RecursionError in cleanup while handling a known failure, then one raised from it: both are
    # consequences of the known cause (chain links from triage/parsers/exceptions.py), not unknown failures.
    text = (
        "Traceback (most recent call last):\n"
        '  File "run.py", line 5, in <module>\n'
        "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)\n"
        "\nDuring handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "run.py", line 9, in <module>\n'
        "RecursionError: maximum recursion depth exceeded\n"
        "\nThe above exception was the direct cause of the following exception:\n\n"
        "Traceback (most recent call last):\n"
        '  File "run.py", line 12, in <module>\n'
        "RuntimeError: shutdown failed\n"
        "KeyError: 'model'\n"
    )
    report = analyze_text(text)
    assert [f.id for f in report.findings] == ["device-busy", PATTERN_ID]
    # the unchained KeyError after the chain is still unexplained; the chain's links are not
    assert [e.line for e in _net(report).evidence] == [16]
