"""The command line as users run it: formats, exit codes, stdin, bad input (no tracebacks)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "seed-incompatible-config.log"
MULTI = FIXTURES / "seed-incompatible-config-multiline.log"


def run(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def assert_clean_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert fragment in err


def test_seed_text_report() -> None:
    proc = run(str(SEED))
    out = proc.stdout.decode()
    assert proc.returncode == 1
    first_finding = out.split("\n\n")[1]
    assert first_finding.startswith("1. [ERROR] SDK version mismatch")
    assert "id: sdk-version-mismatch" in first_finding
    assert "furiosa.runtime.errors.InternalError: unknown (native error code: 15)" in out
    assert "15 INTERNAL_ERROR [runtime] at line 1" in out
    for name, version in [
        ("furiosa-compiler", "0.8.0"),
        ("furiosa-libnux", "0.8.0"),
        ("furiosa-runtime", "0.8.2"),
        ("libfuriosa_hal", "2.0"),
        ("python", "3.8.10"),
    ]:
        assert any(line.split()[:2] == [name, version] for line in out.splitlines()), name
    assert "     1. Compare the component versions" in out
    assert "\x1b" not in out  # not a terminal: no colour


def seed_json(data: bytes) -> dict:
    proc = run("-f", "json", stdin=data)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def summary(report: dict) -> tuple:
    return (
        [(f["id"], f["rank"]) for f in report["findings"]],
        {k: v["version"] for k, v in report["versions"].items()},
        [(c["code"], c["name"], c["table"]) for c in report["error_codes"]],
    )


EXPECTED = (
    [("sdk-version-mismatch", 1)],
    {
        "libfuriosa_hal": "2.0",
        "furiosa-compiler": "0.8.0",
        "python": "3.8.10",
        "furiosa-libnux": "0.8.0",
        "furiosa-runtime": "0.8.2",
    },
    [(15, "INTERNAL_ERROR", "runtime")],
)


@pytest.mark.parametrize("variant", ["flat", "multiline", "ansi", "crlf", "ansi-crlf-multiline"])
def test_seed_variants_give_the_same_diagnosis(variant: str) -> None:
    flat, multi = SEED.read_bytes(), MULTI.read_bytes()
    ansi = multi.replace(b" INFO ", b" \x1b[32mINFO\x1b[0m ").replace(b" ERROR ", b" \x1b[1;31mERROR\x1b[0m ")
    data = {
        "flat": flat,
        "multiline": multi,
        "ansi": ansi,
        "crlf": flat.replace(b"\n", b"\r\n"),
        "ansi-crlf-multiline": ansi.replace(b"\n", b"\r\n"),
    }[variant]
    report = seed_json(data)
    assert summary(report) == EXPECTED
    assert report["findings"][0]["evidence"][0]["text"] == (
        "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU."
    )
    code_line = 1 if variant in ("flat", "crlf") else 32
    assert report["error_codes"][0]["line"] == code_line


def test_json_contract_keys() -> None:
    report = seed_json(SEED.read_bytes())
    assert report["schema_version"] == 1
    assert set(report) >= {
        "schema_version",
        "sources",
        "versions",
        "error_codes",
        "exceptions",
        "findings",
        "unclassified",
    }
    f = report["findings"][0]
    assert set(f) >= {"id", "title", "severity", "rank", "evidence", "remediation", "references"}
    assert set(f["evidence"][0]) >= {"line", "text"}
    assert set(report["error_codes"][0]) >= {"code", "name", "table", "line", "text"}
    assert set(report["exceptions"][0]) >= {"type", "message", "line"}
    assert set(report["versions"]["python"]) >= {"version", "line"}


def test_markdown_is_ticket_ready() -> None:
    proc = run(str(SEED), "--format", "markdown")
    out = proc.stdout.decode()
    assert out.startswith("# warboy-triage report\n")
    assert "## 1. SDK version mismatch" in out
    assert "```text\nL1: 2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration" in out
    assert "| furiosa-runtime | 0.8.2 | 1 |" in out
    assert "- [ ] The Information Dump block printed with the error" in out


def test_korean_remediation() -> None:
    out = run(str(SEED), "--lang", "ko").stdout.decode()
    assert "SDK 버전 불일치" in out and "바이너리(.enf)를 다시 생성해서 실행한다" in out


def test_gzip_and_several_files(tmp_path) -> None:
    gz = tmp_path / "run.log.gz"
    gz.write_bytes(gzip.compress(MULTI.read_bytes()))
    healthy = tmp_path / "ok.log"
    healthy.write_text("2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized\n")
    proc = run(str(healthy), str(gz), "-f", "json")
    report = json.loads(proc.stdout)
    assert [s["name"] for s in report["sources"]] == [str(healthy), str(gz)]
    assert report["findings"][0]["evidence"][0]["source"] == str(gz)
    text = run(str(healthy), str(gz)).stdout.decode()
    assert f"{gz}:9: 2023-02-11T06:22:18.931755Z ERROR nux: ENF" in text


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_with_an_error(fail_on: str, code: int) -> None:
    assert run(str(SEED), "--fail-on", fail_on).returncode == code


def test_fail_on_with_only_a_warning(tmp_path) -> None:
    log = tmp_path / "skew.log"
    log.write_text("- furiosa-libnux version: 0.9.0 (rev: 1)\n- furiosa-runtime version: 0.10.1 (rev: 2)\n")
    assert run(str(log)).returncode == 0
    assert run(str(log), "--fail-on", "warning").returncode == 1
    report = json.loads(run(str(log), "-f", "json").stdout)
    assert [(f["id"], f["severity"]) for f in report["findings"]] == [("sdk-version-mismatch", "warning")]


def test_healthy_log_exits_zero() -> None:
    proc = run(stdin=b"2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized\n")
    assert proc.returncode == 0
    assert "no known Warboy problem found" in proc.stdout.decode()


def test_bad_inputs_are_clean_errors(tmp_path) -> None:
    assert_clean_error(run(str(tmp_path / "missing.log")), "missing.log: no such file")
    assert_clean_error(run(str(tmp_path)), "is a directory")
    binary = tmp_path / "model.enf"
    binary.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 4000)
    assert_clean_error(run(str(binary)), "looks like binary data")
    assert_clean_error(run(str(SEED), "--format", "yaml"), "yaml")


def test_empty_input_is_a_clean_empty_report(tmp_path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    proc = run(str(empty), "-f", "json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert report["findings"] == [] and report["sources"][0]["lines"] == 0
    assert any("is empty" in n and "2>&1" in n for n in report["notes"])


def test_empty_stdin_says_so_on_stderr() -> None:
    """An empty pipe (the tool wrote to stderr, `2>&1` forgotten) is not reported as a healthy run."""
    proc = run(stdin=b"")
    assert proc.returncode == 0
    err = proc.stderr.decode().splitlines()
    assert err == [
        "warboy-triage: note: <stdin> is empty: nothing to analyse (if the command prints its messages"
        " on stderr, pipe them with `2>&1 |`)"
    ]
    assert "no known Warboy problem" not in proc.stdout.decode() and "empty input" in proc.stdout.decode()
    proc = run("-f", "jsonl", stdin=b"")
    assert proc.returncode == 0 and proc.stderr.decode().splitlines() == err
    assert '"record":"note"' in proc.stdout.decode() and "2>&1" in proc.stdout.decode()
    proc = run(str(SEED), stdin=b"")  # a non-empty input says nothing of the kind
    assert "empty" not in proc.stderr.decode()


def test_bad_patterns_dir_is_a_clean_error(tmp_path) -> None:
    (tmp_path / "x.toml").write_text('id = "x"\n')
    assert_clean_error(run(str(SEED), "--patterns", str(tmp_path)), "x.toml: field 'title'")


def test_help_teaches() -> None:
    out = run("--help").stdout.decode()
    assert "warboy-triage run.log --format markdown" in out and "Exit codes" in out
    out = run("analyze", "--help").stdout.decode()
    assert "--fail-on" in out and "--format" in out


def test_version() -> None:
    assert run("--version").stdout.decode().startswith("warboy-triage ")


def test_schema_command_matches_checked_in_schema() -> None:
    proc = run("schema")
    assert json.loads(proc.stdout) == json.loads((ROOT / "schema" / "report.schema.json").read_text())
    lint = json.loads(run("schema", "--lint").stdout)
    assert lint == json.loads((ROOT / "schema" / "lint-report.schema.json").read_text())
    # lint's report shares Finding and Evidence; the log report carries nothing lint-only
    assert "Finding" in lint["$defs"] and "Evidence" in lint["$defs"] and "model" in lint["required"]
    assert "model" not in json.loads(proc.stdout)["properties"]


def _console_script() -> str | None:
    """The script pip installed beside this Python (a venv's bin/, on PATH or not), else one on PATH."""
    beside = Path(sys.executable).parent / "warboy-triage"
    return str(beside) if beside.is_file() else shutil.which("warboy-triage")


@pytest.mark.skipif(
    _console_script() is None,
    reason="no warboy-triage script beside this Python or on PATH: install the package (pip install .) to run it",
)
def test_installed_console_script() -> None:
    script = _console_script()
    assert script is not None
    proc = subprocess.run([script, str(SEED), "-f", "json"], capture_output=True, timeout=60)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["findings"][0]["id"] == "sdk-version-mismatch"


# -- the first hour (issue 16) ------------------------------------------------------------------------------------


def test_missing_file_among_others_still_reports_the_readable_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "missing.log"
    proc = run(str(SEED), str(missing))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 2  # an input could not be read (like grep), whatever the findings
    assert "sdk-version-mismatch" in out and str(SEED) in out
    assert f"{missing}: no such file" in err and "Traceback" not in err
    only_missing = run(str(missing))
    assert_clean_error(only_missing, "no such file")
    assert only_missing.stdout == b""


def test_several_files_name_the_file_in_versions_and_codes() -> None:
    busy = FIXTURES / "device-busy.log"
    out = run(str(busy), str(SEED), "--color", "--no-color").stdout.decode()
    versions = out[out.index("Versions:") :]
    assert "line " not in versions.split("Native error codes:")[0]
    assert f"{busy}:" in versions and f"{SEED}:" in out[out.index("Native error codes:") :]
    md = run(str(busy), str(SEED), "-f", "markdown").stdout.decode()
    assert f"| {SEED}:" in md[md.index("## Native error codes") :]


def test_max_evidence_zero_means_none() -> None:
    proc = run(str(SEED), "--max-evidence", "0", "-f", "json")
    assert proc.returncode == 1, proc.stderr.decode()
    findings = json.loads(proc.stdout)["findings"]
    assert findings and all(f["evidence"] == [] and f["evidence_count"] > 0 for f in findings)


@pytest.mark.parametrize(
    "command", ["analyze", "lint", "explain", "search", "ticket", "tui", "doctor", "patterns test"]
)
def test_help_has_no_python_type_labels(command: str) -> None:
    out = run(*command.split(), "--help", env={"COLUMNS": "120"}).stdout.decode()
    assert "Usage:" in out
    for label in ("<bool>", "<str>", "<list[str]>", "<path>", "<int", "{model}", "{query}", "{words}", "{MODEL}"):
        assert label not in out, (command, label)


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "COMPREPLY"), ("zsh", "compdef"), ("fish", "complete --command")]
)
def test_shell_completion_scripts(shell: str, marker: str) -> None:
    proc = run("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert proc.returncode == 0 and marker in proc.stdout.decode() and "warboy-triage" in proc.stdout.decode()


def test_completion_after_explain_offers_cause_ids_and_code_names() -> None:
    def complete(line: str) -> str:
        env = {"_WARBOY_TRIAGE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}
        return subprocess.run(
            [sys.executable, "-c", "from triage.cli import main; main()"],
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, **env},
            timeout=60,
        ).stdout.decode()

    out = complete("warboy-triage explain OUT_OF")
    assert "OUT_OF_SRAM" in out and "OUT_OF_INSTRUCTION_MEMORY" in out
    assert "sram-overflow" in complete("warboy-triage explain sram")


def test_a_run_builds_only_its_command_with_the_same_help_and_errors() -> None:
    """main() gives typer an app holding only the command being run (building every command's
    parameters costs start-up); its help and usage errors are those of the whole app."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from triage import cli

    runner = CliRunner()
    names = sorted(cli._command_names())
    assert "analyze" in names and "patterns" in names
    for name in names:
        one = cli._app_for(name)
        assert one is not cli.app
        assert list(get_command(one).commands) == [name]  # type: ignore[attr-defined]
        for args in ([name, "--help"], [name, "--no-such-option"]):
            want = runner.invoke(cli.app, args, prog_name="warboy-triage")
            got = runner.invoke(one, args, prog_name="warboy-triage")
            assert "Usage: warboy-triage " + name in want.output
            assert (got.exit_code, got.output) == (want.exit_code, want.output), args
    assert cli._app_for("--help") is cli.app and cli._app_for("no-such-command") is cli.app
