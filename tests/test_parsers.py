"""Each parser on real-format lines from furiosa-facts.md, with exact expected values."""

from __future__ import annotations

import pytest

from triage.parsers import Parsers
from triage.parsers.exceptions import parse_exception_line
from triage.parsers.log_records import LogRecord, parse_record
from triage.parsers.versions import first_versions, skew
from triage.reader import Line


def parse(text: str) -> Parsers:
    parsers = Parsers()
    for no, line in enumerate(text.splitlines(), 1):
        parsers.feed(Line(no, line), "t.log")
    parsers.end_source()
    return parsers


# --- versions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "component", "version"),
    [
        ("- Python version: 3.8.10 (default, Nov 14 2022, 12:59:47) [GCC 9.4.0]", "python", "3.8.10"),
        ("- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)", "furiosa-libnux", "0.8.0"),
        ("- furiosa-compiler version: 0.9.1 (rev: 4b1a0c2 built at 2023-05-02T01:00:00Z)", "furiosa-compiler", "0.9.1"),
        ("- furiosa-runtime version: 0.8.2-release (rev: e97bb1ee)", "furiosa-runtime", "0.8.2"),
        ("libfuriosa_hal.so --- v0.11.0, built @ 43c901f", "libfuriosa_hal", "0.11.0"),
        ("libfuriosa_hal.so --- v2.0, built @ 9928508", "libfuriosa_hal", "2.0"),
        (
            "FuriosaRT (v0.10.2, rev: 1a2b3c4d5, built at: 2023-11-24T07:20:41Z) bootstrapping ...",
            "furiosart",
            "0.10.2",
        ),
        (
            "Found furiosa-compiler (v0.10.1, rev: 8b00177, built at: 2023-11-22T04:44:57Z)",
            "furiosa-compiler",
            "0.10.1",
        ),
        (
            "Found libhal (type: warboy, v0.11.0, rev: 43c901f built at: 2023-08-07T08:07:55Z)",
            "libfuriosa_hal",
            "0.11.0",
        ),
        ("- [0] npu:0:0-1 (warboy-b0-2pe, 128dpes, firmware: 1.7.3, e1c4288)", "firmware", "1.7.3"),
        ("furiosa-sdk==0.10.2", "furiosa-sdk", "0.10.2"),
        ("furiosa-runtime 0.10.2", "furiosa-runtime", "0.10.2"),
        ("furiosa-quantizer          0.10.0", "furiosa-quantizer", "0.10.0"),
        ("Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)", "furiosa-compiler", "0.8.0"),
        ("ii  furiosa-libnux  0.10.1-3  amd64  FuriosaAI NPU runtime library", "furiosa-libnux", "0.10.1"),
    ],
)
def test_version_line(line: str, component: str, version: str) -> None:
    found = parse(line).result.versions
    assert [(name, v.version, v.line) for name, v in found] == [(component, version, 1)]


def test_version_near_misses() -> None:
    text = "\n".join(
        [
            "2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
            "Please check the compiler log at /root/.local/state/furiosa/logs/compile-20221110100220-uf3l8a.log.",
            "- furiosa-libnux path: /usr/lib/x86_64-linux-gnu/libnux.so",
            "pip install furiosa-sdk",
        ]
    )
    assert parse(text).result.versions == []


def test_first_version_wins_and_skew_is_across_release_lines() -> None:
    text = "\n".join(
        [
            "- furiosa-libnux version: 0.9.0 (rev: 1)",
            "- furiosa-compiler version: 0.9.0 (rev: 1)",
            "- furiosa-runtime version: 0.10.1 (rev: 2)",
            "- furiosa-runtime version: 0.10.2 (rev: 3)",
            "libfuriosa_hal.so --- v0.11.0, built @ 43c901f",
        ]
    )
    found = parse(text).result.versions
    assert {k: (v.version, v.line) for k, v in first_versions(found).items()} == {
        "furiosa-libnux": ("0.9.0", 1),
        "furiosa-compiler": ("0.9.0", 2),
        "furiosa-runtime": ("0.10.1", 3),
        "libfuriosa_hal": ("0.11.0", 5),
    }
    (s,) = skew(found)
    assert s.components == {"furiosa-libnux": "0.9.0", "furiosa-compiler": "0.9.0", "furiosa-runtime": "0.10.2"}
    assert s.detail == (
        "SDK components from different releases: 0.9.x (furiosa-compiler, furiosa-libnux) vs 0.10.x (furiosa-runtime)"
    )


