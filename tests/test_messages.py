"""What doctor, lint, ticket and the commands print exists in English and Korean (triage/messages).

Three kinds of check: the catalogs are complete (both languages, the same fields, Korean that is Korean);
the source of the modules that print for people holds no prose that bypasses the catalogs (an AST scan);
and the commands run with --lang ko print no English sentence of the catalogs (the running proof).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES, ROOT
from triage.cli import app
from triage.messages import AREAS, LANGS, catalog, localize_note, say

HANGUL = re.compile(r"[\uac00-\ud7a3]")
FIELD = re.compile(r"\{(\w*)[^}]*\}")
# Two words of running English: what a person reads (not a path, a flag or a code name).
PROSE = re.compile(r"[A-Za-z][a-z]+[,;:]? \(?[A-Za-z][a-z]+")
runner = CliRunner()


def _english(template: str) -> bool:
    """Whether a template has English words for people (commands in backticks and the tool's name aside)."""
    return bool(PROSE.search(FIELD.sub(" ", re.sub(r"`[^`]*`|warboy-triage \w+", " ", template))))


# -- the catalogs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
def test_every_message_exists_in_both_languages(area: str) -> None:
    messages = catalog(area)
    assert set(messages) == set(LANGS)
    assert set(messages["en"]) == set(messages["ko"]), set(messages["en"]) ^ set(messages["ko"])
    assert all(text.strip() for lang in LANGS for text in messages[lang].values())


@pytest.mark.parametrize("area", AREAS)
def test_messages_take_the_same_fields_in_both_languages(area: str) -> None:
    en, ko = catalog(area)["en"], catalog(area)["ko"]
    for key in en:
        assert sorted(FIELD.findall(en[key])) == sorted(FIELD.findall(ko[key])), key


@pytest.mark.parametrize("area", AREAS)
def test_korean_messages_are_korean(area: str) -> None:
    en, ko = catalog(area)["en"], catalog(area)["ko"]
    untranslated = [k for k in en if _english(en[k]) and not HANGUL.search(ko[k])]
    assert untranslated == []


def test_no_key_is_in_two_catalogs() -> None:
    seen: dict[str, str] = {}
    for area in AREAS:
        for key in catalog(area)["en"]:
            assert key not in seen, f"{key} in {seen.get(key)} and {area}"
            seen[key] = area


def test_a_note_is_shown_in_korean_and_an_unknown_one_as_it_is() -> None:
    from triage.pipeline import empty_note
    from triage.reader import budget_note

    for note in (budget_note(1024), empty_note("<stdin>"), "line 7 is longer than 1048576 bytes; the rest was cut"):
        ko = localize_note(note, "ko")
        assert HANGUL.search(ko) and not _english_sentence_in(ko), note
        assert localize_note(note, "en") == note
    assert localize_note("something the catalog never heard of", "ko") == "something the catalog never heard of"
    flattened = "line 3 (9000 bytes) is a flattened paste: re-split into 12 records; 2 record(s) longer than 4096"
    assert "2" in localize_note(flattened + " characters were cut", "ko").split(";")[-1]  # the longer template won


# -- the source: prose that bypasses the catalogs ----------------------------------------------------------

# The modules that print for people under --lang. Their prose must come from triage/messages (or i18n.LABELS),
# or be English the core writes into a record that localize_note shows in Korean (a notes template).
SCANNED = [
    *sorted((ROOT / "triage" / "doctor").rglob("*.py")),
    *[ROOT / "triage" / "commands" / f"{m}.py" for m in ("doctor", "explain", "search", "lint", "ticket", "run")],
    *[ROOT / "triage" / "commands" / f"{m}.py" for m in ("analyze", "tui", "schema", "help_ko")],
    ROOT / "triage" / "commands" / "ticket_flow.py",
    ROOT / "triage" / "kb" / "explain_render.py",
    ROOT / "triage" / "kb" / "search.py",
    *sorted((ROOT / "triage" / "ticket").glob("*.py")),
    ROOT / "triage" / "lint" / "graph.py",
    ROOT / "triage" / "lint" / "build.py",
    ROOT / "triage" / "lint" / "examples.py",
    *sorted((ROOT / "triage" / "tui").rglob("*.py")),
]
# (file, literal with {} for each field): why it may stay English.
EXEMPT = {
    ("triage/doctor/probes/devices.py", "raw: warboy-triage does not parse furiosactl output"): "JSON data",
    ("triage/doctor/env.py", "timed out after {}s"): "shown through probes.command_error (doctor catalog)",
    ("triage/doctor/env.py", "{}: (no output recorded for this fixture)"): "FakeEnv, the tests' machine",
    ("triage/kb/explain_render.py", "{}.{}{} (native error code: {})"): "the exception line Furiosa prints",
    ("triage/kb/explain_render.py", "# warboy-triage explain `{}`"): "a command line",
    ("triage/ticket/bundle.py", "NOT redacted (--no-redact): review before sending."): "manifest.json (data)",
    ("triage/ticket/bundle.py", "named by a log; {}"): "manifest.json (data)",
    ("triage/ticket/markdown.py", "<fill in>"): "the English placeholder (labels t_fill in both languages)",
    ("triage/lint/build.py", "no pattern with a [lint] section for lint cause '{}'"): "a bug in a pattern file",
}
EXEMPT.update(
    {
        ("triage/tui/widgets/versions_panel.py", "bold red"): "a Rich style",
        ("triage/tui/app.py", "knowledge base"): "the window's sub-title, as the files' names are (TUI test snapshots)",
        ("triage/doctor/env.py", "not found"): "CommandResult.error, shown through probes.command_error",
        ("triage/lint/graph.py", "; to diagnose a log, run `warboy-triage {}`"): "part of err_lint_*_log (notes)",
        ("triage/lint/graph.py", "is a directory, not an ONNX model"): "part of err_lint_directory (notes)",
    }
)
# Program text and word lists, not messages.
EXEMPT_NAMES = {"MANIFEST_NOTE", "_STOP", "_PROBE_SCRIPT", "EPILOG", "USAGE_HINT", "DEFAULT_CSS", "SEVERITY_STYLE"}
NOT_SHOWN_ARGS = {"help", "epilog", "metavar", "rich_help_panel", "short_help"}
STR_METHODS = {"startswith", "endswith", "find", "split", "partition", "replace", "removeprefix", "removesuffix"}
# Calls whose string arguments are not shown as they are: patterns, probe titles (i18n.DOCTOR_TITLES_KO).
# Binding descriptions are replaced on screen by the key_<action> labels (a test below checks that they exist).
NOT_SHOWN_CALLS = {"compile", "match", "search", "fullmatch", "sub", "FunctionProbe", "Condition", "getattr", "Binding"}


def _skeleton(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _skeleton(node.left), _skeleton(node.right)
        return None if left is None and right is None else (left or "{}") + (right or "{}")
    return None


def _call_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def prose_literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    quiet: set[int] = set()

    def hush(node: ast.AST) -> None:
        quiet.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            hush(node)  # docstrings, attribute docstrings
        elif (isinstance(node, ast.keyword) and node.arg in NOT_SHOWN_ARGS) or (
            isinstance(node, ast.Assign) and any(getattr(t, "id", "") in EXEMPT_NAMES for t in node.targets)
        ):
            hush(node.value)
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                hush(operand)
        elif isinstance(node, ast.Call) and (_call_name(node) in STR_METHODS | NOT_SHOWN_CALLS):
            for arg in node.args:
                hush(arg)
        elif isinstance(node, ast.Subscript):
            hush(node.slice)
    for node in ast.walk(tree):
        if id(node) in quiet or not isinstance(node, (ast.Constant, ast.JoinedStr)):
            continue
        if isinstance(node, ast.JoinedStr):
            hush(node)  # its parts are checked as one
        text = _skeleton(node)
        # the tool's name and the prefix of its stderr lines ("warboy-triage: note: ") are not prose
        if text is not None and PROSE.search(re.sub(r"warboy-triage(?:: \w+:)?", " ", text)):
            yield node.lineno, text


def _template_regexes(area: str) -> list[re.Pattern[str]]:
    """The area's English templates with each field read as anything (looser than triage.messages' own)."""
    out = []
    for template in catalog(area)["en"].values():
        parts = FIELD.split(template)
        out.append(re.compile("".join(re.escape(p) if i % 2 == 0 else ".*?" for i, p in enumerate(parts)) + r"\Z"))
    return out


def _has_template(skeleton: str, area: str = "notes") -> bool:
    """A core literal some template of `area` covers (its fields filled with anything, a trailing one left empty)."""
    candidates = {skeleton.replace("{}", "X"), re.sub(r"(\{\})+$", "", skeleton).replace("{}", "X")}
    return any(r.match(c) for r in _template_regexes(area) for c in candidates)


def bypassing(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        for line, text in prose_literals(path):
            if (rel, text) not in EXEMPT and not _has_template(text):
                found.append(f"{rel}:{line}: {text!r}")
    return found


def test_modules_that_print_for_people_take_their_prose_from_the_catalogs() -> None:
    assert bypassing(SCANNED) == []


def test_the_scan_finds_a_prose_literal_that_bypasses_the_catalog(tmp_path: Path) -> None:
    """The scan itself: an English summary written straight into a probe is reported, a catalog lookup is not."""
    probe = ROOT / "triage" / "doctor" / "probes" / "scan_sample.py"
    source = (
        "from triage.messages import both\n"
        "def f(env):\n"
        "    a = both('pci_none')\n"
        "    return CheckResult.of('warn', raw(f'{n} cards but no driver'))\n"
    )
    try:
        probe.write_text(source, encoding="utf-8")
        assert bypassing([probe]) == ["triage/doctor/probes/scan_sample.py:4: '{} cards but no driver'"]
    finally:
        probe.unlink()


CORE_ERRORS = {"LintError", "UnknownQuery", "InputError", "ReaderError"}


def core_records(path: Path) -> Iterator[tuple[int, str]]:
    """English the core writes for people into a record or an error: notes.append(...), raise XError(...)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_note = (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and getattr(func.value, "attr", getattr(func.value, "id", "")).endswith("notes")
        )
        if is_note or _call_name(node) in CORE_ERRORS:
            text = _skeleton(node.args[0])
            if text is not None and PROSE.search(text):
                yield node.lineno, text


def test_every_note_and_error_the_core_writes_has_a_korean_template() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "triage").rglob("*.py"))
        if "messages" not in path.parts
        for line, text in core_records(path)
        if not _has_template(text)
        and (path.relative_to(ROOT).as_posix(), text) not in EXEMPT
        and "tui" not in path.parts  # the TUI shows reader errors in its own panel, in English (see the report)
    ]
    assert missing == []


# -- running: --lang ko prints no English sentence of the catalogs -----------------------------------------


def _english_sentences() -> set[str]:
    """Every three running English words of every English template that the Korean one does not share
    (three-word windows, so that a line wrapped by the terminal still shows them)."""
    from triage.i18n import LABELS

    pairs = [(catalog(a)["en"][k], catalog(a)["ko"][k]) for a in AREAS for k in catalog(a)["en"]]
    pairs += [(LABELS["en"][k], LABELS["ko"][k]) for k in LABELS["en"]]
    out = set()
    furiosa = "(native error code: 15)"  # Furiosa's own exception text, quoted in both languages
    for en, ko in pairs:
        for chunk in FIELD.split(re.sub(r"`[^`]*`|'[^']*'", "{}", en))[::2]:
            for run in re.findall(r"[A-Za-z][a-z]+(?:[ ,;:]+\(?[A-Za-z]?[a-z]+\)?){2,}", chunk):
                words = run.split()
                for i in range(len(words) - 2):
                    three = " ".join(words[i : i + 3])
                    if three not in ko and three not in furiosa:
                        out.add(three)
    return out


SENTENCES = _english_sentences()


def _english_sentence_in(text: str) -> list[str]:
    # references cite upstream pages, and quotes ('...') Furiosa's own messages: not ours to translate
    kept = " ".join(line for line in text.splitlines() if "https://" not in line)
    flat = " ".join(re.sub(r"'[^'\n]*'", "''", kept).split())
    return sorted(s for s in SENTENCES if s in flat)


def test_the_sentence_list_is_not_empty() -> None:
    assert len(SENTENCES) > 300 and "furiosa apt package" in SENTENCES


def test_doctor_in_korean_on_every_machine() -> None:
    from triage.doctor import CheckResult, FakeEnv, all_probes, run_doctor
    from triage.doctor.probes import FunctionProbe
    from triage.doctor.render import markdown_table, text

    def boom(env: object) -> CheckResult:
        raise RuntimeError("probe bug")

    def hang(env: object) -> CheckResult:
        import time

        time.sleep(1)
        raise AssertionError("unreachable")

    machines = [FakeEnv.load(d) for d in sorted((FIXTURES / "doctor").iterdir()) if d.is_dir()]
    reports = [run_doctor(m) for m in [*machines, FakeEnv(dists=None)]]
    reports.append(run_doctor(FakeEnv(dists=None), [FunctionProbe("x", "x", boom), FunctionProbe("y", "y", hang, 0.1)]))
    assert len(machines) >= 2 and {c.status for r in reports for c in r.checks} == {"pass", "warn", "fail", "unknown"}
    for report in reports:
        ko = text(report, verbose=True, lang="ko") + markdown_table(report, "ko")
        assert _english_sentence_in(ko) == []
        assert text(report, verbose=True) == text(report, verbose=True, lang="en")
        # every summary the probes wrote has its Korean copy, and the JSON record keeps English only
        assert all(c.summary_ko for c in report.checks), [c.id for c in report.checks if not c.summary_ko]
        assert "summary_ko" not in report.model_dump_json()
    assert len(reports[0].checks) == len(all_probes())


def test_doctor_cli_in_korean() -> None:
    listing = runner.invoke(app, ["doctor", "--list-checks", "--lang", "ko"]).output
    assert "제한 시간" in listing and "PCI 버스의 Warboy" in listing and _english_sentence_in(listing) == []
    bad = runner.invoke(app, ["doctor", "--check", "nope", "--lang", "ko"]).output
    assert "알 수 없는 점검 nope" in bad


def _all_explain_queries() -> list[str]:
    from triage import codes
    from triage.kb import load

    queries = [p.id for p in load().patterns]
    queries += [f"{t}:{c}" for t, entries in codes.TABLES.items() for c in entries]
    return [*queries, "9", "15"]


def test_explain_in_korean_for_every_cause_and_code() -> None:
    from triage.api import explain

    for query in _all_explain_queries():
        for fmt in ("text", "markdown"):
            out = explain(query, lang="ko").render(fmt)
            assert _english_sentence_in(out) == [], (query, fmt)


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "nonexistent-cause"],
        ["explain", "runtime:9999"],
        ["explain", "9999"],
        ["explain", " "],
        ["search", "zzzqqqxx"],
        ["search", "device busy"],
        ["search", "device busy", "-f", "markdown"],
        ["lint", "README.md"],
        ["lint", "fixtures"],
        ["lint", "fixtures/models/resnet-resize-softmax.onnx", "--no-color"],
        ["lint", "fixtures/models/resnet-resize-softmax.onnx", "--sdk", "banana"],
        ["lint", "fixtures/models/resnet-resize-softmax.onnx", "--sdk", "0.1"],
        ["lint", "no-such-model.onnx"],
    ],
)
def test_commands_in_korean_print_no_catalog_english(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, [*argv, "--lang", "ko"])
    assert result.output.strip() and _english_sentence_in(result.output) == [], result.output


def test_ticket_in_korean_prints_no_catalog_english(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(
        (FIXTURES / "device-busy.log").read_text(encoding="utf-8")
        + "Please check the compiler log at /nonexistent/compile-1.log\n",
        encoding="utf-8",
    )
    out = tmp_path / "t.md"
    args = ["ticket", str(log), "--no-doctor", "--lang", "ko"]
    for extra in (
        ["-o", str(out)],
        ["-o", str(out), "--no-redact"],
        ["--preview"],
        ["--bundle", str(tmp_path / "b.rar")],
    ):
        result = runner.invoke(app, [*args, *extra])
        assert result.output.strip() and _english_sentence_in(result.output) == [], result.output
    assert _english_sentence_in(out.read_text(encoding="utf-8")) == []
    said = runner.invoke(app, [*args, "-o", str(out)]).output
    assert f"{out} 를 씀" in said and "이 머신에 없음" in said  # a compile log it names but cannot find


def test_empty_input_and_notes_in_korean() -> None:
    result = runner.invoke(app, ["analyze", "-", "--lang", "ko"], input="")
    assert "비어 있음" in result.output and _english_sentence_in(result.output) == []


def test_say_falls_back_to_english_and_fills_fields() -> None:
    assert say("ticket_wrote", "xx", path="a.md") == "wrote a.md"
    assert say("ticket_wrote", "ko", path="a.md") == "a.md 를 씀"


def _lint_graphs():  # type: ignore[no-untyped-def]
    """Graphs that make lint write each kind of evidence: CPU operators and why, positions, inputs, weights."""
    pytest.importorskip("onnx")
    import numpy as np

    from tests.onnx_graphs import GraphBuilder, clean_cnn, resnet_with_resize_and_softmax

    odd = GraphBuilder((1, 8, 64, 64), quantized=True)
    x = odd.relu(odd.conv(8))
    odd.op("GlobalAveragePool", [x])
    odd.op("HardSwish", [x])
    odd.op("MyOp", [x], domain="com.example")
    odd.op("NotAnOnnxOp", [x])
    e1 = odd.op("Einsum", [x, x], equation="bchw,bchw->bchw")
    odd.op("Einsum", [e1, x], equation="bchw,bchw->bchw")
    odd.op("Concat", [x, e1], axis=1)
    odd.op("DepthToSpace", [x], blocksize=2, mode="CRD")
    odd.op("Tanh", [x])
    scale = odd.init("bn_scale", np.ones(8, dtype=np.float32))
    odd.op("BatchNormalization", [x, scale, scale, scale, scale])
    odd.conv(8, group=1, dilation=16)
    dynamic = GraphBuilder(("batch", 3, "h", 640), quantized=True)
    dynamic.relu(dynamic.conv(8))
    return [
        (odd.model(), "0.10.2"),
        (odd.model(), "0.6"),
        (resnet_with_resize_and_softmax(batch=4, mode="cubic"), "0.10.2"),
        (resnet_with_resize_and_softmax(mode="linear"), "0.6"),
        (clean_cnn(quantized=False, size=1024), "0.10.2"),
        (clean_cnn(size=224), "0.10.2"),
        (dynamic.model(), "0.10.2"),
    ]


def test_lint_in_korean_shows_no_catalog_english() -> None:
    from triage.lint import lint_graph
    from triage.lint.graph import from_model
    from triage.render import get_renderer

    kinds = set()
    for model, sdk in _lint_graphs():
        report = lint_graph(from_model(model, "m.onnx"), sdk)
        kinds.update(e.kind for f in report.findings for e in f.evidence)
        for fmt in ("text", "markdown"):
            out = get_renderer(fmt)(report, lang="ko", color=False)
            assert _english_sentence_in(out) == [], (sdk, fmt, [f.id for f in report.findings])
        english = get_renderer("text")(report, lang="en", color=False)
        assert all(
            e.text in " ".join(english.split()) or len(e.text) > 200 for f in report.findings for e in f.evidence
        )
    assert {"node", "input"} <= kinds


def lint_evidence_literals() -> Iterator[tuple[str, int, str]]:
    """What lint writes into evidence: the texts given to node_evidence/input_evidence, the positions, and every
    prose literal of conditions.py (the reasons) and operators.py (alternatives, advice, the table's conditions)."""
    lint = ROOT / "triage" / "lint"
    for name in ("conditions.py", "operators.py"):
        for line, text in prose_literals(lint / name):
            if not HANGUL.search(text):
                yield name, line, text
    for node in ast.walk(ast.parse((lint / "rules.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node) in ("node_evidence", "input_evidence"):
            args = [node.args[1]] if len(node.args) > 1 else []
            args = [b for a in args for b in ((a.body, a.orelse) if isinstance(a, ast.IfExp) else (a,))]
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "POSITION_TEXT":
            args = list(node.value.values) if isinstance(node.value, ast.Dict) else []
        else:
            continue
        for arg in args:
            text = _skeleton(arg)
            if text is not None and PROSE.search(text):
                yield "rules.py", arg.lineno, text


LINT_NOT_SHOWN = {
    "input from input": "Evidence.attribute (data)",
    "input from {}": "Evidence.attribute (data)",
    "NPU 가속 지원 연산자 목록": "the table's source, a document title",
}


def test_every_lint_evidence_text_has_a_korean_template() -> None:
    found = list(lint_evidence_literals())
    missing = [
        f"{name}:{line}: {text!r}"
        for name, line, text in found
        if text not in LINT_NOT_SHOWN and not _has_template(text, "lint")
    ]
    assert len(found) > 25 and missing == []


def test_the_language_can_come_from_the_environment() -> None:
    env = {"WARBOY_TRIAGE_LANG": "ko"}
    assert "PCI 버스의 Warboy" in runner.invoke(app, ["doctor", "--list-checks"], env=env).output
    assert "Warboy on the PCI bus" in runner.invoke(app, ["doctor", "--list-checks", "--lang", "en"], env=env).output
    assert "원인" in runner.invoke(app, ["explain", "device-busy"], env=env).output
    assert "Warboy on the PCI bus" in runner.invoke(app, ["doctor", "--list-checks"], env={}).output


# -- --help in Korean ----------------------------------------------------------------------------------------


def _help_texts() -> list[str]:
    import typer.main

    out: list[str] = []

    def walk(c) -> None:  # type: ignore[no-untyped-def]
        out.extend(t for t in (c.help, c.epilog) if t)
        out.extend(p.help for p in c.params if getattr(p, "help", None))
        for sub in getattr(c, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return out


def test_every_help_text_has_its_korean_and_no_korean_is_stale() -> None:
    from triage.messages.help import HELP_KO

    texts = set(_help_texts())
    assert len(texts) > 60
    assert sorted(texts - set(HELP_KO)) == []
    assert sorted(set(HELP_KO) - texts - {"Show this message and exit."}) == []
    assert [en for en, ko in HELP_KO.items() if not HANGUL.search(ko)] == []


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from triage.cli import main

    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code in (0, None)
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["--lang", "ko", "--help"], ["--lang", "ko", "doctor", "--help"], ["ticket", "--lang", "ko", "-h"]]
)
def test_help_in_korean(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARBOY_TRIAGE_LANG", "en")  # restored afterwards: a leading --lang sets it for the process
    out = _main(argv, capsys)
    assert "옵션" in out and "이 도움말을" in out  # the -h line itself (rich may cut it short in a narrow column)
    assert out.lstrip().startswith("사용법: ") and "Options:" not in out and "[default:" not in out  # the frame
    flat = " ".join(out.replace("│", " ").split())
    assert [t for t in _help_texts() if len(t) > 25 and " ".join(t.split()) in flat] == []


def test_help_from_the_environment_and_english_otherwise(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.commands.help_ko import wants_korean_help

    monkeypatch.setenv("WARBOY_TRIAGE_LANG", "ko")
    assert "ONNX 모델 파일" in _main(["lint", "--help"], capsys)
    english = _main(["lint", "--lang", "en", "--help"], capsys)
    assert "The ONNX model file" in english
    assert english.startswith("Usage: ") and "Options:" in english  # the Korean frame was put back
    monkeypatch.delenv("WARBOY_TRIAGE_LANG")
    assert "The ONNX model file" in _main(["lint", "--help"], capsys)
    # a --help after `--` belongs to the command `run` starts
    assert not wants_korean_help(["run", "--", "python", "x.py", "--help"], {"WARBOY_TRIAGE_LANG": "ko"})
    assert wants_korean_help(["run", "--help", "--", "x"], {"WARBOY_TRIAGE_LANG": "ko"})


def test_korean_help_costs_nothing_at_start_up() -> None:
    import subprocess
    import sys

    code = "import sys, triage.cli; print(sorted(m for m in sys.modules if m.startswith('triage.messages.help')" + (
        " or m == 'triage.commands.help_ko'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_run_in_korean(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "WARBOY_TRIAGE_LANG": "ko"}
        return subprocess.run([sys.executable, "-m", "triage", *argv], capture_output=True, text=True, env=env)

    missing = run("run", "--", "no-such-command-xyz")
    assert missing.returncode == 127 and "명령을 찾을 수 없음" in missing.stderr
    line = "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)"
    failed = run("run", "--", sys.executable, "-c", f"print({line!r}); raise SystemExit(3)")
    assert failed.returncode == 3 and "끝남 (종료 코드 3)" in failed.stderr
    assert _english_sentence_in(failed.stderr.replace(line, "")) == []


def test_the_missing_hyperscan_note_is_shown_in_korean(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from triage.fastpath import resolve_backend

    monkeypatch.setitem(sys.modules, "hyperscan", None)  # as if it were not installed
    backend, note = resolve_backend("hyperscan")
    assert backend == "re" and note is not None
    assert HANGUL.search(localize_note(note, "ko")) and _english_sentence_in(localize_note(note, "ko")) == []


def test_every_binding_the_footer_shows_has_its_label_in_both_languages() -> None:
    """The footer shows a binding's description through i18n's key_<action> label; one without a label stays in
    the English it was declared with."""
    from triage.i18n import LABELS

    missing = []
    for path in sorted((ROOT / "triage" / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) == "Binding" and len(node.args) >= 3:
                hidden = any(k.arg == "show" and getattr(k.value, "value", True) is False for k in node.keywords)
                action = getattr(node.args[1], "value", None)
                if not hidden and f"key_{action}" not in LABELS["en"]:
                    missing.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {action}")
    assert missing == []
    assert all(key in LABELS["ko"] for key in LABELS["en"] if key.startswith("key_"))


def test_every_finding_on_every_fixture_carries_its_korean_texts() -> None:
    """Findings copy the pattern's texts in both languages wherever they are built (matcher, safety net, lint):
    one that drops a _ko field shows English under --lang ko (the safety net dropped why_ko and checklist_ko)."""
    from triage.pipeline import analyze

    logs = sorted((ROOT / "fixtures").rglob("*.log")) + sorted((ROOT / "tests" / "data" / "wild").glob("*.log"))
    seen: set[str] = set()
    missing = []
    for log in logs:
        for f in analyze([str(log)]).findings:
            seen.add(f.id)
            pairs = [("title", f.title, f.title_ko), ("why", f.why, f.why_ko)]
            pairs += [("remediation", f.remediation, f.remediation_ko), ("checklist", f.checklist, f.checklist_ko)]
            missing += [f"{log.name}: {f.id}.{name}_ko" for name, en, ko in pairs if en and not ko]
    assert "unrecognized-error" in seen and len(seen) > 20
    assert missing == []
