"""Redaction: every kind of secret goes, everything diagnosis needs stays, names are stable."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.redact import Redactor, find_values

KEEP = [
    "Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)",
    "- furiosa-runtime version: 0.8.2-release (rev: e97bb1ee)",
    "FuriosaRT (v0.10.2, rev: 1a2b3c4d5, built at: 2023-11-24T07:20:41Z) bootstrapping ...",
    "- [0] npu:0:0-1 (warboy-b0-2pe, 128dpes, firmware: 1.7.3, e1c4288)",
    "furiosa-sdk==0.10.2",
    "libfuriosa_hal version 1.2.3.4 loaded",
    "commit 0123456789abcdef0123456789abcdef01234567",
    "furiosa.runtime.errors.NoApiKeyException: no API keys. Please check your API keys. (native error code: 19)",
    "2023-02-11T06:22:18.931755Z ERROR nux::capi: internal error: incompatible configuration",
    "WARN furiosa_compiler::api: furiosa-compiler and the dependent IR may be not compatible",
    "Npu (npu0pe0-1) is being initialized; PCI 0000:01:00.0 irq 12:34:56",
    "Please check the compiler log at /root/.local/state/furiosa/logs/compile-20221110100220-uf3l8a.log.",
    "https://furiosa-ai.atlassian.net/servicedesk/customer/portals",
    "bind 0.0.0.0:8080 and 127.0.0.1, mac 00:00:00:00:00:00",
    "uNpuDrv (E) [alloc:59] Not enough memory",
    "furiosa-libnux 0.10.0.1 and firmware: 1.7.3.2",
    'File "/usr/lib/python3.8/site-packages/furiosa/runtime/session.py", line 142, in __init__',
]


def redact_all(*texts: str, **kw) -> tuple[list[str], Redactor]:
    r = Redactor(**kw)
    for t in texts:
        r.scan(t)
    return [r.apply(t) for t in texts], r


def test_what_diagnosis_needs_is_kept() -> None:
    text = "\n".join(KEEP)
    (out,), r = redact_all(text)
    assert out == text, r.table()


def test_each_kind_is_found() -> None:
    cases = {
        "ubuntu@gpu-box-7:~/models$ python run.py": {("user", "ubuntu"), ("host", "gpu-box-7")},
        "FURIOSA_API_KEY=fk_7Hq2LmX9pQ4": {("secret", "fk_7Hq2LmX9pQ4")},
        "Authorization: Bearer abcDEF123456ghiJKL": {("secret", "abcDEF123456ghiJKL")},
        "reach 10.1.2.3 and 2001:db8:85a3::8a2e:370:7334": {
            ("ip", "10.1.2.3"),
            ("ipv6", "2001:db8:85a3::8a2e:370:7334"),
        },
        "eth0 ether 3c:ec:ef:12:ab:cd": {("mac", "3c:ec:ef:12:ab:cd")},
        "mail kim@lab.example-ai.co.kr": {("email", "kim@lab.example-ai.co.kr")},
        "Serial Number: WB2201A00731": {("serial", "WB2201A00731")},
        "uuid=6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b": {("uuid", "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b")},
        "cd /home/jdoe/project": {("user", "jdoe")},
        "open file:///Users/mina/model.onnx": {("user", "mina")},
        "hostname: mlbox": {("host", "mlbox")},
        "pull from https://registry.corp-ai.net/v2": {("host", "registry.corp-ai.net")},
        "key 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c": {("secret", "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c")},
        "on ip-10-0-3-17.ec2.internal": {("host", "ip-10-0-3-17.ec2.internal")},
    }
    for line, want in cases.items():
        assert want <= set(find_values(line)), line


def test_same_value_same_name_across_files_and_found_in_one_is_replaced_in_all() -> None:
    a = "connected to gpu-node-3.corp.internal at 10.0.0.7"
    b = "hostname: trainer01\nretrying 10.0.0.7"
    c = "log copied from trainer01 and gpu-node-3.corp.internal"  # bare names: only pass 1 over a and b finds them
    (ra, rb, rc), r = redact_all(a, b, c)
    assert ra == "connected to <host-1> at <ip-1>"
    assert rb == "hostname: <host-2>\nretrying <ip-1>"
    assert rc == "log copied from <host-2> and <host-1>"


def test_user_names_are_replaced_only_where_they_are_user_names() -> None:
    text = (
        'Traceback: File "/home/furiosa/run.py", line 3\n'
        "furiosa.runtime.errors.InternalError: unknown (native error code: 15)\n"
        "furiosa@box-2:~$ ls"
    )
    (out,), r = redact_all(text)
    assert "/home/<user-1>/run.py" in out
    assert "furiosa.runtime.errors.InternalError" in out
    assert "<user-1>@<host-1>:~$" in out


def test_known_local_host_is_replaced_as_a_whole_word_only() -> None:
    (out,), _ = redact_all("node aurora7 started; aurora7x is another", known_hosts=("aurora7",))
    assert out == "node <host-1> started; aurora7x is another"


def test_preview_lists_each_replacement_with_its_line() -> None:
    r = Redactor()
    text = "ok line\nssh admin@10.9.8.7:/data"
    r.scan(text)
    rows = list(r.preview(text))
    assert len(rows) == 1
    no, old, new, done = rows[0]
    assert no == 2 and old == "ssh admin@10.9.8.7:/data" and "<ip-1>" in new
    assert [(d.kind, d.original, d.placeholder) for d in done] == [("ip", "10.9.8.7", "<ip-1>")]


@settings(max_examples=150, deadline=None)
@given(st.ip_addresses(v=4))
def test_any_routable_ipv4_in_a_log_line_is_removed(ip: ipaddress.IPv4Address) -> None:
    value = str(ip)
    if value.startswith(("127.", "0.", "255.")):
        return
    line = f"2023-02-11T06:22:18Z  INFO nux: connected to {value}:9000"
    (out,), _ = redact_all(line)
    assert value not in out


@settings(max_examples=150, deadline=None)
@given(st.tuples(st.integers(0, 30), st.integers(0, 99), st.integers(0, 99)))
def test_three_part_versions_are_never_touched(v: tuple[int, int, int]) -> None:
    line = f"- furiosa-compiler version: {v[0]}.{v[1]}.{v[2]} (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)"
    (out,), _ = redact_all(line)
    assert out == line
