"""`patterns validate` / `patterns test` pass on the bundled patterns and fail, naming the file,
on deliberately broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from triage import codes
from triage.cli import app
from triage.kb.explain import resolve_code
from triage.selfcheck import run_tests, validate

runner = CliRunner()
PATTERNS = ROOT / "patterns"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "patterns"
    shutil.copytree(PATTERNS, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bundled_patterns_pass() -> None:
    result = run_tests(PATTERNS)
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.counts["patterns"] >= 13 and result.counts["native codes"] == 40


def test_cli_patterns_test_passes_on_bundled() -> None:
    out = runner.invoke(app, ["patterns", "test"])
    assert out.exit_code == 0, out.stdout
    assert ": ok (" in out.stdout


def test_broken_copy_fails_with_file_named(copy: Path) -> None:
    """The acceptance check: a pattern whose example no longer matches fails `patterns test`."""
    target = copy / "sram-overflow.toml"
    edit(target, "message = '(?i)\\bout of sram\\b'", "message = '(?i)\\bout of sramm\\b'")
    edit(target, "exception = '(?:^|\\.)OutOfSram$'", "exception = '(?:^|\\.)OutOfSramX$'")
    edit(target, 'code = ["compiler:8", "compiler:OUT_OF_SRAM"]', 'code = ["compiler:88"]')
    out = runner.invoke(app, ["patterns", "test", str(copy)])
    assert out.exit_code == 1
    assert f"FAIL {target}: example 1 does not produce 'sram-overflow'" in out.stdout
    assert f"FAIL {target}: code 'compiler:88' is in no native error code table" in out.stdout
    assert "FAILED" in out.stdout.splitlines()[-1]


def test_counterexample_that_matches_fails(copy: Path) -> None:
    target = copy / "numerical-mismatch.toml"
    edit(target, "'''AssertionError: expected 3 detections, got 2'''", "'''Mismatched elements: 1 / 3 (33.3%)'''")
    result = run_tests(copy)
    assert any(
        p.where == str(target) and "counterexample 3 produces 'numerical-mismatch'" in p.message for p in result.errors
    ), result.problems


def test_collision_is_reported_unless_explained(copy: Path) -> None:
    # compilation-failed claims OutOfSram's exception too: it now fires on sram-overflow's examples,
    # which is fine only while sram-overflow declares that it explains compilation-failed.
    failed = copy / "compilation-failed.toml"
    edit(failed, "(?:CompilationFailed|CompilationError)$", "(?:CompilationFailed|CompilationError|OutOfSram)$")
    assert run_tests(copy).ok
    edit(
        copy / "sram-overflow.toml",
        'explains = ["compilation-failed", "input-size-guidance"]',
        'explains = ["input-size-guidance"]',
    )
    result = run_tests(copy)
    collisions = [p for p in result.errors if "collision" in p.message]
    assert collisions and collisions[0].where == str(failed)
    assert "'compilation-failed' fires on example 1 of 'sram-overflow'" in collisions[0].message


def test_schema_and_duplicate_errors_name_the_file(copy: Path) -> None:
    bad = copy / "invalid-target-ir.toml"
    edit(bad, 'severity = "error"', 'severity = "fatal"')
    (copy / "copy-of-npu.toml").write_text(
        (copy / "invalid-target-npu.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = validate(copy)
    wheres = {p.where for p in result.errors}
    assert f"{bad}:4" in wheres  # schema errors carry the line of the field
    assert str(copy / "copy-of-npu.toml") in wheres
    out = runner.invoke(app, ["patterns", "validate", str(copy)])
    assert out.exit_code == 1 and "field 'severity'" in out.stdout


def test_uncovered_codes_are_listed(copy: Path) -> None:
    (copy / "native-error.toml").unlink()
    result = validate(copy)
    messages = [p.message for p in result.errors if p.where == "(coverage)"]
    # without the fallback, exactly the codes that no specific cause claims are reported
    assert result.kb is not None
    unclaimed = [
        f"{t} native error code {c} ({e.name})"
        for t, entries in codes.TABLES.items()
        for c, e in entries.items()
        if not resolve_code(result.kb, t, c).causes
    ]
    assert unclaimed and [m.split(" resolves")[0] for m in messages] == unclaimed
    assert not any("compiler native error code 8 " in m for m in messages)  # sram-overflow covers it


def test_missing_korean_fails(copy: Path) -> None:
    target = copy / "invalid-target-ir.toml"
    edit(target, 'title_ko = "잘못된 target IR: 컴파일러가 만들 수 없는 출력 형식"\n', "")
    result = validate(copy)
    assert any(p.where == str(target) and "title_ko" in p.message for p in result.errors)


def test_unreadable_directory_is_a_clear_error(tmp_path: Path) -> None:
    out = runner.invoke(app, ["patterns", "test", str(tmp_path / "nope")])
    assert out.exit_code == 1 and "no such patterns directory" in out.stdout


def test_patterns_list() -> None:
    out = runner.invoke(app, ["patterns", "list"])
    assert out.exit_code == 0
    row = next(line for line in out.stdout.splitlines() if line.startswith("sram-overflow "))
    assert "[compiler:8]" in row and "error" in row


def test_a_fast_scan_that_misses_an_example_fails(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default CLI reads through the fast scan: an example that only the every-line path sees fails.
    Here the scan's literal set is broken on purpose (as a wrong literal derivation would break it)."""
    target = copy / "sram-overflow.toml"
    example = "2024-01-01T00:00:00Z  INFO furiosa_compiler: out of sram while placing tensors"
    edit(target, "examples = [\n", f"examples = [\n    '''{example}''',\n")
    assert run_tests(copy).ok  # the real literal set sees the new example on both paths
    import triage.fastpath
    from triage.scan import Interest

    monkeypatch.setattr(triage.fastpath, "interest", lambda kb: Interest(("zzzz-not-in-any-line",), ()))
    result = run_tests(copy)
    assert any(
        p.where == str(target) and "example 1: the fast scan (re) finds nothing" in p.message for p in result.errors
    ), result.problems


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_patterns_list_prints_no_raw_template(lang: str) -> None:
    from triage.kb import load
    from triage.selfcheck import listing, render_listing

    kb = load()
    text = render_listing(kb, lang)
    assert "{code}" not in text and "{name}" not in text and "{table}" not in text
    assert not any("{" in row["title"] + row["title_ko"] for row in listing(kb))


