"""doctor: probes against fake machines (fixtures/doctor/), this machine, timeouts, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from triage.cli import app
from triage.doctor import CheckResult, FakeEnv, SystemEnv, all_probes, run_doctor
from triage.doctor.probes import FunctionProbe
from triage.doctor.render import text

MACHINES = FIXTURES / "doctor"


def machine(name: str) -> FakeEnv:
    return FakeEnv.load(MACHINES / name)


@pytest.fixture(scope="module")
def skewed():
    return run_doctor(machine("warboy-skewed"))


def test_every_probe_has_a_unique_id_and_a_result_on_an_empty_machine() -> None:
    ids = [p.id for p in all_probes()]
    assert len(ids) == len(set(ids))
    report = run_doctor(FakeEnv(dists=None))
    assert [c.id for c in report.checks] == ids
    # nothing Furiosa, nothing readable: never a crash and never a failure
    assert report.counts()["fail"] == 0
    assert all(c.summary for c in report.checks)


def test_skewed_sdk_fails_the_version_check(skewed) -> None:
    check = skewed.get("sdk-versions")
    assert check.status == "fail"
    assert "0.9.x (furiosa-libnux (apt))" in check.summary and "0.10.x" in check.summary
    assert check.data["components"]["furiosa-libnux (apt)"] == "0.9.1"
    assert check.data["skew"] is True


def test_fake_npu_machine_is_read_correctly(skewed) -> None:
    assert skewed.get("python-packages").data["packages"] == {
        "furiosa-quantizer": "0.10.0",
        "furiosa-runtime": "0.10.2",
        "furiosa-sdk": "0.10.2",
    }
    apt = skewed.get("apt-packages")
    assert apt.data["packages"]["furiosa-libnux"] == "0.9.1-2"
    assert "furiosa-compiler" not in apt.data["packages"]  # known to dpkg, not installed
    assert skewed.get("pci").data["devices"] == [{"slot": "0000:01:00.0", "id": "1ed2:0000", "warboy": True}]
    assert skewed.get("libnux").data["libnux"] == ["/usr/lib/x86_64-linux-gnu/libnux.so"]
    assert skewed.get("driver-firmware").data["driver_packages"] == {"furiosa-driver-warboy": "1.9.2"}
    assert skewed.get("cpu-memory").data["memory_gib"] == 62.8
    assert skewed.get("glibc").data["version"] == "2.31"


def test_devname_pointing_at_a_missing_npu_and_deprecated_variable_warn(skewed) -> None:
    nodes = skewed.get("npu-devices")
    assert nodes.status == "warn" and "NPU_DEVNAME=npu1pe0" in " ".join(nodes.details)
    env = skewed.get("environment")
    assert env.status == "warn" and "deprecated in SDK 0.10" in env.summary


def test_secret_environment_values_are_never_printed(skewed) -> None:
    dumped = skewed.model_dump_json()
    assert "fk_canary" not in dumped
    assert skewed.get("environment").data["variables"]["FURIOSA_API_KEY"] == "<set, hidden>"


def test_furiosactl_output_is_kept_raw_and_a_hang_is_reported(skewed) -> None:
    check = skewed.get("furiosactl")
    raw = (MACHINES / "warboy-skewed" / "furiosactl-info.txt").read_text().rstrip()
    assert check.data["info"]["stdout"] == raw
    assert check.data["ps"]["error"].startswith("timed out")
    assert check.status == "unknown" and "ps: timed out" in check.summary


def test_log_dir_lists_newest_compile_logs_first(skewed) -> None:
    logs = skewed.get("log-dir")
    assert logs.data["compile_logs"] == 2
    assert [n["path"] for n in logs.data["newest"]] == [
        "/var/log/furiosa/compiler-20231124072041-ab12cd.log",
        "/var/log/furiosa/compile-20230211152218-zpq6hg.log",
    ]


def test_card_on_the_bus_without_device_nodes_fails() -> None:
    report = run_doctor(machine("card-without-driver"))
    assert report.get("npu-devices").status == "fail"
    assert "no /dev/npu*" in report.get("npu-devices").summary
    assert report.get("sdk-versions").status == "pass"
    assert report.get("log-dir").data["directory"] == "/root/.state/furiosa/logs"
    assert report.get("furiosactl").status == "unknown"
    # found through the dynamic linker's cache, outside the usual library directories
    assert report.get("libnux").data["libnux"] == ["/opt/furiosa/lib/libnux.so.0.10.2"]


def test_log_dir_defaults_to_home_state_dir() -> None:
    report = run_doctor(FakeEnv(environ={"HOME": "/home/a"}))
    logs = report.get("log-dir")
    assert logs.status == "warn" and logs.data["directory"] == "/home/a/.local/state/furiosa/logs"


def test_consistent_but_old_sdk_warns() -> None:
    env = FakeEnv(dists={"furiosa-sdk": "0.9.0", "furiosa-runtime": "0.9.1"})
    check = run_doctor(env, [p for p in all_probes() if p.id == "sdk-versions"]).checks[0]
    assert check.status == "warn" and "older than" in check.summary


def test_a_hung_probe_costs_only_its_own_check() -> None:
    def hang(env) -> CheckResult:
        time.sleep(5)
        return CheckResult(status="pass", summary="too late")

    def boom(env) -> CheckResult:
        raise RuntimeError("probe bug")

    start = time.monotonic()
    report = run_doctor(
        FakeEnv(), [FunctionProbe("hang", "Hangs", hang, timeout=0.3), FunctionProbe("boom", "Raises", boom)]
    )
    assert time.monotonic() - start < 3
    assert report.checks[0].status == "unknown" and "did not finish" in report.checks[0].summary
    assert report.checks[1].status == "unknown" and "probe bug" in report.checks[1].summary


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell script")
def test_real_env_kills_a_hung_command(tmp_path: Path) -> None:
    script = tmp_path / "furiosactl"
    script.write_text(f"#!/bin/sh\n{shutil.which('sleep')} 30 &\n{shutil.which('sleep')} 30\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = SystemEnv(environ={"PATH": str(tmp_path)})
    start = time.monotonic()
    res = env.run_command(["furiosactl", "ps"], timeout=0.5)
    assert time.monotonic() - start < 5
    assert res.timed_out and not res.ok
    assert env.run_command(["no-such-tool-here"]).error == "not found"


def test_this_machine_runs_without_failing() -> None:
    # the test machine has no NPU: every check must still answer, and nothing may crash
    report = run_doctor(SystemEnv())
    assert len(report.checks) == len(all_probes())
    assert report.get("python").status == "pass"
    if not any(Path("/dev").glob("npu*")):
        assert report.get("npu-devices").status in ("warn", "fail")
    assert "doctor" in text(report)


def test_cli_list_checks_json_and_unknown_check() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["doctor", "--list-checks"])
    assert listed.exit_code == 0 and "sdk-versions" in listed.output
    res = runner.invoke(app, ["doctor", "--json", "-c", "os", "-c", "python"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["schema_version"] == 1 and [c["id"] for c in data["checks"]] == ["python", "os"]
    bad = runner.invoke(app, ["doctor", "-c", "nope"])
    assert bad.exit_code == 2


def test_cli_python_flag_rejects_a_missing_interpreter() -> None:
    res = CliRunner().invoke(app, ["doctor", "--python", os.devnull + "/nope"])
    assert res.exit_code == 2
