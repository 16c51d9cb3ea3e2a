"""The public API (triage.analyze / explain / search): same answers as the CLI, every input kind, clear errors."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

import triage
from tests.conftest import FIXTURES, ROOT

LOG = FIXTURES / "device-busy.log"
SEED = FIXTURES / "seed-incompatible-config.log"


def _cli_json(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "triage", *args, "--format", "json"], cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def test_analyze_path_gives_the_cli_report() -> None:
    """No second way in: analyze(Path) and `warboy-triage FILE --format json` print the same JSON."""
    api = json.loads(triage.analyze(SEED).render("json"))
    assert api == _cli_json(str(SEED))
    assert api["findings"], "the seed log has findings: the comparison is not between two empty reports"


@pytest.mark.parametrize("log", [LOG, SEED, FIXTURES / "ranking-compiler-mixed.log"])
def test_text_bytes_lines_and_path_agree(log: Path) -> None:
    text = log.read_text()
    reports = {
        "path": triage.analyze(log),
        "text": triage.analyze(text, name=str(log)),
        "bytes": triage.analyze(log.read_bytes(), name=str(log)),
        "gzip": triage.analyze(gzip.compress(log.read_bytes()), name=str(log)),
        "lines": triage.analyze(text.splitlines(), name=str(log)),
        "file object": triage.analyze(log.open(encoding="utf-8"), name=str(log)),
    }
    want = reports["path"].model_dump()
    assert want["findings"]
    for kind, report in reports.items():
        got = report.model_dump()
        if kind == "gzip":  # the compressed size is what was read
            got["sources"][0]["bytes"] = want["sources"][0]["bytes"]
        assert got == want, kind


def test_lines_are_cleaned_like_a_file() -> None:
    """Jupyter output keeps its ANSI colours; lines from an iterable go through the same cleaning."""
    coloured = ["\x1b[0;31mfuriosa.runtime.errors.DeviceBusy\x1b[0m: NPU device busy (native error code: 23)\n"]
    report = triage.analyze(coloured, name="cell")
    assert [f.id for f in report.findings] == ["device-busy"]
    assert "\x1b" not in report.findings[0].evidence[0].text
    assert report.sources[0].name == "cell"


def test_lang_sets_the_default_rendering_not_the_json() -> None:
    en, ko = triage.analyze(LOG), triage.analyze(LOG, lang="ko")
    assert en.model_dump() == ko.model_dump()
    title_ko = ko.findings[0].title_ko
    assert title_ko and title_ko in ko.render() and title_ko not in en.render()
    assert title_ko in en.render(lang="ko")


def test_report_is_the_json_contract() -> None:
    report = triage.analyze(LOG)
    assert isinstance(report, triage.Report)
    assert report.schema_version == triage.SCHEMA_VERSION
    again = triage.Report.model_validate_json(report.model_dump_json())
    assert again.model_dump() == report.model_dump()
    assert "_lang" not in report.model_dump_json()
    from triage.report import Report as CoreReport
    from triage.report import json_schema

    assert isinstance(report, CoreReport)
    assert triage.Report.model_json_schema() == json_schema()  # the subclass adds methods, never fields
    assert again.render() == report.render()


def test_a_file_name_as_text_gets_a_hint() -> None:
    report = triage.analyze(str(LOG))
    assert not report.findings
    assert any("pathlib.Path" in n for n in report.notes)
    assert not triage.analyze("just some words").notes


def test_bad_input_raises_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(triage.ReaderError, match="no such file"):
        triage.analyze(tmp_path / "missing.log")
    with pytest.raises(TypeError, match="not int"):
        triage.analyze(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="line 2 is bytes"):
        triage.analyze(["ok", b"raw"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="lang must be one of en, ko"):
        triage.analyze("x", lang="fr")  # type: ignore[arg-type]
    bad = tmp_path / "patterns"
    bad.mkdir()
    (bad / "broken.toml").write_text('id = "Not An Id"\n')
    with pytest.raises(triage.PatternError, match="broken.toml"):
        triage.analyze("x", patterns=bad)


def test_knowledge_base_is_loaded_once_and_again_after_an_edit(tmp_path: Path) -> None:
    import shutil

    patterns = shutil.copytree(ROOT / "patterns", tmp_path / "patterns")
    first = triage.knowledge_base(patterns)
    assert triage.knowledge_base(patterns) is first
    victim = patterns / "device-busy.toml"
    victim.write_text(victim.read_text().replace('title = "', 'title = "Edited: ', 1))
    assert triage.analyze(LOG.read_text(), patterns=patterns).findings[0].title.startswith("Edited: ")
    assert triage.knowledge_base(patterns) is not first


def test_explain_matches_the_cli_json() -> None:
    answer = triage.explain(23)
    assert answer.cause_ids == ["device-busy"]
    done = subprocess.run(
        [sys.executable, "-m", "triage", "explain", "23", "--format", "json"], cwd=ROOT, capture_output=True, text=True
    )
    assert answer.to_dict() == json.loads(done.stdout)
    assert "DEVICE_BUSY" in str(answer)
    assert triage.explain("device-busy", lang="ko").render().count("해결 방법") == 1


def test_explain_unknown_gives_suggestions() -> None:
    with pytest.raises(triage.UnknownQuery) as info:
        triage.explain("device-bussy")
    assert "device-busy" in info.value.suggestions
    assert isinstance(info.value, LookupError)


def test_search_matches_the_cli_json() -> None:
    result = triage.search("device busy", limit=3)
    assert result[0].id == "device-busy" and len(result) <= 3
    done = subprocess.run(
        [sys.executable, "-m", "triage", "search", "device", "busy", "--limit", "3", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.to_dict() == json.loads(done.stdout)
    assert [h.id for h in result] == [r["id"] for r in json.loads(done.stdout)["results"]]
    assert not triage.search("zzzz qqqq")


IMPORT_PROBE = """
import sys
import triage
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "regex", "typer", "rich", "textual"))
print("HEAVY=" + ",".join(heavy))
triage.analyze
print("AFTER=" + ",".join(sorted(m for m in ("textual", "typer", "rich") if m in sys.modules)))
"""


def test_import_triage_is_cheap() -> None:
    """`import triage` loads none of the heavy dependencies; the first public name loads the core, not the CLI."""
    done = subprocess.run([sys.executable, "-c", IMPORT_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["HEAVY=", "AFTER="], done.stderr + done.stdout


def test_public_names_resolve_and_are_documented() -> None:
    doc = (ROOT / "docs" / "api.md").read_text()
    for name in triage.__all__:
        assert getattr(triage, name) is not None
        assert f"`{name}" in doc, f"docs/api.md does not list {name}"
    with pytest.raises(AttributeError):
        triage.no_such_name  # noqa: B018


def test_an_item_of_several_lines_is_cut_at_its_newlines() -> None:
    """`analyze([stdout, stderr])`: each item is a whole output, not one line."""
    out, err = "loading model\nRuntimeError: boom\n", "Segmentation fault (core dumped)\n"
    want = triage.analyze(out + err)
    assert [f.id for f in want.findings] == ["unrecognized-error"]
    got = triage.analyze([out, err])
    assert [f.id for f in got.findings] == ["unrecognized-error"]
    assert [(e.line, e.text) for e in got.findings[0].evidence] == [(e.line, e.text) for e in want.findings[0].evidence]
    assert got.sources[0].lines == 3


def test_large_text_goes_through_the_fast_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Line by line, a 24 MB str took minutes; a file of the same text takes seconds (the fast scan)."""
    import triage.scan

    calls: list[int] = []
    real = triage.scan.scan_blocks

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(triage.scan, "scan_blocks", spy)
    text = "INFO step ok\n" * 40_000 + SEED.read_text()  # over the fast scan's small-input bound
    report = triage.analyze(text, name=str(SEED))
    assert calls
    assert [f.id for f in report.findings] == [f.id for f in triage.analyze(text.encode(), name="x").findings]
    assert "sdk-version-mismatch" in [f.id for f in report.findings]
    assert report.sources[0].lines == text.count("\n")


def test_wrong_argument_types_are_clear_errors() -> None:
    with pytest.raises(TypeError, match="not dict"):
        triage.analyze({"RuntimeError: boom": 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not NoneType"):
        triage.search(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not NoneType"):
        triage.explain(None)  # type: ignore[arg-type]


def test_large_text_that_starts_with_an_over_long_line() -> None:
    text = "x" * 2_000_000 + "\n" + "INFO step ok\n" * 40_000 + SEED.read_text()
    report = triage.analyze(text, name="t")
    assert "sdk-version-mismatch" in [f.id for f in report.findings]
    assert report.sources[0].lines == text.count("\n")
