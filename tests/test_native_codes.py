"""triage/data/native_codes.toml: the native error code tables as data, with their sources, checked
by `patterns validate` / `patterns test` like the patterns are."""

from __future__ import annotations

import re
import shutil

import pytest

from triage import codes, selfcheck


def test_tables_come_from_the_data_file_with_sources() -> None:
    data = codes.load_tables(codes.DATA)
    assert data.tables["runtime"] is not None and data.tables["runtime"] == codes.RUNTIME
    assert codes.COMPILER[9].name == "OUT_OF_INSTUCTION_MEMORY"  # (sic) as the source spells it
    assert codes.RUNTIME[30].exception == "InvalidCompilerConfig"
    text = codes.DATA.read_text()
    for url in re.findall(r'source = "([^"]+)"', text):
        assert re.match(r"^https://github\.com/furiosa-ai/furiosa-sdk/blob/[0-9a-f]{40}/\S+errors\.py#L\d+-L\d+$", url)
    assert {x["table"] for x in data.examples} == {"runtime", "compiler"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('name = "QUEUE_NO_DATA"\n', "", 1), "UPPER_CASE 'name'"),
        (lambda t: t.replace('name = "QUEUE_NO_DATA"', 'name = "queue no data"', 1), "UPPER_CASE 'name'"),
        (lambda t: t.replace("code = 24\n", "code = 23\n", 1), "given twice"),
        (lambda t: t.replace("[[compiler.codes]]", "[[compilr.codes]]"), "no [compiler] table"),
    ],
)
def test_a_broken_table_is_refused_with_the_file_named(tmp_path, edit, message) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "native_codes.toml"
    bad.write_text(edit(codes.DATA.read_text()))
    with pytest.raises(codes.CodeTableError, match=re.escape(message)) as info:
        codes.load_tables(bad)
    assert str(bad) in str(info.value)


def test_examples_resolve_to_their_table() -> None:
    out: list[selfcheck.Problem] = []
    selfcheck._check_code_examples(codes.load_tables(codes.DATA), out)
    assert out == []


def test_patterns_test_reports_an_example_read_as_the_other_table(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "native_codes.toml"
    shutil.copy(codes.DATA, bad)
    text = bad.read_text().replace(
        'text = "furiosa.tools.compiler.api.errors.OutOfInstructionMemory: Out of instruction memory (native error code: 9)"\ntable = "compiler"\ncode = 9\nname = "OUT_OF_INSTUCTION_MEMORY"',
        'text = "furiosa.tools.compiler.api.errors.OutOfInstructionMemory: Out of instruction memory (native error code: 9)"\ntable = "runtime"\ncode = 9\nname = "GET_TASK_FAILED"',
    )
    assert text != bad.read_text()
    bad.write_text(text)
    monkeypatch.setattr(codes, "DATA", bad)
    result = selfcheck.run_tests()
    problems = [str(p) for p in result.errors]
    assert any(
        str(bad) in p and "example 4 is read as [(9, 'compiler', 'OUT_OF_INSTUCTION_MEMORY')]" in p for p in problems
    ), problems


def test_validate_reports_a_table_that_does_not_load(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "native_codes.toml"
    bad.write_text(codes.DATA.read_text().replace('name = "OUT_OF_SRAM"', 'name = ""', 1))
    monkeypatch.setattr(codes, "DATA", bad)
    result = selfcheck.validate()
    assert not result.ok and any(p.where == str(bad) for p in result.errors)
