"""The lint rules: one function per cause, each returning a Draft finding or None.

A rule only looks at the graph, the per-node placement (conditions.py, partition.py) and the SDK version;
the text of each cause (why, fix) comes from the knowledge base or causes.py when the report is built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from triage.lint.conditions import Status, batch_of, touched_axes
from triage.lint.graph import FLOAT_TYPES, Graph, Node, TensorInfo, clip
from triage.lint.operators import (
    EFFICIENT_INPUT,
    EINSUM_HEAVY,
    QOPERATOR_OPS,
    QUANT_MARKERS,
    SEED_ADVICE,
    TRANSFORMER_OPS,
    WEIGHTED_OPS,
)
from triage.lint.partition import Placement, cut_boundary, place
from triage.messages import say
from triage.report import Evidence, Severity

MAX_NAMES = 6  # node names spelled out in a title or a fix step


@dataclass
class Context:
    graph: Graph
    sdk: str
    status: dict[int, Status]
    placement: Placement

    @property
    def device(self) -> dict[int, str]:
        return {i: s.device for i, s in self.status.items()}


@dataclass
class Draft:
    id: str
    severity: Severity
    title: str
    title_ko: str
    evidence: list[Evidence]
    steps: list[str] = field(default_factory=list)
    """Fix steps for this model (node names), shown before the cause's general remediation."""
    steps_ko: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    """One-line changes for the summary's 'change first' list, most important first."""
    tags: set[str] = field(default_factory=set)
    actions_ko: list[str] = field(default_factory=list)
    """`actions` in Korean, one for one."""
    """What the rule saw (`input-large`, `no-weights`, `middle`, ...): selects the cause's fix steps, with the
    operator types of the evidence nodes (patterns/*.toml, [[lint.remediation]] `when`)."""


def names(nodes: list[Node], lang: str = "en") -> str:
    shown = ", ".join(f"{clip(n.name)} ({clip(n.op_type)})" for n in nodes[:MAX_NAMES])
    if len(nodes) <= MAX_NAMES:
        return shown
    return say("ev_nodes_more", lang, nodes=shown, count=len(nodes) - MAX_NAMES)


def node_evidence(node: Node, text: str, attribute: str = "") -> Evidence:
    return Evidence(
        line=node.index,
        text=f"{node.label()}: {text}",
        kind="node",
        node=node.name,
        op_type=node.op_type,
        attribute=attribute,
    )


def input_evidence(t: TensorInfo, text: str) -> Evidence:
    return Evidence(
        line=0,
        text=f"input '{clip(t.name)}' {shape_text(t.shape)}: {text}",
        kind="input",
        attribute=f"shape={shape_text(t.shape)}",
    )


def shape_text(shape: list | None) -> str:
    if shape is None:
        return "[rank unknown]"
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- quantization -----------------------------------------------------------------------------------------


def float_weights(graph: Graph) -> list[tuple[Node, TensorInfo]]:
    """Weighted operators whose weight is a float initializer (not fed through DequantizeLinear)."""
    out = []
    for n in graph.nodes:
        if n.op_type in WEIGHTED_OPS and len(n.inputs) > 1 and n.inputs[1] in graph.initializers:
            w = graph.initializers[n.inputs[1]]
            if w.dtype in FLOAT_TYPES:
                out.append((n, w))
    return out


def is_quantized(graph: Graph) -> bool:
    return any(n.op_type in QUANT_MARKERS or n.op_type in QOPERATOR_OPS for n in graph.nodes)


def _dtype_name(dtype: int) -> str:
    return {1: "float32", 10: "float16", 11: "float64", 16: "bfloat16"}.get(dtype, f"type {dtype}")