def test_banner_styles_are_checked_through_every_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """patterns test reads banners.toml's examples line by line and through the fast scans: a wrong expectation,
    a near miss its rule matches, and a rule that does not compile each fail it (and the bundled file passes)."""
    from dataclasses import replace

    from triage.parsers import versions

    real = versions.load_banners(compile_now=True)
    rule = real.rules[0]
    line, want = rule.examples[0]
    bad = replace(
        rule,
        examples=((line, tuple((name, version + ".9") for name, version in want)),),
        near_misses=(line,),
    )
    monkeypatch.setattr(versions, "load_banners", lambda **_: replace(real, rules=(bad, *real.rules[1:])))
    messages = [p.message for p in run_tests().problems if p.where.startswith("banners.toml")]
    assert any("example 1 (every line) gives" in m for m in messages), messages
    assert any("(re) gives" in m for m in messages), messages
    assert any("near miss 1 matches the rule" in m for m in messages), messages

    def broken(**_: object) -> versions.Banners:
        raise versions.BannerError("banner rule x: bad or missing regex: missing ), unterminated subpattern")

    monkeypatch.setattr(versions, "load_banners", broken)
    assert any("banner rule x" in p.message for p in run_tests().problems)


def test_banner_regexes_compile_on_first_use_and_name_their_rule() -> None:
    from triage.parsers import versions

    lazy = versions.load_banners(compile_now=False)
    assert all("regex" not in vars(rule) for rule in lazy.rules)  # nothing compiled by loading
    assert lazy.rules[0].regex.search(lazy.rules[0].examples[0][0])
    broken = versions.BannerRule("x", "(", None, "banner", "s", (), ())
    with pytest.raises(versions.BannerError, match="banner rule x"):
        broken.regex  # noqa: B018
