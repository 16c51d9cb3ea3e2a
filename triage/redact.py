"""Redaction for tickets and bundles: personal and secret values -> stable pseudonyms.

Two passes (peers learned it the hard way, sos clean): `scan` everything that will be sent first,
so that a name found in one file is also replaced where it appears bare in another and names do
not depend on file order; then `apply`. The same value always gets the same name (`<host-1>`).
The mapping stays in memory (or in a 0600 file the user asks for), never in the bundle.

It fails closed: a private key block goes whole; a user, host, Kubernetes or secret value found
anywhere is replaced everywhere (case-insensitive, as a whole word); every environment value is
hidden unless its name is on triage/data/harmless_env.toml; an IPv4 address is only kept as a
version when a version word precedes it AND it has a version's shape (a one-digit major).

Kept on purpose, because diagnosis needs them: versions (0.10.2, firmware: 1.7.3.2), short git
revisions, hashes after rev/commit/md5, error codes, timestamps, file names, public vendor URLs.

Speed and memory: the text is processed as line-aligned byte chunks. Every rule is one alternative
of a single regex without look-around or back-references, so it runs in linear time on RE2 (the
`fast` extra) and in bounded-work time on Python's `re` (the same pattern, the same matches);
values are then read with bounded steps, each byte at most once. Streams are redacted chunk by
chunk, file to file (bench/redact_speed.py prints MB/s on realistic and crafted input).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import re
import sys
import tempfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, BinaryIO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

KINDS = ("email", "secret", "key", "uuid", "serial", "mac", "ip", "ipv6", "host", "user", "k8s")
_KIND_INDEX = {kind: i for i, kind in enumerate(KINDS)}
_KEY = _KIND_INDEX["key"]
PLACEHOLDER = re.compile(r"<(?:" + "|".join(KINDS) + r")-\d+>")
CHUNK = 1 << 18  # bytes per piece of a stream (ends at a line end); 256 KB measured fastest
MAX_LINE_PIECE = 8 << 20  # a longer line is cut (at a blank when there is one) to keep memory flat

# Hosts that are public and help the reader (support portal, package indexes, docs).
PUBLIC_DOMAINS = (
    "furiosa.ai",
    "furiosa-ai.github.io",
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
NOT_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
# Account names that identify nobody (defaults of images and distributions): replaced where they
# stand as a user name (/home/ubuntu, ubuntu@box) but not everywhere ("Ubuntu 20.04", "furiosa-sdk").
GENERIC_USERS = {
    "root", "ubuntu", "furiosa", "admin", "user", "users", "debian", "centos", "ec2-user", "nobody",
    "www-data", "jenkins", "runner", "docker", "git", "guest", "default", "test", "home", "share",
    "dev", "app", "apps", "data", "work", "workspace", "src", "tmp", "lib", "bin", "opt", "var", "etc",
    "usr", "local", "models", "model", "npu", "warboy", "lab", "gpu", "server", "ops", "build", "ci",
}  # fmt: skip
# Words that follow "user"/"owner" in ordinary sentences ("user time", "user code").
NOT_NAMES = {
    "a", "an", "the", "is", "was", "are", "be", "not", "has", "have", "had", "must", "should", "can",
    "cannot", "may", "will", "does", "do", "did", "to", "of", "in", "on", "at", "for", "from", "with",
    "and", "or", "as", "by", "if", "time", "code", "space", "mode", "data", "guide", "input", "output",
    "error", "name", "names", "id", "defined", "specified", "function", "functions", "op", "ops",
    "operator", "config", "configuration", "manual", "level", "agent", "interface", "provided", "given",
    "cpu", "memory", "process", "request", "session", "account", "permission", "permissions", "group",
    "directory", "info", "log", "logs", "settings", "options", "option", "none", "null", "true", "false",
    "unknown", "root", "sys", "real", "total", "program", "programs", "experience", "home", "model",
}  # fmt: skip


@cache
def harmless_env_names() -> frozenset[str]:
    """Environment variable names whose values may be shown (triage/data/harmless_env.toml)."""
    data = tomllib.loads((Path(__file__).parent / "data" / "harmless_env.toml").read_text(encoding="utf-8"))
    return frozenset(data["names"])


def hide_env_value(name: str, value: str) -> str:
    """An environment value as it may appear in a report: hidden unless its name is harmless."""
    return value if not value or name in harmless_env_names() else "<set, hidden>"


# -- the engine: RE2 when installed, else Python's re on the same pattern -----------------------
try:  # pragma: no cover - depends on the installed extra
    if os.environ.get("WARBOY_TRIAGE_REDACT_ENGINE", "") == "re":
        raise ImportError
    import re2 as _re2  # type: ignore[import-untyped]

    _RE2_OPTIONS: Any = _re2.Options()
    _RE2_OPTIONS.max_mem = 256 << 20
    _RE2_ANCHOR: Any = getattr(getattr(_re2, "_Anchor", None), "UNANCHORED", None)
except ImportError:  # pragma: no cover
    _re2 = None
    _RE2_ANCHOR = None


def engine() -> str:
    return "re2" if _re2 is not None else "re"


def _compile(pattern: bytes) -> Any:
    if _re2 is not None:
        return _re2.compile(pattern, _RE2_OPTIONS)
    return re.compile(pattern)


def _spans(rx: Any, buf: bytes, pos: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each match. On bytes, RE2's own Match call is used directly when the wrapper
    has it: the wrapper builds a match object per hit, which costs more than the search."""
    raw = getattr(rx, "_regexp", None)
    if raw is None or _RE2_ANCHOR is None or not hasattr(raw, "Match"):
        for m in rx.finditer(buf, pos):
            yield m.start(), m.end()
        return
    end = len(buf)
    while pos <= end:
        s, e = raw.Match(_RE2_ANCHOR, buf, pos, end)[0]
        if s < 0:
            return
        yield s, e
        pos = e if e > s else e + 1


_H = rb"[0-9A-Fa-f]"
# A token that must not start inside a word (RE2 has no look-behind): a word boundary, or an
# underscore (file names such as run_10.0.0.5.log) that the match includes and the rule steps over.
_B = rb"(?:\b|_)"
_V6 = rb"(?:(?:\b|_)" + _H + rb"{1,4}|\B)"  # starts with a hex group, or with ':' after a non-word
_BOUNDED = {"uuid", "mac", "ipv6", "ipv4", "awshost", "pod", "fqdn"}
_NAME = rb"[A-Za-z_][A-Za-z0-9_.-]{0,31}"
_MAC_COLON = _H + rb"{2}(?::" + _H + rb"{2}){5,7}"
_MAC_DASH = _H + rb"{2}(?:-" + _H + rb"{2}){5,7}"
_MAC_DOTS = _H + rb"{4}[.-]" + _H + rb"{4}[.-]" + _H + rb"{4}"  # Cisco 0011.2233.4455, HP 0011-2233-4455
_LEVEL_WORDS = ("info", "warn", "warning", "error", "debug", "trace", "critical", "fatal", "notice", "err")
_LEVELS = {w.encode() for w in _LEVEL_WORDS}


