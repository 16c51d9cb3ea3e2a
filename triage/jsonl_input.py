"""`--input-format jsonl`: read the JSON records that log shippers write, one per line.

Vector and Fluent Bit put the log line in a field (`message` in Vector, `log` in Fluent Bit
and Docker's json-file driver, `MESSAGE` in `journalctl -o json`); `--message-key` names it,
with dots for a nested field (`kubernetes.log`). Line numbers are the record's line in the
JSONL input; a message holding several lines (a traceback shipped as one event) keeps that
number for each of them. Lines that are not JSON records are read as plain text, with a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from triage.reader import Line, LineReader, Source, clean, raw_lines, split_flattened

DEFAULT_MESSAGE_KEY = "message"
_NOT_A_RECORD = object()
_MAX_KEYS_SHOWN = 8


def _field(record: dict[str, Any], key: str) -> Any:
    """record[key], or the nested value of a dotted key ("kubernetes.log")."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _message(text: str, key: str) -> Any:
    """The message text of one JSONL line; None when the record lacks it; _NOT_A_RECORD."""
    if not text.lstrip().startswith("{"):
        return _NOT_A_RECORD
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: crafted deep nesting
        return _NOT_A_RECORD
    if not isinstance(record, dict):
        return _NOT_A_RECORD
    value = _field(record, key)
    if value is None:
        return _MissingKey(list(record)[:_MAX_KEYS_SHOWN])
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class _MissingKey:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys


def _pieces(text: str) -> Iterator[str]:
    """The same cleaning as plain text: CR and LF end pieces, escapes go, pastes are re-split."""
    for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        part = clean(part)
        if part.strip():
            yield from split_flattened(part)


def jsonl_reader(message_key: str = DEFAULT_MESSAGE_KEY) -> LineReader:
    """A reader.LineReader for JSONL shipper records with the message in `message_key`."""

    def iter_records(stream: BinaryIO, source: Source) -> Iterator[Line]:
        plain: list[int] = []  # [count, first line]
        missing: list[int] = []
        missing_keys: list[str] = []
        for no, raw in raw_lines(stream, source):
            text = raw.decode("utf-8", errors="replace")
            message = _message(text, message_key)
            if message is _NOT_A_RECORD:
                if text.strip():
                    plain = [plain[0] + 1, plain[1]] if plain else [1, no]
                message = text
            elif isinstance(message, _MissingKey):
                if not missing:
                    missing_keys = message.keys
                missing = [missing[0] + 1, missing[1]] if missing else [1, no]
                continue
            for piece in _pieces(message):
                yield Line(no, piece)
        if plain:
            source.notes.append(
                f"{plain[0]} line(s) were not JSON records and were read as plain text (the first is line {plain[1]})"
            )
        if missing:
            keys = ", ".join(clean(k)[:40] for k in missing_keys) or "none"
            source.notes.append(
                f"{missing[0]} JSON record(s) had no '{message_key}' field and were skipped (the first is"
                f" line {missing[1]}, with fields: {keys}); choose the field with --message-key"
            )

    return iter_records
