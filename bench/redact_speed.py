"""Redaction throughput and memory: pass 1 (scan) and pass 2 (apply), streamed file to file.

    /work/venv/bin/python bench/redact_speed.py [MEGABYTES] [--clean] [--only NAME]
    /work/venv/bin/python bench/redact_speed.py --ticket [MEGABYTES]   # the whole ticket command

Inputs (each MEGABYTES, written to a temporary file first):
  realistic    the fixture logs, one line in 50 carrying a prompt, an API key, an IP and a host
               (--clean: the fixture lines only, like most real logs)
  traffic      bench/logs.py's runtime traffic log (latencies, task submissions, DEBUG lines)
  dense        every line holds two to five values: IPs, user@host prompts, /home paths, API keys,
               JWTs, UUIDs, MACs, serials, e-mails, pods, URL tokens, IPv6, syslog hosts, uid=(name);
               users and hosts from a pool of 2,000 each, keys and tokens new on every line
  near-miss    every line is full of what the rules look for but redacts nothing: versions, times,
               hashes after commit/md5, public URLs, "a@b", "x://y", keywords without values, paths
  pct-urls     256 KB lines of %-escaped URLs with a token inside (once quadratic: 41 s per line)
  long-lines   flattened pastes: the realistic text joined into 1 MB lines
  many-users   every line names another user (/home/u123, user u123, u123@host): a big global list
  at-runs      "a@b@c@..." and "x://x://..." runs: a match every few bytes
Prints MB/s for each pass (wall clock, and per CPU second in brackets), the values found, and the
peak RSS of this process (ru_maxrss; it includes building the inputs in memory). The passes run as
the ticket runs them: pass 2 reads back the spans pass 1 kept for the file (`key=`).
All inputs are SYNTHETIC (built here); the values in them are made up.
--ticket: writes a realistic log of MEGABYTES (default 100) and runs `warboy-triage ticket LOG
--no-doctor --bundle t.zip` in a child process; prints its wall and CPU time and its peak RSS.
No thresholds: figures only. Engine: RE2 when google-re2 is installed, else Python's re.
"""

from __future__ import annotations

import random
import resource
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from triage.redact import Redactor, engine  # noqa: E402

SECRETS = [
    "ubuntu@gpu-box-{i}:~/work$ FURIOSA_API_KEY=fk_live_{i:08d}abcdef python run.py",
    "2023-02-11T06:22:18.700000Z  INFO nux::npu: telemetry to 10.0.{a}.{b} host=node-{i}.corp.internal",
]