def _none_of(words: Iterable[str], first: bytes, rest: bytes, most: int) -> bytes:
    """A regex for the strings `[first][rest]{0,most}` that are none of `words`, built on their trie:
    a syslog host field that is not a log level. Tracing lines (`<ts> DEBUG target: ...`) have the
    shape of a syslog line with the level as its host; matched, each cost a rule call for nothing."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.encode():
            node = node.setdefault(ch, {})
        node[-1] = {}

    def other(cls: bytes, taken: Iterable[int]) -> bytes:
        chars = [c for c in range(256) if re.fullmatch(b"[" + cls + b"]", bytes([c])) and c not in taken]
        return b"[" + b"".join(re.escape(bytes([c])) for c in chars) + b"]"

    def build(node: dict, depth: int) -> bytes:
        kids = {ch: child for ch, child in node.items() if ch != -1}
        left = most - depth
        alts = [other(first if depth == 0 else rest, kids) + (b"[" + rest + b"]{0,%d}" % left if left > 0 else b"")]
        if left >= 0:
            alts += [re.escape(bytes([ch])) + build(child, depth + 1) for ch, child in sorted(kids.items())]
        body = b"(?:" + b"|".join(alts) + b")"
        return b"(?:" + body + b")?" if depth > 0 and -1 not in node else body

    return build(trie, 0)


# (rule, pattern): one capture group per rule, none inside; keyword rules match only the keyword
# and its separator, their value is read after it (so nothing inside the value is hidden from the
# other rules, and a crafted run of keywords costs one read of the run).
_RULES: list[tuple[str, bytes]] = [
    ("keyblock", rb"-----BEGIN [A-Z0-9 ]{1,60}-----"),
    ("url", rb"[A-Za-z][A-Za-z0-9+.-]{0,15}://"),
    ("at", rb"[A-Za-z0-9._%+-]{1,64}@"),
    (
        "token",
        rb"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{20,}"
        rb"|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{10,}"
        rb"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
    ),
    ("uuid", _B + _H + rb"{8}-" + _H + rb"{4}-" + _H + rb"{4}-" + _H + rb"{4}-" + _H + rb"{12}"),
    ("mac", _B + rb"(?:" + _MAC_COLON + rb"|" + _MAC_DASH + rb"|" + _MAC_DOTS + rb")"),
    (
        "ipv6",
        _V6 + rb"(?::" + _H + rb"{0,4}){1,6}:[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:%[A-Za-z0-9_.-]{1,32})?",
    ),
    ("ipv6", _V6 + rb"(?::" + _H + rb"{0,4}){2,7}(?:%[A-Za-z0-9_.-]{1,32})?"),
    ("ipv4", _B + rb"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"),
    ("awshost", _B + rb"ip-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}(?:\.[A-Za-z0-9-]{1,63}){0,8}"),
    (
        "syslog",
        rb"(?m:^)(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}"
        rb"|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,15}(?:Z|[+-][0-9]{2}:?[0-9]{2})?)"
        rb" "
        + _none_of([*_LEVEL_WORDS, *(w.upper() for w in _LEVEL_WORDS)], rb"A-Za-z0-9", rb"A-Za-z0-9.-", 62)
        + rb" [A-Za-z0-9_./()-]{1,64}(?:\[[0-9]{1,10}\])?:",
    ),
    ("assigned", rb"Successfully assigned "),
    ("envassign", rb"[A-Z][A-Z0-9_]{1,63}="),
    (
        "secretkv",
        rb"(?i:api[_-]?keys?|access[_-]?keys?|secret[_-]?keys?|private[_-]?keys?|apikey|auth[_-]?tokens?|tokens?|cookie"
        rb"|session[_-]?(?:id|key|token|secret)"
        rb"|secrets?|passwords?|passwd|pwd|credentials?|signature|sig|licen[cs]e(?:[_-]?key)?)"
        rb"[\"']?[ \t]*[:=][ \t]*[\"']?",
    ),
    ("auth", rb"(?i:bearer|basic|token)[ \t]+"),
    (
        "secretflag",  # a command line's --password VALUE (with '=' secretkv reads it)
        rb"--(?i:password|passwd|pass|api[_-]?key|access[_-]?key|secret(?:[_-]?key)?|token|auth[_-]?token"
        rb"|licen[cs]e(?:[_-]?key)?|credentials?)[ \t]+",
    ),
    (
        "serialkv",
        rb"(?i:s/n|serial[ _-]?(?:number|num|no\.?|nr|id)?|[a-z0-9]+_(?:serial|sn)|sn)[\"']?[ \t]*[:=#][ \t]*[\"']?"
        rb"|(?i:serial[ _-]?(?:number|no\.?))[ \t]+",
    ),
    ("macKV", rb"(?i:mac|hwaddr|ether|lladdr|bssid|hw[ _-]?addr(?:ess)?|mac[ _-]?addr(?:ess)?)[\"']?[ \t]*[:=]?[ \t]*"),
    (
        "hostkv",
        rb"(?i:hostname|host[ _-]?name|nodename|node[ _-]?name|host|server|node|instance)[\"']?[ \t]*[:=][ \t]*[\"']?"
        rb"|(?i:on|to|from) host[ \t]+",
    ),
    (
        "k8skv",
        rb"(?i:namespace|pod(?:[ _-]?name)?|container(?:[ _-]?name)?|deployment|cluster(?:[ _-]?name)?)"
        rb"[\"']?[ \t]*[:=][ \t]*[\"']?|(?:-n|--namespace)[ =]"
        rb"|(?i:pods?|namespaces?|deployments?(?:\.apps)?|statefulsets?(?:\.apps)?|daemonsets?(?:\.apps)?"
        rb"|replicasets?(?:\.apps)?|jobs?(?:\.batch)?|nodes?|svc|services?)/",
    ),
    ("home", rb"(?:/home|/Users|/var/home|/export/home|\\Users)[/\\]"),
    ("uid", rb"(?:uid|gid|euid)=[0-9]{1,10}\("),
    ("userkv", rb"(?i:user(?:[ _-]?name)?|login|owner|logname|account)[\"']?[ \t]*[:=][ \t]*[\"']?|(?i:user)[ \t]+"),
    ("userfor", rb"(?:for|by) [a-z_][a-z0-9_.-]{0,31} from "),
    ("sudo", rb"sudo:[ \t]+[a-z_][a-z0-9_.-]{0,31} :"),
    ("tilde", rb"~[a-z_][a-z0-9_.-]{0,31}"),
    (
        "pod",
        _B + rb"[a-z0-9][a-z0-9-]{0,200}-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b"
        rb"|" + _B + rb"[a-z0-9][a-z0-9-]{0,200}-[bcdfghjklmnpqrstvwxz2456789]{5}\b",
    ),
    (
        "fqdn",
        _B + rb"[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){0,7}\.(?i:com|net|org|io|ai|kr|cn|jp|tw|de|uk|co"
        rb"|cloud|internal|local|lan|corp|intranet|localdomain|priv|edu|gov)\b",
    ),
]
# The rules run as five regexes (keywords, numbers, names, syslog, token formats): small automata are
# faster than one big one, and a match in one group never hides a value another group would find there.
# The syslog rule has a group of its own: its match runs from the line start to the process name, and
# inside one group it hid the keyword rules there ("<ts> ERROR user: jdoe" kept jdoe). The token
# formats have one too: with the keywords, their long counters made RE2 twice as slow on dense text.
_OWN_GROUP = ("uuid", "mac", "ipv6", "ipv4", "awshost", "pod", "fqdn", "syslog", "token")
_GROUPS = [
    [r for r in _RULES if r[0] not in _OWN_GROUP],
    [r for r in _RULES if r[0] in ("uuid", "mac", "ipv6", "ipv4", "awshost")],
    [r for r in _RULES if r[0] in ("pod", "fqdn")],
    [r for r in _RULES if r[0] == "syslog"],
    [r for r in _RULES if r[0] == "token"],
]


_BOUNDED_REPEAT = re.compile(rb"\{(\d+),(\d+)\}")


def _relaxed(pattern: bytes) -> bytes:
    """The pattern with every bounded repeat {m,n} opened to {m,}. A group with many counters makes
    RE2's DFA blow up on text dense with word characters (group one ran at 1.4 MB/s on such text,
    12 MB/s relaxed); the relaxed pattern matches a superset, so no exact match starts before the
    relaxed one, and Python's re finds the exact match from there."""
    return _BOUNDED_REPEAT.sub(rb"{\1,}", pattern)


