"""Furiosa's environment variables and its log directory."""

from __future__ import annotations

from datetime import datetime, timezone

from triage.doctor.collect import log_dir, mask_value, newest_compile_logs
from triage.doctor.env import Env
from triage.doctor.model import CheckResult
from triage.doctor.probes import FunctionProbe
from triage.doctor.probes.software import installed_components, machine_sdk_version
from triage.messages import Text, both, join, raw
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
    warnings: list[Text] = []
    sdk = machine_sdk_version(installed_components(env)) if "NPU_DEVNAME" in values else None
    if sdk and release(sdk)[:2] >= (0, 10):
        warnings.append(both("env_devname_deprecated", sdk=sdk))
    if "NUX_PROFILER_PATH" in values:
        warnings.append(both("env_nux_profiler"))
    if values.get("FURIOSA_LOG_DIR") and not env.is_dir(values["FURIOSA_LOG_DIR"]):
        warnings.append(both("env_log_dir_not_dir", value=values["FURIOSA_LOG_DIR"]))
    cfg = values.get("NPU_GLOBAL_CONFIG_PATH")
    if cfg and env.read_file(cfg, 1) is None:
        warnings.append(both("env_config_unreadable", value=cfg))
    details: list[Text | str] = [f"{k}={v}" for k, v in values.items()]
    details += [both("env_not_set", name=n) for n in VARIABLES if n not in values]
    summary = raw(", ".join(f"{k}={v}" for k, v in values.items())) if values else both("env_none")
    if warnings:
        return CheckResult.of("warn", join("; ", warnings), details, {"variables": values})
    return CheckResult.of("pass", summary, details, {"variables": values})


def logs(env: Env) -> CheckResult:
    directory, rule = log_dir(env)
    data: dict = {"directory": directory, "chosen_by": rule, "compile_logs": 0, "newest": []}
    if not env.is_dir(directory):
        default = rule.removesuffix(" (default)")
        said_rule = both("logs_default_rule", path=default) if default != rule else raw(rule)
        return CheckResult.of(
            "warn", both("logs_missing", directory=directory), [both("logs_chosen_by", rule=said_rule)], data
        )
    newest, total = newest_compile_logs(env, directory)
    data["compile_logs"] = total
    data["newest"] = [
        {"path": p, "modified": datetime.fromtimestamp(m, timezone.utc).isoformat(timespec="seconds")}
        for p, m in newest
    ]
    if not newest:
        return CheckResult.of("pass", both("logs_none_yet", directory=directory), data=data)
    details: list[Text | str] = [f"{d['modified']}  {d['path']}" for d in data["newest"]]
    details.append(both("logs_attach_hint"))
    name = newest[0][0].rsplit("/", 1)[-1]
    return CheckResult.of("pass", both("logs_found", directory=directory, count=total, name=name), details, data)


PROBES = [
    FunctionProbe("environment", "Furiosa environment variables", environment, timeout=35),
    FunctionProbe("log-dir", "Furiosa log directory", logs),
]