def synthetic_lines(megabytes: float, clean: bool = False) -> Iterator[str]:
    base = "".join(p.read_text() for p in sorted((ROOT / "fixtures").glob("*.log")))
    lines = base.splitlines()
    size, i = 0, 0
    while size < megabytes * 1e6:
        line = lines[i % len(lines)]
        if i % 50 == 0 and not clean:
            line = SECRETS[(i // 50) % 2].format(i=i % 997, a=i % 250, b=(i // 250) % 250)
        yield line
        size += len(line) + 1
        i += 1


def synthetic(megabytes: float, clean: bool = False) -> str:
    return "\n".join(synthetic_lines(megabytes, clean)) + "\n"


def traffic(megabytes: float) -> str:
    from logs import generate

    with tempfile.NamedTemporaryFile("r", suffix=".log", encoding="utf-8") as tmp:
        generate("traffic", Path(tmp.name), int(megabytes * 1e6))
        return Path(tmp.name).read_text(encoding="utf-8")


def dense(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    users = [
        f"{a}{b}"
        for a in ("jdoe", "mkim", "parkjs", "leesh", "sohee", "haneul", "yoonbin", "chaeh")
        for b in range(250)
    ]
    hosts = [f"{p}-{n}" for p in ("gpu-node", "warboy-srv", "infer-box", "edge-npu") for n in range(500)]

    def hx(n: int) -> str:
        return "".join(rng.choice("0123456789abcdef") for _ in range(n))

    def b62(n: int) -> str:
        return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))

    out, size, i = [], 0, 0
    while size < megabytes * 1e6:
        i += 1
        u, h, k = rng.choice(users), rng.choice(hosts), i % 10
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        ts = f"2024-05-14T06:{i // 60 % 60:02d}:{i % 60:02d}.{i % 1000000:06d}Z"
        if k == 0:
            line = f"{ts}  INFO nux::telemetry: exporting to {ip}:4317 host={h}.corp.internal user {u}"
        elif k == 1:
            line = f"{u}@{h}:~/work$ scp /home/{u}/models/resnet50_i8.enf {u}@{ip}:/data/{u}/"
        elif k == 2:
            line = f"export FURIOSA_API_KEY=fk_live_{b62(24)} WANDB_API_KEY={hx(40)} NPU_DEVNAME=npu0pe0-1"
        elif k == 3:
            line = f"{ts} DEBUG app::http: Authorization: Bearer eyJ{b62(20)}.{b62(40)}.{b62(30)} from {ip}"
        elif k == 4:
            mac = ":".join(f"{rng.randrange(256):02x}" for _ in range(6))
            uuid = f"{hx(8)}-{hx(4)}-4{hx(3)}-8{hx(3)}-{hx(12)}"
            line = f"{ts}  INFO nux::npu: device {uuid} mac {mac} serial: WB{rng.randrange(10**6):06d}Q sn={b62(10)}"
        elif k == 5:
            pod = f"resnet-serving-7d9f8b6c5d-{rng.choice('bcdfg')}{rng.choice('hjk')}2{rng.choice('lmn')}4"
            line = f"mail {u}@example-corp.co.kr about pod/{pod} in namespace: team-{u}"
        elif k == 6:
            line = (
                f"{ts}  INFO app: GET https://api.corp-ai.net/v1/jobs/{b62(16)}?token={b62(24)}&user={u} 200 from {ip}"
            )
        elif k == 7:
            peer = f"2001:db8::{hx(4)}:{rng.randrange(99)}"
            line = f"{ts}  WARN nux::net: link fe80::{hx(4)}:{hx(4)}%eth0 peer {peer} on {h}"
        elif k == 8:
            line = f"Dec  2 10:00:{i % 60:02d} {h} sshd[{rng.randrange(99999)}]: Accepted publickey for {u} from {ip}"
        else:
            line = f"{ts}  INFO nux::session: token={b62(32)} ghp_{b62(36)} AKIA{b62(16).upper()} for uid=1000({u})"
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) + "\n"


NEAR_MISSES = (
    "{ts} DEBUG nux::npu: firmware: 1.7.3.2 libnux v0.10.2 furiosa-sdk==0.10.1 at 12:59:47 on npu0pe0-1",
    "{ts} DEBUG furiosa_compiler::lower: lowering /usr/lib/python3.10/site-packages/furiosa/runtime/session_impl.py",
    "{ts}  INFO app: commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 md5 d41d8cd98f00b204e9800998ecf8427e done",
    "{ts}  INFO app: user time 0.25 s, user code ok, owner is the session, host is ready, token count 512",
    "{ts}  INFO app: see https://github.com/furiosa-ai/furiosa-sdk/issues/{n} and https://furiosa-ai.github.io/docs/",
    "{ts}  INFO app: a@b c@d e@f 1@2 x://y z://w mac: none serial: n/a host: localhost node: 0 pod: 1",
    "{ts}  INFO app: input_{n} shape 1x3x640x640 abcdefghijklmnopqrstuvwxyzabcdefgh_ABCDEFGHIJKLMNOPQRSTUV",
    "{ts}  INFO nux::capi: ENF configuration is not compatible with NPU; ver 0.5.0.0 Password: none key: null",
    "{ts} TRACE nux::dma: 0x7f3a2b1c0000..0x7f3a2b1d0000 12:34:56:78 aa:bb 1.2.3 v1.2.3.4 rev 1.2.3.4",
)


