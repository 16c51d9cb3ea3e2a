"""`warboy-triage lint`: each rule fires on a graph built to trigger it and not on its near-miss."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from onnx import TensorProto, helper  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from tests.conftest import ROOT  # noqa: E402
from tests.onnx_graphs import GraphBuilder, clean_cnn, resnet_with_resize_and_softmax  # noqa: E402
from triage.cli import app  # noqa: E402
from triage.lint import LintError, lint_graph, lint_model  # noqa: E402
from triage.lint.graph import from_model  # noqa: E402
from triage.report import LintReport, Report  # noqa: E402


def lint(model, sdk: str = "0.10.2", kb=None) -> Report:  # type: ignore[no-untyped-def]
    return lint_graph(from_model(model, "m.onnx"), sdk, kb)


def ids(report: Report) -> list[str]:
    return [f.id for f in report.findings]


def finding(report: Report, fid: str):  # type: ignore[no-untyped-def]
    return next(f for f in report.findings if f.id == fid)


def middle(
    op_type: str, shape: tuple = (1, 8, 640, 640), inputs: list[str] | None = None, name: str = "target", **attrs
) -> GraphBuilder:
    """Quantized graph: conv -> OP (named 'target') -> relu, so the op sits in the middle."""
    b = GraphBuilder(shape, quantized=True)
    b.conv(shape[1])
    b.op(op_type, [b.last, *(inputs or [])], name=name, **attrs)
    b.relu()
    return b


def device_of(report: Report, name: str) -> str:
    m = report.model
    assert m is not None
    if name in m.head_cut + m.tail_cut + m.middle_cpu:
        return "cpu"
    return "npu"


# -- the clean case -------------------------------------------------------------------------------------------


def test_clean_quantized_cnn_gives_no_finding() -> None:
    r = lint(clean_cnn())
    assert r.findings == []
    assert r.model is not None and r.model.quantized and r.model.cpu_nodes == 0
    assert r.model.partitions == 1 and r.model.npu_nodes > 0


# -- quantization ---------------------------------------------------------------------------------------------


def test_float_model_needs_quantization_and_quantized_does_not() -> None:
    f = finding(lint(clean_cnn(quantized=False)), "model-not-quantized")
    assert f.severity == "error"
    assert all(e.kind == "node" and e.op_type in ("Conv", "Gemm") for e in f.evidence)
    assert "calibration" in " ".join(f.remediation)
    assert "model-not-quantized" not in ids(lint(clean_cnn()))


def test_partly_quantized_model_is_a_warning_naming_the_float_node() -> None:
    b = GraphBuilder(quantized=True)
    b.conv(8)
    b.quantized = False
    b.conv(8, name="float_conv")
    f = finding(lint(b.model()), "model-not-quantized")
    assert f.severity == "warning" and [e.node for e in f.evidence] == ["float_conv"]


# -- operators and their conditions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "sdk", "cpu"),
    [
        (lambda: middle("HardSwish"), "0.10.2", True),
        (lambda: middle("Relu"), "0.10.2", False),
        (lambda: middle("Conv", inputs=["w256"], group=256, kernel_shape=[1, 1], shape=(1, 256, 64, 64)), "0.10", True),
        (
            lambda: middle("Conv", inputs=["w128"], group=128, kernel_shape=[1, 1], shape=(1, 128, 64, 64)),
            "0.10",
            False,
        ),
        (lambda: middle("Conv", inputs=["w8"], dilations=[13, 13], kernel_shape=[1, 1]), "0.10", True),
        (lambda: middle("Conv", inputs=["w8"], dilations=[12, 12], kernel_shape=[1, 1]), "0.10", False),
        (lambda: middle("Softmax", shape=(3, 8, 64, 64), axis=1), "0.10", True),
        (lambda: middle("Softmax", shape=(2, 8, 64, 64), axis=1), "0.10", False),
        (lambda: middle("Transpose", perm=[0, 1, 3, 2]), "0.5", True),
        (lambda: middle("Transpose", perm=[0, 1, 3, 2]), "0.6", False),
        (lambda: middle("Elu"), "0.6.0", True),
        (lambda: middle("Elu"), "0.7.0", False),
        (lambda: middle("DepthToSpace", blocksize=2, mode="DCR"), "0.6", True),
        (lambda: middle("DepthToSpace", blocksize=2, mode="CRD"), "0.6", False),
        (lambda: middle("LpNormalization", p=1, axis=1), "0.10", True),
        (lambda: middle("LpNormalization", p=2, axis=1), "0.10", False),
        (lambda: middle("Concat", inputs=["conv1"], axis=1), "0.6", True),
        (lambda: middle("Concat", inputs=["conv1"], axis=1), "0.7", False),
        (lambda: middle("Concat", inputs=["conv1"], axis=2), "0.6", False),
        (lambda: middle("Concat", inputs=["conv1"], axis=2), "0.5", True),
        (lambda: middle("Concat", inputs=["conv1"], axis=3), "0.10", True),
        (lambda: middle("Slice", inputs=["s0", "s4", "ax1"]), "0.6", True),
        (lambda: middle("Slice", inputs=["s0", "s4", "ax1"]), "0.7", False),
        (lambda: middle("Pad", inputs=["pad_hw"]), "0.6", True),
        (lambda: middle("Pad", inputs=["pad_hw"]), "0.7", False),
        (lambda: middle("Pad", inputs=["pad_n"]), "0.10", True),
    ],
    ids=lambda v: v if isinstance(v, str | bool) else "",
)
def test_operator_conditions(build, sdk: str, cpu: bool) -> None:  # type: ignore[no-untyped-def]
    b = build()
    b.init("w256", np.zeros((256, 1, 1, 1), np.int8).astype(np.float32))
    b.init("w128", np.zeros((128, 1, 1, 1), np.float32))
    b.init("w8", np.zeros((8, 8, 1, 1), np.float32))
    b.init("s0", np.array([0], np.int64))
    b.init("s4", np.array([4], np.int64))
    b.init("ax1", np.array([1], np.int64))
    b.init("pad_hw", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
    b.init("pad_n", np.array([1, 0, 0, 0, 0, 0, 0, 0], np.int64))
    r = lint(b.model(), sdk)
    assert (device_of(r, "target") == "cpu") is cpu, [f.title for f in r.findings]
    if cpu:
        f = finding(r, "cpu-fallback-operator")
        assert [e.node for e in f.evidence] == ["target"]
        assert "middle" in f.evidence[0].text and r.model.middle_cpu == ["target"]


def test_batchnorm_accelerated_only_right_after_conv() -> None:
    def bn(after_conv: bool) -> Report:
        b = GraphBuilder((1, 8, 64, 64), quantized=True)
        b.conv(8)
        if not after_conv:
            b.op("Relu")
        params = [b.init(f"bn{i}", np.ones(8, np.float32)) for i in range(4)]
        b.op("BatchNormalization", [b.last, *params], name="bn")
        b.relu()
        return lint(b.model())

    assert device_of(bn(True), "bn") == "npu"
    r = bn(False)
    assert device_of(r, "bn") == "cpu" and "after Relu" in finding(r, "cpu-fallback-operator").evidence[0].text


def test_resize_mode_is_checked_and_named() -> None:
    cubic = lint(resnet_with_resize_and_softmax(mode="cubic", quantized=True))
    ev = finding(cubic, "cpu-fallback-operator").evidence
    assert ev[0].node == "upsample" and ev[0].attribute == "mode=cubic"
    linear = lint(resnet_with_resize_and_softmax(mode="linear", quantized=True))
    assert "cpu-fallback-operator" not in ids(linear)


def test_head_and_tail_are_cut_middle_splits() -> None:
    b = GraphBuilder((1, 3, 640, 640), quantized=True)
    b.op("Cast", name="to_float", to=TensorProto.FLOAT)  # head: nothing upstream on the NPU
    b.conv(8)
    b.op("HardSwish", name="mid")
    b.conv(8)
    b.op("Sign", name="tail_op")
    r = lint(b.model())
    assert r.model is not None
    assert (r.model.head_cut, r.model.middle_cpu, r.model.tail_cut) == (["to_float"], ["mid"], ["tail_op"])
    assert r.model.partitions == 5 and r.model.partitions_after_cut == 3 and r.model.cpu_partitions_after_cut == 1
    f = finding(r, "cpu-fallback-operator")
    assert "Cut the head out into pre-processing: to_float (Cast)." in f.remediation
    assert any("tail_op (Sign)" in s and "post-processing" in s for s in f.remediation)


def test_parallel_cpu_branches_share_a_partition() -> None:
    b = GraphBuilder((1, 8, 64, 64), quantized=True)
    x = b.conv(8)
    a = b.op("HardSwish", [x], name="left")
    c = b.op("Sign", [x], name="right")
    b.add(a, c)
    b.relu()
    r = lint(b.model())
    assert r.model is not None and sorted(r.model.middle_cpu) == ["left", "right"]
    assert r.model.partitions == 3 and r.model.cpu_partitions == 1


# -- the example: float ResNet-like, Resize in the middle, trailing Softmax ------------------------------


def test_resnet_names_softmax_tail_and_resize_split_under_both_views() -> None:
    r = lint(resnet_with_resize_and_softmax())
    assert ids(r)[0] == "model-not-quantized"
    advice = finding(r, "softmax-resize-placement")
    by_node = {e.node: e.text for e in advice.evidence}
    assert "at the tail" in by_node["prob"] and "post-processing" in by_node["prob"]
    assert "in the middle" in by_node["upsample"] and "3 partitions" in by_node["upsample"]
    old = lint(resnet_with_resize_and_softmax(batch=4), "0.6")
    assert old.model is not None
    assert old.model.tail_cut == ["prob"] and old.model.middle_cpu == ["upsample"]
    assert old.model.partitions_after_cut == 3
    assert "Cut the tail out into post-processing: prob (Softmax)." in finding(old, "cpu-fallback-operator").remediation
    assert "prob" in old.model.summary or any("prob" in c for c in old.model.top_changes)


def test_summary_line_counts_and_top_three() -> None:
    r = lint(resnet_with_resize_and_softmax(batch=4, mode="cubic"))
    m = r.model
    assert m is not None and m.nodes == 14 and m.cpu_nodes == 2 and m.npu_nodes == 12
    assert len(m.top_changes) == 3 and m.top_changes[0].startswith("Quantize")
    assert "14 nodes: 12 would run on the NPU" in m.summary and "Change first: 1)" in m.summary


# -- Transformer-style blocks --------------------------------------------------------------------------------------


def test_transformer_ops_fire_and_cnn_softmax_does_not() -> None:
    b = middle("LayerNormalization", shape=(1, 8, 64, 64), inputs=["g"], axis=-1)
    b.init("g", np.ones(64, np.float32))
    assert "transformer-operator" in ids(lint(b.model()))
    assert "transformer-operator" not in ids(lint(resnet_with_resize_and_softmax(quantized=True)))


def test_decomposed_attention_and_einsum_heavy() -> None:
    b = GraphBuilder((1, 16, 64), quantized=True)
    q = b.op("MatMul", [b.last, "k"], name="scores")
    b.op("Div", [q, "sqrt_d"])
    b.op("Softmax", axis=-1, name="attn")
    b.op("MatMul", [b.last, "v"])
    b.init("k", np.zeros((64, 16), np.float32))
    b.init("v", np.zeros((16, 64), np.float32))
    b.init("sqrt_d", np.array(8.0, np.float32))
    f = finding(lint(b.model()), "transformer-operator")
    assert [e.node for e in f.evidence] == ["attn"]

    def einsums(n: int) -> Report:
        e = GraphBuilder((1, 16, 64), quantized=True)
        for _ in range(n):
            e.op("Einsum", [e.last], equation="bij->bij")
        return lint(e.model())

    assert "transformer-operator" in ids(einsums(2))
    one = einsums(1)
    assert "transformer-operator" not in ids(one) and "cpu-fallback-operator" in ids(one)


def test_custom_domain_and_unknown_operators_are_unsupported() -> None:
    b = middle("FusedConv", inputs=[], domain="com.microsoft")
    model = b.model()
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    f = finding(lint(model), "unsupported-operator")
    assert f.evidence[0].node == "target" and "com.microsoft" in f.title
    assert "unsupported-operator" not in ids(lint(middle("HardSwish").model()))
    assert "unsupported-operator" in ids(lint(middle("NoSuchOp").model()))


# -- inputs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "severity"),
    [
        ((1, 3, 1024, 1024), "warning"),
        ((1, 1024, 1024, 3), "warning"),
        ((1, 3, 320, 320), "info"),
        ((1, 3, 640, 640), None),
        ((1, 3, 512, 768), None),
        ((1, 640, 640, 3), None),
    ],
)
def test_input_size_guidance(shape: tuple, severity: str | None) -> None:
    b = GraphBuilder(shape, quantized=True)
    b.relu()
    r = lint(b.model())
    got = [f.severity for f in r.findings if f.id == "input-size-guidance"]
    assert got == ([severity] if severity else [])


def test_dynamic_dims_and_batch() -> None:
    dyn = GraphBuilder(("batch", 3, 640, 640), quantized=True)
    dyn.relu()
    f = finding(lint(dyn.model()), "dynamic-input-shape")
    assert "'batch' is dynamic" in f.evidence[0].text and f.evidence[0].kind == "input"
    b4 = GraphBuilder((4, 3, 640, 640), quantized=True)
    b4.relu()
    assert ids(lint(b4.model())) == ["batch-size-note"]
    fixed = GraphBuilder((1, 3, 640, 640), quantized=True)
    fixed.relu()
    assert ids(lint(fixed.model())) == []


def test_channel_concat_accuracy_note() -> None:
    r = lint(middle("Concat", inputs=["conv1"], axis=1).model())
    f = finding(r, "quantization-accuracy-drop")
    assert f.severity == "info" and f.evidence[0].node == "target" and f.evidence[0].attribute == "axis=1"
    assert "quantization-accuracy-drop" not in ids(lint(middle("Concat", inputs=["conv1"], axis=2).model()))


# -- report, text source, CLI ----------------------------------------------------------------------------------------


def test_lint_text_comes_from_the_patterns_lint_section(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A user's patterns directory may redefine a lint cause; its [lint] section is what the report shows."""
    from triage.kb import load

    bundled = (ROOT / "patterns" / "cpu-fallback-operator.toml").read_text(encoding="utf-8")
    head, _, _ = bundled.partition("\n[lint]\n")
    (tmp_path / "cpu-fallback-operator.toml").write_text(
        head
        + """
[lint]
why = "Pattern text: the compiler placed these operators on the CPU."
why_ko = "패턴 설명: 컴파일러가 이 연산자들을 CPU에 배치했다."
examples = ["x"]
counterexamples = ["y"]

[[lint.remediation]]
text = "Pattern step for every model."
text_ko = "모든 모델에 대한 패턴 단계."

[[lint.remediation]]
text = "Pattern step about Softmax."
text_ko = "Softmax에 대한 패턴 단계."
when = ["Softmax"]
""",
        encoding="utf-8",
    )
    r = lint(middle("HardSwish").model(), kb=load(tmp_path))
    f = finding(r, "cpu-fallback-operator")
    assert (
        f.remediation[-1] == "Pattern step for every model." and f.remediation_ko[-1] == "모든 모델에 대한 패턴 단계."
    )
    assert not any("Softmax" in s for s in f.remediation)  # no Softmax in this model: its step is left out
    assert f.why.startswith("Pattern text") and f.why_ko.startswith("패턴 설명")
    assert "HardSwish" in f.title + " ".join(e.text for e in f.evidence)


