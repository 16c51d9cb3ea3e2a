"""ticket: markdown body, bundle contents, canaries, same diagnosis after redaction, compile-log rule."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from triage.cli import app
from triage.pipeline import analyze
from triage.redact import Redactor
from triage.ticket.bundle import build, gather, write_zip

SEED = FIXTURES / "seed-incompatible-config.log"

# One of every kind the issue names; none may survive into any file of the bundle.
CANARIES = {
    "host": "canary-host-77.corp.internal",
    "prompt_host": "canarybox9",
    "ipv4": "10.77.66.55",
    "ipv6": "2001:db8:77::66:55",
    "mac": "3c:ec:ef:77:66:55",
    "email": "canary.user@example-corp.co.kr",
    "user": "canaryuser",
    "api_key": "fk_live_CANARY7a8b9c0d1e2f",
    "bearer": "eyCanaryBearerToken123456",
    "hex": "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee77",
    "base64": "Q2FuYXJ5U2VjcmV0QmFzZTY0VmFsdWUhIQ9Zx7Kq",
    "serial": "WBCANARY0077",
    "uuid": "7e57ca4a-0077-4c0d-8e11-0077c0ffee11",
}
CANARY_LINES = [
    f"{CANARIES['user']}@{CANARIES['prompt_host']}:~/work$ FURIOSA_API_KEY={CANARIES['api_key']} python run.py",
    f"2023-02-11T06:22:18.700000Z  INFO nux::npu: telemetry to {CANARIES['ipv4']} and {CANARIES['ipv6']}",
    f"host={CANARIES['host']} mac={CANARIES['mac']} owner={CANARIES['email']}",
    f"curl -H 'Authorization: Bearer {CANARIES['bearer']}' https://{CANARIES['host']}/upload",
    f"session secret {CANARIES['hex']} blob {CANARIES['base64']}",
    f"device serial: {CANARIES['serial']} uuid: {CANARIES['uuid']}",
    f"loading /home/{CANARIES['user']}/models/resnet50.enf",
]


def canary_log(tmp_path: Path) -> Path:
    log = tmp_path / f"run-{CANARIES['prompt_host']}.log"
    log.write_text("\n".join(CANARY_LINES) + "\n" + SEED.read_text())
    return log


def zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def test_uuid_canary_is_a_uuid() -> None:
    import uuid

    uuid.UUID(CANARIES["uuid"])


def test_no_canary_survives_in_any_file_of_the_bundle(tmp_path: Path) -> None:
    log = canary_log(tmp_path)
    out = tmp_path / "t.zip"
    res = CliRunner().invoke(app, ["ticket", str(log), "--bundle", str(out)])
    assert res.exit_code == 0, res.output
    files = zip_texts(out)
    assert {"report.json", "doctor.json", "ticket.md", "manifest.json"} <= set(files)
    for name, text in files.items():
        for kind, value in CANARIES.items():
            assert value not in text, f"{kind} canary survived in {name}"
            assert value not in name
    # what diagnosis needs is still there
    log_text = next(t for n, t in files.items() if n.startswith("logs/"))
    for kept in (
        "0.8.0",
        "0.8.2",
        "rev: d9f0d7728",
        "native error code: 15",
        "2023-02-11T06:22:18.931755Z",
        "compile-20230211152218-zpq6hg.log",
        "ENF configuration is not compatible with NPU",
    ):
        assert kept in log_text
    json.loads(files["report.json"]), json.loads(files["doctor.json"])  # still valid JSON
    manifest = json.loads(files["manifest.json"])
    assert manifest["redacted"] is True and manifest["redactions"]["secret"] >= 4
    assert "mapping" not in " ".join(files)  # the mapping file is never packed


@pytest.mark.parametrize(
    "log", sorted(p for p in FIXTURES.glob("*.log*") if not p.name.endswith(".json")), ids=lambda p: p.name
)
def test_redacted_log_gives_the_same_diagnosis(log: Path, tmp_path: Path, kb) -> None:
    inputs, skipped = gather([str(log)], None, lambda _: False)
    ticket = build(inputs, skipped, kb, None, Redactor())
    out = tmp_path / "b.zip"
    write_zip(ticket, out)
    redacted = tmp_path / "redacted.log"
    redacted.write_text(next(t for n, t in zip_texts(out).items() if n.startswith("logs/")))

    def shape(report):
        return [(f.id, f.rank, f.severity, sorted({e.line for e in f.evidence})) for f in report.findings]

    original = analyze([str(log)], kb)
    assert shape(analyze([str(redacted)], kb)) == shape(original)
    assert {k: v.version for k, v in analyze([str(redacted)], kb).versions.items()} == {
        k: v.version for k, v in original.versions.items()
    }


def test_canary_log_diagnosis_survives_redaction(tmp_path: Path, kb) -> None:
    log = canary_log(tmp_path)
    inputs, skipped = gather([str(log)], None, lambda _: False)
    ticket = build(inputs, skipped, kb, None, Redactor())
    redacted = tmp_path / "r.log"
    redacted.write_text(ticket.redacted(Path(inputs[0].path).read_text()))
    ids = [f.id for f in analyze([str(log)], kb).findings]
    assert ids and [f.id for f in analyze([str(redacted)], kb).findings] == ids


def test_markdown_has_findings_checklist_versions_and_fill_ins() -> None:
    res = CliRunner().invoke(app, ["ticket", str(SEED), "--no-doctor"])
    assert res.exit_code == 0
    md = res.stdout
    assert md.startswith("<!--") and "\n# SDK version mismatch" in md
    for heading in (
        "## Summary",
        "## Model",
        "## Steps to reproduce",
        "## Findings",
        "## What was already tried",
        "## Versions",
        "## Environment",
        "## Attachments",
    ):
        assert heading in md
    assert "- [ ] Delete the old compiled binary (.enf)" in md
    assert "- [ ] The Information Dump block printed with the error" in md
    assert md.count("<fill in>") >= 3
    assert "| furiosa-runtime | 0.8.2 | log line 1 |" in md
    assert "/home/<user-1>/" in md and "/home/ubuntu" not in md


def test_ticket_with_doctor_shows_environment_table_and_no_redact_keeps_values(tmp_path: Path) -> None:
    out = tmp_path / "ticket.md"
    res = CliRunner().invoke(app, ["ticket", str(SEED), "--no-redact", "-o", str(out)])
    assert res.exit_code == 0
    md = out.read_text()
    assert "| check | status | result |" in md and "| NPU device nodes |" in md
    assert "compile-20230211152218-zpq6hg.log" in md and "/home/ubuntu/" in md


def test_compile_log_is_included_only_when_followed(tmp_path: Path, monkeypatch) -> None:
    logs = tmp_path / "state"
    logs.mkdir()
    monkeypatch.setenv("FURIOSA_LOG_DIR", str(logs))
    compile_log = logs / "compile-20230211152218-zpq6hg.log"
    compile_log.write_text("2023-02-11T06:22:18.000000Z  INFO furiosa_compiler::api: on host build-7.corp.internal\n")
    unrelated = logs / "compile-20230101000000-aaaaaa.log"
    unrelated.write_text("never named\n")
    log = tmp_path / "run.log"
    log.write_text(SEED.read_text().replace("/home/ubuntu/.local/state/furiosa/logs", str(logs)))
    runner = CliRunner()

    without = tmp_path / "a.zip"
    assert runner.invoke(app, ["ticket", str(log), "--no-doctor", "--bundle", str(without)]).exit_code == 0
    names = set(zip_texts(without))
    assert not any("compile/" in n for n in names)
    assert json.loads(zip_texts(without)["manifest.json"])["not_included"]

    with_log = tmp_path / "b.zip"
    res = runner.invoke(app, ["ticket", str(log), "--no-doctor", "--follow-compile-log", "--bundle", str(with_log)])
    assert res.exit_code == 0
    files = zip_texts(with_log)
    assert "logs/compile/compile-20230211152218-zpq6hg.log" in files
    assert "build-7.corp.internal" not in files["logs/compile/compile-20230211152218-zpq6hg.log"]
    assert not any("aaaaaa" in n for n in files)  # a file nobody named never goes in
    assert len([n for n in files if n.startswith("logs/")]) == 2


def test_preview_writes_nothing_and_shows_replacements(tmp_path: Path) -> None:
    log = canary_log(tmp_path)
    out = tmp_path / "t.zip"
    res = CliRunner().invoke(app, ["ticket", str(log), "--no-doctor", "--bundle", str(out), "--preview"])
    assert res.exit_code == 0
    assert not out.exists()
    assert f"[ip] {CANARIES['ipv4']} -> <ip-1>" in res.stdout
    assert "nothing was written" in res.stderr


def test_save_mapping_writes_it_outside_the_bundle(tmp_path: Path) -> None:
    log = canary_log(tmp_path)
    mapping = tmp_path / "mapping.json"
    res = CliRunner().invoke(
        app, ["ticket", str(log), "--no-doctor", "--bundle", str(tmp_path / "t.zip"), "--save-mapping", str(mapping)]
    )
    assert res.exit_code == 0
    table = json.loads(mapping.read_text())
    assert table["ip"][CANARIES["ipv4"]] == "<ip-1>"


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["ticket", str(tmp_path / "nope.log"), "--no-doctor"])
    assert missing.exit_code == 2 and "no such file" in missing.stderr and "Traceback" not in missing.output
    bad_dir = runner.invoke(app, ["ticket", str(SEED), "--no-doctor", "--bundle", str(tmp_path / "x" / "t.zip")])
    assert bad_dir.exit_code == 2 and "directory does not exist" in bad_dir.stderr


def test_piped_log_becomes_stdin_log(tmp_path: Path) -> None:
    out = tmp_path / "t.zip"
    res = CliRunner().invoke(app, ["ticket", "--no-doctor", "--bundle", str(out)], input=SEED.read_text())
    assert res.exit_code == 0
    assert "logs/stdin.log" in zip_texts(out)


def test_values_inside_multi_line_json_strings_are_redacted(tmp_path: Path, kb) -> None:
    from triage.doctor.model import CheckRecord, DoctorReport

    doctor = DoctorReport(
        checks=[
            CheckRecord(
                id="furiosactl",
                title="furiosactl",
                status="pass",
                summary="ok",
                details=["$ furiosactl info\nnode-canary-3.corp.internal 10.44.0.9"],
            )
        ]
    )
    inputs, skipped = gather([str(SEED)], None, lambda _: False)
    ticket = build(inputs, skipped, kb, doctor, Redactor())
    out = tmp_path / "t.zip"
    write_zip(ticket, out)
    text = zip_texts(out)["doctor.json"]
    assert "node-canary-3" not in text and "10.44.0.9" not in text
    assert json.loads(text)["checks"][0]["details"][0] == "$ furiosactl info\n<host-1> <ip-1>"


def test_interactive_run_asks_before_adding_the_compile_log(tmp_path: Path, monkeypatch) -> None:
    import triage.commands.ticket_flow as flow

    compile_log = tmp_path / "compile-20230211152218-zpq6hg.log"
    compile_log.write_text("[1/6] Compiling from onnx to dfg\n")
    log = tmp_path / "run.log"
    log.write_text(SEED.read_text().replace("/home/ubuntu/.local/state/furiosa/logs", str(tmp_path)))
    monkeypatch.setattr(flow, "_interactive", lambda: True)
    monkeypatch.setenv("FURIOSA_LOG_DIR", str(tmp_path))
    runner = CliRunner()
    yes, no = tmp_path / "yes.zip", tmp_path / "no.zip"
    res = runner.invoke(app, ["ticket", str(log), "--no-doctor", "--bundle", str(yes)], input="y\n")
    assert res.exit_code == 0 and "Add it to the ticket?" in res.stderr
    assert any(n.startswith("logs/compile/") for n in zip_texts(yes))
    res = runner.invoke(app, ["ticket", str(log), "--no-doctor", "--bundle", str(no)], input="n\n")
    assert res.exit_code == 0 and not any(n.startswith("logs/compile/") for n in zip_texts(no))


def test_no_log_at_a_terminal_writes_an_environment_only_ticket(monkeypatch) -> None:
    import triage.commands.ticket_flow as flow

    monkeypatch.setattr(flow, "_interactive", lambda: True)
    res = CliRunner().invoke(app, ["ticket"])
    assert res.exit_code == 0
    assert "## Environment" in res.stdout and "| NPU device nodes |" in res.stdout
    assert "## What was already tried" in res.stdout


def test_ticket_mentions_the_newest_compile_log_without_attaching_it(kb) -> None:
    from triage.doctor import FakeEnv, run_doctor

    doctor = run_doctor(FakeEnv.load(FIXTURES / "doctor" / "warboy-skewed"))
    inputs, skipped = gather([str(SEED)], None, lambda _: False)
    ticket = build(inputs, skipped, kb, doctor, Redactor())
    md = ticket.redacted(ticket.markdown)
    assert (
        "newest compile log on this machine, not attached: `/var/log/furiosa/compiler-20231124072041-ab12cd.log`" in md
    )
    assert "**Version skew**: on this machine: SDK components from different releases" in md
    assert "| furiosa-libnux | 0.9.1-2 | this machine (apt) |" in md
    assert not any(m.arcname.endswith("ab12cd.log") for m in ticket.members)


def test_gzip_log_is_stored_as_text_and_binary_is_refused(tmp_path: Path) -> None:
    import gzip

    gz = tmp_path / "run.log.gz"
    gz.write_bytes(gzip.compress(SEED.read_bytes()))
    out = tmp_path / "t.zip"
    runner = CliRunner()
    assert runner.invoke(app, ["ticket", str(gz), "--no-doctor", "--bundle", str(out)]).exit_code == 0
    files = zip_texts(out)
    assert "ENF configuration is not compatible" in files["logs/run.log"]
    binary = tmp_path / "model.enf"
    binary.write_bytes(b"\x00\x01\x02" * 5000)
    res = runner.invoke(app, ["ticket", str(binary), "--no-doctor"])
    assert res.exit_code == 2 and "binary" in res.stderr


# -- issue 15 (files) and issue 16 (bundle type) ---------------------------------------------------


def _pointing_log(tmp_path: Path, *targets: str) -> Path:
    log = tmp_path / "run.log"
    lines = [f"Please check the compiler log at {t}." for t in targets]
    log.write_text(SEED.read_text() + "\n".join(lines) + "\n")
    return log


def test_follow_compile_log_stays_under_the_furiosa_log_directory(tmp_path: Path, monkeypatch) -> None:
    logs = tmp_path / "furiosa-logs"
    logs.mkdir()
    monkeypatch.setenv("FURIOSA_LOG_DIR", str(logs))
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "shadow-hash.log").write_text("root:$6$CanaryHashValue:19000:0:99999:7:::\n")
    (logs / "compile-20230211152218-link01.log").symlink_to(outside / "shadow-hash.log")
    good = logs / "compile-20230211152218-good01.log"
    good.write_text("[1/6] Compiling from onnx to dfg\n")
    log = _pointing_log(
        tmp_path,
        f"{logs}/../private/shadow-hash.log",  # `..` out of the directory
        f"{logs}/compile-20230211152218-link01.log",  # a symlink out of it
        str(good),
        f"{logs}/./compile-20230211152218-good01.log",  # the same file twice
    )
    out = tmp_path / "t.zip"
    res = CliRunner().invoke(app, ["ticket", str(log), "--no-doctor", "--follow-compile-log", "--bundle", str(out)])
    assert res.exit_code == 0, res.output
    files = zip_texts(out)
    assert not any("CanaryHashValue" in t for t in files.values())
    assert [n for n in files if n.startswith("logs/compile/")] == ["logs/compile/compile-20230211152218-good01.log"]
    assert "private/shadow-hash.log: outside the Furiosa log directory" in res.stderr
    assert "link01.log: outside the Furiosa log directory" in res.stderr


def test_a_named_log_that_links_to_a_system_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "npu.log"
    link.symlink_to("/etc/passwd")
    res = CliRunner().invoke(app, ["ticket", str(link), "--no-doctor", "--bundle", str(tmp_path / "t.zip")])
    assert res.exit_code == 2 and "is a symlink to /etc/passwd" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "t.zip").exists()
    local = tmp_path / "latest.log"  # a link to a log beside it is fine
    local.symlink_to(SEED.name if (tmp_path / SEED.name).exists() else SEED)
    (tmp_path / "beside.log").write_text(SEED.read_text())
    beside = tmp_path / "beside-link.log"
    beside.symlink_to(tmp_path / "beside.log")
    ok = CliRunner().invoke(app, ["ticket", str(beside), "--no-doctor", "--bundle", str(tmp_path / "u.zip")])
    assert ok.exit_code == 0, ok.output


def test_each_file_goes_in_once(tmp_path: Path) -> None:
    out = tmp_path / "t.zip"
    res = CliRunner().invoke(app, ["ticket", str(SEED), str(SEED), "--no-doctor", "--bundle", str(out)])
    assert res.exit_code == 0
    assert [n for n in zip_texts(out) if n.startswith("logs/")] == [f"logs/{SEED.name}"]


def test_outputs_never_overwrite_an_input(tmp_path: Path) -> None:
    log = tmp_path / "run.zip"  # a log with a bundle's name
    log.write_text(SEED.read_text())
    for option in ("--bundle", "-o", "--save-mapping"):
        res = CliRunner().invoke(app, ["ticket", str(log), "--no-doctor", option, str(tmp_path / "." / "run.zip")])
        assert res.exit_code == 2 and "refusing to overwrite" in res.stderr, (option, res.output)
    assert log.read_text() == SEED.read_text()


def test_the_mapping_file_is_private(tmp_path: Path) -> None:
    import stat

    mapping = tmp_path / "map.json"
    mapping.write_text("{}")
    mapping.chmod(0o644)
    res = CliRunner().invoke(
        app, ["ticket", str(SEED), "--no-doctor", "--bundle", str(tmp_path / "t.zip"), "--save-mapping", str(mapping)]
    )
    assert res.exit_code == 0
    assert stat.S_IMODE(mapping.stat().st_mode) == 0o600 and "ubuntu" in mapping.read_text()


@pytest.mark.parametrize("name", ["t.tar.gz", "t.tgz"])
def test_tar_gz_bundle_is_a_real_tar_gz_without_local_owner(tmp_path: Path, name: str) -> None:
    import tarfile

    out = tmp_path / name
    res = CliRunner().invoke(app, ["ticket", str(SEED), "--no-doctor", "--bundle", str(out)])
    assert res.exit_code == 0, res.output
    with tarfile.open(out, "r:gz") as tf:
        members = tf.getmembers()
        names = [m.name for m in members]
        assert {"report.json", "ticket.md", "manifest.json", f"logs/{SEED.name}"} <= set(names)
        assert all(m.uname == "" and m.gname == "" and m.uid == 0 for m in members)
        manifest = json.loads(tf.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json"}


def test_an_unknown_bundle_type_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["ticket", str(SEED), "--no-doctor", "--bundle", str(tmp_path / "t.rar")])
    assert res.exit_code == 2 and "unknown bundle type" in res.stderr and ".tar.gz" in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "log",
    sorted(p for p in [*FIXTURES.glob("*.log*"), *FIXTURES.glob("real/*.log")] if not p.name.endswith(".json")),
    ids=lambda p: p.name,
)
def test_a_large_copy_is_analysed_by_the_fast_scan_with_the_same_report(log: Path, kb, monkeypatch) -> None:
    from triage.ticket import bundle

    monkeypatch.setattr(bundle, "FAST_FROM", 0)  # every copy takes the fast scan, as a 1 MB+ log does
    inputs, skipped = gather([str(log)], None, lambda _: False)
    fast = build(inputs, skipped, kb, None, None).report.model_dump()
    line = analyze([str(log)], kb).model_dump()
    assert fast == line