def near_miss(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    out, size, n = [], 0, 0
    while size < megabytes * 1e6:
        n += 1
        ts = f"2024-05-14T06:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000000:06d}Z"
        line = rng.choice(NEAR_MISSES).format(ts=ts, n=n)
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) + "\n"


def pct_urls(megabytes: float) -> str:
    line = "GET https://login.corp-ai.net/cb?next=" + "%2F%3F%26x%3D1" * 18000 + "%3Ftoken%3DzQ8cV2nB6xM4 200\n"
    return line * max(1, int(megabytes * 1e6 // len(line)))


def long_lines(megabytes: float) -> str:
    text = synthetic(megabytes)
    return "\n".join(text[i : i + 1_000_000].replace("\n", " ") for i in range(0, len(text), 1_000_000)) + "\n"


def many_users(megabytes: float) -> str:
    out, size, i = [], 0, 0
    while size < megabytes * 1e6:
        line = (
            f"2023-02-11T06:22:18.700000Z  INFO nux: cd /home/u{i:06d}/models; user u{i + 1:06d} "
            f"logged in; u{i + 2:06d}@gpu-{i % 999} ran resnet50.enf"
        )
        out.append(line)
        size += len(line) + 1
        i += 3
    return "\n".join(out) + "\n"


def at_runs(megabytes: float) -> str:
    line = "a@b" * 40000 + " " + "x://" * 30000 + "\n"
    return line * max(1, int(megabytes * 1e6 // len(line)))


INPUTS: dict[str, Callable[[float], str]] = {
    "realistic": synthetic,
    "traffic": traffic,
    "dense": dense,
    "near-miss": near_miss,
    "pct-urls": pct_urls,
    "long-lines": long_lines,
    "many-users": many_users,
    "at-runs": at_runs,
}


def run(name: str, text: str, tmp: Path) -> None:
    src = tmp / f"{name}.log"
    src.write_text(text)
    del text
    size = src.stat().st_size / 1e6
    r = Redactor()
    t0, c0 = time.perf_counter(), time.process_time()
    with src.open("rb") as fh:
        r.scan_stream(fh, key=str(src))
    t1, c1 = time.perf_counter(), time.process_time()
    with src.open("rb") as fh, (tmp / f"{name}.out").open("wb") as out:
        r.apply_stream(fh, out, key=str(src))
    t2, c2 = time.perf_counter(), time.process_time()
    found = sum(r.counts().values())
    # wall-clock MB/s, and in brackets MB/s per CPU second (what a busy shared machine does not change)
    print(
        f"{name:10} {size:6.1f} MB  scan {size / (t1 - t0):6.1f} ({size / (c1 - c0):5.1f}) MB/s"
        f"  apply {size / (t2 - t1):6.1f} ({size / (c2 - c1):5.1f}) MB/s"
        f"  both {size / (t2 - t0):6.1f} ({size / (c2 - c0):5.1f}) MB/s  values {found}"
    )


def ticket(mb: float) -> None:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "big.log"
        with log.open("w") as out:  # line by line: a child forked from a big parent counts its pages in ru_maxrss
            out.writelines(line + "\n" for line in synthetic_lines(mb))
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "triage", "ticket", str(log), "--no-doctor", "--bundle", str(Path(tmp) / "t.zip")],
            check=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - t0
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        size = log.stat().st_size / 1e6
        print(
            f"ticket on {size:.0f} MB: {wall:.1f} s wall, {child.ru_utime + child.ru_stime:.1f} s CPU,"
            f" peak RSS {child.ru_maxrss / 1024:.0f} MB"
        )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--ticket" in sys.argv:
        ticket(float(args[0]) if args else 100.0)
        return
    mb = float(args[0]) if args else 20.0
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only:
        args = [a for a in args if a != only]
    print(f"engine: {engine()}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in INPUTS.items():
            if only and name != only:
                continue
            text = synthetic(mb, clean=True) if name == "realistic" and "--clean" in sys.argv else make(mb)
            run(name, text, Path(tmp))
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
