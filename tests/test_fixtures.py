"""Each fixtures/<scenario>.log is analysed and compared with fixtures/<scenario>.expected.json.

The expected file lists the findings in rank order with their evidence line numbers, and
optionally versions ({component: version}) and error codes ([[code, table], ...]). Findings,
ranks and evidence lines must match exactly; versions and codes must be present as given.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES
from triage.pipeline import analyze

CASES = sorted(p for p in FIXTURES.glob("*.log*") if not p.name.endswith(".expected.json"))


def expected_for(log):
    name = log.name.split(".log")[0]
    return FIXTURES / f"{name}.expected.json"


def test_every_fixture_has_expectations() -> None:
    assert CASES, "no fixtures found"
    missing = [c.name for c in CASES if not expected_for(c).exists()]
    assert not missing, f"fixtures without .expected.json: {missing}"


@pytest.mark.parametrize("log", CASES, ids=[c.name for c in CASES])
def test_fixture(log, kb) -> None:
    want = json.loads(expected_for(log).read_text())
    report = analyze([str(log)], kb)
    got = [
        {"id": f.id, "rank": f.rank, "severity": f.severity, "evidence_lines": sorted({e.line for e in f.evidence})}
        for f in report.findings
    ]
    assert got == want["findings"]
    for component, version in want.get("versions", {}).items():
        assert report.versions[component].version == version, component
    codes = {(c.code, c.table) for c in report.error_codes}
    for code, table in want.get("error_codes", []):
        assert (code, table) in codes
