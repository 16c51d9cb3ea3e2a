"""Each parser on real-format lines from furiosa-facts.md, with exact expected values."""

from __future__ import annotations

import json
from pathlib import Path

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


# --- tracebacks in the layouts users paste (real excerpts: tests/data/tracebacks/README.md) --------

TB_DATA = Path(__file__).parent / "data" / "tracebacks"


def parse_file(name: str) -> list:
    text = (TB_DATA / name).read_text(encoding="utf-8")
    if name.endswith(".json"):  # a notebook's stored error output: Jupyter shows the list joined by line feeds
        text = "\n".join(json.loads(text))
    from triage.safety import strip_terminal

    return parse(strip_terminal(text)).result.exceptions


def frames_of(x) -> list[tuple[str, int, str, str]]:
    return [(f.file, f.line, f.function, f.code) for f in x.frames]


def test_ipython7_layout_keeps_frames_and_markers() -> None:
    (x,) = parse_file("jetracer-136-ipython7.txt")
    assert (x.type, x.line) == ("OSError", 31)
    assert x.message == "/usr/lib/aarch64-linux-gnu/libgomp.so.1: cannot allocate memory in static TLS block"
    assert frames_of(x) == [
        ("<ipython-input-2-85080642f8f2>", 1, "<module>", "import torch"),
        ("/usr/local/lib/python3.6/dist-packages/torch/__init__.py", 188, "<module>", "_load_global_deps()"),
        (
            "/usr/local/lib/python3.6/dist-packages/torch/__init__.py",
            141,
            "_load_global_deps",
            "ctypes.CDLL(lib_path, mode=ctypes.RTLD_GLOBAL)",
        ),
        ("/usr/lib/python3.6/ctypes/__init__.py", 348, "__init__", "self._handle = _dlopen(self._name, mode)"),
    ]


def test_ipython7_without_rule_and_home_paths() -> None:
    (x,) = parse_file("nodebook-20-ipython7.txt")
    assert (x.type, x.message) == ("ValueError", "not enough values to unpack (expected 2, got 1)")
    assert [(f.file, f.line, f.function) for f in x.frames] == [
        ("<ipython-input-7-705f095156ba>", 1, "<module>"),
        ("/usr/local/lib/python3.8/dist-packages/IPython/core/interactiveshell.py", 2403, "run_cell_magic"),
        ("~/git/nodebook/nodebook/ipython/nodebookext.py", 72, "execute_cell"),
    ]
    (y,) = parse_file("sentry-230-ipython7.txt")
    assert (y.type, y.message, frames_of(y)) == (
        "ModuleNotFoundError",
        "No module named 'pysal'",
        [("<ipython-input-3-a9e22df3d4bc>", 1, "<module>", "import pysal")],
    )


def test_ipython8_cells_with_ansi_colours() -> None:
    (x,) = parse_file("ipython8-nested-cells.json")
    assert (x.type, x.message) == ("TypeError", "unsupported operand type(s) for +: 'NoneType' and 'int'")
    assert frames_of(x) == [("Cell In[110]", 7, "", "cal1()"), ("Cell In[110]", 6, "cal1()", "z=cal(4,5)+1")]


def test_ipython8_file_frames() -> None:
    # Synthetic: the IPython 8 `File path:line, in func` frame (same shape as `Cell In[N], line L, in f`)
    text = "\n".join(
        [
            "---------------------------------------------------------------------------",
            "InternalError                             Traceback (most recent call last)",
            "Cell In[3], line 1",
            "----> 1 sess = session.create('model.onnx')",
            "",
            "File ~/venv/lib/python3.8/site-packages/furiosa/runtime/session.py:142, in Session.__init__(self, model)",
            "    140     err = LIBNUX.nux_session_create(model)",
            "--> 142     raise into_exception(err)",
            "",
            "InternalError: unknown (native error code: 15)",
        ]
    )
    (x,) = parse(text).result.exceptions
    assert (x.type, x.code, x.line) == ("InternalError", 15, 10)
    assert frames_of(x) == [
        ("Cell In[3]", 1, "", "sess = session.create('model.onnx')"),
        (
            "~/venv/lib/python3.8/site-packages/furiosa/runtime/session.py",
            142,
            "Session.__init__(self, model)",
            "raise into_exception(err)",
        ),
    ]


def test_library_reraised_exceptions() -> None:
    (x,) = parse_file("onnxruntime-7105-plain.txt")
    assert x.type == "onnxruntime.capi.onnxruntime_pybind11_state.Fail"
    assert x.message.startswith("[ONNXRuntimeError] : 1 : FAIL : Load model from ./after_quant.onnx failed")
    assert len(x.frames) == 4
    # outside a traceback the class has no Error suffix: the onnxruntime message marks it
    (y,) = parse_file("openppl-97-one-line.txt")
    assert y.type == "onnxruntime.capi.onnxruntime_pybind11_state.InvalidGraph"
    assert y.message.startswith("[ONNXRuntimeError] : 10 : INVALID_GRAPH : This is an invalid model.")
    # click's usage error line
    assert parse_exception_line("Error: Missing option '--target-npu'.") == ("Error", "Missing option '--target-npu'.")