def rule_not_quantized(ctx: Context) -> Draft | None:
    g = ctx.graph
    weights = float_weights(g)
    weighted = sum(1 for n in g.nodes if n.op_type in WEIGHTED_OPS)
    evidence = [
        node_evidence(
            n,
            f"weight '{clip(w.name)}' is {_dtype_name(w.dtype)} {shape_text(w.shape)}",
            f"weight={_dtype_name(w.dtype)}",
        )
        for n, w in weights
    ]
    if not is_quantized(g):
        float_inputs = [t for t in g.inputs if t.dtype in FLOAT_TYPES]
        if not weights and not float_inputs:
            return None
        if not evidence:
            # No weights at all (pre/post-processing graphs, pure reshapes): there is nothing to convert, only
            # activations to calibrate; not the error a float CNN is, and not the first change to make.
            evidence = [
                input_evidence(t, f"{_dtype_name(t.dtype)} input and no QuantizeLinear/DequantizeLinear")
                for t in float_inputs
            ]
            return Draft(
                "model-not-quantized",
                "warning",
                "No quantization markers: the graph has no weights, but Warboy still needs its float activations "
                "calibrated to INT8",
                "양자화 표시 없음: 가중치는 없지만 Warboy에서 실행하려면 float 활성값을 INT8로 calibration 해야 함",
                evidence,
                tags={"no-weights"},
            )
        return Draft(
            "model-not-quantized",
            "error",
            "Model is not quantized: Warboy runs INT8 only, quantize it before compiling",
            "모델이 양자화되지 않음: Warboy는 INT8만 지원하므로 컴파일 전에 양자화 필요",
            evidence,
            actions=["Quantize to INT8 with furiosa.quantizer (calibrate on real inputs)"],
            actions_ko=["furiosa.quantizer로 INT8 양자화 (실제 입력으로 calibration)"],
            tags={"float-weights"},
        )
    if weights:
        return Draft(
            "model-not-quantized",
            "warning",
            f"Partly quantized: {len(weights)} of {weighted} weighted operators keep float weights",
            f"일부만 양자화됨: 가중치가 있는 연산자 {weighted}개 중 {len(weights)}개가 float 가중치",
            evidence,
            steps=[f"Quantize the remaining float weights: {names([n for n, _ in weights])}."],
            actions=[f"Quantize the {plural(len(weights), 'operator')} left in float"],
            actions_ko=[f"float로 남은 연산자 {len(weights)}개 양자화"],
            tags={"partly-quantized"},
        )
    return None


# -- operators ----------------------------------------------------------------------------------------------

WHERE_KO = {"head": "앞", "middle": "중간", "tail": "끝", "all": "전체"}
POSITION_TEXT = {
    "head": "at the head: cut it out into pre-processing",
    "tail": "at the tail: cut it out into post-processing",
    "middle": "in the middle: splits the graph",
    "all": "no operator of this graph runs on the NPU",
}