def test_same_release_line_is_not_skew() -> None:
    text = "- furiosa-libnux version: 0.8.0 (rev: 1)\n- furiosa-runtime version: 0.8.2-release (rev: 2)"
    assert skew(parse(text).result.versions) == []


# --- native error codes ------------------------------------------------------------------------


def codes_of(text: str) -> list[tuple[int, str, str, bool, int]]:
    return [(c.code, c.name, c.table, c.ambiguous, c.line) for c in parse(text).result.error_codes]


def test_runtime_exception_decides_runtime_table() -> None:
    assert codes_of("furiosa.runtime.errors.InternalError: unknown (native error code: 15)") == [
        (15, "INTERNAL_ERROR", "runtime", False, 1)
    ]


def test_compiler_exception_decides_compiler_table() -> None:
    line = "furiosa.tools.compiler.api.errors.OutOfInstructionMemory: Out of instruction memory (native error code: 9)"
    assert codes_of(line) == [(9, "OUT_OF_INSTUCTION_MEMORY", "compiler", False, 1)]


def test_legacy_module_and_bare_class_decide_the_table() -> None:
    assert codes_of("furiosa.runtime.legacy.errors.DeviceBusy: NPU device busy (native error code: 23)") == [
        (23, "DEVICE_BUSY", "runtime", False, 1)
    ]
    assert codes_of("OutOfSram: Out of sram (native error code: 8)") == [(8, "OUT_OF_SRAM", "compiler", False, 1)]


def test_surrounding_lines_decide_the_table() -> None:
    text = "2023-05-02T08:14:50.000000Z  INFO furiosa_compiler::api: lowering\nerror: failed (native error code: 7)"
    assert codes_of(text) == [(7, "OUT_OF_DRAM", "compiler", False, 2)]
    text = "2023-05-02T08:14:50.000000Z  INFO nux::session: run\nerror: failed (native error code: 9)"
    assert codes_of(text) == [(9, "GET_TASK_FAILED", "runtime", False, 2)]


def test_undecided_code_gives_both_readings() -> None:
    assert codes_of("Error: (native error code: 9)") == [
        (9, "GET_TASK_FAILED", "runtime", True, 1),
        (9, "OUT_OF_INSTUCTION_MEMORY", "compiler", True, 1),
    ]


def test_code_in_only_one_table_is_not_ambiguous() -> None:
    assert codes_of("Error: (native error code: 23)") == [(23, "DEVICE_BUSY", "runtime", False, 1)]
    assert codes_of("Error: (native error code: 255)") == [(255, "OTHER", "compiler", False, 1)]


# --- exceptions --------------------------------------------------------------------------------

TRACEBACK = """\
Traceback (most recent call last):
  File "/home/u/run.py", line 57, in <module>
    main(model)
  File "/usr/lib/python3/site-packages/furiosa/runtime/session.py", line 142, in __init__
    raise into_exception(err)
furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)
"""


def test_traceback_block() -> None:
    (x,) = parse(TRACEBACK).result.exceptions
    assert (x.type, x.message, x.line, x.code) == (
        "furiosa.runtime.errors.DeviceBusy",
        "NPU device busy (native error code: 23)",
        6,
        23,
    )
    assert [(f.file, f.line, f.function, f.code) for f in x.frames] == [
        ("/home/u/run.py", 57, "<module>", "main(model)"),
        ("/usr/lib/python3/site-packages/furiosa/runtime/session.py", 142, "__init__", "raise into_exception(err)"),
    ]


