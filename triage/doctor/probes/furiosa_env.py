"""Furiosa's environment variables and its log directory."""

from __future__ import annotations

from datetime import datetime, timezone

from triage.doctor.collect import log_dir, mask_value, newest_compile_logs
from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe
from triage.doctor.probes.software import installed_components, machine_sdk_version
from triage.versions import release

# The variables support asks about (furiosa-facts.md, "Bug-report conventions").
VARIABLES = (
    "FURIOSA_LOG_DIR",
    "FURIOSA_LOG_LEVEL",
    "FURIOSA_DEVICES",
    "NPU_DEVNAME",
    "FURIOSA_PROFILER_OUTPUT_PATH",
    "NPU_GLOBAL_CONFIG_PATH",
)


def environment(env: Env) -> CheckResult:
    shown = {name: env.environ[name] for name in VARIABLES if name in env.environ}
    extra = {
        k: v
        for k, v in sorted(env.environ.items())
        if k not in shown and (k.startswith("FURIOSA_") or k.startswith("NPU_") or k == "NUX_PROFILER_PATH")
    }
    values = {k: mask_value(k, v) for k, v in {**shown, **extra}.items()}
    warnings: list[str] = []
    sdk = machine_sdk_version(installed_components(env)) if "NPU_DEVNAME" in values else None
    if sdk and release(sdk)[:2] >= (0, 10):
        warnings.append(f"NPU_DEVNAME is deprecated in SDK 0.10 (installed: {sdk}); use FURIOSA_DEVICES")
    if "NUX_PROFILER_PATH" in values:
        warnings.append("NUX_PROFILER_PATH is replaced by FURIOSA_PROFILER_OUTPUT_PATH")
    if values.get("FURIOSA_LOG_DIR") and not env.is_dir(values["FURIOSA_LOG_DIR"]):
        warnings.append(f"FURIOSA_LOG_DIR={values['FURIOSA_LOG_DIR']} is not a directory")
    cfg = values.get("NPU_GLOBAL_CONFIG_PATH")
    if cfg and env.read_file(cfg, 1) is None:
        warnings.append(f"NPU_GLOBAL_CONFIG_PATH={cfg} is not a readable file")
    details = [f"{k}={v}" for k, v in values.items()] + [f"not set: {n}" for n in VARIABLES if n not in values]
    summary = ", ".join(f"{k}={v}" for k, v in values.items()) if values else "none of the Furiosa variables is set"
    if warnings:
        return CheckResult(status="warn", summary="; ".join(warnings), details=[*details], data={"variables": values})
    return CheckResult(status="pass", summary=summary, details=details, data={"variables": values})


def logs(env: Env) -> CheckResult:
    directory, rule = log_dir(env)
    data: dict = {"directory": directory, "chosen_by": rule, "compile_logs": 0, "newest": []}
    if not env.is_dir(directory):
        return CheckResult(
            status="warn",
            summary=f"no log directory at {directory}",
            details=[f"chosen by {rule}; Furiosa creates it on the first compile"],
            data=data,
        )
    newest, total = newest_compile_logs(env, directory)
    data["compile_logs"] = total
    data["newest"] = [
        {"path": p, "modified": datetime.fromtimestamp(m, timezone.utc).isoformat(timespec="seconds")}
        for p, m in newest
    ]
    if not newest:
        return CheckResult(status="pass", summary=f"{directory}: no compile logs yet", data=data)
    details = [f"{d['modified']}  {d['path']}" for d in data["newest"]]
    details.append(
        "Attach the compile log of the failing run to a ticket (`warboy-triage ticket LOG"
        " --follow-compile-log` adds the one a log points at)."
    )
    return CheckResult(
        status="pass",
        summary=f"{directory}: {total} compile log(s), newest {newest[0][0].rsplit('/', 1)[-1]}",
        details=details,
        data=data,
    )


PROBES = [
    FunctionProbe("environment", "Furiosa environment variables", environment, timeout=35),
    FunctionProbe("log-dir", "Furiosa log directory", logs),
]
