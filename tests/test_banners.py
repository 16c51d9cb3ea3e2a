"""The version banner rules in triage/data/banners.toml: every example extracts exactly what the file
says, every near miss stays clear of its rule, and the comparisons (skew, conflicts) on real banners."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.parsers.versions import (
    BannerError,
    VersionParser,
    banners,
    conflicts,
    interest_literals,
    load_banners,
    skew,
)
from triage.reader import Line
from triage.report import VersionInfo

RULES = banners().rules
EXAMPLES = [(r.id, line, dict(want)) for r in RULES for line, want in r.examples]
NEAR_MISSES = [(r.id, line) for r in RULES for line in r.near_misses]


def extract(text: str) -> list[tuple[str, VersionInfo]]:
    out: list[tuple[str, VersionInfo]] = []
    parser = VersionParser(out)
    for no, line in enumerate(text.splitlines(), 1):
        parser.feed(Line(no, line), "t.log")
    return out


@pytest.mark.parametrize(
    ("rule_id", "line", "want"), EXAMPLES, ids=[f"{r}:{i}" for i, (r, _, _) in enumerate(EXAMPLES)]
)
def test_banner_example_extracts_exactly(rule_id: str, line: str, want: dict[str, str]) -> None:
    got = {name: v.version for name, v in extract(line)}
    assert got == want, f"rule {rule_id}"


@pytest.mark.parametrize(("rule_id", "line"), NEAR_MISSES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(NEAR_MISSES)])
def test_banner_near_miss_is_not_matched_by_its_rule(rule_id: str, line: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    assert rule.regex.search(line) is None


def test_every_rule_has_provenance_examples_and_a_prefilter_literal() -> None:
    assert all(r.source and r.examples for r in RULES)
    assert interest_literals() is not None  # else the fast scan feeds every line to the parser


def test_every_rule_is_exercised_by_its_own_examples() -> None:
    for rule in RULES:
        assert all(rule.regex.search(line) for line, _ in rule.examples), rule.id


def test_a_line_without_banner_extracts_nothing() -> None:
    text = "\n".join(
        [
            "2023-02-11T06:22:18.727642Z  INFO nux::npu: Npu (npu0pe0-1) is being initialized",
            "Please check the compiler log at /root/.local/state/furiosa/logs/compile-20221110100220-uf3l8a.log.",
            "- furiosa-libnux path: /usr/lib/x86_64-linux-gnu/libnux.so",
            "Done in 0.09272794s",
            "[1/6] 🔍   Compiling from onnx to dfg",
        ]
    )
    assert extract(text) == []


def test_pre_0_5_numbering_is_not_skew() -> None:
    # docs 0.2 quickstart: runtime 0.1.1 shipped with libnux 0.3.0-dev
    found = extract(
        "'Furiosa SDK Runtime .release:0.1.1+907338a44e91f176495b3c24fce3d9b1e626a662 "
        "(libnux 0.3.0-dev 9418048e4 2021-03-29 02:59:26)'"
    )
    assert {n: v.version for n, v in found} == {"furiosa-runtime": "0.1.1", "furiosa-libnux": "0.3.0-dev"}
    assert skew(found) == []


def test_cli_of_0_7_with_native_0_6_is_skew() -> None:
    # PR #320 of furiosa-sdk: a 0.7 dev CLI over 0.6.1 native libraries
    found = extract(
        "cli: 0.7.0.dev0 (rev: f760d517d)\n"
        "libcompiler: 0.6.1 (rev: 6edff7711 built at 2022-03-22 18:51:51)\n"
        "INFO:furiosa.common.native:loaded native library libnux.so.0.6.0 (0.6.1 6edff7711)"
    )
    [s] = skew(found)
    assert s.components == {"furiosa-cli": "0.7.0.dev0", "furiosa-compiler": "0.6.1", "furiosa-libnux": "0.6.1"}
    assert conflicts(found) == []  # the .so file name (0.6.0) is kept apart from the release (0.6.1)


def test_one_component_with_two_versions_is_a_conflict_kept_with_each_line() -> None:
    # synthetic pairing of two real banner styles: the runtime's own compiler and the one it loaded
    found = extract(
        "Using furiosa-compiler 0.9.0 (rev: e626c458c built at 2023-04-19T13:49:26Z)\n"
        "INFO furiosa_rt_core::driver::event_driven::coord: Loaded libcompiler 0.10.0 (rev: f8f05c built: ...)\n"
        "Using furiosa-compiler 0.9.0 (rev: e626c458c built at 2023-04-19T13:49:26Z)"
    )
    [c] = conflicts(found)
    assert c.component == "furiosa-compiler"
    assert [(v.version, v.line) for v in c.versions] == [("0.9.0", 1), ("0.10.0", 2)]
    assert "0.9.0 (line 1)" in c.detail and "0.10.0 (line 2)" in c.detail


def test_pre_release_tags_do_not_conflict() -> None:
    found = extract(
        "INFO:furiosa.common.native:loaded native library libfuriosa_compiler.so.0.10.0 (0.10.0-dev d7548b7f6)\n"
        "Loaded libcompiler 0.10.0 (rev: f8f05c built: 2023-07-26T09:49:17Z)"
    )
    assert conflicts(found) == []


def test_conflict_reaches_the_report() -> None:
    from triage.pipeline import analyze_text

    report = analyze_text(
        "Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)\n"
        "- furiosa-compiler version: 0.9.0 (rev: e626c458c built at 2023-04-19T13:49:26Z)\n"
    )
    assert [c.component for c in report.version_conflicts] == ["furiosa-compiler"]
    assert any("furiosa-compiler is reported as 0.8.0 (line 1), 0.9.0 (line 2)" in n for n in report.notes)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('version = "x"\n', "named group `version`"),
        ('version = "(?P<version>1)"\n[[rule]]\nid = "a"\nregex = "("\n', "banner rule a"),
        ('version = "(?P<version>1)"\n[[rule]]\nid = "a"\nregex = "x{V}"\n', "component"),
        (
            'version = "(?P<version>1)"\n[[rule]]\nid = "a"\ncomponent = "c"\nregex = "x{V}"\nsource = "s"\n',
            "at least one example",
        ),
    ],
)
def test_malformed_banner_file_names_the_rule(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "banners.toml"
    path.write_text(body)
    with pytest.raises(BannerError, match=message):
        load_banners(path)


def test_version_at_the_end_of_a_sentence() -> None:
    # synthetic: a banner followed by a full stop still gives its version, but 1.2.3.4 gives none
    assert {n: v.version for n, v in extract("Using furiosa-compiler 0.5.0.")} == {"furiosa-compiler": "0.5.0"}
    assert extract("Using furiosa-compiler 1.2.3.4 (rev: 1)") == []
