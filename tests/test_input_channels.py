"""Every input is read once: a file, its pipe, its named FIFO and a process substitution
(/dev/fd/N) give the same JSON report. Bigger than a pipe buffer, so a stray early read shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "seed-incompatible-config.log"
TIMEOUT = 30  # a hang guard (a FIFO opened twice never ends); a run takes a few seconds


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "WARBOY_TRIAGE_NO_CACHE": "1"}


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "triage", *args, "--format", "json"],
        capture_output=True,
        env=_env(),
        timeout=TIMEOUT,
        **kw,
    )


def _comparable(out: bytes) -> dict:
    report = json.loads(out)
    for s in report["sources"]:
        s["name"] = "<input>"
    for f in report["findings"]:
        for e in f["evidence"]:
            e["source"] = "<input>"
    for item in (*report["exceptions"], *report["error_codes"], *report["unclassified"]):
        if isinstance(item, dict) and "source" in item:
            item["source"] = "<input>"
    for v in report["versions"].values():
        if isinstance(v, dict) and "source" in v:
            v["source"] = "<input>"
    return report


@pytest.fixture(scope="module", params=["small", "big"])
def log(request, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The seed log alone (under a pipe buffer), and repeated past 64 KB with the error last."""
    seed = SEED.read_text()
    p = tmp_path_factory.mktemp("channels") / "log.log"
    p.write_text(seed if request.param == "small" else "\n".join(["INFO filler line"] * 8000 + [seed]))
    return p


@pytest.fixture(scope="module")
def from_file(log: Path) -> dict:
    proc = _cli(str(log))
    assert proc.returncode == 1, proc.stderr
    report = _comparable(proc.stdout)
    assert report["sources"][0]["lines"] > 0 and report["findings"]
    return report


def _writer(path: str, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(path, "wb") as fh:  # blocks until the reader opens the FIFO
            fh.write(data)

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def test_stdin_pipe_gives_the_file_report(log: Path, from_file: dict) -> None:
    proc = _cli("-", input=log.read_bytes())
    assert proc.returncode == 1, proc.stderr
    assert _comparable(proc.stdout) == from_file


@pytest.mark.parametrize("backend", ["auto", "line"])
def test_named_fifo_gives_the_file_report(tmp_path, log: Path, from_file: dict, backend: str) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "live.fifo"
    os.mkfifo(fifo)
    writer = _writer(str(fifo), log.read_bytes())
    proc = _cli(str(fifo), "--backend", backend)
    writer.join(timeout=5)
    assert proc.returncode == 1, proc.stderr
    assert _comparable(proc.stdout) == from_file


def test_process_substitution_gives_the_file_report(log: Path, from_file: dict) -> None:
    """`warboy-triage <(cat log)`: the shell passes /dev/fd/N, the read end of a pipe."""
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write_end, log.read_bytes()), os.close(write_end)))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "triage", f"/dev/fd/{read_end}", "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
            pass_fds=(read_end,),
        )
        os.close(read_end)
        writer.start()
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        writer.join(timeout=5)
    assert proc.returncode == 1, err
    assert _comparable(out) == from_file
