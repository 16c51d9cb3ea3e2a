"""`patterns new --from LOG[:LINE]`: a pattern file drafted from one unexplained log line.

The line becomes a regex: timestamps, hex, paths, quoted names, device names and numbers become
classes, the rest stays literal (whitespace runs match any whitespace). A log record's head
(timestamp, level, module) is left out of the regex and its level becomes the rule's `level`.
The line is the first example; a second one changes every variable part (so the classes are
exercised); the counterexamples are near misses: the line with its key word changed, and the line
without its last variable part. Every example is checked against the rule here; the command then
checks the whole file against the knowledge base (triage/selfcheck.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from triage.kb.schema import ID_PATTERN, Pattern

# (name, regex finding the token in the line, regex class put in the pattern, a different value)
_TOKENS: list[tuple[str, re.Pattern[str], str, str]] = [
    (
        "timestamp",
        re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"),
        r"\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-][\d:]+)?",
        "2024-01-02T03:04:05.678901Z",
    ),
    ("quoted", re.compile(r"'[^'\n]{1,200}'"), r"'[^']*'", "'other_name'"),
    ("double-quoted", re.compile(r'"[^"\n]{1,200}"'), r'"[^"]*"', '"other_name"'),
    ("path", re.compile(r"(?<![\w./~-])[\w.~-]*(?:/[\w.@%+-]+)+/?"), r"\S+", "/opt/other/place.bin"),
    ("hex", re.compile(r"\b0x[0-9a-fA-F]+\b"), r"0x[0-9a-fA-F]+", "0xbeef"),
    ("hash", re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b"), r"[0-9a-f]{7,40}", "abc1234"),
    ("device", re.compile(r"\bnpu\d+(?:pe\d+(?:-\d+)?)?\b"), r"npu\d+(?:pe\d+(?:-\d+)?)?", "npu7pe0"),
    ("version", re.compile(r"\bv?\d+\.\d+(?:\.\d+)*(?:[-+][\w.]+)?\b"), r"v?\d+(?:\.\d+)+(?:[-+][\w.]+)?", "9.8.7"),
    ("number", re.compile(r"(?<![\w.])-?\d+(?![\w.]*\d)"), r"-?\d+", "4242"),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z_]{3,}")
NEAR_MISS_WORD = "something"


class ScaffoldError(ValueError):
    """The line cannot make a pattern (blank, or nothing to match on)."""


@dataclass
class Piece:
    text: str
    kind: str  # "literal" or a token name
    regex: str
    other: str  # the text in the second example


@dataclass
class Draft:
    """What `patterns new` proposes; `toml` is the file, validated by the schema."""

    pattern: Pattern
    toml: str
    line: str
    where: str
    problems: list[str] = field(default_factory=list)


def pieces(text: str) -> list[Piece]:
    """The line cut into literal runs and variable tokens (earlier token kinds win overlaps)."""
    spans: list[tuple[int, int, int]] = []  # start, end, index in _TOKENS
    taken = [False] * len(text)
    for i, (_, rx, _, _) in enumerate(_TOKENS):
        for m in rx.finditer(text):
            if m.end() > m.start() and not any(taken[m.start() : m.end()]):
                spans.append((m.start(), m.end(), i))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    out: list[Piece] = []
    pos = 0
    for start, end, i in sorted(spans):
        if start > pos:
            out.append(_literal(text[pos:start]))
        name, _, cls, other = _TOKENS[i]
        out.append(Piece(text[start:end], name, cls, other))
        pos = end
    if pos < len(text):
        out.append(_literal(text[pos:]))
    return out


def _literal(text: str) -> Piece:
    regex = r"\s+".join(re.escape(part) for part in re.split(r"\s+", text))
    return Piece(text, "literal", regex, text)


def _key_word(parts: list[Piece]) -> str | None:
    """The longest word in the literal parts: the one the near miss changes."""
    words = [w for p in parts if p.kind == "literal" for w in _WORD.findall(p.text)]
    return max(words, key=len) if words else None


def pattern_id(parts: list[Piece]) -> str:
    words = [w.lower() for p in parts if p.kind == "literal" for w in re.findall(r"[A-Za-z]{3,}", p.text)]
    slug = "-".join(dict.fromkeys(words))[:48].strip("-") or "new-cause"
    slug = re.sub(r"-+", "-", slug.rsplit("-", 1)[0] if len(slug) == 48 and "-" in slug else slug)
    return slug if re.match(ID_PATTERN, slug) else "new-cause"


def _toml_str(value: str) -> str:
    """A TOML string: literal '...' or '''...''' when it can be (regexes stay readable), else basic."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return json.dumps(value, ensure_ascii=False)
    if "'" not in value:
        return f"'{value}'"
    if "'''" not in value and not value.startswith("'") and not value.endswith("''"):
        return f"'''{value}'''"  # a literal string may end with one quote before its delimiter
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    return "[\n" + "".join(f"    {_toml_str(v)},\n" for v in values) + "]"


