"""Every user-facing text exists in English and Korean: the labels table, the key reference, every pattern."""

from __future__ import annotations

import re

import pytest

from triage.i18n import HELP, LABELS, LANGS, label


def test_every_label_exists_in_both_languages() -> None:
    assert set(LABELS) == set(LANGS)
    assert set(LABELS["en"]) == set(LABELS["ko"])
    for lang in LANGS:
        assert all(text.strip() for text in LABELS[lang].values()), lang


def test_labels_take_the_same_fields_in_both_languages() -> None:
    for key in LABELS["en"]:
        fields = [set(re.findall(r"\{(\w+)", LABELS[lang][key])) for lang in LANGS]
        assert fields[0] == fields[1], key


def test_korean_labels_are_korean() -> None:
    hangul = re.compile(r"[\uac00-\ud7a3]")
    same = [k for k in LABELS["en"] if LABELS["en"][k] == LABELS["ko"][k] or not hangul.search(LABELS["ko"][k])]
    assert same == ["key_toggle_korean"]  # the language key names the other language: English


def test_help_has_every_key_in_both_languages() -> None:
    assert len(HELP["en"]) == len(HELP["ko"])
    for (key_en, what_en), (key_ko, what_ko) in zip(HELP["en"], HELP["ko"], strict=True):
        assert bool(what_en) == bool(what_ko)
        if what_en:
            assert key_en == key_ko


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_language_falls_back_to_english(lang: str) -> None:
    assert label("remediation", "xx") == LABELS["en"]["remediation"]
    assert label("not_found", lang, query="abc").count("abc") == 1


def test_every_pattern_text_exists_in_both_languages() -> None:
    from triage.kb import load

    for p in load().patterns:
        assert p.title_ko and p.why_ko, p.id
        assert len(p.remediation_ko) == len(p.remediation), p.id
        assert len(p.checklist_ko) == len(p.checklist), p.id
        if p.lint is not None:
            assert bool(p.lint.why) == bool(p.lint.why_ko), p.id
            assert all(s.text_ko for s in p.lint.remediation), p.id


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_analysis_in_korean_has_korean_why_and_headings(fmt: str) -> None:
    from tests.conftest import FIXTURES
    from triage.kb import load
    from triage.pipeline import analyze
    from triage.render import get_renderer

    report = analyze([str(FIXTURES / "device-busy.log")], load())
    out = get_renderer(fmt)(report, lang="ko", color=False)
    finding = report.findings[0]
    assert " ".join(finding.why_ko.split())[:40] in " ".join(out.split())
    for english in ("Evidence", "Fix", "Versions", "Native error codes", "Collect for a ticket"):
        assert english not in out, english
    assert LABELS["ko"]["fix"] in out and LABELS["ko"]["versions"] in out
    if fmt == "markdown":
        assert finding.checklist_ko and all(item in out for item in finding.checklist_ko)


def test_every_doctor_check_has_a_korean_title() -> None:
    from triage.doctor import all_probes
    from triage.i18n import DOCTOR_TITLES_KO

    assert {p.id for p in all_probes()} == set(DOCTOR_TITLES_KO)


def test_doctor_text_in_korean() -> None:
    from triage.doctor import render
    from triage.doctor.model import CheckRecord, DoctorReport

    report = DoctorReport(checks=[CheckRecord(id="pci", title="Warboy on the PCI bus", status="fail", summary="x")])
    out = render.text(report, lang="ko")
    assert "PCI 버스의 Warboy" in out and "실패 1" in out and "Warboy on the PCI bus" not in out


def test_bundled_pattern_without_korean_why_fails_a_users_only_warns(tmp_path) -> None:
    import shutil

    from tests.conftest import ROOT
    from triage.selfcheck import validate

    copy = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", copy)
    target = copy / "device-busy.toml"
    text = target.read_text(encoding="utf-8")
    start = text.index('why_ko = """')
    end = text.index('"""', start + len('why_ko = """')) + 3
    target.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = [p for p in validate(copy).problems if "why_ko" in p.message]
    assert problems and all(p.severity == "warning" for p in problems)  # not the bundled directory
    assert not [p for p in validate().problems if "why_ko" in p.message]


def test_ticket_in_korean_has_korean_headings_why_and_checklist() -> None:
    from tests.conftest import FIXTURES
    from triage.kb import load
    from triage.pipeline import analyze
    from triage.ticket.markdown import render_ticket

    report = analyze([str(FIXTURES / "device-busy.log")], load())
    out = render_ticket(report, None, [], [], lang="ko")
    for english in ("## Summary", "## Steps to reproduce", "## What was already tried", "## Environment", "<fill in>"):
        assert english not in out, english
    finding = report.findings[0]
    assert " ".join(finding.why_ko.split())[:40] in out and finding.checklist_ko[0] in out
    english = render_ticket(report, None, [], [], lang="en")
    assert "## Summary" in english and "<fill in>" in english
