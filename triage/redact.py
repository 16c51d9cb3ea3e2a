"""Redaction for tickets and bundles: personal and secret values -> stable pseudonyms.

Two passes, as peers learned the hard way (sos clean): `scan` every text that will be sent
first, so that a host found in one file is also replaced where it appears bare in another,
and so that names do not depend on file order; then `apply`. The same value always gets the
same name (`<host-1>`) across the whole bundle. The mapping stays in memory (or in a file the
user asks for) and never goes into the bundle.

Kept on purpose, because diagnosis needs them: versions (0.10.2, 1.7.3, even four-part ones
after 'version'/'v'), short git revisions (rev: d9f0d7728), long hashes after rev/commit/md5,
error codes, timestamps, file names, and public vendor URLs.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"<(?:host|ip|ipv6|mac|email|user|secret|uuid|serial)-\d+>")
SCAN_CHUNK = 16 * 1024  # characters; small enough that most chunks skip the rules they cannot match
KINDS = ("email", "secret", "uuid", "serial", "mac", "ip", "ipv6", "host", "user")

# Hosts that are public and help the reader (support portal, package indexes, docs).
PUBLIC_DOMAINS = (
    "furiosa.ai",
    "furiosa-ai.atlassian.net",
    "atlassian.net",
    "github.com",
    "githubusercontent.com",
    "pypi.org",
    "pythonhosted.org",
    "python.org",
    "onnx.ai",
    "pytorch.org",
    "tensorflow.org",
    "huggingface.co",
    "ubuntu.com",
    "debian.org",
    "docker.io",
    "docker.com",
    "readthedocs.io",
    "example.com",
    "example.org",
)
NOT_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost"}

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# the scheme starts where a run of scheme characters starts: tried once per run, not from every
# letter of it (which is quadratic on a crafted "a-a-a-...://" line)
_URL_CRED = re.compile(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://([^\s:/@<>]+:[^\s/@<>]+)@", re.IGNORECASE)
_URL_HOST = re.compile(r"\b(?:https?|ftp|sftp|ssh|git|wss?|grpcs?)://(?:[^\s/@<>]*@)?([A-Za-z0-9.-]+)", re.IGNORECASE)
# The name may have any prefix (FURIOSA_API_KEY, HF_TOKEN) but must end in the keyword
# (NoApiKeyException does not); matching from the keyword keeps this fast.
_KEY_VALUE = re.compile(
    r"(?i)(?:api[_-]?keys?|access[_-]?keys?|secret[_-]?keys?|private[_-]?keys?|tokens?|secrets?"
    r"|passwords?|passwd|credentials?)\b[\"']?[ \t]*[:=][ \t]*[\"']?([^\s\"',;<>]+)"
)
_AUTH = re.compile(r"(?i)\b(?:bearer|basic|token)[ \t]+([A-Za-z0-9._~+/=-]{8,})")
_KNOWN_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|sk-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{20,}"
    r"|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,})"
)
_UUID = re.compile(r"(?<![\w-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])")
_SERIAL = re.compile(
    r"(?i:\b(?:serial(?:[ _-]?(?:number|no\.?))?|device[ _-]?sn))\b[\"']?[ \t]*[:=#][ \t]*[\"']?"
    r"([A-Za-z0-9][A-Za-z0-9._-]{3,})|\bSN[ \t]*[:=#][ \t]*([A-Za-z0-9][A-Za-z0-9._-]{3,})"
)
_MAC = re.compile(r"(?<![\w:-])(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w-]|\.\d)")
_VERSION_BEFORE = re.compile(
    r"(?i)(?:version|ver\.?|rev(?:ision)?|release|==|~=|>=|<=|\bv"
    r"|\b(?:furiosa[\w-]*|libnux|nux|libhal|hal|firmware|driver|toolkit)[\s:=(]*)[\s:=(]*$"
)
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_HOST_KEY = re.compile(
    r"(?i)\b(hostname|host[ _-]?name|nodename|node[ _-]?name|host|server|node)\b"
    r"[\"']?[ \t]*[:=][ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])"
)
_PROMPT = re.compile(
    r"(?<![\w.-])([a-z_][a-z0-9_.-]{0,31})@([A-Za-z0-9][A-Za-z0-9-]{0,62})"
    r"(?=:[~/]|[ \t][^\]\s]*\][$#])"
)
_PRIVATE_FQDN = re.compile(
    r"(?<![\w.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\."
    r"(?:local|lan|internal|intranet|corp|home|localdomain|priv)(?![\w-])"
)
_AWS_HOST = re.compile(r"(?<![\w-])ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[A-Za-z0-9-]+)*(?![\w-])")
_HOME = re.compile(r"(?<![\w.~-])(/home|/Users|/var/home|/export/home)/([^/\s:'\"<>]+)")
_USER_VAR = re.compile(r"\b(?:USER|LOGNAME|USERNAME|SUDO_USER)=([\w.-]+)")
_LONG_HEX = re.compile(r"(?<![\w])[0-9a-fA-F]{32,}(?![\w])")
_HASH_BEFORE = re.compile(
    r"(?i)(?:rev|revision|commit|sha(?:1|256|512)?|md5|hash|digest|checksum|built\s*@|@)"
    r"[\s:=(]*$"
)
_BASE64ISH = re.compile(r"(?<![\w+/=.-])[A-Za-z0-9+_-][A-Za-z0-9+/_-]{31,}={0,2}(?![\w+/=-])")


def _entropy(s: str) -> float:
    counts = Counter(s)
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


def _looks_secret(token: str) -> bool:
    """A long token with upper, lower and digits and near-random letters (paths and words are not)."""
    return (
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
        and _entropy(token) >= 4.2
    )


def _public(host: str) -> bool:
    h = host.lower().rstrip(".")
    return any(h == d or h.endswith("." + d) for d in PUBLIC_DOMAINS)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _keep_ipv4(value: str) -> bool:
    return value.startswith(("127.", "0.", "255.")) or value == "0.0.0.0"


def _valid_ipv6(candidate: str) -> bool:
    if candidate in ("::", "::1") or sum(1 for g in candidate.split(":") if g) < 3:
        return False
    if not any(ch.isdigit() for ch in candidate):
        return False
    try:
        ipaddress.IPv6Address(candidate)
        return True
    except ValueError:
        return False


# A rule only runs on a piece of text that contains one of its words (checked on the lowercased
# text when the flag is True): most log chunks have no '@', '://' or 'token', and every skipped
# regex pass is a few percent of the scan time.
_GATES: dict[re.Pattern[str], tuple[bool, tuple[str, ...]]] = {
    _EMAIL: (False, ("@",)),
    _PROMPT: (False, ("@",)),
    _URL_CRED: (False, ("://",)),
    _URL_HOST: (False, ("://",)),
    _KEY_VALUE: (True, ("key", "token", "secret", "passw", "credential")),
    _AUTH: (True, ("bearer", "basic", "token")),
    _KNOWN_TOKENS: (False, ("gh", "github_pat_", "sk-", "hf_", "AKIA", "xox", "eyJ")),
    _SERIAL: (True, ("serial", "sn")),
    _HOST_KEY: (True, ("host", "node", "server")),
    _PRIVATE_FQDN: (True, (".local", ".lan", ".internal", ".intranet", ".corp", ".home", ".priv")),
    _AWS_HOST: (False, ("ip-",)),
    _HOME: (False, ("/home/", "/Users/", "/var/home/", "/export/home/")),
    _USER_VAR: (False, ("USER=", "LOGNAME=", "USERNAME=")),
}


def _find(rx: re.Pattern[str], text: str, low: str) -> Iterator[re.Match[str]]:
    gate = _GATES.get(rx)
    if gate is not None and not any(word in (low if gate[0] else text) for word in gate[1]):
        return iter(())
    return rx.finditer(text)


def find_values(line: str, known_hosts: Iterable[str] = (), known_users: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(kind, value) for every personal or secret value in a text, in order of appearance."""
    found: list[tuple[int, str, str]] = []
    low = line.lower()
    m: re.Match[str] | None = None

    def add(kind: str, value: str | None) -> None:
        if value and not PLACEHOLDER.fullmatch(value) and not value.startswith("<"):
            found.append((m.start() if m is not None else 0, kind, value))

    for m in _find(_EMAIL, line, low):
        add("email", m.group(0))
    for m in _find(_URL_CRED, line, low):
        add("secret", m.group(1))
    for m in _find(_KEY_VALUE, line, low):
        value = m.group(1)
        if value.lower() not in ("none", "null", "true", "false", "***", "<hidden>") and not PLACEHOLDER.match(value):
            add("secret", value)
    for rx in (_AUTH, _KNOWN_TOKENS):
        for m in _find(rx, line, low):
            add("secret", m.group(m.lastindex or 0))
    for m in _find(_LONG_HEX, line, low):
        if not _HASH_BEFORE.search(line[max(0, m.start() - 24) : m.start()]):
            add("secret", m.group(0))
    for m in _find(_BASE64ISH, line, low):
        if _looks_secret(m.group(0)) and not _HASH_BEFORE.search(line[max(0, m.start() - 24) : m.start()]):
            add("secret", m.group(0))
    for m in _find(_UUID, line, low):
        add("uuid", m.group(0))
    for m in _find(_SERIAL, line, low):
        add("serial", m.group(1) or m.group(2))
    for m in _find(_MAC, line, low):
        if m.group(0).replace(m.group(1), "").strip("0"):
            add("mac", m.group(0))
    for m in _find(_IPV4, line, low):
        if not _keep_ipv4(m.group(0)) and not _VERSION_BEFORE.search(line[max(0, m.start() - 16) : m.start()]):
            add("ip", m.group(0))
    for m in _find(_IPV6, line, low):
        if _valid_ipv6(m.group(0)):
            add("ipv6", m.group(0))
    for m in _find(_URL_HOST, line, low):
        host = m.group(1).rstrip(".")
        if host and not _public(host) and not _is_ip(host) and host.lower() not in NOT_HOSTS and "." in host:
            add("host", host)
    for m in _find(_HOST_KEY, line, low):
        value, explicit = m.group(2), "name" in m.group(1).lower()
        if (
            value.lower() not in NOT_HOSTS
            and not _is_ip(value)
            and not value.isdigit()
            and not _public(value)
            and (explicit or any(c in value for c in "-.0123456789"))
            and not re.fullmatch(r"[\d.]+", value)
        ):
            add("host", value)
    for m in _find(_PROMPT, line, low):
        add("user", m.group(1))
        if m.group(2).lower() not in NOT_HOSTS:
            add("host", m.group(2))
    for rx in (_PRIVATE_FQDN, _AWS_HOST):
        for m in _find(rx, line, low):
            if m.group(0).lower() not in NOT_HOSTS:
                add("host", m.group(0))
    for m in _find(_HOME, line, low):
        add("user", m.group(2))
    for m in _find(_USER_VAR, line, low):
        if m.group(1) != "root":
            add("user", m.group(1))
    for host in known_hosts:
        if host and host.lower() not in NOT_HOSTS and len(host) >= 2:
            m = re.search(rf"(?<![\w.-]){re.escape(host)}(?![\w-])", line)
            if m:
                add("host", host)
    for user in known_users:
        if user and user != "root":
            m = re.search(rf"(?<![\w.-]){re.escape(user)}@", line)
            if m:
                add("user", user)
    found.sort(key=lambda f: f[0])  # stable: at one position, the order of the rules above
    return [(kind, value) for _, kind, value in found]