def test_one_line_exceptions() -> None:
    text = "\n".join(
        [
            "ValueError: mismatching dimension",
            "SystemExit: fail to find libnux",
            "furiosa.runtime.errors.SessionClosed: Session or AsyncSession is already closed. Please create a new session.",
            "E   AssertionError: Not equal to tolerance rtol=1e-05, atol=0",
        ]
    )
    got = [(x.type, x.message, x.line) for x in parse(text).result.exceptions]
    assert got == [
        ("ValueError", "mismatching dimension", 1),
        ("SystemExit", "fail to find libnux", 2),
        (
            "furiosa.runtime.errors.SessionClosed",
            "Session or AsyncSession is already closed. Please create a new session.",
            3,
        ),
        ("AssertionError", "Not equal to tolerance rtol=1e-05, atol=0", 4),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Note: compiling may take a while",
        "Warning: deprecated option",
        "2023-02-11T06:22:18.937053Z ERROR nux::capi: internal error: incompatible configuration",
        "ERROR: something",
        "Error",
    ],
)
def test_not_exceptions(line: str) -> None:
    assert parse_exception_line(line) is None


def test_deep_recursion_keeps_last_frames_and_counts_the_rest() -> None:
    frames = "".join(f'  File "/x/rec.py", line {i}, in f\n    f()\n' for i in range(1, 1001))
    (x,) = parse(
        "Traceback (most recent call last):\n" + frames + "RecursionError: maximum recursion depth"
    ).result.exceptions
    assert len(x.frames) == 50 and x.frames_omitted == 950
    assert x.frames[-1].line == 1000


def test_chained_tracebacks_give_two_exceptions() -> None:
    text = TRACEBACK + "\nDuring handling of the above exception, another exception occurred:\n\n" + TRACEBACK
    assert [x.line for x in parse(text).result.exceptions] == [6, 15]


# --- log records -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "record"),
    [
        (
            "2022-11-10T10:02:21.012345Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
            LogRecord("INFO", "nux::npu", "2022-11-10T10:02:21.012345Z", "Npu (npu0pe0-1) is being initialized"),
        ),
        (
            "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU.",
            LogRecord("ERROR", "nux", "2023-02-11T06:22:18.931755Z", "ENF configuration is not compatible with NPU."),
        ),
        (
            "2023-05-02T08:14:55.120331Z  WARN furiosa_compiler::api: furiosa-compiler and the dependent IR may be not compatible",
            LogRecord(
                "WARN",
                "furiosa_compiler::api",
                "2023-05-02T08:14:55.120331Z",
                "furiosa-compiler and the dependent IR may be not compatible",
            ),
        ),
        (
            "[1/2] 2021-12-20T01:02:03.000001Z  INFO loading model",
            LogRecord("INFO", "", "2021-12-20T01:02:03.000001Z", "loading model"),
        ),
        ("uNpuDrv (E) [alloc:59] Not enough memory", LogRecord("ERROR", "uNpuDrv", "", "[alloc:59] Not enough memory")),
        (
            "WARNING:furiosa.quantizer:calibration range is empty",
            LogRecord("WARN", "furiosa.quantizer", "", "calibration range is empty"),
        ),
        (
            'EventLoop shutting down due to a FATAL ERROR: "device lost"',
            LogRecord("ERROR", "furiosart", "", 'EventLoop shutting down due to a FATAL ERROR: "device lost"'),
        ),
    ],
)
def test_log_record(line: str, record: LogRecord) -> None:
    assert parse_record(line) == record


def test_levels_are_counted() -> None:
    text = (
        "2022-11-10T10:02:21Z  INFO nux: a\n2022-11-10T10:02:22Z  INFO nux: b\n2022-11-10T10:02:23Z ERROR nux: c\nplain"
    )
    assert parse(text).result.levels == {"INFO": 2, "ERROR": 1}
