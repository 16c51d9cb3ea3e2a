"""Canary test: plant personal and secret values of many kinds in logs, file names and the environment,
write a ticket and a bundle (zip and tar.gz), and grep every file for every value (case-insensitive).

All values and lines below are synthetic (made up for this test); the Furiosa lines around them come
from fixtures/seed-incompatible-config.log so that the diagnosis can be checked to survive.
"""

from __future__ import annotations

import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from triage.cli import app

SEED = FIXTURES / "seed-incompatible-config.log"

KEY_BODY = [
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACDCanaryKeyLineTwoQmFzZTY0U3R1ZmZHZXJlMTIzNDU2Nzg5MEFCQ0RF",
    "AAAECanaryKeyLineThreeAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "bG93LWVudHJvcHktbGluZQ==",
]
PEM_BODY = ["MIIEowIBAAKCAQEAcanaryPEMbodyLINEoneXYZ0123456789abcdefghijklmnopqrs", "zzzzzzzzzzzzzzzzzzzz"]

# kind -> values that must not appear anywhere in what leaves the machine
CANARIES: dict[str, list[str]] = {
    "ipv4 after 'ver'/'driver'": ["10.20.30.40", "192.168.77.5", "172.20.3.4"],
    "ipv4 plain and in a file name": ["10.9.8.7", "100.64.12.34", "3.35.12.4"],
    "ipv6 short, zone, mapped, full": ["fe80::1c2a", "fd00:ab::7", "10.11.12.13", "2001:db8:77::66:55", "fe80::1"],
    "mac colon/dash/cisco/bare/eui64": [
        "3c:ec:ef:77:66:55",
        "3C-EC-EF-12-34-56",
        "0011.2233.4455",
        "001a2b3c4d5e",
        "00:11:22:ff:fe:33:44:56",
    ],
    "user outside /home": ["jdoe", "mkim", "parkjs", "leesh", "chaeh", "haneul", "sohee", "yoonbin"],
    "user in /home and in a file name": ["canaryuser"],
    "openssh key block": KEY_BODY,
    "pem key block": PEM_BODY,
    "serial other spellings": ["WB2301X00417", "NPU8812QZ", "FW23A0099", "WBK0771203", "WBK0771299"],
    "kubernetes pod/namespace/node": [
        "resnet-serving-7d9f8b6c5d-x2k4p",
        "team-vision-prod",
        "gke-warboy-pool-1-a8f3",
        "yolo-batch-4wz7q",
    ],
    "bare host names": ["warboy-srv03", "gpu-node-17", "build-7.mycorp.co.kr"],
    "webhook secret in a url path": ["Xk7pQ2mN9vL4wR8s", "T0CANARY1", "AbCdEf9876543210ghIJ"],
    "secret in an escaped url": ["zQ8cV2nB6xM4"],
    "url credentials": ["S3cretPass99"],
    "env values (licence, auth, endpoint)": ["WBLIC-7781-QZXP-0042", "canaryauth8e7d6c", "npu-gw.acme-ai.net"],
    "env assignments in a log": ["canaryteam-wandb", "glpat-CanaryGitlab77"],
    "email": ["canary.user@example-corp.co.kr"],
    "api key / bearer": ["fk_live_CANARY7a8b9c0d1e2f", "eyCanaryBearerToken123456"],
    "uuid": ["7e57ca4a-0077-4c0d-8e11-0077c0ffee11"],
    "hex and base64 secrets": ["c0ffee00c0ffee00c0ffee00c0ffee00c0ffee77", "Q2FuYXJ5U2VjcmV0QmFzZTY0VmFsdWUhIQ9Zx7Kq"],
    "aws host and private fqdn": ["ip-10-0-3-17", "canary-host-77.corp.internal"],
    "after a log level, a --flag, in quotes, a cookie": [
        "lvluser77",
        "Lvl0Secret9x",
        "FlagPw0rd77",
        "quoted pass 5521",
        "c00kieVal7781",
    ],
}