def rule_cpu_fallback(ctx: Context) -> Draft | None:
    g, p = ctx.graph, ctx.placement
    cpu = [n for n in g.nodes if ctx.status[n.index].device == "cpu"]
    if not cpu:
        return None
    evidence = [
        node_evidence(
            n, f"{ctx.status[n.index].reason} · {POSITION_TEXT[p.position[n.index]]}", ctx.status[n.index].attribute
        )
        for n in cpu
    ]
    head, tail, middle = (p.nodes_at(g, w) for w in ("head", "tail", "middle"))
    everything = p.nodes_at(g, "all")
    parts, steps, steps_ko, actions, actions_ko = [], [], [], [], []
    if middle:
        parts.append(
            f"{len(middle)} in the middle (the graph splits into {p.partitions_after_cut} partitions, "
            f"{p.cpu_partitions_after_cut} on the CPU)"
        )
        steps.append(
            f"Replace {names(middle)} in the middle with accelerated operators, or meet the table's "
            f"conditions: even with head and tail cut, the model splits into {p.partitions_after_cut} "
            f"NPU/CPU partitions."
        )
        steps_ko.append(
            f"중간 노드 {names(middle, 'ko')}를 가속되는 연산자로 바꾸거나 조건을 맞춘다: 앞뒤를 잘라내도 모델이 "
            f"{p.partitions_after_cut}개의 NPU/CPU 파티션으로 나뉜다."
        )
        kinds = Counter(n.op_type for n in middle)
        what = ", ".join(f"{k} x{c}" if c > 1 else k for k, c in kinds.most_common(3))
        verb = "it splits" if len(middle) == 1 else "they split"
        actions.append(
            f"Replace or fix the {plural(len(middle), 'CPU operator')} in the middle ({what}): "
            f"{verb} the graph into {p.partitions_after_cut} partitions"
        )
        actions_ko.append(
            f"중간의 CPU 연산자 {len(middle)}개({what}) 교체 또는 수정: "
            f"그래프가 {p.partitions_after_cut}개 파티션으로 나뉨"
        )
    for where, nodes, stage in (("tail", tail, "post"), ("head", head, "pre")):
        if nodes:
            parts.append(f"{len(nodes)} at the {where} (cut into {stage}-processing)")
            steps.append(f"Cut the {where} out into {stage}-processing: {names(nodes)}.")
            steps_ko.append(
                f"모델 {'끝' if where == 'tail' else '앞'}의 {names(nodes, 'ko')}를 잘라내어 "
                f"{stage}-processing에서 처리한다."
            )
            actions.append(f"Cut {names(nodes)} off the {where} into {stage}-processing")
            actions_ko.append(
                f"모델 {'끝' if where == 'tail' else '앞'}의 {names(nodes, 'ko')}를 {stage}-processing으로 잘라냄"
            )
    if head or tail:
        ins, outs = cut_boundary(g, p)
        steps.append(
            f"To cut: onnx.utils.extract_model('model.onnx', 'model_npu.onnx', input_names={ins!r}, "
            f"output_names={outs!r}), then run the cut nodes in numpy around the compiled model."
        )
        steps_ko.append(
            f"자르는 방법: onnx.utils.extract_model('model.onnx', 'model_npu.onnx', input_names={ins!r}, "
            f"output_names={outs!r}) 후 잘라낸 노드는 numpy로 처리한다."
        )
    if everything:
        parts.append("no operator runs on the NPU")
    title = f"{plural(len(cpu), 'operator')} would run on the CPU: " + "; ".join(parts)
    title_ko = f"CPU에서 동작할 연산자 {len(cpu)}개: 앞 {len(head)}, 끝 {len(tail)}, 중간 {len(middle)}" + (
        f" (파티션 {p.partitions_after_cut}개)" if middle else ""
    )
    tags = {w for w, nodes in (("head", head), ("tail", tail), ("middle", middle), ("all", everything)) if nodes}
    return Draft(
        "cpu-fallback-operator", "warning", title, title_ko, evidence, steps, steps_ko, actions, tags, actions_ko
    )


def rule_unsupported_operator(ctx: Context) -> Draft | None:
    odd = [n for n in ctx.graph.nodes if not n.standard or not n.known]
    if not odd:
        return None
    evidence = [
        node_evidence(
            n,
            f"domain '{n.domain}' is not standard ONNX" if not n.standard else "not an operator ONNX defines",
            f"domain={n.domain or 'ai.onnx'}",
        )
        for n in odd
    ]
    kinds = sorted({clip(f"{n.domain + '.' if n.domain else ''}{n.op_type}") for n in odd})
    return Draft(
        "unsupported-operator",
        "warning",
        f"{plural(len(odd), 'node')} use non-standard operators: {', '.join(kinds[:MAX_NAMES])}",
        f"표준 ONNX가 아닌 연산자 {len(odd)}개: {', '.join(kinds[:MAX_NAMES])}",
        evidence,
        actions=[f"Export without non-standard operators ({', '.join(kinds[:3])})"],
        actions_ko=[f"표준이 아닌 연산자 없이 export ({', '.join(kinds[:3])})"],
    )


# -- Transformer-style blocks ---------------------------------------------------------------------------------