def _trie(words: Iterable[str]) -> str:
    """One regex for many literal values, as a character trie: at each position only the
    branches that start with that character are tried (a flat alternation of thousands of
    values tries them all). Greedy optional tails prefer the longest value."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(root)


@dataclass
class Replacement:
    kind: str
    original: str
    placeholder: str


@dataclass
class Redactor:
    """Collect with scan(), then apply(); the mapping grows only during scan()."""

    known_hosts: tuple[str, ...] = ()
    known_users: tuple[str, ...] = ()
    mapping: dict[tuple[str, str], str] = field(default_factory=dict)
    _counters: Counter = field(default_factory=Counter)
    _global: re.Pattern[str] | None = None
    _users: re.Pattern[str] | None = None
    _by_value: dict[str, tuple[str, str]] = field(default_factory=dict)

    # -- pass 1 ------------------------------------------------------------------------------
    def scan(self, text: str) -> None:
        """Find values in a text, chunk by chunk (no pattern crosses a line end, so chunks end at one)."""
        start = 0
        while start < len(text):
            end = text.find("\n", start + SCAN_CHUNK)
            end = len(text) if end < 0 else end + 1
            self._scan_piece(text[start:end])
            start = end

    def _scan_piece(self, text: str) -> None:
        for kind, value in find_values(text, self.known_hosts, self.known_users):
            if kind == "user" and value == "root":
                continue
            key = (kind, value)
            if key not in self.mapping and not any((k, value) in self.mapping for k in KINDS if k != "user"):
                self._counters[kind] += 1
                self.mapping[key] = f"<{kind}-{self._counters[kind]}>"
                self._global = None

    # -- pass 2 ------------------------------------------------------------------------------
    def _compile(self) -> None:
        self._by_value = {v: (k, p) for (k, v), p in self.mapping.items() if k != "user"}
        self._global = (
            re.compile(f"(?<![\\w])(?:{_trie(self._by_value)})(?![\\w])") if self._by_value else re.compile("(?!x)x")
        )
        users = sorted((v for (k, v) in self.mapping if k == "user"), key=len, reverse=True)
        alt = "|".join(map(re.escape, users))
        # user names only where they are user names: home paths, `user@`, USER=
        self._users = (
            re.compile(
                rf"(?P<pre>(?:/home|/Users|/var/home|/export/home)/|\b(?:USER|LOGNAME|USERNAME|SUDO_USER)=|(?<![\w.-]))"
                rf"(?P<name>{alt})(?P<post>(?=[/\s:'\"<>,)\]]|$)|@)"
            )
            if users
            else None
        )

    def apply_line(self, line: str) -> tuple[str, list[Replacement]]:
        if self._global is None:
            self._compile()
        assert self._global is not None
        done: list[Replacement] = []

        def glob_sub(m: re.Match[str]) -> str:
            kind, placeholder = self._by_value[m.group(0)]
            done.append(Replacement(kind, m.group(0), placeholder))
            return placeholder

        out = self._global.sub(glob_sub, line)
        if self._users is not None:

            def user_sub(m: re.Match[str]) -> str:
                # a bare name only counts when it is followed by '@' (prompts, e-mails)
                if not m.group("pre") and m.group("post") != "@":
                    return m.group(0)
                placeholder = self.mapping[("user", m.group("name"))]
                done.append(Replacement("user", m.group("name"), placeholder))
                return f"{m.group('pre')}{placeholder}{m.group('post')}"

            out = self._users.sub(user_sub, out)
        return out, done

    def apply(self, text: str) -> str:
        return "".join(self.apply_line(line)[0] for line in text.splitlines(keepends=True))

    def preview(self, text: str) -> Iterator[tuple[int, str, str, list[Replacement]]]:
        """(line number, original, redacted, replacements) for each line that changes."""
        for no, line in enumerate(text.splitlines(), 1):
            new, done = self.apply_line(line)
            if done:
                yield no, line, new, done

    def table(self) -> dict[str, dict[str, str]]:
        """kind -> {original: pseudonym}: for the user's own records, never for the bundle."""
        out: dict[str, dict[str, str]] = {}
        for (kind, value), name in self.mapping.items():
            out.setdefault(kind, {})[value] = name
        return out

    def counts(self) -> dict[str, int]:
        return dict(Counter(kind for kind, _ in self.mapping))
