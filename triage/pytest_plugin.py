"""pytest plugin (entry point pytest11), opt-in: `pytest --warboy-triage [--warboy-triage-json PATH]`.

A failing test (setup, call or teardown) whose exception or captured output holds a failure the
knowledge base recognises gets a "warboy-triage" section in its report, printed with the failure;
--warboy-triage-json writes all of them to one file for CI (written even when there are none).

The plugin is loaded in every pytest run of an environment where warboy-triage is installed, so
importing it costs nothing beyond pytest itself, and nothing runs unless the option is given.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SECTION = "warboy-triage"
ATTRIBUTE = "warboy_triage"  # on the TestReport: travels with it to the controller under pytest-xdist


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("warboy-triage", "diagnose Warboy NPU failures in failing tests")
    group.addoption(
        "--warboy-triage",
        action="store_true",
        default=False,
        help="add a diagnosis section to failing tests whose exception or output holds a known Warboy failure",
    )
    group.addoption(
        "--warboy-triage-json",
        metavar="PATH",
        default=None,
        help="write every diagnosis (nodeid, phase, full report) to PATH as JSON; implies --warboy-triage",
    )


def pytest_configure(config: pytest.Config) -> None:
    json_path = config.getoption("warboy_triage_json")
    if config.getoption("warboy_triage") or json_path:
        config.pluginmanager.register(WarboyTriage(Path(json_path) if json_path else None), "warboy-triage-plugin")


def _failure_text(report: pytest.TestReport, call: pytest.CallInfo[Any]) -> str:
    """Captured output first (native log lines come before the exception), then the exception as Python prints it."""
    parts = [content for name, content in report.sections if name.startswith("Captured")]
    excinfo = call.excinfo
    if excinfo is not None and not isinstance(excinfo.value, (pytest.skip.Exception, KeyboardInterrupt)):
        from triage.diagnosis import exception_text

        parts.append(exception_text(excinfo.value))
    else:
        parts.append(report.longreprtext)
    return "\n".join(parts)


class WarboyTriage:
    """The active part, registered only when the option is given."""

    def __init__(self, json_path: Path | None) -> None:
        self.json_path = json_path
        self.write_error = ""
        self.records: list[dict[str, Any]] = []

    @pytest.hookimpl(hookwrapper=True)  # old-style wrapper: pytest 7 too
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
        outcome = yield
        report = outcome.get_result()
        if report.failed:
            try:
                self._diagnose(item, report, call)
            except Exception as err:  # noqa: BLE001 - the test's own failure must stay what the user sees
                report.sections.append((SECTION, f"warboy-triage: could not diagnose ({type(err).__name__}: {err})"))

    def _diagnose(self, item: pytest.Item, report: pytest.TestReport, call: pytest.CallInfo[Any]) -> None:
        from triage.diagnosis import compact_text, diagnose

        found = diagnose(_failure_text(report, call), name=item.nodeid)
        if found is None:
            return
        more = "--warboy-triage-json PATH for the full report" if self.json_path is None else ""
        report.sections.append((SECTION, compact_text(found, more=more).rstrip("\n")))
        setattr(report, ATTRIBUTE, found.model_dump(mode="json"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = getattr(report, ATTRIBUTE, None)
        if found is not None:
            self.records.append({"nodeid": report.nodeid, "when": report.when, "report": found})

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.json_path is None or hasattr(session.config, "workerinput"):  # xdist workers: the controller writes
            return
        from triage import __version__
        from triage.report import SCHEMA_VERSION

        record = {"tool_version": __version__, "schema_version": SCHEMA_VERSION, "failures": self.records}
        try:
            self.json_path.parent.mkdir(parents=True, exist_ok=True)
            self.json_path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:  # a directory, a read-only place: say so, and fail a run that would pass
            self.write_error = f"cannot write {self.json_path} ({exc.strerror or exc})"
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        n = len(self.records)
        if self.write_error:
            terminalreporter.write_line(f"warboy-triage: {self.write_error}", red=True)
            return
        where = f"; JSON in {self.json_path}" if self.json_path is not None else ""
        if n or self.json_path is not None:
            terminalreporter.write_line(f"warboy-triage: {n} failure(s) with a known Warboy cause{where}")