class _Group:
    """One regex of alternatives. RE2 without groups finds each leftmost-first candidate in one DFA
    pass (asking it for a group per rule costs more than the whole scan); Python's re then tells which
    rule matched at that start, and how far (same leftmost-first semantics, same match)."""

    def __init__(self, rules: list[tuple[str, bytes]], relax: bool = False) -> None:
        self.names = [name for name, _ in rules]
        self.which = re.compile(b"|".join(b"(" + p + b")" for _, p in rules))
        exact = b"|".join(b"(?:" + p + b")" for _, p in rules)
        self.find = self.exact = _compile(exact) if _re2 is not None else None
        if relax and self.find is not None:
            self.find = _compile(b"|".join(b"(?:" + _relaxed(p) + b")" for _, p in rules))

    def matches(self, buf: bytes, pos: int) -> Iterator[tuple[int, int, str]]:
        if self.find is None:
            for m in self.which.finditer(buf, pos):
                yield m.start(), m.end(), self.names[m.lastindex - 1]  # type: ignore[operator]
            return
        if self.find is self.exact and len(self.names) == 1:  # RE2's match is the rule's match
            name = self.names[0]
            for s, e in _spans(self.find, buf, pos):
                yield s, e, name
            return
        which, names, end = self.which.match, self.names, len(buf)
        find, exact = _first(self.find), _first(self.exact)
        while pos <= end:
            start = find(buf, pos)
            if start < 0:
                return
            w = which(buf, start)
            if w is None:  # a relaxed candidate only: the exact match starts later (RE2 finds it)
                start = exact(buf, start + 1)
                w = which(buf, start) if start >= 0 else None
                if w is None:
                    return
            assert w.lastindex is not None
            yield w.start(), w.end(), names[w.lastindex - 1]
            pos = w.end() if w.end() > w.start() else w.end() + 1


def _first(rx: Any) -> Any:
    """start(buf, pos): where rx's leftmost match from pos starts, or -1 (RE2's own Match call when
    the wrapper has it: the wrapper's match object costs more than the search)."""
    raw = getattr(rx, "_regexp", None)
    if raw is not None and _RE2_ANCHOR is not None and hasattr(raw, "Match"):
        anchor = _RE2_ANCHOR

        def start(buf: bytes, pos: int) -> int:
            return raw.Match(anchor, buf, pos, len(buf))[0][0]  # type: ignore[no-any-return]

        return start

    def start_re(buf: bytes, pos: int) -> int:
        m = rx.search(buf, pos)
        return -1 if m is None else m.start()  # type: ignore[no-any-return]

    return start_re


# only the keyword group is relaxed: its counters are what blow up; the others stay exact
_MATCHERS = [_Group(g, relax=i == 0) for i, g in enumerate(_GROUPS)]


def _main_matches(buf: bytes, pos: int) -> list[tuple[int, int, str]]:
    """(start, end, rule) of every rule match, in order of start (a C sort beats a Python merge)."""
    found = [m for g in _MATCHERS for m in g.matches(buf, pos)]
    found.sort()
    return found


_LONG = _compile(rb"[A-Za-z0-9+/_-]{32,}={0,2}")  # second pass: long tokens (hex and base64 secrets)
_END_BLOCK = re.compile(rb"-----END [A-Z0-9 ]{1,60}-----")

_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_WORDISH = _WORD | frozenset(b"_")
_HEXCH = frozenset(b"0123456789abcdefABCDEF")
_VALUE = re.compile(rb"[^ \t\r\n\"',;<>`|)\]}]+")
_QUOTED = re.compile(rb"\"[^\"\r\n]*\"|'[^'\r\n]*'")
_IN_QUOTES = {34: re.compile(rb'[^"\r\n]{1,1024}'), 39: re.compile(rb"[^'\r\n]{1,1024}")}  # a quoted value, blanks too
_NAMEV = re.compile(_NAME)
_DNS = re.compile(rb"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")
_K8S = re.compile(rb"[a-z0-9][a-z0-9.-]{0,252}")
_HOMEV = re.compile(rb"[^/\\ \t\r\n:'\"<>]{1,64}")
_SERIALV = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._:-]{3,63}")
_AUTHV = re.compile(rb"[A-Za-z0-9._~+/=-]{8,}")
_MAC12 = re.compile(_H + rb"{12}(?![0-9A-Za-z])")
_VERSION_BEFORE = re.compile(
    rb"(?i)(?:version|ver\.?|rev(?:ision)?|release|firmware|==|~=|>=|<=|\bv"
    rb"|\b(?:furiosa[\w-]*|libnux|nux|libhal|hal|toolkit|sdk))[\s:=(]*$"
)
_HASH_BEFORE = re.compile(
    rb"(?i)(?:rev|revision|commit|sha(?:1|256|512)?|md5|hash|digest|checksum|built\s*@|@)[\s:=(\"']*$"
)
_URL_END = re.compile(rb"[^ \t\r\n\"'<>`\\]*")
_URL_SEPS = frozenset(b"/?&=#;,:+%")
_LONG_PIECE = re.compile(rb"[^/?&=#;,:+%]{4,}")
_WEBHOOK_IN = _compile(
    rb"(?i)(?:^|[/?&=#;,:+%])(?:hooks?|webhooks?|services|incoming|triggers?|callbacks?)(?:[/?&=#;,:+%]|$)"
)


def _prev_piece(path: bytes, start: int) -> bytes:
    """The piece of a URL before the separators (and %-escapes) that end at `start`: its key name."""
    j = start
    while j > 0:
        if path[j - 1] in _URL_SEPS:
            j -= 1
        elif j >= 3 and path[j - 3] == 37 and path[j - 2] in _HEXCH and path[j - 1] in _HEXCH:
            j -= 3
        else:
            break
    k = j
    while k > 0 and path[k - 1] not in _URL_SEPS and j - k < 64:
        k -= 1
    piece = path[k:j]
    return piece[2:] if k > 0 and path[k - 1] == 37 else piece