@pytest.mark.parametrize(
    "line",
    [
        "Note: onnxruntime_pybind11_state.Fail: [ONNXRuntimeError] in docs",
        "INFO: [ONNXRuntimeError] : 1 : FAIL : x",
        "Status: InvalidGraph",
    ],
)
def test_foreign_message_needs_a_qualified_class(line: str) -> None:
    assert parse_exception_line(line) is None


def test_chain_links_the_later_exception_to_the_first() -> None:
    # Synthetic chain (the layout CPython prints); a RecursionError in cleanup after the real failure
    text = (
        TRACEBACK
        + "\nDuring handling of the above exception, another exception occurred:\n\n"
        + 'Traceback (most recent call last):\n  File "/home/u/run.py", line 60, in <module>\n    sess.close()\n'
        + "RecursionError: maximum recursion depth exceeded\n"
        + "\nThe above exception was the direct cause of the following exception:\n\n"
        + 'Traceback (most recent call last):\n  File "/home/u/run.py", line 70, in <module>\n    main()\n'
        + "RuntimeError: run failed\n"
    )
    first, second, third = parse(text).result.exceptions
    assert (first.type, first.chain, first.chained_from) == ("furiosa.runtime.errors.DeviceBusy", None, None)
    assert (second.type, second.chain, second.chained_from) == ("RecursionError", "context", first.line)
    assert (third.type, third.chain, third.chained_from) == ("RuntimeError", "cause", second.line)


def test_exception_group_lines_are_unwrapped() -> None:
    # Synthetic: the CPython 3.11+ exception group layout
    text = "\n".join(
        [
            "  + Exception Group Traceback (most recent call last):",
            '  |   File "/home/u/serve.py", line 9, in <module>',
            "  |     asyncio.run(main())",
            "  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
            "  +-+---------------- 1 ----------------",
            "    | Traceback (most recent call last):",
            '    |   File "/home/u/serve.py", line 5, in worker',
            "    |     await runner.run(x)",
            "    | furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)",
            "    +---------------- 2 ----------------",
            "    | ValueError: mismatching dimension",
            "    +------------------------------------",
            "done",
        ]
    )
    got = [(x.type, x.code, len(x.frames)) for x in parse(text).result.exceptions]
    assert got == [
        ("ExceptionGroup", None, 1),
        ("furiosa.runtime.errors.DeviceBusy", 23, 1),
        ("ValueError", None, 0),
    ]


def test_python311_carets_are_not_code() -> None:
    text = "\n".join(
        [
            "Traceback (most recent call last):",
            '  File "/home/u/run.py", line 3, in <module>',
            "    sess.run(x)",
            "    ^^^^^^^^^^^",
            "ValueError: mismatching dimension",
        ]
    )
    (x,) = parse(text).result.exceptions
    assert frames_of(x) == [("/home/u/run.py", 3, "<module>", "sess.run(x)")]


def test_real_furiosa_ipython8_error_output() -> None:
    # fixtures/real/zoo-sdk-notebook-yolox-compiler-config-typeerror-ipython8.log: a notebook's stored error
    from triage.safety import strip_terminal

    path = (
        Path(__file__).parent.parent
        / "fixtures"
        / "real"
        / "zoo-sdk-notebook-yolox-compiler-config-typeerror-ipython8.log"
    )
    (x,) = parse(strip_terminal(path.read_text(encoding="utf-8"))).result.exceptions
    assert (x.type, x.message) == ("TypeError", "create() got an unexpected keyword argument 'compiler_config'")
    (frame,) = x.frames
    assert (frame.file, frame.line) == ("Cell In[20]", 3)
    assert frame.code.startswith('with furiosa.runtime.session.create("yolox_l_quantized.onnx", compiler_config=')


def _layout_inputs() -> list[Path]:
    real = Path(__file__).parent.parent / "fixtures" / "real"
    return sorted(TB_DATA.glob("*.txt")) + sorted(real.glob("zoo-*.log"))


def test_fast_scan_reads_every_layout_like_the_line_reader(tmp_path: Path) -> None:
    """The fast scan feeds the parsers only interesting lines outside a traceback: every layout must
    still give the same exceptions (with frames and chain links) and findings as the line reader."""
    from triage.fastpath import SMALL
    from triage.kb import load
    from triage.pipeline import analyze

    kb = load()
    # plain lines between the inputs: above the size read line by line, so the scanner runs and skips them
    pad = b"plain line\n" * (SMALL // (11 * 4))
    padded = tmp_path / "layouts.log"
    padded.write_bytes(pad + b"".join(p.read_bytes() + b"\n" + pad for p in _layout_inputs()))
    slow = analyze([str(padded)], kb)
    fast = analyze([str(padded)], kb, backend="re")
    assert len(slow.exceptions) >= 8
    assert [x.model_dump() for x in fast.exceptions] == [x.model_dump() for x in slow.exceptions]
    assert [(f.id, [e.line for e in f.evidence]) for f in fast.findings] == [
        (f.id, [e.line for e in f.evidence]) for f in slow.findings
    ]