LOG_A = [
    "Synthetic canary lines (test_redact_canary.py), then the seed log.",
    "nux ver 10.20.30.40 reachable; driver 192.168.77.5 answered; version 172.20.3.4",
    "peer 10.9.8.7:9000 gateway 100.64.12.34 public 3.35.12.4",
    "link fe80::1c2a%eth0 and [fd00:ab::7]:8080, mapped ::ffff:10.11.12.13, full 2001:db8:77::66:55, gw fe80::1",
    "ether 3c:ec:ef:77:66:55 win 3C-EC-EF-12-34-56 cisco 0011.2233.4455 hwaddr 001a2b3c4d5e eui 00:11:22:ff:fe:33:44:56",
    "Invalid user jdoe from 10.9.8.7 port 22",
    "cd ~mkim/models",
    '{"user": "parkjs", "job": 7}',
    "sudo: TTY=pts/0 ; USER=leesh ; COMMAND=/usr/bin/furiosactl",
    "ssh chaeh@gpu-node-17 'furiosactl info'",
    r"open C:\Users\haneul\model.onnx failed",
    "id: uid=1001(sohee) gid=1001(sohee)",
    "loading /home/canaryuser/models/resnet50.enf",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    *KEY_BODY,
    "-----END OPENSSH PRIVATE KEY-----",
    '"key": "-----BEGIN RSA PRIVATE KEY-----\\n' + "\\n".join(PEM_BODY) + '\\n-----END RSA PRIVATE KEY-----\\n"',
    "card S/N: WB2301X00417 sn=NPU8812QZ device_serial=FW23A0099",
    "| npu  | Serial     | firmware |",
    "| npu0 | WBK0771203 | 1.7.3    |",
    "NPU   SERIAL       FIRMWARE",
    "npu1  WBK0771299   1.7.3",
    "",
    "Successfully assigned team-vision-prod/resnet-serving-7d9f8b6c5d-x2k4p to gke-warboy-pool-1-a8f3",
    "kubectl logs -n team-vision-prod pod/yolo-batch-4wz7q",
    "Dec  2 10:00:01 warboy-srv03 kernel: [   12.345] npu0: firmware loaded",
    "uploaded from build-7.mycorp.co.kr",
    "notify https://hooks.slack.com/services/T0CANARY1/B0CANARY2/Xk7pQ2mN9vL4wR8s",
    "hook https://discord.com/api/webhooks/112233445566/AbCdEf9876543210ghIJ",
    "redirect https://login.corp-ai.net/cb?next=https%3A%2F%2Fapp%2F%3Ftoken%3DzQ8cV2nB6xM4%26x%3D1",
    "git clone https://deploy:S3cretPass99@git.corp-ai.net/vision.git",
    "export FURIOSA_LICENSE=WBLIC-7781-QZXP-0042 WANDB_ENTITY=canaryteam-wandb CI_JOB_TOKEN=glpat-CanaryGitlab77",
    "owner canary.user@example-corp.co.kr key FURIOSA_API_KEY=fk_live_CANARY7a8b9c0d1e2f",
    "Authorization: Bearer eyCanaryBearerToken123456",
    "device uuid 7e57ca4a-0077-4c0d-8e11-0077c0ffee11",
    "session c0ffee00c0ffee00c0ffee00c0ffee00c0ffee77 blob Q2FuYXJ5U2VjcmV0QmFzZTY0VmFsdWUhIQ9Zx7Kq",
    "on ip-10-0-3-17.ec2.internal with canary-host-77.corp.internal",
    "2023-02-11T06:22:18.700000Z ERROR user: lvluser77",
    "2023-02-11T06:22:18.700000Z DEBUG password: Lvl0Secret9x",
    'docker login --password FlagPw0rd77 --secret "quoted pass 5521"',
    "cookie: c00kieVal7781",
]
# found in one place above, bare here: replaced everywhere
LOG_B = [
    "Synthetic canary lines (test_redact_canary.py): names found in the other log, here bare.",
    "gpu-node-17 rebooted; jdoe restarted the job as JDOE; mkim and parkjs watched",
    "model_sohee_v2.onnx copied by leesh to warboy-srv03",
]
ENVIRONMENT = {
    "FURIOSA_LICENSE": "WBLIC-7781-QZXP-0042",
    "FURIOSA_AUTH": "canaryauth8e7d6c",
    "NPU_CLOUD_ENDPOINT": "https://npu-gw.acme-ai.net:8443",
    "FURIOSA_LOG_LEVEL": "INFO",
}
KEPT = [
    "0.8.0",
    "0.8.2",
    "rev: d9f0d7728",
    "native error code: 15",
    "2023-02-11T06:22:18.931755Z",
    "compile-20230211152218-zpq6hg.log",
    "ENF configuration is not compatible with NPU",
    "1.7.3",
]


def planted() -> list[tuple[str, str]]:
    return [(kind, v) for kind, values in CANARIES.items() for v in values]


def write_logs(tmp_path: Path) -> list[Path]:
    a = tmp_path / "run-10.9.8.7-canaryuser.log"
    a.write_text("\n".join(LOG_A) + "\n" + SEED.read_text())
    b = tmp_path / "notes-gpu-node-17.log"
    b.write_text("\n".join(LOG_B) + "\n")
    return [a, b]


def archive_texts(path: Path) -> dict[str, str]:
    if path.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path, "r:gz") as tf:
            return {
                m.name: tf.extractfile(m).read().decode("utf-8")  # type: ignore[union-attr]
                for m in tf.getmembers()
                if m.isfile()
            }
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def leaks(texts: dict[str, str]) -> list[str]:
    found = []
    for name, text in texts.items():
        low_text, low_name = text.lower(), name.lower()
        for kind, value in planted():
            if value.lower() in low_text or value.lower() in low_name:
                found.append(f"{kind}: {value!r} in {name}")
    return found


def test_the_canary_set_is_large_and_varied() -> None:
    assert len(CANARIES) >= 20 and len(planted()) >= 60


@pytest.mark.parametrize("archive", ["t.zip", "t.tar.gz"])
def test_no_canary_survives_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archive: str) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    logs = write_logs(tmp_path)
    out, md = tmp_path / archive, tmp_path / "ticket.md"
    res = CliRunner().invoke(app, ["ticket", *map(str, logs), "--bundle", str(out), "-o", str(md)])
    assert res.exit_code == 0, res.output
    files = archive_texts(out)
    assert {"report.json", "doctor.json", "ticket.md", "manifest.json"} <= set(files)
    texts = {**files, "ticket.md (-o)": md.read_text()}
    found = leaks(texts)
    assert not found, f"{len(found)} leak(s) of {len(planted())} planted values:\n" + "\n".join(found)
    log_text = next(t for n, t in files.items() if n.startswith("logs/") and "ENF configuration" in t)
    for kept in KEPT:
        assert kept in log_text
    assert "FURIOSA_LOG_LEVEL=INFO" in files["doctor.json"]  # an allow-listed variable keeps its value
    json.loads(files["report.json"]), json.loads(files["doctor.json"])