_SCORE_OPS = frozenset({"Div", "Mul", "Add", "Sub", "Where", "Cast", "Reshape", "Transpose"})
_PASS_OPS = frozenset({"Cast", "Dropout", "Reshape", "Transpose", "Identity"})


def _reaches(graph: Graph, start: Node, target: str, through: frozenset[str], hops: int, up: bool) -> bool:
    """Whether `target` is within `hops` nodes of `start`, passing only through `through` operators."""
    frontier = [start]
    for _ in range(hops):
        nxt: list[Node] = []
        for n in frontier:
            if up:
                near = [graph.producers[i] for i in n.inputs if i in graph.producers]
            else:
                near = [c for o in n.outputs for c in graph.consumers.get(o, ())]
            for m in near:
                if m.op_type == target:
                    return True
                if m.op_type in through:
                    nxt.append(m)
        frontier = nxt
    return False


def attention_softmaxes(graph: Graph) -> list[Node]:
    """Softmax between two MatMuls: a decomposed attention block (scores -> softmax -> weighted sum)."""
    return [
        n
        for n in graph.nodes
        if n.op_type == "Softmax"
        and _reaches(graph, n, "MatMul", _SCORE_OPS, 3, up=True)
        and _reaches(graph, n, "MatMul", _PASS_OPS, 2, up=False)
    ]


def layernorm_blocks(graph: Graph) -> list[Node]:
    """ReduceMean -> Sub -> Pow|Mul -> ReduceMean: a decomposed LayerNormalization (returns the last ReduceMean)."""
    found = []
    for n in graph.nodes:
        if n.op_type != "ReduceMean" or not n.inputs:
            continue
        sq = graph.producers.get(n.inputs[0])
        if sq is None or sq.op_type not in ("Pow", "Mul") or not sq.inputs:
            continue
        sub = graph.producers.get(sq.inputs[0])
        if (
            sub is not None
            and sub.op_type == "Sub"
            and any(
                (graph.producers.get(i) is not None and graph.producers[i].op_type == "ReduceMean") for i in sub.inputs
            )
        ):
            found.append(n)
    return found


def rule_transformer(ctx: Context) -> Draft | None:
    g = ctx.graph
    fused = [n for n in g.nodes if n.op_type in TRANSFORMER_OPS]
    einsum = [n for n in g.nodes if n.op_type == "Einsum"]
    evidence = [node_evidence(n, "Transformer operator") for n in fused]
    if len(einsum) >= EINSUM_HEAVY:
        evidence += [
            node_evidence(n, f"Einsum ({len(einsum)} in the model)", f"equation={n.attrs.get('equation', '')}")
            for n in einsum
        ]
    attention = attention_softmaxes(g)
    evidence += [node_evidence(n, "Softmax between MatMuls: a decomposed attention block") for n in attention]
    norms = layernorm_blocks(g)
    evidence += [
        node_evidence(n, "ReduceMean -> Sub -> Pow -> ReduceMean: a decomposed LayerNormalization") for n in norms
    ]
    if not evidence:
        return None
    evidence.sort(key=lambda e: e.line)
    parts = [
        f"{len(fused)} fused ({', '.join(sorted({n.op_type for n in fused}))})" if fused else "",
        f"{len(einsum)} Einsum" if len(einsum) >= EINSUM_HEAVY else "",
        f"{len(attention)} attention block(s)" if attention else "",
        f"{len(norms)} LayerNorm block(s)" if norms else "",
    ]
    return Draft(
        "transformer-operator",
        "warning",
        "Transformer-style model: " + ", ".join(x for x in parts if x) + " (not a Warboy target)",
        "Transformer 계열 연산이 있음 (Warboy 대상 모델이 아님)",
        evidence,
        actions=["Use a CNN model: Transformer blocks are not a Warboy target"],
        actions_ko=["CNN 모델 사용: Transformer 블록은 Warboy 대상이 아님"],
    )


# -- inputs ----------------------------------------------------------------------------------------------------


