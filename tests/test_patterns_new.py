"""`patterns new --from LOG[:LINE]` drafts a valid pattern from an unexplained line, and a user
pattern directory (XDG config or WARBOY_TRIAGE_PATTERNS) is layered over the bundled patterns.

The log lines are synthetic, in the shapes of CPython, the Rust standard library and Furiosa's
native log records."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from triage.kb import load, user_patterns_dir
from triage.kb.loader import PatternError, load_file
from triage.kb.scaffold import ScaffoldError, pieces, scaffold
from triage.pipeline import analyze

PANIC = "thread 'tokio-runtime-worker' panicked at src/npu/queue.rs:214:9:"
RECORD = "2023-07-25T01:15:12.727642Z ERROR nux::npu: dma buffer 0x7f3a2c lost after 42 ms on npu0pe0-1"
EXC = "furiosa.runtime.errors.SomethingNew: cannot open '/dev/npu0pe0' (errno 16)"


def _kinds(text: str) -> list[str]:
    return [p.kind for p in pieces(text) if p.kind != "literal"]


def test_variable_parts_become_classes() -> None:
    line = "2024-01-02T03:04:05Z loaded '/opt/a b/x.enf' at 0xdead from /usr/lib/libnux.so v0.10.1 in 12 ms (npu1pe0-1)"
    assert _kinds(line) == ["timestamp", "quoted", "hex", "path", "version", "number", "device"]


@pytest.mark.parametrize(("line", "message", "level"), [(PANIC, None, None), (EXC, None, None), (RECORD, None, None)])
def test_draft_matches_its_line_and_not_its_near_misses(line, message, level) -> None:  # type: ignore[no-untyped-def]
    draft = scaffold(line, "run.log:3", message, level)
    rule = draft.pattern.match[0]
    assert draft.problems == []
    assert draft.pattern.examples[0] == line
    assert all(rule._message.search(x) for x in draft.pattern.examples)
    assert not any(rule._message.search(x) for x in draft.pattern.counterexamples)
    assert len(set(draft.pattern.counterexamples)) == 2
    assert rule.literals() is not None  # the fast scan can skip lines without its words


def test_record_head_is_left_out_and_its_level_kept() -> None:
    draft = scaffold(RECORD, "run.log:1", "dma buffer 0x7f3a2c lost after 42 ms on npu0pe0-1", "ERROR")
    rule = draft.pattern.match[0]
    assert rule.level == ["ERROR"]
    assert rule.message is not None and not rule.message.startswith(r"\d{4}")
    assert r"0x[0-9a-fA-F]+" in rule.message and r"npu\d+" in rule.message
    assert rule._message.search(RECORD.replace("42 ms", "7 ms").replace("0x7f3a2c", "0x1"))


def test_toml_loads_with_the_loader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for line in (PANIC, EXC, RECORD, 'He said "stop" and it\'s done: code 3'):
        draft = scaffold(line, "run.log:1")
        path = tmp_path / f"{draft.pattern.id}.toml"
        path.write_text(draft.toml)
        assert load_file(path) == draft.pattern


def test_a_line_without_words_is_refused() -> None:
    with pytest.raises(ScaffoldError):
        scaffold("0x1f 42 /tmp/x", "run.log:1")
    with pytest.raises(ScaffoldError):
        scaffold("   ", "run.log:1")


def _cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.fixture
def crash_log(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    log = tmp_path / "run.log"
    log.write_text(f"starting\n2023-07-25T01:15:11Z  INFO nux: ready\n{PANIC}\nboom\n")
    return log


def test_cli_picks_the_first_unrecognized_line_and_writes_a_file(crash_log, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "mine"
    proc = _cli("patterns", "new", "--from", str(crash_log), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    files = list(out.glob("*.toml"))
    assert len(files) == 1 and "wrote" in proc.stderr
    pattern = load_file(files[0])
    assert pattern.examples[0] == PANIC
    assert f"{crash_log}:3" in pattern.why
    again = _cli("patterns", "new", "--from", str(crash_log), "-o", str(out))
    assert again.returncode == 2 and "exists" in again.stderr


def test_cli_line_number_and_printing(crash_log) -> None:  # type: ignore[no-untyped-def]
    proc = _cli("patterns", "new", "--from", f"{crash_log}:2", "--id", "nux-ready")
    assert proc.returncode == 0, proc.stderr
    assert "id = 'nux-ready'" in proc.stdout and 'level = ["INFO"]' in proc.stdout
    bad = _cli("patterns", "new", "--from", f"{crash_log}:99")
    assert bad.returncode == 2 and "no line 99" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_log_without_an_unrecognized_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "busy.log"
    log.write_bytes((ROOT / "fixtures" / "device-busy.log").read_bytes())
    proc = _cli("patterns", "new", "--from", str(log))
    assert proc.returncode == 2 and "name the line" in proc.stderr


def test_new_id_never_replaces_a_bundled_cause(tmp_path, kb) -> None:  # type: ignore[no-untyped-def]
    from triage.capture import draft_from_log

    log = tmp_path / "x.log"
    log.write_text("furiosa.runtime.errors.DeviceBusy: NPU device busy, try later\n")
    draft = draft_from_log(f"{log}:1", kb, pid=None)
    assert kb.get(draft.pattern.id) is None


# -- the user pattern directory ----------------------------------------------------------------


def _user_pattern(directory: Path, pid: str, regex: str, title: str = "Queue worker panicked") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{pid}.toml"
    path.write_text(
        f"""id = "{pid}"