def test_every_lint_id_is_a_pattern_with_a_lint_section(kb) -> None:  # type: ignore[no-untyped-def]
    """Every id lint can report is one that explain, search and the TUI know (they read patterns/)."""
    import inspect

    from triage.kb.explain import lookup
    from triage.lint import rules

    source = inspect.getsource(rules)
    ids_in_rules = set(re.findall(r'Draft\(\s*"([a-z0-9-]+)"', source)) | set(
        re.findall(r'return Draft\("([a-z0-9-]+)"', source)
    )
    assert len(ids_in_rules) >= len(rules.RULES)
    for cause_id in ids_in_rules:
        pattern = kb.get(cause_id)
        assert pattern is not None and pattern.lint is not None, cause_id
        assert lookup(kb, cause_id).patterns == [pattern]


def test_sdk_must_look_like_a_version() -> None:
    with pytest.raises(LintError, match="--sdk"):
        lint(clean_cnn(), "latest")


runner = CliRunner()


def test_cli_lint_exit_codes_and_formats(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "float.onnx"
    onnx.save(resnet_with_resize_and_softmax(), str(path))
    text = runner.invoke(app, ["lint", str(path), "--no-color"])
    assert text.exit_code == 1 and "upsample" in text.output and "prob" in text.output
    assert "node " in text.output and "would run on the NPU" in text.output
    assert runner.invoke(app, ["lint", str(path), "--fail-on", "never"]).exit_code == 0
    data = json.loads(runner.invoke(app, ["lint", str(path), "-f", "json"]).output)
    LintReport.model_validate(data)
    assert "versions" not in data and "error_codes" not in data  # lint's own report: nothing about log lines
    assert data["model"]["nodes"] == 14 and data["findings"][0]["evidence"][0]["kind"] == "node"
    md = runner.invoke(app, ["lint", str(path), "-f", "markdown", "--sdk", "0.6"]).output
    assert "**Model** (SDK 0.6" in md and "node 8: Resize 'upsample'" in md
    clean = tmp_path / "clean.onnx"
    onnx.save(clean_cnn(), str(clean))
    assert runner.invoke(app, ["lint", str(clean), "--fail-on", "warning"]).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"not a model at all \x00\x01", "not an ONNX model"),
        (b"", "not an ONNX model"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, content: bytes | None, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.onnx"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_cli_bad_sdk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.onnx"
    onnx.save(clean_cnn(), str(path))
    result = runner.invoke(app, ["lint", str(path), "--sdk", "banana"])
    assert result.exit_code == 2 and "--sdk" in result.output


def test_missing_onnx_names_the_extra(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sys

    path = tmp_path / "m.onnx"
    path.write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(LintError, match=r"warboy-triage\[model\]"):
        lint_model(path)


def test_bundled_example_model_names_softmax_and_resize() -> None:
    from tests.conftest import FIXTURES

    r = lint_model(FIXTURES / "models" / "resnet-resize-softmax.onnx", sdk="0.6")
    assert r.sources[0].bytes > 0 and r.model is not None
    assert r.model.middle_cpu == ["upsample"] and r.model.partitions == 3
    advice = finding(r, "softmax-resize-placement")
    assert [e.node for e in advice.evidence] == ["prob"] and "at the tail" in advice.evidence[0].text


def test_analyze_points_onnx_files_to_lint(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "model.onnx"
    onnx.save(clean_cnn(), str(path))
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2 and "warboy-triage lint" in result.output


def test_unnamed_nodes_get_a_findable_name() -> None:
    b = middle("HardSwish")
    model = b.model()
    for n in model.graph.node:
        if n.op_type == "HardSwish":
            n.name = ""
    f = finding(lint(model), "cpu-fallback-operator")
    assert f.evidence[0].node == f"HardSwish#{f.evidence[0].line}"


def test_external_weights_are_not_read_but_still_typed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = clean_cnn(quantized=False)
    path = tmp_path / "ext.onnx"
    onnx.save(
        model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location="w.bin", size_threshold=0
    )
    (tmp_path / "w.bin").unlink()  # lint must not need the weight file
    assert "model-not-quantized" in ids(lint_model(path))


def test_sdk_older_than_the_first_release_is_refused() -> None:
    with pytest.raises(LintError, match="0.5.0"):
        lint(clean_cnn(), "0.4")


ODD_VALUES = [0, 1, -1, 7, 300, "x", "DCR", "cubic", [0, 0], [1, 2, 3], [13, 13], 2.5]


@pytest.mark.parametrize(
    "op_type",
    [
        "Concat",
        "Slice",
        "Pad",
        "Conv",
        "Resize",
        "DepthToSpace",
        "Softmax",
        "LpNormalization",
        "BatchNormalization",
        "SpaceToDepth",
        "Einsum",
    ],
)
def test_malformed_attributes_never_crash(op_type: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["axis", "axes", "mode", "group", "dilations", "p", "pads", "starts"]),
            st.sampled_from(ODD_VALUES),
            max_size=4,
        ),
        st.lists(st.sampled_from(["", "conv1", "s0", "ghost"]), max_size=3),
    )
    def check(attrs: dict, extra: list[str]) -> None:
        b = GraphBuilder((1, 8, 32, 32), quantized=True)
        b.conv(8)
        b.init("s0", np.array([0], np.int64))
        b.nodes.append(helper.make_node(op_type, [b.last, *extra], ["odd"], name="odd", **attrs))
        b.last = "odd"
        b.relu()
        r = lint(b.model())
        assert r.model is not None and r.model.nodes == len(b.nodes)

    check()


def test_cut_boundary_feeds_onnx_extract_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import onnx.utils

    from triage.lint.conditions import classify
    from triage.lint.partition import cut_boundary, place

    b = GraphBuilder((1, 3, 64, 64), quantized=False)
    b.op("Cast", name="to_float", to=TensorProto.FLOAT)
    b.conv(8)
    b.relu()
    b.op("Sign", name="tail_op")
    model = b.model()
    graph = from_model(model, "m.onnx")
    placement = place(graph, {i: s.device for i, s in classify(graph, "0.10.2").items()})
    ins, outs = cut_boundary(graph, placement)
    assert (ins, outs) == (["to_float"], ["relu3"])
    src, dst = tmp_path / "m.onnx", tmp_path / "npu.onnx"
    onnx.save(model, str(src))
    onnx.utils.extract_model(str(src), str(dst), ins, outs)
    assert [n.op_type for n in onnx.load(str(dst)).graph.node] == ["Conv", "Relu"]
    step = next(s for s in finding(lint(model), "cpu-fallback-operator").remediation if "extract_model" in s)
    assert "input_names=['to_float'], output_names=['relu3']" in step


def test_lint_docs_show_real_lint_output(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    readme = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    out = runner.invoke(app, ["lint", "fixtures/models/resnet-resize-softmax.onnx", "--max-evidence", "3"]).output
    assert out.rstrip("\n") in readme


def test_hostile_names_cannot_drive_the_terminal() -> None:
    from triage.render.markdown import render as markdown
    from triage.render.text import render as text

    b = middle("HardSwish", name="\x1b]0;owned\x07evil" + "x" * 5000)
    r = lint(b.model())
    for out in (text(r, color=False), markdown(r)):
        assert "\x1b" not in out and "\x07" not in out and "x" * 200 not in out
    assert r.findings[0].evidence[0].node.endswith("x" * 5000)  # JSON keeps the real name


def test_skip_connection_around_a_cpu_node_still_splits_in_three() -> None:
    b = GraphBuilder((1, 8, 64, 64), quantized=True)
    x = b.conv(8)
    b.op("HardSwish", [x], name="mid")
    b.conv(8)
    b.add(b.last, x)  # U-Net style skip: the NPU part after "mid" also reads from before it
    r = lint(b.model())
    assert r.model is not None and r.model.middle_cpu == ["mid"] and r.model.partitions == 3


def test_outside_operators_get_a_listed_alternative() -> None:
    b = middle("GlobalAveragePool")
    ev = finding(lint(b.model()), "cpu-fallback-operator").evidence[0]
    assert "AveragePool with the kernel as large as the feature map" in ev.text


# -- fix steps follow from what the model holds (issue 16) -------------------------------------------------------


def test_einsum_and_nms_models_are_not_told_about_softmax_or_resize(kb) -> None:  # type: ignore[no-untyped-def]
    b = GraphBuilder((1, 3, 640, 640), quantized=True)
    b.conv(8)
    k = b.init("k", np.zeros((8, 8), dtype=np.float32))
    b.op("Einsum", [b.last, k], equation="bchw,cd->bdhw")
    b.op("Einsum", [b.last, k], equation="bchw,cd->bdhw")
    boxes = b.op("Reshape", [b.last, b.init("shape", np.array([1, -1, 4], dtype=np.int64))])
    scores = b.op("Reshape", [boxes, b.init("shape2", np.array([1, 1, -1], dtype=np.int64))])
    b.op("NonMaxSuppression", [boxes, scores])
    r = lint(b.model(), kb=kb)
    text = " ".join(s for f in r.findings for s in f.remediation + f.remediation_ko)
    assert "Einsum" in " ".join(f.title for f in r.findings) + text
    assert "Softmax" not in text and "Resize" not in text


def test_small_classifier_is_not_told_to_reexport_at_512_or_tile(kb) -> None:  # type: ignore[no-untyped-def]
    r = lint(clean_cnn(size=224), kb=kb)
    f = finding(r, "input-size-guidance")
    steps = " ".join(f.remediation).lower()
    assert "tile" not in steps and "512x512 and 768x768" not in steps and "keep its size" in steps
    big = finding(lint(clean_cnn(size=1024), kb=kb), "input-size-guidance")
    assert any("tile" in s for s in big.remediation)


def test_graph_without_weights_is_not_an_error_first(kb) -> None:  # type: ignore[no-untyped-def]
    b = GraphBuilder((1, 3, 640, 640))
    b.relu()
    r = lint(b.model(), kb=kb)
    f = finding(r, "model-not-quantized")
    assert f.severity != "error" and not f.title.startswith("Model is not quantized")
    assert "no weights" in f.title
    assert r.model is not None and not (r.model.top_changes or [""])[0].startswith("Quantize to INT8")
    # a float CNN with weights still is the error it was
    assert finding(lint(clean_cnn(quantized=False), kb=kb), "model-not-quantized").severity == "error"


def test_lint_of_a_log_points_to_the_analyser(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "run.log"
    log.write_text("2023-10-04T03:21:45.200341Z ERROR nux: No device\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(log)])
    assert result.exit_code == 2 and f"run `warboy-triage {log}`" in result.output


def test_lint_findings_carry_korean_why_and_checklist(kb) -> None:  # type: ignore[no-untyped-def]
    r = lint(resnet_with_resize_and_softmax(batch=4, mode="cubic"), kb=kb)
    for f in r.findings:
        assert f.why_ko and f.title_ko and len(f.remediation_ko) == len(f.remediation), f.id
        assert len(f.checklist_ko) == len(f.checklist), f.id


def test_lint_summary_and_changes_in_korean(kb) -> None:  # type: ignore[no-untyped-def]
    for model in (resnet_with_resize_and_softmax(batch=4, mode="cubic"), clean_cnn(quantized=False, size=1024)):
        m = lint(model, kb=kb).model
        assert m is not None and m.summary_ko.startswith("노드 ")
        assert len(m.top_changes_ko) == len(m.top_changes) and all(m.top_changes_ko)
        assert all(any("\uac00" <= ch <= "\ud7a3" for ch in c) for c in m.top_changes_ko)
    path = ROOT / "fixtures" / "models" / "resnet-resize-softmax.onnx"
    out = runner.invoke(app, ["lint", str(path), "--lang", "ko", "--no-color"]).output
    assert "노드 14개" in out and "Change first" not in out and "\n     노드 " in out
    md = runner.invoke(app, ["lint", str(path), "--lang", "ko", "-f", "markdown"]).output
    assert "노드 14개" in md and "\n노드 " in md and "\nnode " not in md