def spatial_size(shape: list | None) -> tuple[int, int, str] | None:
    """(height, width, layout) of a rank-4 image input with known sizes; None otherwise."""
    if shape is None or len(shape) != 4:
        return None
    if isinstance(shape[3], int) and shape[3] <= 4 and not (isinstance(shape[1], int) and shape[1] <= 4):
        h, w, layout = shape[1], shape[2], "NHWC"
    else:
        h, w, layout = shape[2], shape[3], "NCHW"
    if isinstance(h, int) and isinstance(w, int) and h > 0 and w > 0:
        return h, w, layout
    return None


def rule_input_size(ctx: Context) -> Draft | None:
    low, high = EFFICIENT_INPUT
    evidence: list[Evidence] = []
    actions: list[str] = []
    actions_ko: list[str] = []
    tags: set[str] = set()
    severity: Severity = "info"
    for t in ctx.graph.inputs:
        size = spatial_size(t.shape)
        if size is None:
            continue
        h, w, layout = size
        if max(h, w) > high:
            severity = "warning"
            tags.add("input-large")
            evidence.append(input_evidence(t, f"{h}x{w} ({layout}) is larger than {high}x{high}: tile it"))
            actions.append(f"Tile input '{clip(t.name)}' ({h}x{w}) into {low}-{high} tiles")
            actions_ko.append(f"입력 '{clip(t.name)}' ({h}x{w})을 {low}-{high} 크기 타일로 나눔")
        elif min(h, w) < low:
            tags.add("input-small")
            evidence.append(input_evidence(t, f"{h}x{w} ({layout}) is below the efficient {low}-{high} range"))
    if not evidence:
        return None
    return Draft(
        "input-size-guidance",
        severity,
        f"Input size outside the efficient {low}x{low}-{high}x{high} range",
        f"입력 크기가 효율적인 범위({low}x{low}~{high}x{high}) 밖임",
        evidence,
        actions=actions,
        actions_ko=actions_ko,
        tags=tags,
    )


def rule_dynamic_shape(ctx: Context) -> Draft | None:
    evidence = []
    for t in ctx.graph.inputs:
        if t.shape is None:
            evidence.append(input_evidence(t, "the model does not give this input's shape"))
            continue
        loose = [
            f"dimension {i} {'is unknown' if d is None else repr(d) + ' is dynamic'}"
            for i, d in enumerate(t.shape)
            if not isinstance(d, int) or d <= 0
        ]
        if loose:
            evidence.append(input_evidence(t, "; ".join(loose)))
    if not evidence:
        return None
    return Draft(
        "dynamic-input-shape",
        "warning",
        f"{plural(len(evidence), 'input')} with dynamic or unknown sizes",
        f"동적이거나 알 수 없는 크기의 입력 {len(evidence)}개",
        evidence,
        actions=["Fix the input shapes (no dynamic dimensions) before compiling"],
        actions_ko=["컴파일 전에 입력 shape 고정 (동적 차원 없이)"],
    )


def rule_batch(ctx: Context) -> Draft | None:
    evidence = []
    for t in ctx.graph.inputs:
        if t.shape and len(t.shape) >= 2 and isinstance(t.shape[0], int) and t.shape[0] > 1:
            evidence.append(input_evidence(t, f"batch {t.shape[0]}"))
    if not evidence:
        return None
    return Draft(
        "batch-size-note",
        "info",
        "Batch larger than 1: Warboy is optimized for small batches",
        "batch가 1보다 큼: Warboy는 작은 batch에 최적화됨",
        evidence,
    )


# -- accuracy and older advice ----------------------------------------------------------------------------------


