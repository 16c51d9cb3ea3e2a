"""Ranking on logs that carry several causes at once (triage/matcher.py rank_key).

The rule: real problems before guidance and noise; root cause above symptom above generic;
error above warning above info; then the earliest line that fired the finding.
"""

from __future__ import annotations

BOOT_010 = """\
FuriosaRT (v0.10.2, rev: 1a2b3c4d5, built at: 2023-11-24T07:20:41Z) bootstrapping ...
Found furiosa-compiler (v0.10.1, rev: 8b00177, built at: 2023-11-22T04:44:57Z)
Found libhal (type: warboy, v0.11.0, rev: 43c901f built at: 2023-08-07T08:07:55Z)
[Runtime-0] detected 1 NPU device(s):
- [0] npu:0:0-1 (warboy-b0-2pe, 128dpes, firmware: 1.7.3, e1c4288)
Runtime-0 has started
"""

OTEL = "OpenTelemetry trace error occurred. cannot send span to the batch span processor because the channel is full\n"

INTERNAL_15 = """\
Traceback (most recent call last):
  File "/srv/app/worker.py", line 40, in <module>
    sess = session.create("model.enf")
furiosa.runtime.errors.InternalError: unknown (native error code: 15)
"""


def ranked(analyze_text, text: str) -> list[tuple[str, str]]:
    return [(f.id, f.severity) for f in analyze_text(text).findings]


def test_device_busy_above_generic_code_above_noise(analyze_text) -> None:
    # The noise comes first in the log and there are many lines of it: it still ranks last,
    # and the bare InternalError 15 (generic) ranks below the specific cause.
    log = (
        BOOT_010
        + OTEL * 3
        + INTERNAL_15
        + "2023-11-27T04:12:55.013344Z ERROR All NPU device is busy: Device warboy(1)*1 found but still in use\n"
        + OTEL
    )
    report = analyze_text(log)
    assert [(f.id, f.rank) for f in report.findings] == [
        ("device-busy", 1),
        ("native-error", 2),
        ("telemetry-noise", 3),
    ]
    noise = report.findings[2]
    assert noise.severity == "info" and noise.kind == "noise" and noise.evidence_count == 4


def test_noise_alone_is_info_only(analyze_text) -> None:
    report = analyze_text(BOOT_010 + OTEL * 5)
    assert [(f.id, f.severity) for f in report.findings] == [("telemetry-noise", "info")]
    assert report.worst_severity() == "info"


def test_sdk_skew_absorbs_compiler_ir_warning(analyze_text) -> None:
    # Components from two releases and the compiler's IR warning are one cause: a single
    # finding, the IR line in its evidence, compiler-ir-skew named in `explains`.
    log = """\
Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)
2023-09-05T11:02:37.418226Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR may be not compatible
Information Dump
- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)
- furiosa-compiler version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)
- furiosa-runtime version: 0.10.1 (rev: 1a2b3c4d)
"""
    report = analyze_text(log)
    assert [(f.id, f.severity) for f in report.findings] == [("sdk-version-mismatch", "warning")]
    finding = report.findings[0]
    assert finding.explains == ["compiler-ir-skew"]
    assert 2 in {e.line for e in finding.evidence}


def test_sdk_mismatch_error_with_ir_warning_and_code_15(analyze_text) -> None:
    log = """\
2023-02-11T06:22:18.700101Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR may be not compatible
2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.
furiosa.runtime.errors.InternalError: unknown (native error code: 15)
"""
    report = analyze_text(log)
    assert [(f.id, f.severity) for f in report.findings] == [("sdk-version-mismatch", "error")]
    assert {e.line for e in report.findings[0].evidence} >= {1, 2, 3}


def test_ir_skew_alone_still_ranks_above_the_generic_code(analyze_text) -> None:
    # A root-cause warning beats a generic error: the warning says why, the code only that it failed.
    log = (
        "2023-09-05T11:02:37.418226Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR"
        " may be not compatible\n" + INTERNAL_15
    )
    assert ranked(analyze_text, log) == [("compiler-ir-skew", "warning"), ("native-error", "error")]


def test_root_cause_above_earlier_symptom(analyze_text) -> None:
    # The session-closed error is printed first, but running out of device DRAM is the cause.
    log = """\
furiosa.runtime.errors.SessionTerminated: Session or AsyncSession terminated (native error code: 22)
uNpuDrv (E) [alloc:59] Not enough memory
"""
    assert ranked(analyze_text, log) == [("dram-exhausted", "error"), ("session-closed", "error")]


def test_root_cause_warning_above_symptom_error(analyze_text) -> None:
    log = """\
2023-07-03T06:40:10.100000Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR may be not compatible
furiosa.runtime.errors.QueueWaitTimeout: queue waiting timed out (native error code: 11)
"""
    assert ranked(analyze_text, log) == [("compiler-ir-skew", "warning"), ("queue-wait-timeout", "error")]