_SECRET_NAMES = re.compile(
    rb"(?i)(?:^|[_-])(?:token|key|apikey|secret|sig|signature|password|passwd|pass|auth|code|session|credential|"
    rb"access_token|id_token|jwt|hash)$"
)
_SERIAL_HEADER = re.compile(rb"(?i)^(?:serial(?:[ _-]?(?:number|no\.?|num))?|s/n|sn)$")
_CELL = re.compile(rb"[^ \t]+")
_BORDER = frozenset(b"|+-=: \t\r")
_DOMAIN = re.compile(rb"[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){0,8}")
_ASSIGNED = re.compile(rb"([a-z0-9][a-z0-9.-]{0,252})/([a-z0-9][a-z0-9.-]{0,252}) to ([A-Za-z0-9][A-Za-z0-9.-]{0,252})")
_TABLE_GATE = _compile(rb"(?im)(?:^|[ \t|])(?:serial(?:[ _-]?(?:number|no\.?|num))?|s/n|sn)[ \t]*(?:\||$|[ \t])")


def _entropy(s: bytes) -> float:
    counts = Counter(s)
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


def _looks_secret(token: bytes) -> bool:
    """A long token with upper, lower and digits and near-random letters (paths and words are not)."""
    return (
        token.lower() != token
        and token.upper() != token
        and len(token.translate(None, b"0123456789")) < len(token)
        and _entropy(token) >= 4.2
    )


def _tokenish(value: bytes) -> bool:
    """After Bearer/Basic/token: a credential has digits, base64 padding or inner capitals ("Commands" has not)."""
    return any(48 <= c <= 57 for c in value) or b"=" in value or b"+" in value or value[1:].lower() != value[1:]


def _random_piece(piece: bytes) -> bool:
    """A URL path or query piece that looks generated (ids, tokens): letters and digits mixed, >= 8 long."""
    if len(piece) < 8:
        return False
    has_digit = any(48 <= c <= 57 for c in piece)
    has_alpha = any(65 <= c <= 90 or 97 <= c <= 122 for c in piece)
    return has_digit and (has_alpha or len(piece) >= 10)


_PUBLIC = frozenset(PUBLIC_DOMAINS)


@lru_cache(maxsize=4096)
def _public(host: str) -> bool:
    labels = host.lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in _PUBLIC for i in range(len(labels) - 1))


def _is_ipv4_quad(text: str) -> bool:
    """ipaddress's answer for a dotted quad of 1-3 digit parts, without its cost (no leading zeros, <= 255)."""
    return all(int(part) <= 255 and (len(part) == 1 or part[0] != "0") for part in text.split("."))


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _keep_ipv4(value: str) -> bool:
    return value.startswith(("127.", "0.", "255."))


def _before(buf: bytes, i: int) -> int:
    return buf[i - 1] if i > 0 else 32


def _after(buf: bytes, i: int) -> int:
    return buf[i] if i < len(buf) else 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    value: str


@dataclass
class Replacement:
    kind: str
    original: str
    placeholder: str


@dataclass
class _State:
    """What a stream carries from one chunk to the next: an open key block, a table with a serial column."""

    block: str | None = None  # the key value of an unterminated key block
    table_cells: int = 0  # pipe table: number of cells, or 0
    table_index: int = -1  # pipe table: serial cell index; whitespace table: column start
    table_ws: bool = False


class _SpanLog:
    """Pass 1's spans of one stream, chunk by chunk, kept for pass 2 over the same bytes so that the
    rules run once, not twice. Only offsets and kinds are kept, in an anonymous temporary file (memory
    stays flat; no text of the log goes there); a key block's value is its hash. A chunk whose length
    or CRC differs is detected again from the state the stream had there."""

    def __init__(self) -> None:
        self.file: Any = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the log
        self.chunks: list[tuple[int, int, int, int, _State]] = []  # (file offset, spans, length, crc, state before)
        self.keys: dict[tuple[int, int], str] = {}  # (chunk, start) -> key block value

    def record(self, buf: bytes, before: _State, spans: list[Span]) -> None:
        index = len(self.chunks)
        flat = array("q")
        for sp in spans:
            flat.extend((sp.start, sp.end, _KIND_INDEX[sp.kind]))
            if sp.kind == "key":
                self.keys[(index, sp.start)] = sp.value
        self.chunks.append((self.file.tell(), len(spans), len(buf), zlib.crc32(buf), before))
        flat.tofile(self.file)

    def replay(self, index: int, buf: bytes) -> list[Span] | None:
        if index >= len(self.chunks):
            return None
        offset, count, length, crc, _ = self.chunks[index]
        if length != len(buf) or crc != zlib.crc32(buf):
            return None
        flat = array("q")
        self.file.seek(offset)
        flat.fromfile(self.file, 3 * count)
        keys = self.keys
        spans = []
        for i in range(0, len(flat), 3):
            kind = flat[i + 2]
            spans.append(Span(flat[i], flat[i + 1], KINDS[kind], keys[(index, flat[i])] if kind == _KEY else ""))
        return spans

    def state(self, index: int) -> _State | None:
        return replace(self.chunks[index][4]) if index < len(self.chunks) else None

    def close(self) -> None:
        self.file.close()


