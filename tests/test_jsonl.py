"""JSONL: `--format jsonl` records per input, `--input-format jsonl` reads shippers' records."""

from __future__ import annotations

import io
import json

from typer.testing import CliRunner

from tests.conftest import FIXTURES
from triage.cli import app
from triage.jsonl_input import jsonl_reader
from triage.reader import Source

SEED = FIXTURES / "seed-incompatible-config.log"
MULTI = FIXTURES / "seed-incompatible-config-multiline.log"
runner = CliRunner()


def _records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _lines(data: bytes, key: str = "message") -> tuple[list[tuple[int, str]], Source]:
    src = Source(name="t")
    got = [(ln.no, ln.text) for ln in jsonl_reader(key)(io.BytesIO(data), src)]
    return got, src


def test_jsonl_output_one_record_per_line_with_a_closing_source_record() -> None:
    result = runner.invoke(app, ["analyze", str(SEED), str(MULTI), "--format", "jsonl"])
    assert result.exit_code == 1
    recs = _records(result.stdout)
    kinds = [(r["record"], r["source"]) for r in recs]
    assert kinds == [("finding", str(SEED)), ("source", str(SEED)), ("finding", str(MULTI)), ("source", str(MULTI))]
    finding = recs[0]
    assert finding["id"] == "sdk-version-mismatch" and finding["rank"] == 1 and finding["evidence"]
    assert recs[1]["findings"] == 1 and recs[1]["lines"] == 1 and recs[1]["schema_version"] == 1


def test_jsonl_output_keeps_going_after_an_unreadable_input(tmp_path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "gone.log"), str(SEED), "--format", "jsonl"])
    assert result.exit_code == 2
    assert "gone.log: no such file" in result.stderr
    assert [r["record"] for r in _records(result.stdout)] == ["finding", "source"]


def test_jsonl_output_for_a_healthy_log(tmp_path) -> None:
    log = tmp_path / "ok.log"
    log.write_text("2023-02-11T06:22:18.730497Z  INFO nux: Profiler enabled\n")
    result = runner.invoke(app, ["analyze", str(log), "--format", "jsonl", "--label", "host=npu-01"])
    assert result.exit_code == 0
    assert _records(result.stdout) == [
        {
            "record": "source",
            "source": str(log),
            "lines": 1,
            "bytes": log.stat().st_size,
            "notes": [],
            "findings": 0,
            "schema_version": 1,
            "labels": {"host": "npu-01"},
        }
    ]


def _shipped(lines: list[str], key: str = "message") -> str:
    """The multi-line seed log as Vector would ship it: one JSON record per log line."""
    return "".join(
        json.dumps({"timestamp": "2023-02-11T06:22:18Z", "host": "npu-node-3", key: ln}) + "\n" for ln in lines
    )


def test_input_jsonl_gives_the_same_diagnosis_as_the_plain_log(tmp_path) -> None:
    shipped = tmp_path / "vector.jsonl"
    shipped.write_text(_shipped(MULTI.read_text().splitlines()))
    plain = runner.invoke(app, ["analyze", str(MULTI), "--format", "json"])
    via = runner.invoke(app, ["analyze", str(shipped), "--input-format", "jsonl", "--format", "json"])
    assert via.exit_code == plain.exit_code == 1
    want = [(f["id"], [e["line"] for e in f["evidence"]]) for f in json.loads(plain.stdout)["findings"]]
    got = [(f["id"], [e["line"] for e in f["evidence"]]) for f in json.loads(via.stdout)["findings"]]
    assert got == want  # one record per line: record numbers are the log's line numbers


def test_message_key_with_nested_field(tmp_path) -> None:
    shipped = tmp_path / "fluent.jsonl"
    shipped.write_text(
        "".join(
            json.dumps({"kubernetes": {"pod": "p"}, "data": {"log": ln}}) + "\n"
            for ln in MULTI.read_text().splitlines()
        )
    )
    result = runner.invoke(
        app, ["analyze", str(shipped), "--input-format", "jsonl", "--message-key", "data.log", "--format", "jsonl"]
    )
    assert [r["id"] for r in _records(result.stdout) if r["record"] == "finding"] == ["sdk-version-mismatch"]


def test_non_json_lines_are_plain_text_with_a_note() -> None:
    data = b'{"message": "first"}\nnot json at all\n{"message": "third"}\n{broken json\n'
    got, src = _lines(data)
    assert got == [(1, "first"), (2, "not json at all"), (3, "third"), (4, "{broken json")]
    assert src.notes == ["2 line(s) were not JSON records and were read as plain text (the first is line 2)"]


def test_records_without_the_key_are_skipped_with_a_hint() -> None:
    data = b'{"MESSAGE": "journald line", "_PID": "12"}\n{"message": "kept"}\n'
    got, src = _lines(data)
    assert got == [(2, "kept")]
    assert "1 JSON record(s) had no 'message' field" in src.notes[0]
    assert "fields: MESSAGE, _PID" in src.notes[0] and "--message-key" in src.notes[0]


def test_multi_line_messages_keep_the_record_number_and_are_cleaned() -> None:
    tb = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\r\nValueError: \x1b[31mbad\x1b[0m'
    got, _ = _lines((json.dumps({"message": tb}) + "\n").encode())
    assert got == [
        (1, "Traceback (most recent call last):"),
        (1, '  File "x.py", line 1, in <module>'),
        (1, "ValueError: bad"),
    ]


def test_hostile_json_records_do_not_crash() -> None:
    deep = "[" * 100000 + "]" * 100000
    data = (
        "\n".join(
            [
                '{"message": ' + deep + "}",  # RecursionError inside json
                '{"message": 12345}',
                '{"message": null}',
                '{"message": {"nested": "object"}}',
                '["an", "array"]',
                '{"message": "' + "9" * 5000 + '"}',
                '{"n": ' + "9" * 5000 + "}",  # int too large for Python's default str->int limit
                '\x00\x00{"message": "after NULs"}',
            ]
        ).encode()
        + b'\n\xff\xfe{"message": "bad utf8"}\n'
    )
    got, src = _lines(data)
    assert (2, "12345") in got and (4, '{"nested": "object"}') in got
    assert all(isinstance(no, int) for no, _ in got)
    assert src.lines == 9 and src.notes


def test_stream_stops_reading_when_the_output_is_closed(tmp_path) -> None:
    from triage.kb import load
    from triage.stream import stream_jsonl

    written: list[str] = []

    def closed_after_first(text: str) -> bool:
        written.append(text)
        return False

    result = stream_jsonl([str(SEED), str(tmp_path / "never-read.log")], load(), closed_after_first, 20)
    assert result.closed and len(written) == 1 and not result.errors  # the missing file was never opened
    assert [f.id for f in result.findings] == ["sdk-version-mismatch"]