def rule_channel_concat(ctx: Context) -> Draft | None:
    found = []
    for n in ctx.graph.nodes:
        if n.op_type != "Concat" or ctx.status[n.index].device == "folded":
            continue
        axes = touched_axes(n, ctx.graph)
        if axes is not None and axes[1] == 4 and axes[0] == [1]:
            found.append(n)
    if not found:
        return None
    evidence = [node_evidence(n, "Concat along the channel axis (NCHW axis 1)", "axis=1") for n in found]
    return Draft(
        "quantization-accuracy-drop",
        "info",
        f"{plural(len(found), 'channel-axis Concat')} may hurt quantized accuracy",
        f"channel 축 Concat {len(found)}개가 양자화 정확도에 영향을 줄 수 있음",
        evidence,
        steps=[f"Check accuracy around {names(found)} after quantization."],
        steps_ko=[f"양자화 후 {names(found, 'ko')} 주변의 정확도를 확인한다."],
    )


def rule_seed_advice(ctx: Context) -> Draft | None:
    g = ctx.graph
    watched = [n for n in g.nodes if n.op_type in SEED_ADVICE and ctx.status[n.index].device == "npu"]
    if not watched:
        return None
    strict = dict(ctx.device)
    strict.update({n.index: "cpu" for n in watched})
    view = place(g, strict)
    evidence, steps, steps_ko, actions, actions_ko = [], [], [], [], []
    for n in watched:
        where = view.position[n.index]
        detail = f"{SEED_ADVICE[n.op_type]} · {POSITION_TEXT[where]}"
        if where == "middle":
            detail += f" into {view.partitions_after_cut} partitions if it runs on the CPU"
        attribute = f"mode={n.attrs.get('mode', 'nearest')}" if n.op_type == "Resize" else ""
        if n.op_type == "Softmax":
            batch = batch_of(g, n.inputs[0]) if n.inputs else None
            attribute = f"batch={batch if batch is not None else '?'}"
        evidence.append(node_evidence(n, detail, attribute))
    for where, stage in (("tail", "post"), ("head", "pre")):
        nodes = [n for n in watched if view.position[n.index] == where]
        if nodes:
            steps.append(f"Cut {names(nodes)} off the {where} into {stage}-processing (it is not needed on the NPU).")
            steps_ko.append(
                f"모델 {'끝' if where == 'tail' else '앞'}의 {names(nodes, 'ko')}를 잘라내어 "
                f"{stage}-processing에서 처리한다 (NPU에서 실행할 필요가 없음)."
            )
            actions.append(f"Move {names(nodes)} to {stage}-processing")
            actions_ko.append(f"{names(nodes, 'ko')}를 {stage}-processing으로 옮김")
    middle = [n for n in watched if view.position[n.index] == "middle"]
    if middle:
        steps.append(
            f"Profile {names(middle)}: if it runs on the CPU, the model splits into "
            f"{view.partitions_after_cut} partitions."
        )
        steps_ko.append(
            f"{names(middle, 'ko')}를 프로파일링한다: CPU에서 동작하면 모델이 {view.partitions_after_cut}개의 "
            "파티션으로 나뉜다."
        )
    spots = [
        (w, ", ".join(clip(n.name) for n in watched if view.position[n.index] == w))
        for w in ("head", "middle", "tail", "all")
        if any(view.position[n.index] == w for n in watched)
    ]
    where_text = "; ".join(f"{w}: {shown}" for w, shown in spots)
    where_ko = "; ".join(f"{WHERE_KO[w]}: {shown}" for w, shown in spots)
    return Draft(
        "softmax-resize-placement",
        "info",
        f"Softmax/Resize: accelerated only under conditions; better outside the model ({where_text})",
        f"Softmax/Resize: 조건부로만 가속됨; 모델 밖에서 처리하는 것이 좋음 ({where_ko})",
        evidence,
        steps=steps,
        steps_ko=steps_ko,
        actions=actions,
        actions_ko=actions_ko,
    )


RULES: tuple[Callable[[Context], Draft | None], ...] = (
    rule_not_quantized,
    rule_cpu_fallback,
    rule_unsupported_operator,
    rule_transformer,
    rule_input_size,
    rule_dynamic_shape,
    rule_batch,
    rule_channel_concat,
    rule_seed_advice,
)