class _Detector:
    """Finds the spans of personal and secret values in line-aligned byte chunks."""

    def __init__(self) -> None:
        self.state = _State()
        self._done = self._url_done = 0  # values are read at most once: a keyword inside a read value is skipped
        self._rules = {name: getattr(self, "_r_" + name) for name, _ in _RULES}

    def spans(self, buf: bytes) -> list[Span]:
        out: list[Span] = []
        self._done = self._url_done = 0
        start = 0
        if self.state.block is not None:
            start = self._block(buf, 0, self.state.block, out)
        for s, e, rule in _main_matches(buf, start) if start < len(buf) else ():
            if rule in _BOUNDED and buf[s] == 95:
                s += 1  # the underscore before the token
            if s < self._done:
                continue
            self._rules[rule](buf, s, e, out)
            if self.state.block is not None:  # an unterminated key block runs to the end of the chunk
                break
        for s, e in _spans(_LONG, buf):
            self._long(buf, s, e, out)
        if self.state.table_index >= 0:
            self._tables(buf, 0, out)
        elif b"erial" in buf or b"ERIAL" in buf or b"/N" in buf or b"SN" in buf or b"sn" in buf:
            gate = _TABLE_GATE.search(buf)
            if gate is not None:
                self._tables(buf, buf.rfind(b"\n", 0, gate.start()) + 1, out)
        return out

    # -- helpers ---------------------------------------------------------------------------------
    def _add(self, out: list[Span], s: int, e: int, kind: str, buf: bytes) -> None:
        if e > s:
            value = buf[s:e].decode("utf-8", errors="replace")
            if buf[s] != 60 or not PLACEHOLDER.fullmatch(value):  # 60: "<"
                out.append(Span(s, e, kind, value))

    def _value(self, buf: bytes, pos: int, rx: re.Pattern[bytes] = _VALUE) -> tuple[int, int] | None:
        if pos < self._done:
            return None
        m = rx.match(buf, pos)
        if m is None:
            return None
        self._done = m.end()
        return m.start(), m.end()

    # -- rules -----------------------------------------------------------------------------------
    def _r_keyblock(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        begin = buf[s:e].decode("ascii", errors="replace")
        value = f"{begin} sha256:{hashlib.sha256(buf[e : e + 4096]).hexdigest()[:16]}"
        self._block(buf, s, value, out)

    def _block(self, buf: bytes, s: int, value: str, out: list[Span]) -> int:
        m = _END_BLOCK.search(buf, s)
        end = m.end() if m else len(buf)
        self.state.block = None if m else value
        out.append(Span(s, end, "key", value))
        self._done = end
        return end

    def _r_url(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if s < self._url_done:  # inside the URL read last (a crafted run of "x://x://..." is read once)
            return
        m = _URL_END.match(buf, e)
        end = m.end() if m else e
        while end > e and buf[end - 1] in b".,;:!?)]}'\"":
            end -= 1
        self._url_done = end
        rest = buf[e:end]
        slash = rest.find(b"/")
        authority, path = (rest, b"") if slash < 0 else (rest[:slash], rest[slash:])
        host_at = e
        if b"@" in authority:
            userinfo, _, authority = authority.rpartition(b"@")
            user, colon, password = userinfo.partition(b":")
            if colon:
                self._add(out, e, e + len(userinfo), "secret", buf)
            else:
                self._add(out, e, e + len(user), "user", buf)
            host_at = e + len(userinfo) + 1
        host = authority
        if host.startswith(b"["):
            host = host[1 : host.find(b"]")] if b"]" in host else host[1:]
            host_at += 1
        else:
            host = host.split(b":")[0]
        host_s = host.decode("utf-8", errors="replace")
        public = _public(host_s)
        if host_s and not public and host_s.lower() not in NOT_HOSTS:
            if _is_ip(host_s.split("%")[0]):
                if not (":" not in host_s and _keep_ipv4(host_s)) and host_s not in ("::1", "::"):
                    self._add(out, host_at, host_at + len(host), "ipv6" if ":" in host_s else "ip", buf)
            elif "." in host_s or "-" in host_s:
                self._add(out, host_at, host_at + len(host), "host", buf)
        self._url_pieces(buf, e + len(rest) - len(path), path, public, out)

    def _url_pieces(self, buf: bytes, base: int, path: bytes, public: bool, out: list[Span]) -> None:
        """Secrets in a URL's path and query, also inside %-escaped nested URLs (every escape splits).
        Only pieces of 4+ characters are looked at, found in one C-level pass: a 256 KB escaped URL
        costs milliseconds."""
        hook = _WEBHOOK_IN.search(path)
        hook_end = hook.end() if hook else len(path) + 1
        for m in _LONG_PIECE.finditer(path):
            start, end = m.start(), m.end()
            if start >= 1 and path[start - 1] == 37 and path[start : start + 2].isalnum():
                start += 2  # the two hex digits of an escape
                if end - start < 4 or not all(c in _HEXCH for c in path[start - 2 : start]):
                    continue
            piece = path[start:end]
            named = bool(_SECRET_NAMES.search(_prev_piece(path, start)))
            webhook = start >= hook_end and len(piece) >= 6
            if named or (not public and (webhook or _random_piece(piece))):
                self._add(out, base + start, base + end, "secret", buf)

    def _r_at(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        dm = _DOMAIN.match(buf, e)  # read, not consumed: the rules still see an IP or a host after '@'
        if dm is None:
            return
        local, domain, e = buf[s : e - 1], dm.group(0), dm.end()
        labels = domain.split(b".")
        tld = labels[-1]
        if len(labels) >= 2 and tld.isalpha() and len(tld) >= 2 and _after(buf, e) not in _WORD | {ord("-")}:
            self._add(out, s, e, "email", buf)
            return
        # user@host (prompts, ssh, scp): the name must look like an account name
        m = _NAMEV.fullmatch(local)
        if m is None or not domain[:1].isalpha() or len(local) < 2 or len(domain) < 2:
            return  # one letter on either side names nobody (and "a@b@c@..." runs stay cheap)
        if local != b"root":  # running as root matters to diagnosis and names nobody
            self._add(out, s, s + len(local), "user", buf)  # generic names too, here where they stand as users
        host = domain.decode("utf-8", errors="replace")
        if host.lower() not in NOT_HOSTS and not _public(host):
            self._add(out, s + len(local) + 1, e, "host", buf)

    def _r_token(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        self._add(out, s, e, "secret", buf)

    def _r_uuid(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) not in _WORD and _after(buf, e) not in _WORD and _after(buf, e) != ord("-"):
            self._add(out, s, e, "uuid", buf)

    def _r_mac(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD or _before(buf, s) in b":-." or _after(buf, e) in _WORD or _after(buf, e) in b":-":
            return
        text = buf[s:e]
        if len(text) in (14, 17, 23) or (len(text) == 14 and text.count(b".") + text.count(b"-") == 2):
            digits = bytes(c for c in text if c in _HEXCH).lower()
            if digits.strip(b"0") and digits.strip(b"f"):
                self._add(out, s, e, "mac", buf)

    def _r_ipv6(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORDISH or _before(buf, s) in b":." or _after(buf, e) in _WORDISH:
            return
        text = buf[s:e].decode("ascii", errors="replace")
        if text in ("::", "::1") or ("::" not in text and text.count(":") < 7):
            return
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            return
        self._add(out, s, e, "ipv6", buf)

    def _r_ipv4(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in b"0123456789." or _after(buf, e) in b"0123456789":
            return
        if _after(buf, e) == ord(".") and _after(buf, e + 1) in b"0123456789":
            return
        text = buf[s:e].decode("ascii")
        if not _is_ipv4_quad(text) or _keep_ipv4(text):
            return
        major = int(text.split(".")[0])
        if major <= 9 and _VERSION_BEFORE.search(buf[max(0, s - 24) : s]):
            return  # a version: a version word before it and a one-digit major (10.x, 172.x, 192.x never are)
        self._add(out, s, e, "ip", buf)

    def _r_awshost(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) not in _WORD and _after(buf, e) not in _WORD:
            self._add(out, s, e, "host", buf)

    def _r_syslog(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        fields = buf[s:e].split(b" ")
        # "Dec  2 10:00:01 host proc:" has an empty field for the padded day
        words = [f for f in fields if f]
        host = words[-2] if len(words) >= 3 else b""
        if not host or host.lower() in _LEVELS or host.isdigit():
            return
        at = buf.rfind(b" " + host + b" ", s, e) + 1
        self._add(out, at, at + len(host), "host", buf)

    def _r_assigned(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        found = _ASSIGNED.match(buf, e)
        if found and e >= self._done:
            self._done = found.end()
            for g in (1, 2, 3):
                self._add(out, found.start(g), found.end(g), "k8s", buf)

    def _r_envassign(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORDISH or s < self._done:
            return
        name = buf[s : e - 1].decode("ascii")
        if name in harmless_env_names():
            return
        span = self._value(buf, e, _QUOTED) if _after(buf, e) in b"\"'" else self._value(buf, e)
        if span is None:
            return
        kind = {"USER": "user", "LOGNAME": "user", "USERNAME": "user", "SUDO_USER": "user"}.get(name, "secret")
        kind = {"HOSTNAME": "host", "HOST": "host"}.get(name, kind)
        if kind == "user" and buf[span[0] : span[1]] == b"root":
            return
        self._add(out, span[0], span[1], kind, buf)

    def _r_secretkv(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        quote = buf[e - 1]
        span = self._value(buf, e, _IN_QUOTES[quote]) if quote in _IN_QUOTES else self._value(buf, e)
        if span is None:
            return
        value = buf[span[0] : span[1]].lower()
        if value in (b"none", b"null", b"true", b"false", b"***", b"<hidden>") or value.startswith(b"<"):
            return
        self._add(out, span[0], span[1], "secret", buf)

    def _r_secretflag(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORDISH or _after(buf, e) == 45:  # 45: "-", the next flag, not a value
            return
        if _after(buf, e) in _IN_QUOTES:  # --password "two words"
            e += 1
        self._r_secretkv(buf, s, e, out)

    def _r_auth(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        span = self._value(buf, e, _AUTHV)
        if span is not None and _tokenish(buf[span[0] : span[1]]):
            self._add(out, span[0], span[1], "secret", buf)

    def _r_serialkv(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        span = self._value(buf, e, _SERIALV)
        if span is not None and any(48 <= c <= 57 for c in buf[span[0] : span[1]]):
            self._add(out, span[0], span[1], "serial", buf)

    def _r_macKV(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        m = _MAC12.match(buf, e)
        if m and (digits := m.group(0).lower()).strip(b"0") and digits.strip(b"f"):
            self._add(out, m.start(), m.end(), "mac", buf)

    def _r_hostkv(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        span = self._value(buf, e, _DNS)
        if span is None:
            return
        value = buf[span[0] : span[1]].rstrip(b".-")
        text = value.decode()
        explicit = b"name" in buf[s:e].lower()
        if (
            text.lower() in NOT_HOSTS
            or _is_ip(text)
            or text.replace(".", "").isdigit()
            or _public(text)
            or not (explicit or any(c in text for c in "-.0123456789"))
        ):
            return
        self._add(out, span[0], span[0] + len(value), "host", buf)

    def _r_k8skv(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        span = self._value(buf, e, _K8S)
        if span is None:
            return
        value = buf[span[0] : span[1]].rstrip(b".-")
        if value in (b"default", b"kube-system") or value.isdigit():
            return
        self._add(out, span[0], span[0] + len(value), "k8s", buf)

    def _r_home(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        span = self._value(buf, e, _HOMEV)
        if span is not None and buf[span[0] : span[1]] not in (b"<", b"*"):
            self._add(out, span[0], span[1], "user", buf)

    def _r_uid(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        span = self._value(buf, e, _NAMEV)
        if span is not None and buf[span[0] : span[1]] != b"root":
            self._add(out, span[0], span[1], "user", buf)

    def _user_at(self, buf: bytes, s: int, e: int, out: list[Span], strict: bool) -> None:
        text = buf[s:e]
        if text.lower().decode() in NOT_NAMES or text == b"root":
            return
        if strict and _after(buf, e) in _WORD:
            return
        self._add(out, s, e, "user", buf)

    def _r_userkv(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        span = self._value(buf, e, _NAMEV)
        if span is None:
            return
        end = span[1]
        nxt = _after(buf, end)
        if buf[e - 1 : e] in (b" ", b"\t") and not (nxt in b" \t\r\n,;:)\"'" or end == len(buf)):
            return  # "user " + a word that runs on into something else is not a name
        self._user_at(buf, span[0], end, out, strict=False)

    def _r_userfor(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD:
            return
        name_s = s + buf[s:e].find(b" ") + 1
        self._user_at(buf, name_s, e - len(b" from "), out, strict=False)

    def _r_sudo(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        name = buf[s + 5 : e - 1].strip()
        at = buf.find(name, s + 5, e)
        self._user_at(buf, at, at + len(name), out, strict=False)

    def _r_tilde(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD or _before(buf, s) == ord("~"):
            return
        if _after(buf, e) in b"/ \t\r\n'\":" or e == len(buf):
            self._user_at(buf, s + 1, e, out, strict=True)

    def _r_pod(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORDISH or _before(buf, s) in b"-." or _after(buf, e) in _WORDISH | {ord("-")}:
            return
        suffix = buf[buf.rfind(b"-", s, e) + 1 : e]
        if any(48 <= c <= 57 for c in suffix) and any(97 <= c <= 122 for c in suffix):
            self._add(out, s, e, "k8s", buf)

    def _r_fqdn(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORDISH or _before(buf, s) in b".-@" or _after(buf, e) in _WORDISH:
            return
        if _after(buf, e) in b"-(" or (_after(buf, e) == ord(".") and _after(buf, e + 1) in _WORD):
            return
        host = buf[s:e].decode("ascii")
        if "." in host and host.lower() not in NOT_HOSTS and not _public(host):
            self._add(out, s, e, "host", buf)

    def _long(self, buf: bytes, s: int, e: int, out: list[Span]) -> None:
        if _before(buf, s) in _WORD or _after(buf, e) in _WORD:
            return
        token = buf[s:e]
        hexy = all(c in _HEXCH for c in token)
        if b"/" in token and not hexy and (token[:1] == b"/" or b"-" in token or b"_" in token):
            return  # a path: base64 has '/' but never together with '-' or '_', and rarely starts with it
        if not (hexy or _looks_secret(token)):
            return
        if _HASH_BEFORE.search(buf[max(0, s - 24) : s]):
            return
        self._add(out, s, e, "secret", buf)

    def _tables(self, buf: bytes, pos: int, out: list[Span]) -> None:
        """A table with a column headed serial (pipe or blank separated): each row's cell there."""
        st = self.state
        while pos < len(buf):
            nl = buf.find(b"\n", pos)
            end = len(buf) if nl < 0 else nl
            line = buf[pos:end]
            if st.table_index >= 0 and line.strip() and set(line) <= _BORDER:
                pass  # +----+----+ between header and rows
            elif st.table_index >= 0:
                if not line.strip():
                    st.table_index = -1
                elif not st.table_ws and line.count(b"|") >= 2:
                    cells = line.split(b"|")
                    if len(cells) == st.table_cells:
                        cell = cells[st.table_index]
                        value = cell.strip()
                        if any(48 <= c <= 57 for c in value):
                            at = pos + sum(len(c) + 1 for c in cells[: st.table_index]) + cell.find(value)
                            self._add(out, at, at + len(value), "serial", buf)
                elif st.table_ws:
                    for m in _CELL.finditer(line):
                        if m.start() <= st.table_index + 2 and m.end() > st.table_index:
                            if any(48 <= c <= 57 for c in m.group(0)):
                                self._add(out, pos + m.start(), pos + m.end(), "serial", buf)
                            break
                else:
                    st.table_index = -1
            if st.table_index < 0:
                self._header(line)
            pos = end + 1

    def _header(self, line: bytes) -> None:
        st = self.state
        if line.count(b"|") >= 2:
            cells = line.split(b"|")
            for i, cell in enumerate(cells):
                if _SERIAL_HEADER.match(cell.strip()):
                    st.table_cells, st.table_index, st.table_ws = len(cells), i, False
                    return
            return
        if b":" in line or b"=" in line:
            return
        words = list(_CELL.finditer(line))
        if len(words) >= 2:
            for m in words:
                if _SERIAL_HEADER.match(m.group(0)):
                    st.table_index, st.table_ws = m.start(), True
                    return


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping: overlapping spans become their union (fail closed)."""
    spans.sort(key=lambda sp: (sp.start, -sp.end))
    out: list[Span] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            last = out[-1]
            if sp.end > last.end:
                out[-1] = Span(last.start, sp.end, last.kind, "")  # value filled by the caller
            continue
        out.append(sp)
    return out


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    """Line-aligned pieces of a byte stream; a line longer than MAX_LINE_PIECE is cut (at a blank if it can)."""
    rest = b""
    while True:
        data = stream.read(CHUNK)
        if not data:
            if rest:
                yield rest
            return
        rest += data
        nl = rest.rfind(b"\n")
        if nl >= 0:
            yield rest[: nl + 1]
            rest = rest[nl + 1 :]
        elif len(rest) >= MAX_LINE_PIECE:
            cut = rest.rfind(b" ", 0, len(rest) - 1)
            cut = len(rest) - 4096 if cut <= 0 else cut + 1  # keep the tail: a token may go on
            yield rest[:cut]
            rest = rest[cut:]


MEMO_TEXT = 4096  # texts up to this long are scanned and redacted once each (report strings repeat)
GLOBAL_KINDS = ("user", "host", "k8s", "secret", "serial")
MAX_GLOBAL = 256  # longer values are replaced where they are found, not searched for everywhere


_NOT_ALNUM = bytes(c if c in _WORD else 32 for c in range(256))
_ALNUM_RUN = re.compile(rb"[a-z0-9]+")


class _GlobalIndex:
    """Every user, host, Kubernetes, serial and secret value found, to be replaced wherever it stands
    as a whole word (any case). Indexed by the value's first run of letters and digits: a chunk's runs
    (split in C) meet the index in one set intersection, so a chunk that names none of the values
    costs no Python per word, and 100,000 values cost no more than ten (a regex over all of them
    outgrew RE2's DFA memory and fell back to its slow NFA, logging each time)."""

    def __init__(self, mapping: dict[tuple[str, str], str]) -> None:
        self.names: dict[bytes, str] = {}  # lower-case value -> pseudonym (the first name wins)
        # first run -> ((offset of the run in the value, value length) longest first, the values)
        self.by_run: dict[bytes, tuple[list[tuple[int, int]], set[bytes]]] = {}
        self.odd: list[bytes] = []  # values without a letter or digit
        for (kind, value), name in mapping.items():
            self.add(kind, value, name)

    def add(self, kind: str, value: str, name: str) -> None:
        raw = value.encode("utf-8")
        if kind not in GLOBAL_KINDS or not 3 <= len(raw) <= MAX_GLOBAL or raw.isdigit():
            return
        if kind == "user" and value.lower() in GENERIC_USERS:
            return
        if kind == "secret" and (len(raw) < 6 or raw.replace(b".", b"").isdigit()):
            return
        low = raw.lower()
        if low in self.names:
            return
        self.names[low] = name
        run = _ALNUM_RUN.search(low)
        if run is None:
            self.odd.append(low)
            return
        shapes, values = self.by_run.setdefault(run.group(0), ([], set()))
        values.add(low)
        if (run.start(), len(low)) not in shapes:
            shapes.append((run.start(), len(low)))
            shapes.sort(key=lambda shape: -shape[1])

    def find(self, buf: bytes) -> list[tuple[int, int]]:
        """(start, end) of each whole-word occurrence, leftmost first, the longest value at a start,
        none inside another."""
        if not self.names:
            return []
        low = buf.lower()
        found: list[tuple[int, int]] = []
        if len(self.by_run) <= 64:  # a few values: a C substring search each beats splitting the chunk
            hits = {run for run in self.by_run if run in low}
        else:
            hits = self.by_run.keys() & set(low.translate(_NOT_ALNUM).split())
        for i, run in self._places(low, hits):
            shapes, values = self.by_run[run]
            for offset, length in shapes:
                s, e = i - offset, i - offset + length
                ok = s >= 0 and _before(low, s) not in _WORD and _after(low, e) not in _WORD
                if ok and low[s:e] in values:
                    found.append((s, e))
                    break
        for value in self.odd:
            i = low.find(value)
            while i >= 0:
                e = i + len(value)
                if _before(low, i) not in _WORD and _after(low, e) not in _WORD:
                    found.append((i, e))
                i = low.find(value, i + 1)
        if len(found) > 1:
            found.sort(key=lambda se: (se[0], -se[1]))
            kept = [found[0]]
            for s, e in found[1:]:
                if s >= kept[-1][1]:
                    kept.append((s, e))
            found = kept
        return found

    @staticmethod
    def _places(low: bytes, hits: set[bytes]) -> Iterator[tuple[int, bytes]]:
        """(position, run) of each whole run of `low` that is in `hits`: a C search per run when they
        are few, else one walk over the runs (a search per run would read the chunk once per run)."""
        if len(hits) > 32:
            for m in _ALNUM_RUN.finditer(low):
                if m.group(0) in hits:
                    yield m.start(), m.group(0)
            return
        for run in hits:
            n, i = len(run), low.find(run)
            while i >= 0:
                if _before(low, i) not in _WORD and _after(low, i + n) not in _WORD:
                    yield i, run
                i = low.find(run, i + n)


@dataclass
class Redactor:
    """Collect with scan() (pass 1), then apply() (pass 2). Pass 2 only adds names for unions of spans."""

    known_hosts: tuple[str, ...] = ()
    known_users: tuple[str, ...] = ()
    known_secrets: tuple[str, ...] = ()
    mapping: dict[tuple[str, str], str] = field(default_factory=dict)
    _counters: Counter = field(default_factory=Counter)
    _global: _GlobalIndex | None = None
    _logs: dict[str, _SpanLog] = field(default_factory=dict)
    _by_value: dict[str, str] = field(default_factory=dict)  # value (as keyed) -> its one name
    _by_value_of: int = 0  # the number of mapping entries _by_value was built from
    _scanned: set[str] = field(default_factory=set)  # short texts scanned already
    _applied: dict[str, str] = field(default_factory=dict)  # short text -> its redaction
    _applied_of: int = 0  # the mapping size _applied holds for

    def __post_init__(self) -> None:
        for kind, values in (("host", self.known_hosts), ("user", self.known_users), ("secret", self.known_secrets)):
            for v in values:
                if v and len(v) >= 2 and v.lower() not in NOT_HOSTS and v != "root":
                    self._name(kind, v)

    def _name(self, kind: str, value: str) -> str:
        key = (kind, value.lower() if kind in ("host", "user", "k8s", "email") else value)
        name = self.mapping.get(key)
        if name is None:
            if self._by_value_of != len(self.mapping):  # a mapping given or changed from outside
                order = {k: i for i, k in enumerate(KINDS)}
                self._by_value = {}
                for (_kind, value_of), named in sorted(self.mapping.items(), key=lambda kv: -order[kv[0][0]]):
                    self._by_value[value_of] = named  # the first kind in KINDS order wins, as it always did
                self._by_value_of = len(self.mapping)
            same = self._by_value.get(key[1])  # one value, one name: "gpu-node-17" as a host and a k8s node
            if same is not None:
                return same
            self._counters[kind] += 1
            name = self.mapping[key] = self._by_value[key[1]] = f"<{kind}-{self._counters[kind]}>"
            self._by_value_of += 1
            if self._global is not None:
                self._global.add(kind, value, name)
        return name

    # -- pass 1 ------------------------------------------------------------------------------
    def scan(self, text: str) -> None:
        if len(text) <= MEMO_TEXT:  # a report repeats its strings (52,000 strings, 770 distinct)
            if text in self._scanned:
                return
            self._scanned.add(text)
        self._scan_chunks(_text_chunks(text))

    def scan_stream(self, stream: BinaryIO, key: str | None = None) -> None:
        """Pass 1 over a stream. With a key (its path), its spans are kept for apply_stream(key=...)."""
        log = None
        if key is not None:
            if key in self._logs:
                self._logs.pop(key).close()
            log = self._logs[key] = _SpanLog()
        self._scan_chunks(_chunks(stream), log)

    def _scan_chunks(self, chunks: Iterable[bytes], log: _SpanLog | None = None) -> None:
        det = _Detector()
        for buf in chunks:
            before = replace(det.state)
            spans = det.spans(buf)
            if log is not None:
                log.record(buf, before, spans)
            for sp in _merge(spans):
                value = sp.value or buf[sp.start : sp.end].decode("utf-8", errors="replace")
                self._name(sp.kind, value)

    # -- pass 2 ------------------------------------------------------------------------------
    def _redact_chunk(
        self, det: _Detector, buf: bytes, done: list[Replacement] | None, found: list[Span] | None = None
    ) -> bytes:
        if self._global is None:
            self._global = _GlobalIndex(self.mapping)
        spans = det.spans(buf) if found is None else found
        spans += [Span(s, e, "", "") for s, e in self._global.find(buf)]
        if not spans:
            return buf
        parts: list[bytes] = []
        pos = 0
        for sp in _merge(spans):
            original = buf[sp.start : sp.end].decode("utf-8", errors="replace")
            if sp.kind == "":
                name = self._global.names.get(buf[sp.start : sp.end].lower()) or self._name("secret", original)
            else:
                name = self._name(sp.kind, sp.value or original)
            parts.append(buf[pos : sp.start])
            if sp.kind == "key":  # a key block keeps its line breaks (line numbers stay)
                parts.append(b"\n".join(name.encode() for _ in range(buf.count(b"\n", sp.start, sp.end) + 1)))
            else:
                parts.append(name.encode())
            if done is not None:
                done.append(Replacement(sp.kind or name[1:].split("-")[0], original, name))
            pos = sp.end
        parts.append(buf[pos:])
        return b"".join(parts)

    def apply_stream(self, src: BinaryIO, dst: BinaryIO, key: str | None = None) -> None:
        """Pass 2 over a stream; with the key given to scan_stream, its rules do not run again."""
        det = _Detector()
        log = self._logs.get(key) if key is not None else None
        for index, buf in enumerate(_chunks(src)):
            found = log.replay(index, buf) if log is not None else None
            if found is None and log is not None:  # other bytes than pass 1 read: detect from here on
                det.state = log.state(index) or det.state
                log = None
            dst.write(self._redact_chunk(det, buf, None, found))

    def apply(self, text: str) -> str:
        memo = len(text) <= MEMO_TEXT
        if memo:
            if self._applied_of != len(self.mapping):  # a name added since: results may differ now
                self._applied, self._applied_of = {}, len(self.mapping)
            done = self._applied.get(text)
            if done is not None:
                return done
        det = _Detector()
        out = b"".join(self._redact_chunk(det, buf, None) for buf in _text_chunks(text)).decode(
            "utf-8", errors="replace"
        )
        if memo and self._applied_of == len(self.mapping):
            self._applied[text] = out
        return out

    def apply_line(self, line: str) -> tuple[str, list[Replacement]]:
        done: list[Replacement] = []
        out = self._redact_chunk(_Detector(), line.encode("utf-8"), done)
        return out.decode("utf-8", errors="replace"), done

    def preview(self, text: str | Iterable[str]) -> Iterator[tuple[int, str, str, list[Replacement]]]:
        """(line number, original, redacted, replacements) for each line that changes."""
        det = _Detector()
        lines = text.splitlines() if isinstance(text, str) else text
        for no, line in enumerate(lines, 1):
            done: list[Replacement] = []
            new = self._redact_chunk(det, line.encode("utf-8"), done).decode("utf-8", errors="replace")
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


def _text_chunks(text: str) -> Iterator[bytes]:
    data = text.encode("utf-8")
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos + CHUNK)
        end = len(data) if nl < 0 else nl + 1
        yield data[pos:end]
        pos = end


def find_values(line: str, known_hosts: Iterable[str] = (), known_users: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(kind, value) for every personal or secret value in a text, in order of appearance."""
    det = _Detector()
    out: list[tuple[str, str]] = []
    for buf in _text_chunks(line):
        out += [(sp.kind, sp.value) for sp in sorted(det.spans(buf), key=lambda sp: sp.start)]
    for kind, names in (("host", known_hosts), ("user", known_users)):
        for name in names:
            if name and re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", line):
                out.append((kind, name))
    return out


# Tokens that still look like identifiers after redaction: shown by the preview ("what stayed").
_RESIDUE = re.compile(
    r"(?<![\w<.%-])(?=[\w.-]*\d)[A-Za-z][\w.-]{3,}[A-Za-z0-9](?![\w>-])"
    r"|(?<![\w<.-])[a-z]+(?:-[a-z0-9]+){2,}(?![\w>-])"
)
_NOT_RESIDUE = re.compile(
    r"^(?:v?\d[\d.]*(?:-[\w.]+)?|\d{4}-\d\d-\d\dT[\d:.]+Z?|[0-9a-f]{7,12}|npu\d+(?:pe\d+(?:-\d+)?)?|"
    r".*\.(?:py|log|enf|onnx|so|rs|toml|json|yaml|txt|dfg|lir|cc|h|c)(?::\d+)?)$",
    re.IGNORECASE,
)


def residue(texts: Iterable[str], limit: int = 40) -> list[tuple[str, int]]:
    """Distinct tokens left in redacted text that could still identify a machine or a person, most frequent first."""
    counts: Counter = Counter()
    for text in texts:
        for m in _RESIDUE.finditer(text):
            token = m.group(0)
            if not _NOT_RESIDUE.match(token):
                counts[token] += 1
    return counts.most_common(limit)


_SECRETISH_ENV = re.compile(r"(?i)key|token|secret|pass|auth|licen[cs]e|cred|cookie|session|sig|endpoint|url|host")


def environment_secrets(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """Values of this machine's environment that must not appear anywhere in a ticket: those of
    Furiosa/NPU variables and of variables whose name says secret, licence, auth or endpoint,
    unless the name is harmless (a value this long is not a common word)."""
    env = os.environ if environ is None else environ
    out = []
    for name, value in env.items():
        if name in harmless_env_names() or len(value) < 6 or value.isdigit():
            continue
        if name.startswith(("FURIOSA_", "NPU_", "NUX_")) or _SECRETISH_ENV.search(name):
            out.append(value)
    return tuple(out)