title = "{title}"
title_ko = "큐 작업자 패닉"
severity = "warning"
component = "runtime"
why = "A team's own incident, kept in their pattern directory."
keywords = ["queue"]
remediation = ["Restart the worker."]
remediation_ko = ["작업자를 다시 시작한다."]
examples = ["{PANIC}", "thread 'main' panicked at src/npu/queue.rs:1:1:"]
counterexamples = ["thread 'main' panicked at src/other.rs:1:1:", "queue.rs"]

[[match]]
message = '{regex}'
"""
    )
    return path


def test_user_directory_from_xdg_config_home_adds_a_cause(tmp_path, monkeypatch, crash_log) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert user_patterns_dir() is None
    _user_pattern(tmp_path / "cfg" / "warboy-triage" / "patterns", "queue-worker-panic", r"panicked at \S*queue\.rs")
    kb = load()
    assert kb.get("queue-worker-panic") is not None and len(kb.roots) == 2
    assert [f.id for f in analyze([str(crash_log)], kb).findings] == ["queue-worker-panic"]
    proc = _cli(str(crash_log), env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert proc.returncode == 0, proc.stdout  # a warning now, no longer an unrecognized error
    assert "Queue worker panicked" in proc.stdout


def test_env_directory_overrides_a_bundled_cause_by_id(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "team"
    mine.mkdir()
    text = (ROOT / "patterns" / "device-busy.toml").read_text()
    (mine / "device-busy.toml").write_text(text.replace('severity = "error"', 'severity = "warning"', 1))
    monkeypatch.setenv("WARBOY_TRIAGE_PATTERNS", str(mine))
    kb = load()
    assert kb.get("device-busy").severity == "warning"  # type: ignore[union-attr]
    assert kb.files["device-busy"] == mine / "device-busy.toml"
    assert len(kb.patterns) == len(load(ROOT / "patterns").patterns)


def test_env_directory_that_does_not_exist_is_an_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WARBOY_TRIAGE_PATTERNS", str(tmp_path / "typo"))
    with pytest.raises(PatternError, match="WARBOY_TRIAGE_PATTERNS"):
        load()


def test_patterns_test_checks_user_patterns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good"
    _user_pattern(good, "queue-worker-panic", r"panicked at \S*queue\.rs")
    proc = _cli("patterns", "test", env={"WARBOY_TRIAGE_PATTERNS": str(good)})
    assert proc.returncode == 0, proc.stdout
    assert str(good) in proc.stdout
    bad = tmp_path / "bad"
    path = _user_pattern(bad, "queue-worker-panic", r"panicked at")  # also fires on its counterexample
    proc = _cli("patterns", "test", env={"WARBOY_TRIAGE_PATTERNS": str(bad)})
    assert proc.returncode == 1
    assert f"FAIL {path}: counterexample 1 produces 'queue-worker-panic'" in proc.stdout


def test_cache_key_includes_user_patterns(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage.kb import cache

    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = tmp_path / "team"
    mine.mkdir()
    monkeypatch.setenv("WARBOY_TRIAGE_PATTERNS", str(mine))
    first = cache.load_cached()
    assert first.get("queue-worker-panic") is None
    assert list((tmp_path / "cache" / "warboy-triage").glob("kb-*.pickle"))
    _user_pattern(mine, "queue-worker-panic", r"panicked at \S*queue\.rs")
    assert cache.load_cached().get("queue-worker-panic") is not None


def test_captured_pattern_explains_the_log_next_time(crash_log, tmp_path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine"
    assert _cli("patterns", "new", "--from", str(crash_log), "-o", str(mine)).returncode == 0
    env = {"WARBOY_TRIAGE_PATTERNS": str(mine)}
    proc = _cli(str(crash_log), "-f", "json", env=env)
    assert '"unrecognized-error"' not in proc.stdout
    assert _cli("patterns", "test", env=env).returncode == 0


def test_api_knowledge_base_sees_a_new_user_pattern(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage.api import knowledge_base

    mine = tmp_path / "team"
    mine.mkdir()
    monkeypatch.setenv("WARBOY_TRIAGE_PATTERNS", str(mine))
    assert knowledge_base().get("queue-worker-panic") is None
    _user_pattern(mine, "queue-worker-panic", r"panicked at \S*queue\.rs")
    assert knowledge_base().get("queue-worker-panic") is not None


def test_output_that_is_a_file_says_it_wants_a_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """-o run.log (the log itself, by a slip) said 'run.log/<id>.toml: cannot write (File exists)'."""
    from triage.capture import CaptureError, write_draft

    draft = type("D", (), {"pattern": scaffold(PANIC, "run.log:1").pattern, "toml": "x"})()
    log = tmp_path / "run.log"
    log.write_text("kept\n")
    with pytest.raises(CaptureError, match=r"run\.log: not a directory; -o names the directory"):
        write_draft(draft, log)  # type: ignore[arg-type]
    assert log.read_text() == "kept\n"


def test_cli_log_without_any_failure_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "healthy.log"
    log.write_bytes((ROOT / "fixtures" / "healthy-inference-run.log").read_bytes())
    proc = _cli("patterns", "new", "--from", str(log))
    assert proc.returncode == 2 and "no failure found in it" in proc.stderr and "name the line" in proc.stderr
