"""Inputs that never end or cannot be reached: a read budget counted in bytes (so the report is the
same on any machine) with a note and a way to lift it; unreadable paths give one line and exit 2."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from triage.pipeline import analyze
from triage.reader import DEFAULT_MAX_BYTES

BOMB = FIXTURES / "hostile" / "gzip-bomb.log.gz"  # 64 MiB of one line, 64 KB on disk
BUSY = FIXTURES / "device-busy.log"


def _budget_notes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [n for n in report.sources[0].notes if "--max-bytes" in n]


@pytest.mark.parametrize("backend", [None, "re"], ids=["line", "fast"])
def test_an_endless_device_ends_with_a_note(backend: str | None) -> None:
    report = analyze(["/dev/zero"], backend=backend, max_bytes=8 << 20)
    assert report.sources[0].bytes == 8 << 20
    assert _budget_notes(report) == [
        f"stopped after {8 << 20} bytes (the --max-bytes budget): the rest was not read; --max-bytes 0 reads all"
    ]


@pytest.mark.parametrize("backend", [None, "re"], ids=["line", "fast"])
def test_a_gzip_bomb_is_counted_decompressed(backend: str | None) -> None:
    report = analyze([str(BOMB)], backend=backend, max_bytes=1 << 20)
    assert report.sources[0].bytes == 1 << 20
    assert len(_budget_notes(report)) == 1


def test_zero_lifts_the_budget() -> None:
    report = analyze([str(BOMB)], backend="re", max_bytes=0)
    assert report.sources[0].bytes == 64 << 20
    assert _budget_notes(report) == []


def test_the_default_budget_is_generous_and_bounded() -> None:
    assert 1 << 30 <= DEFAULT_MAX_BYTES < 1 << 40
    report = analyze([str(BOMB)], backend="re")
    assert report.sources[0].bytes == 64 << 20 and _budget_notes(report) == []


@pytest.mark.parametrize("backend", [None, "re"], ids=["line", "fast"])
def test_budget_cuts_at_the_same_byte_for_every_encoding(tmp_path, backend: str | None) -> None:  # type: ignore[no-untyped-def]
    """The error is past the budget: not found, and the run says why; with the budget lifted it is."""
    text = "INFO filler\n" * 2000 + BUSY.read_text()
    plain = tmp_path / "a.log"
    plain.write_text(text)
    packed = tmp_path / "a.log.gz"
    packed.write_bytes(gzip.compress(text.encode(), mtime=0))
    for path in (plain, packed):
        cut = analyze([str(path)], backend=backend, max_bytes=24000)
        assert cut.sources[0].bytes == 24000 and cut.sources[0].lines == 2000
        assert cut.findings == [] and len(_budget_notes(cut)) == 1
        whole = analyze([str(path)], backend=backend, max_bytes=0)
        assert [f.id for f in whole.findings] == ["device-busy"]


def test_parallel_split_keeps_the_budget(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage import parallel

    monkeypatch.setattr(parallel, "MIN_SPLIT", 1 << 20)  # small units: the workers are forked, they see these
    monkeypatch.setattr(parallel, "UNIT", 256 << 10)
    log = tmp_path / "big.log"
    log.write_bytes(b"2023-02-11T06:22:18Z INFO nux: filler\n" * 60000 + BUSY.read_bytes())
    limit = (2 << 20) + 12345
    one = analyze([str(log)], backend="re", jobs=1, max_bytes=limit)
    two = analyze([str(log)], backend="re", jobs=2, max_bytes=limit)
    assert one.model_dump() == two.model_dump()
    assert one.sources[0].bytes == limit and len(_budget_notes(one)) == 1


# -- paths that cannot be reached -------------------------------------------------------------


def _without_root_powers() -> list[str]:
    """Root reads everything: as root, drop the capabilities that bypass permissions (setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.fixture
def locked(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A readable log inside a directory without search permission, and an unreadable log."""
    base = Path(tempfile.mkdtemp(prefix="warboy-locked-", dir="/tmp"))
    base.chmod(0o755)
    closed = base / "closed"
    closed.mkdir()
    shutil.copy(BUSY, closed / "run.log")
    closed.chmod(0o644)  # r but no x: the names can be listed, the files not reached
    secret = base / "secret.log"
    shutil.copy(BUSY, secret)
    secret.chmod(0o000)
    yield {"dir": str(closed / "run.log"), "file": str(secret)}
    closed.chmod(0o755)
    shutil.rmtree(base)


@pytest.mark.parametrize("which", ["dir", "file"])
@pytest.mark.parametrize("command", [["analyze"], ["analyze", "--backend", "line"], ["ticket", "--no-doctor"], ["tui"]])
def test_unreachable_paths_give_one_line_and_exit_2(locked, which: str, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = locked[which]
    if command == ["lint"]:
        pytest.importorskip("onnx")
    proc = subprocess.run(
        [*_without_root_powers(), sys.executable, "-m", "triage", *command, path],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "WARBOY_TRIAGE_NO_CACHE": "1"},
        cwd="/",
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("warboy-triage: error: ") and path in err, err
    assert "permission denied" in err.lower(), err


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_the_cli_flag_sets_and_lifts_the_budget(fmt: str) -> None:
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT), "WARBOY_TRIAGE_NO_CACHE": "1"}

    def run(*args: str) -> list[dict]:
        proc = subprocess.run(
            [sys.executable, "-m", "triage", *args, "-f", fmt], capture_output=True, env=env, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        if fmt == "json":
            return json.loads(proc.stdout)["sources"]
        return [r for r in map(json.loads, proc.stdout.splitlines()) if r.get("record") == "source"]

    zero = run("/dev/zero", "--max-bytes", "3000000")
    assert zero[0]["bytes"] == 3000000 and "--max-bytes" in zero[0]["notes"][0]
    bomb = run(str(BOMB), "--max-bytes", "0")
    assert bomb[0]["bytes"] == 64 << 20 and not any("--max-bytes" in n for n in bomb[0]["notes"])
