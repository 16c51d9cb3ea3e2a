"""fixtures/real/: logs that people outside this project posted, verbatim, each with a provenance
record (<slug>.toml, format in fixtures/real/README.md). Every sample is its own test, through the
command line as users run it:

- a known cause: that pattern is the rank-1 finding, and the exit status follows its severity;
- `healthy`: exit 0 and no warning or error finding;
- `unrecognized-error`: exit 1 and the rank-1 finding is unrecognized-error (a failure that the
  knowledge base cannot explain must not pass a CI gate).

Findings below rank 1 must be listed in the record's `also`.
"""

from __future__ import annotations

import datetime
import json
import re
import sys

import pytest

from tests.conftest import FIXTURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REAL = FIXTURES / "real"
RECORDS = sorted(REAL.glob("*.toml"))
SLUGS = [p.stem for p in RECORDS]
REQUIRED = {"source", "kind", "retrieved", "sdk", "what_happened", "expected"}
OPTIONAL = {"also", "notes"}
KINDS = {
    "issue",
    "pull-request",
    "commit-message",
    "docs",
    "release-notes",
    "notebook",
    "code",
    "blog",
    "forum",
}
SDKS = re.compile(r"^(?:0\.\d{1,2}(?:\.\d+)?|furiosart|unknown)$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPECIAL = {"healthy", "unrecognized-error"}
EXIT_BY_SEVERITY = {"error": 1, "warning": 0, "info": 0}


def _record(slug: str) -> dict:
    return tomllib.loads((REAL / f"{slug}.toml").read_text(encoding="utf-8"))


def test_corpus_is_there() -> None:
    assert RECORDS, "fixtures/real/ has no samples"
    orphans = sorted(p.name for p in REAL.glob("*.log") if not (REAL / f"{p.stem}.toml").exists())
    assert not orphans, f"logs without a provenance record: {orphans}"


@pytest.mark.parametrize("slug", SLUGS)
def test_provenance_record(slug: str, kb) -> None:  # type: ignore[no-untyped-def]
    rec = _record(slug)
    assert SLUG.match(slug), f"{slug}: slugs are lowercase words joined by dashes"
    missing = REQUIRED - rec.keys()
    assert not missing, f"{slug}.toml misses {sorted(missing)}"
    unknown = rec.keys() - REQUIRED - OPTIONAL
    assert not unknown, f"{slug}.toml has unknown keys {sorted(unknown)}"
    assert re.match(r"^https://\S+$", rec["source"]), "source must be a URL a person can open"
    assert rec["kind"] in KINDS, rec["kind"]
    datetime.date.fromisoformat(rec["retrieved"])
    assert SDKS.match(str(rec["sdk"])), f"sdk {rec['sdk']!r}: a release (0.4 ... 0.10), furiosart or unknown"
    assert len(rec["what_happened"].split()) >= 5, "what_happened says what the thread or page says happened"
    ids = {p.id for p in kb.patterns}
    assert rec["expected"] in ids | SPECIAL, (
        f"expected {rec['expected']!r} is no pattern id, healthy or unrecognized-error"
    )
    also = rec.get("also", [])
    assert isinstance(also, list) and set(also) <= ids, f"also {also}: unknown ids"
    log = REAL / f"{slug}.log"
    assert log.is_file(), f"{log} is missing"
    log.read_bytes().decode("utf-8")  # the format: UTF-8, verbatim


def _cli(*args: str):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from triage.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("slug", SLUGS)
def test_real_sample(slug: str) -> None:
    rec = _record(slug)
    expected, also = rec["expected"], rec.get("also", [])
    result = _cli("analyze", str(REAL / f"{slug}.log"), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    findings = report["findings"]
    ids = [f["id"] for f in findings]
    why = f"{slug}: got {ids}, exit {result.exit_code}"
    if expected == "healthy":
        assert result.exit_code == 0, why
        assert all(f["severity"] == "info" for f in findings), why
    else:
        assert ids and ids[0] == expected, why
        assert result.exit_code == EXIT_BY_SEVERITY[findings[0]["severity"]], why
        if expected == "unrecognized-error":
            assert result.exit_code == 1, why
    assert set(ids[1:]) <= set(also), f"{why}; findings below rank 1 must be in 'also'"


@pytest.mark.parametrize("slug", SLUGS)
def test_fast_scan_agrees(slug: str, kb) -> None:  # type: ignore[no-untyped-def]
    from triage.pipeline import analyze

    path = str(REAL / f"{slug}.log")
    want = analyze([path], kb).model_dump_json()
    assert analyze([path], kb, backend="re").model_dump_json() == want
