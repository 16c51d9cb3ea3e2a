"""Native error code tables of the Furiosa runtime and compiler (see furiosa-facts.md).

The same `(native error code: N)` suffix is printed by both with different tables, so a
number alone is ambiguous; `resolve_table` decides from the text around it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: int
    name: str
    message: str = ""
    exception: str = ""


RUNTIME: dict[int, CodeEntry] = {
    e.code: e
    for e in (
        CodeEntry(0, "SUCCESS"),
        CodeEntry(1, "NUX_CREATION_FAILED"),
        CodeEntry(2, "MODEL_DEPLOY_FAILED"),
        CodeEntry(3, "MODEL_EXECUTION_FAILED"),
        CodeEntry(4, "INVALID_INPUT_INDEX"),
        CodeEntry(5, "INVALID_OUTPUT_INDEX"),
        CodeEntry(6, "INVALID_BUFFER"),
        CodeEntry(7, "INVALID_INPUTS", "numpy.ndarray, TensorArray are only supported", "UnsupportedTensorType"),
        CodeEntry(8, "INVALID_OUTPUTS"),
        CodeEntry(9, "GET_TASK_FAILED"),
        CodeEntry(10, "DUMP_PROFILE_FAILED"),
        CodeEntry(11, "QUEUE_WAIT_TIMEOUT", "queue waiting timed out", "QueueWaitTimeout"),
        CodeEntry(12, "QUEUE_NO_DATA"),
        CodeEntry(13, "INCOMPATIBLE_MODEL", "model binary is not compatible", "IncompatibleModel"),
        CodeEntry(14, "COMPILATION_FAILED", "fail to compile a given model to NPU binary", "CompilationFailed"),
        CodeEntry(15, "INTERNAL_ERROR", "unknown", "InternalError"),
        CodeEntry(16, "INVALID_YAML", "compiler config is not valid YAML", "InvalidYamlException"),
        CodeEntry(
            17,
            "INCOMPATIBLE_API_CLIENT_ERROR",
            "incompatible client with Furiosa API server",
            "IncompatibleApiClientError",
        ),
        CodeEntry(18, "API_CLIENT_INIT_FAILED", "fail to initialize API client", "ApiClientInitFailed"),
        CodeEntry(19, "NO_API_KEY", "no API keys. Please check your API keys.", "NoApiKeyException"),
        CodeEntry(20, "NULL_POINTER_EXCEPTION"),
        CodeEntry(
            21,
            "INVALID_SESSION_OPTIONS",
            "invalid options passed to session.create() or create_async()",
            "InvalidSessionOption",
        ),
        CodeEntry(22, "SESSION_TERMINATED", "Session or AsyncSession terminated", "SessionTerminated"),
        CodeEntry(23, "DEVICE_BUSY", "NPU device busy", "DeviceBusy"),
        CodeEntry(24, "TENSOR_NAME_NOT_FOUND", "Tensor name not found", "TensorNameNotFound"),
        CodeEntry(25, "UNSUPPORTED_FEATURE", "Unsupported feature", "UnsupportedFeature"),
        CodeEntry(30, "INVALID_COMPILER_CONFIG", "Invalid compiler config", "InvalidCompilerConfig"),
    )
}

COMPILER: dict[int, CodeEntry] = {
    e.code: e
    for e in (
        CodeEntry(1, "COMPILATION_ERROR", "Compilation error", "CompilationError"),
        CodeEntry(2, "IO_ERROR", "IO error", "IOError"),
        CodeEntry(3, "CONFIGURATION_MISMATCH", "Configuration mismatch", "ConfigurationMismatch"),
        CodeEntry(4, "INVALID_FORMAT", "Invalid format", "InvalidFormat"),
        CodeEntry(5, "INVALID_MODEL", "Invalid model", "InvalidModel"),
        CodeEntry(6, "INVALID_NPUID", "Invalid NPU id", "InvalidNPUId"),
        CodeEntry(7, "OUT_OF_DRAM", "Out of dram", "OutOfDram"),
        CodeEntry(8, "OUT_OF_SRAM", "Out of sram", "OutOfSram"),
        CodeEntry(9, "OUT_OF_INSTUCTION_MEMORY", "Out of instruction memory", "OutOfInstructionMemory"),
        CodeEntry(10, "TFLITE_TO_DFG", "TFLITE to dfg", "TfliteToDFG"),
        CodeEntry(11, "USER_COMMAND", "User command", "UserCommand"),
        CodeEntry(12, "INVALID_CONFIG", "Invalid config", "InvalidConfig"),
        CodeEntry(255, "OTHER", "Unknown", "InternalError"),
    )
}

TABLES: dict[str, dict[int, CodeEntry]] = {"runtime": RUNTIME, "compiler": COMPILER}

# Exception classes (last dotted component) that exist in only one of the two modules.
RUNTIME_ONLY_CLASSES = frozenset(
    e.exception for e in RUNTIME.values() if e.exception and e.exception != "InternalError"
) | {"UnsupportedDataType", "InvalidInput", "SessionClosed"}
COMPILER_ONLY_CLASSES = frozenset(
    e.exception for e in COMPILER.values() if e.exception and e.exception != "InternalError"
) | {"InvalidTargetIrException"}


def entry(table: str, code: int) -> CodeEntry:
    found = TABLES[table].get(code)
    return found or CodeEntry(code, "UNKNOWN_CODE", f"not in the {table} table")


def lookup_name(name: str) -> list[tuple[str, CodeEntry]]:
    """Find codes by name (case-insensitive, '-' or ' ' for '_'), in every table."""
    key = name.strip().upper().replace("-", "_").replace(" ", "_")
    return [(t, e) for t, table in TABLES.items() for e in table.values() if e.name == key]


_RUNTIME_HINTS = (
    "furiosa.runtime",
    "runtime.errors",
    "legacy.errors",
    "nux::",
    "session.create",
    "furiosart",
    "runtime-",
)
_COMPILER_HINTS = (
    "furiosa.tools.compiler",
    "compiler.api",
    "furiosa_compiler",
    "furiosa-compile ",
    "furiosa-compiler:",
    "compiling from",
    "compilation error",
)

HINTS = _RUNTIME_HINTS + _COMPILER_HINTS


def hint_of(text: str) -> str | None:
    """'runtime' or 'compiler' when this text names one of them unambiguously, else None."""
    low = text.lower()
    if any(h in low for h in _RUNTIME_HINTS):
        return "runtime"
    if any(h in low for h in _COMPILER_HINTS):
        return "compiler"
    return None


def table_of_exception(exc_type: str) -> str | None:
    """Decide the table from an exception's qualified type, if it says."""
    low = exc_type.lower()
    if "compiler" in low:
        return "compiler"
    if "runtime" in low:
        return "runtime"
    cls = exc_type.rsplit(".", 1)[-1]
    if cls in COMPILER_ONLY_CLASSES:
        return "compiler"
    if cls in RUNTIME_ONLY_CLASSES:
        return "runtime"
    return None
