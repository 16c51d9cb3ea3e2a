"""Pattern files are data from users: never executed, never followed, errors name file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from triage.kb import PatternError, load
from triage.matcher import fill

GOOD = """id = "{id}"
title = "{title}"
severity = "error"
component = "general"
why = "A test pattern that exists for the loader tests."
remediation = ["Do the thing."]
examples = ["boom one", "boom two"]
counterexamples = ["calm", "quiet"]

[[match]]
message = 'boom'
"""


def _write(d: Path, pid: str, text: str | None = None) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{pid}.toml"
    p.write_text(text if text is not None else GOOD.format(id=pid, title="A boom happened"))
    return p


def test_a_symlinked_pattern_file_is_refused(tmp_path) -> None:
    elsewhere = _write(tmp_path / "elsewhere", "outside")
    d = tmp_path / "patterns"
    _write(d, "inside")
    os.symlink(elsewhere, d / "outside.toml")
    with pytest.raises(PatternError, match=r"outside\.toml: is a symbolic link"):
        load(d)


def test_a_symlinked_directory_is_refused_not_followed(tmp_path) -> None:
    _write(tmp_path / "elsewhere", "outside")
    d = tmp_path / "patterns"
    _write(d, "inside")
    os.symlink(tmp_path / "elsewhere", d / "linked")
    with pytest.raises(PatternError, match=r"linked: is a symbolic link; pattern directories"):
        load(d)


def test_a_symlink_loop_does_not_hang(tmp_path) -> None:
    d = tmp_path / "patterns"
    _write(d, "inside")
    os.symlink(d, d / "loop")
    with pytest.raises(PatternError, match="loop: is a symbolic link"):
        load(d)


def test_toml_syntax_error_names_file_line_and_column(tmp_path) -> None:
    p = _write(tmp_path, "broken", 'id = "broken"\ntitle = "x"\nseverity = error\n')
    with pytest.raises(PatternError) as exc:
        load(tmp_path)
    assert str(p) in str(exc.value) and "line 3" in str(exc.value) and "column" in str(exc.value)


def test_schema_error_names_file_line_and_field(tmp_path) -> None:
    text = GOOD.format(id="bad-field", title="A boom happened").replace("message = 'boom'", "message = '(unclosed'")
    p = _write(tmp_path, "bad-field", text)
    line = text.splitlines().index("message = '(unclosed'") + 1
    with pytest.raises(PatternError) as exc:
        load(tmp_path)
    assert f"{p}:{line}: field 'match.0.message'" in str(exc.value)
    assert "invalid regex" in str(exc.value)


def test_top_level_field_error_names_its_line(tmp_path) -> None:
    text = GOOD.format(id="bad-sev", title="A boom happened").replace('severity = "error"', 'severity = "fatal"')
    p = _write(tmp_path, "bad-sev", text)
    with pytest.raises(PatternError, match=rf"{p}:3: field 'severity'"):
        load(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 20000 + "]" * 20000 + "\n",  # nesting that overflows a recursive parser
        'id = "x"\n' + "x = 1\n" * 10,  # duplicate keys
        "\xff\xfe garbage",
    ],
)
def test_hostile_files_are_clear_errors(tmp_path, text: str) -> None:
    p = tmp_path / "hostile.toml"
    p.write_bytes(text.encode("utf-8", errors="surrogateescape") if "\xff" not in text else b"\xff\xfe garbage")
    with pytest.raises(PatternError, match=str(p)):
        load(tmp_path)


def test_deeply_nested_regex_is_a_clear_error(tmp_path) -> None:
    deep = "(" * 30000 + "boom" + ")" * 30000
    _write(tmp_path, "deep", GOOD.format(id="deep", title="A boom happened").replace("'boom'", f"'{deep}'"))
    with pytest.raises(PatternError, match="nested too deeply|longer than 4096 characters"):
        load(tmp_path)


def test_no_include_mechanism_paths_are_just_text(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = f'references = ["{secret}", "file://{secret}"]\n' + GOOD.format(id="paths", title=str(secret))
    _write(tmp_path / "patterns", "paths", text)
    kb = load(tmp_path / "patterns")
    p = kb.get("paths")
    assert p is not None and p.title == str(secret) and "TOP SECRET" not in repr(p)


def test_unknown_keys_like_include_are_rejected(tmp_path) -> None:
    text = 'include = "/etc/passwd"\n' + GOOD.format(id="inc", title="A boom happened")
    _write(tmp_path, "inc", text)
    with pytest.raises(PatternError, match=r"inc\.toml:1: field 'include'"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("template", "want"),
    [
        ("Native error code {code}: {name} ({table})", "Native error code 15: INTERNAL_ERROR (runtime)"),
        ("{code:>999999999}", "{code:>999999999}"),  # a format spec would allocate a gigabyte
        ("{code.__class__.__mro__}", "{code.__class__.__mro__}"),  # attribute lookups stay text
        ("{0} {missing} {", "{0} {missing} {"),  # str.format would raise IndexError / KeyError / ValueError
    ],
)
def test_titles_are_filled_without_str_format(template: str, want: str) -> None:
    assert fill(template, {"code": "15", "name": "INTERNAL_ERROR", "table": "runtime"}) == want


# Names of things a user cannot open: the project's own notes.
PRIVATE_SOURCES = (
    "seed note",
    "furiosa-facts",
    "per the note",
    "the note's",
    "troubleshooting note",
    "seed 노트",
    "노트의",
)


def _user_texts(p) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [p.title, p.title_ko, p.why, p.why_ko, *p.remediation, *p.remediation_ko, *p.checklist, *p.references]
    if p.lint is not None:
        texts += [
            p.lint.why,
            p.lint.why_ko,
            *(s.text for s in p.lint.remediation),
            *(s.text_ko for s in p.lint.remediation),
        ]
    return texts


def test_every_reference_is_a_page_users_can_open() -> None:
    for p in load().patterns:
        assert p.references, p.id
        for ref in p.references:  # a public page, or a page of this project's own docs/
            assert "https://" in ref or ref.startswith("docs/"), (p.id, ref)
        for text in _user_texts(p):
            assert not any(s in text.lower() for s in PRIVATE_SOURCES), (p.id, text)


def test_lint_report_cites_no_private_note() -> None:
    pytest.importorskip("onnx")
    from tests.conftest import FIXTURES
    from triage.lint import lint_model

    report = lint_model(FIXTURES / "models" / "resnet-resize-softmax.onnx")
    text = report.model_dump_json().lower()
    assert not any(s in text for s in PRIVATE_SOURCES)


def test_a_fifo_named_like_a_pattern_file_is_refused_not_opened(tmp_path) -> None:
    """Opening a FIFO waits for a writer: every command would hang on the user's directory."""
    import threading

    d = tmp_path / "patterns"
    _write(d, "inside")
    os.mkfifo(d / "pipe.toml")
    errors: list[str] = []

    def try_load() -> None:
        try:
            load(d)
        except PatternError as exc:
            errors.append(str(exc))

    worker = threading.Thread(target=try_load, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(d / "pipe.toml", "wb"):  # let the blocked open return so the thread ends
            pass
        worker.join(5)
    assert errors and "pipe.toml: not a regular file" in errors[0]


def test_a_huge_pattern_file_is_refused_before_it_is_read(tmp_path, monkeypatch) -> None:
    d = tmp_path / "patterns"
    _write(d, "inside")
    with open(d / "huge.toml", "wb") as fh:
        fh.truncate(8 * 1024**3)  # sparse: 8 GB that read_bytes() would try to hold in memory
    read: list[Path] = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    with pytest.raises(PatternError, match="huge.toml: larger than"):
        load(d)
    assert not read


def test_a_file_given_as_the_user_directory_says_so(tmp_path, monkeypatch) -> None:
    from triage.kb import loader

    not_a_dir = tmp_path / "patterns"
    not_a_dir.write_text("")
    errors: list[str] = []
    loader._load_root(not_a_dir, errors)
    assert errors == [f"{not_a_dir}: not a directory"]