def scaffold(
    line: str, where: str, message: str | None = None, level: str | None = None, pid: str | None = None
) -> Draft:
    """A draft pattern for one log line (`where`: LOG:LINE, for the text); raises ScaffoldError.

    message and level: a log record's message part and level (the regex matches the message; the
    rule keeps the level); None for a line that is not a record."""
    line = line.rstrip("\r\n")
    if message is None or not message.strip() or message not in line:
        message, level = line.strip(), None
    message = message.strip()
    levels = [level] if level in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR") else None
    if not message:
        raise ScaffoldError(f"{where}: the line is blank")
    parts = pieces(message)
    literal = "".join(p.text for p in parts if p.kind == "literal")
    if len(re.sub(r"\W", "", literal)) < 3:
        raise ScaffoldError(f"{where}: the line has no words to match on, only numbers, names or paths")
    regex = "".join(p.regex for p in parts)
    second = line.replace(message, "".join(p.other for p in parts), 1)
    near = _near_misses(line, message, parts)
    pid = pid or pattern_id(parts)
    title = " ".join("".join(p.text if p.kind == "literal" else f"<{p.kind}>" for p in parts).split())
    if len(title) > 120:
        title = title[:120].rsplit(" ", 1)[0] + " ..."
    data = {
        "id": pid,
        "title": title if len(title) >= 3 else f"Log line: {title}",
        "title_ko": title if len(title) >= 3 else f"로그: {title}",
        "severity": "error",
        "component": "general",
        "kind": "root-cause",
        "why": f"Drafted by `warboy-triage patterns new` from {where}. Say what causes this line and how to tell.",
        "keywords": list(dict.fromkeys(w.lower() for w in _WORD.findall(literal)))[:8],
        "remediation": ["Say how to fix it: the first step a user should take."],
        "remediation_ko": ["해결 방법을 적는다: 사용자가 먼저 해야 할 일."],
        "references": [f"{where} (the log this pattern was drafted from)"],
        "examples": [line, second],
        "counterexamples": near,
        "match": [{"message": regex, **({"level": levels} if levels else {})}],
    }
    pattern = Pattern.model_validate(data)
    rule = pattern.match[0]
    problems = []
    for i, text in enumerate(data["examples"], 1):
        if rule._message is None or not rule._message.search(text):
            problems.append(f"example {i} does not match the regex")
    for i, text in enumerate(near, 1):
        if rule._message is not None and rule._message.search(text):
            problems.append(f"counterexample {i} matches the regex")
    if rule.literals() is None:
        problems.append("the regex has no literal of 3 characters: the fast scan must try it on every line")
    return Draft(pattern, _render(data), line, where, problems)


def _near_misses(line: str, message: str, parts: list[Piece]) -> list[str]:
    """The line with its key word changed, and the line without its last variable part (or, when
    it has none, without its last word)."""
    out = []
    key = _key_word(parts)
    if key is not None:
        other = NEAR_MISS_WORD if key.lower() != NEAR_MISS_WORD else "nothing"
        out.append(line.replace(message, message.replace(key, other, 1), 1))
    variables = [i for i, p in enumerate(parts) if p.kind != "literal"]
    if variables:
        cut = "".join(p.text for p in parts[: variables[-1]]).rstrip()
    else:
        cut = message.rsplit(None, 1)[0] if len(message.split()) > 1 else message[: len(message) // 2]
    out.append(line.replace(message, cut, 1))
    while len(out) < 2:
        out.append(line.replace(message, NEAR_MISS_WORD, 1))
    return list(dict.fromkeys(out)) if len(set(out)) >= 2 else [out[0], line.replace(message, NEAR_MISS_WORD, 1)]


def _render(data: dict) -> str:  # type: ignore[type-arg]
    rule = data["match"][0]
    lines = [
        f"# Drafted by `warboy-triage patterns new` from {data['references'][0].split(' (', 1)[0]}.",
        "# Fill in title, why and remediation (English and Korean), check the examples, then run",
        "# `warboy-triage patterns test`. Example 2 and the counterexamples are made from the line",
        "# (variable parts changed, key word changed, last variable part cut): replace them with real",
        "# lines when you have them.",
        f"id = {_toml_str(data['id'])}",
        f"title = {_toml_str(data['title'])}",
        f"title_ko = {_toml_str(data['title_ko'])}",
        f"severity = {_toml_str(data['severity'])}",
        f"component = {_toml_str(data['component'])}",
        f"kind = {_toml_str(data['kind'])}",
        f"why = {_toml_str(data['why'])}",
        f"keywords = {json.dumps(data['keywords'], ensure_ascii=False)}",
        f"remediation = {_toml_list(data['remediation'])}",
        f"remediation_ko = {_toml_list(data['remediation_ko'])}",
        f"references = {_toml_list(data['references'])}",
        f"examples = {_toml_list(data['examples'])}",
        f"counterexamples = {_toml_list(data['counterexamples'])}",
        "",
        "[[match]]",
        f"message = {_toml_str(rule['message'])}",
    ]
    if "level" in rule:
        lines.append(f"level = {json.dumps(rule['level'])}")
    return "\n".join(lines) + "\n"
