"""Every runtime native error code resolves to a named cause, or to the native-error fallback
with its table name; the runtime/device causes own the codes the facts tie to them."""

from __future__ import annotations

import pytest

from triage import codes

# Codes whose cause the facts name (furiosa-facts.md: "Native error codes", "Causes seen").
OWNED = {
    4: "invalid-io-index-or-buffer",
    5: "invalid-io-index-or-buffer",
    6: "invalid-io-index-or-buffer",
    7: "invalid-io-index-or-buffer",
    8: "invalid-io-index-or-buffer",
    24: "invalid-io-index-or-buffer",
    11: "queue-wait-timeout",
    13: "sdk-version-mismatch",
    16: "invalid-compiler-config",
    30: "invalid-compiler-config",
    21: "invalid-session-options",
    22: "session-closed",
    23: "device-busy",
}


def runtime_line(code: int) -> str:
    entry = codes.RUNTIME[code]
    if entry.exception and entry.message:
        return f"furiosa.runtime.errors.{entry.exception}: {entry.message} (native error code: {code})"
    # codes the Python runtime has no class for only show up in native (nux) context
    return f"2023-04-10T12:00:01.000100Z ERROR nux::capi: {entry.name} (native error code: {code})"


@pytest.mark.parametrize("code", sorted(c for c in codes.RUNTIME if c != 0))
def test_runtime_code_resolves(analyze_text, code: int) -> None:
    report = analyze_text(runtime_line(code))
    assert [(c.code, c.table) for c in report.error_codes] == [(code, "runtime")]
    ids = [f.id for f in report.findings]
    assert ids, f"runtime code {code} produced no finding"
    if code in OWNED:
        assert ids == [OWNED[code]], f"runtime code {code}: {ids}"
    elif "native-error" in ids:
        generic = next(f for f in report.findings if f.id == "native-error")
        assert codes.RUNTIME[code].name in generic.title and "runtime" in generic.title


def test_compiler_config_code_resolves(analyze_text) -> None:
    report = analyze_text("furiosa.tools.compiler.api.errors.InvalidConfig: Invalid config (native error code: 12)")
    assert [f.id for f in report.findings] == ["invalid-compiler-config"]


def test_compiler_out_of_dram_resolves(analyze_text) -> None:
    report = analyze_text("furiosa.tools.compiler.api.errors.OutOfDram: Out of dram (native error code: 7)")
    assert [f.id for f in report.findings] == ["dram-exhausted"]