def test_symptom_above_generic_even_when_later(analyze_text) -> None:
    log = INTERNAL_15 + "furiosa.runtime.errors.QueueWaitTimeout: queue waiting timed out (native error code: 11)\n"
    assert ranked(analyze_text, log) == [("queue-wait-timeout", "error"), ("native-error", "error")]


def test_error_above_warning_within_root_causes(analyze_text) -> None:
    log = (
        "2023-09-05T11:02:37.418226Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR"
        " may be not compatible\nSystemExit: fail to find libnux\n"
    )
    assert ranked(analyze_text, log) == [("libnux-missing", "error"), ("compiler-ir-skew", "warning")]


def test_earliest_evidence_breaks_ties(analyze_text) -> None:
    mismatch = "2022-12-08T02:17:40.771945Z ERROR nux: Model and device configuration mismatch (num_slice: 128 != 64)\n"
    busy = "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)\n"
    assert ranked(analyze_text, mismatch + busy) == [("model-device-mismatch", "error"), ("device-busy", "error")]
    assert ranked(analyze_text, busy + mismatch) == [("device-busy", "error"), ("model-device-mismatch", "error")]


def test_supporting_lines_do_not_decide_the_tie(analyze_text) -> None:
    # device-busy's supporting NPU_DEVNAME line is on line 1, but what fired it is on line 3;
    # the num_slice error on line 2 fired first.
    log = (
        "$ NPU_DEVNAME=npu0pe0 python3 run.py\n"
        "2022-12-08T02:17:40.771945Z ERROR nux: Model and device configuration mismatch (num_slice: 128 != 64)\n"
        "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)\n"
    )
    assert ranked(analyze_text, log) == [("model-device-mismatch", "error"), ("device-busy", "error")]


def test_driver_missing_absorbs_device_not_found(analyze_text) -> None:
    log = (
        "ls: cannot access '/dev/npu*': No such file or directory\n"
        "2023-12-01T09:14:02.554028Z ERROR nux: No device\n" + INTERNAL_15
    )
    report = analyze_text(log)
    assert [f.id for f in report.findings] == ["driver-or-firmware-missing"]
    assert report.findings[0].explains == ["device-not-found"]


def test_no_device_alone_claims_the_bare_code(analyze_text) -> None:
    # The InternalError 15 that follows 'No device' is that failure, not a second unknown one.
    log = "2023-10-04T03:21:45.200341Z ERROR nux: No device\n" + INTERNAL_15
    assert ranked(analyze_text, log) == [("device-not-found", "error")]


def test_ambiguous_code_shows_both_readings_as_possible(analyze_text) -> None:
    # `native error code: 7` with nothing saying who printed it: device DRAM (compiler 7) and
    # invalid inputs (runtime 7) are both listed, each only 'possible'.
    report = analyze_text("failed (native error code: 7)\n")
    assert sorted(f.id for f in report.findings) == ["dram-exhausted", "invalid-io-index-or-buffer"]
    assert {f.confidence for f in report.findings} == {"possible"}


def test_compile_time_dram_absorbs_compilation_failed(analyze_text) -> None:
    log = """\
furiosa.tools.compiler.api.errors.OutOfDram: Out of dram (native error code: 7)
furiosa.runtime.errors.CompilationFailed: fail to compile a given model to NPU binary (native error code: 14)
"""
    report = analyze_text(log)
    assert [(f.id, f.severity) for f in report.findings] == [("dram-exhausted", "error")]
    assert report.findings[0].explains == ["compilation-failed"]


def test_ir_skew_warning_keeps_the_compile_failure_visible(analyze_text) -> None:
    # compiler-ir-skew does not fold compilation-failed: the failure would then show as a mere
    # warning. The skew ranks first (root cause), the failed compile second (symptom, error).
    log = (
        "2023-09-05T11:02:37.418226Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR"
        " may be not compatible\nfuriosa.runtime.errors.CompilationFailed: fail to compile a given model"
        " to NPU binary (native error code: 14)\n"
    )
    report = analyze_text(log)
    assert ranked(analyze_text, log) == [("compiler-ir-skew", "warning"), ("compilation-failed", "error")]
    assert report.worst_severity() == "error"


def test_heuristic_on_users_numbers_ranks_below_a_printed_compile_failure(analyze_text) -> None:
    # A compile log that mentions a previous model's latency: the latency guess (confidence: possible)
    # must not outrank the failure the runtime printed, whatever their kinds.
    log = (
        "previous model yolov5s: inference latency 212.4 ms per image\n"
        "furiosa.runtime.errors.CompilationFailed: fail to compile a given model to NPU binary (native error code: 14)\n"
    )
    report = analyze_text(log)
    assert [f.id for f in report.findings] == ["compilation-failed", "cpu-fallback-operator"]
    assert [f.confidence for f in report.findings] == ["likely", "possible"]
