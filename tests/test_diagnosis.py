"""The compact diagnosis shared by the notebook, pytest and excepthook integrations."""

from __future__ import annotations

from tests.conftest import FIXTURES
from triage.api import Report
from triage.diagnosis import compact_html, compact_text, diagnose, diagnose_exception, explain_query
from triage.report import Finding


def test_silent_unless_recognised() -> None:
    assert diagnose("Traceback (most recent call last):\nZeroDivisionError: division by zero\n") is None
    assert diagnose("   \n") is None
    noise = (FIXTURES / "telemetry-noise.log").read_text()
    assert diagnose(noise) is None  # only a noise finding: nothing worth interrupting the user for


def test_unexplained_failures_speak_only_when_they_are_warboy_ones() -> None:
    """The safety net reports every failure no cause explains; the integrations comment only on Warboy's.

    The panic and nux lines follow the formats of tests/test_unrecognized.py and furiosa-facts (synthetic text)."""
    warboy = {
        "rust panic": "thread 'tokio-runtime-worker' panicked at src/peers.rs:28:72:\nboom\n",
        "nux record": "2023-06-02T11:20:41.118207Z ERROR nux::npu: something odd happened\n",
        "furiosa exception": 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
        "furiosa.models.vision.Oops: not in the knowledge base\n",
    }
    for what, text in warboy.items():
        report = diagnose(text)
        assert report is not None and report.findings[0].id == "unrecognized-error", what
        assert "A failure that no known cause explains" in compact_text(report)
    user = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: bad value\n'
    from triage.api import analyze

    assert [f.id for f in analyze(user).findings] == ["unrecognized-error"]  # the net caught it ...
    assert diagnose(user) is None  # ... and the integrations stay quiet


def test_exception_with_output_before_it() -> None:
    """A bare InternalError 15 says little; the native line printed before it names the cause."""
    try:
        raise RuntimeError("unknown (native error code: 15)")
    except RuntimeError as exc:
        alone = diagnose_exception(exc)
        with_log = diagnose_exception(
            exc, output="2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.\n"
        )
    assert alone is not None and alone.findings[0].id == "native-error"
    assert explain_query(alone, alone.findings[0]) in ("runtime:15", "15")
    assert with_log is not None and with_log.findings[0].id == "sdk-version-mismatch"
    assert explain_query(with_log, with_log.findings[0]) == "sdk-version-mismatch"


def test_compact_forms_are_safe() -> None:
    hostile = Finding(
        id="x",
        title="<script>alert(1)</script>\x1b]0;owned\x07",
        severity="error",
        rank=1,
        remediation=["run `rm -rf <b>` \x1b[2J now"],
    )
    report = Report(findings=[hostile])
    html = compact_html(report)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html.replace("<b>Fix:</b>", "").replace("<b>More:</b>", "")
    text = compact_text(report)
    assert "\x1b" not in text and "\x07" not in text
    assert "Fix: run `rm -rf <b>`" in text


def test_korean() -> None:
    report = diagnose("furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)", lang="ko")
    assert report is not None
    assert report.findings[0].title_ko in compact_text(report, lang="ko")
    assert report.findings[0].remediation_ko[0][:20] in compact_text(report, lang="ko")
