"""Fleet outputs: prometheus text (parsed by prometheus_client's own parser), JSONL labels and keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "seed-incompatible-config.log"
HEALTHY = FIXTURES / "healthy-inference-run.log"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WARBOY_TRIAGE_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True, text=True, env=env, timeout=120)


def _samples(text: str) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for family in text_string_to_metric_families(text):
        out.setdefault(family.name, []).extend(family.samples)
    return out


def test_prometheus_output_parses_and_names_the_finding(tmp_path: Path) -> None:
    target = tmp_path / "warboy.prom"
    done = _cli(str(SEED), "-f", "prometheus", "-o", str(target), "--label", "job=infer")
    assert done.returncode == 1, done.stderr  # the exit code still follows the findings
    samples = _samples(target.read_text())
    (finding,) = samples["warboy_triage_finding"]
    assert finding.labels["id"] == "sdk-version-mismatch"
    assert finding.labels["severity"] == "error"
    assert finding.labels["job"] == "infer"
    assert finding.value >= 1
    by_severity = {s.labels["severity"]: s.value for s in samples["warboy_triage_findings"]}
    assert by_severity == {"error": 1, "warning": 0, "info": 0}
    versions = {s.labels["component"]: s.labels["version"] for s in samples["warboy_triage_component_version_info"]}
    assert versions["furiosa-runtime"] == "0.8.2"
    assert samples["warboy_triage_last_run_timestamp_seconds"][0].value > 1.6e9
    assert not list(tmp_path.glob(".warboy.prom.*"))  # the temporary file was renamed, not left behind


def test_prometheus_healthy_log_has_zero_findings() -> None:
    done = _cli(str(HEALTHY), "-f", "prometheus")
    assert done.returncode == 0
    samples = _samples(done.stdout)
    assert "warboy_triage_finding" not in samples or not samples["warboy_triage_finding"]
    assert all(s.value == 0 for s in samples["warboy_triage_findings"])


def test_jsonl_records_carry_labels_host_and_a_stable_key() -> None:
    first = _cli(str(SEED), "-f", "jsonl", "--label", "job=infer", "--label", "host=npu-07")
    second = _cli(str(SEED), "-f", "jsonl", "--label", "host=npu-07", "--label", "job=infer")
    records = [json.loads(line) for line in first.stdout.splitlines()]
    assert all(r["labels"] == {"job": "infer", "host": "npu-07"} for r in records)
    keys = [r["key"] for r in records if r["record"] == "finding"]
    assert keys and keys == [json.loads(x)["key"] for x in second.stdout.splitlines() if '"finding"' in x]
    other_host = _cli(str(SEED), "-f", "jsonl", "--label", "host=npu-08", "--label", "job=infer")
    assert keys != [json.loads(x)["key"] for x in other_host.stdout.splitlines() if '"finding"' in x]


def test_jsonl_host_label_defaults_to_this_machine() -> None:
    import socket

    records = [json.loads(line) for line in _cli(str(SEED), "-f", "jsonl").stdout.splitlines()]
    assert records and all(r["labels"]["host"] == socket.gethostname() for r in records)


def test_bad_label_is_a_usage_error() -> None:
    done = _cli(str(SEED), "-f", "jsonl", "--label", "no-equals-sign")
    assert done.returncode == 2
    assert "NAME=VALUE" in done.stderr and "Traceback" not in done.stderr


def test_a_label_named_like_a_built_in_label_is_refused() -> None:
    """`--label id=x` used to overwrite the finding's own id in the Prometheus series (silently)."""
    for name in ("id", "severity", "component", "kind", "confidence", "version", "record", "key"):
        done = _cli(str(SEED), "-f", "prometheus", "--label", f"{name}=x")
        assert done.returncode == 2, (name, done.stdout[:300])
        assert f"{name}" in done.stderr and "Traceback" not in done.stderr


def test_label_values_with_quotes_newlines_and_unicode_survive(tmp_path: Path) -> None:
    value = 'a "quoted"\nline\\ 한국어'
    done = _cli(str(SEED), "-f", "prometheus", "--label", f"job={value}")
    (finding,) = _samples(done.stdout)["warboy_triage_finding"]
    assert finding.labels["job"] == value and finding.labels["id"] == "sdk-version-mismatch"
    records = [json.loads(r) for r in _cli(str(SEED), "-f", "jsonl", "--label", f"job={value}").stdout.splitlines()]
    assert all(r["labels"]["job"] == value for r in records)


def test_output_onto_a_fifo_or_a_link_keeps_it(tmp_path: Path) -> None:
    """-o /dev/stdout (a link) or a named pipe: written into, never replaced by a regular file
    (as root, the rename replaced /dev/stdout and /dev/full themselves)."""
    import threading

    from triage.atomic import write_atomic

    fifo = tmp_path / "metrics.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(10)
    assert got == ["through the pipe\n"] and fifo.is_fifo()

    real = tmp_path / "textfiles" / "warboy.prom"
    real.parent.mkdir()
    link = tmp_path / "warboy.prom"
    link.symlink_to(real)
    write_atomic(link, "via the link\n")
    assert link.is_symlink() and real.read_text() == "via the link\n"
    assert not list(tmp_path.glob(".*.tmp"))
