"""Read an ONNX model into plain Python structures. Nothing is executed and nothing is downloaded:
the protobuf is parsed, shapes are inferred where onnx can, and external weight files are not read."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MISSING_EXTRA = "reading ONNX models needs the optional extra 'model': pip install 'warboy-triage[model]'"
MAX_DECODED_VALUES = 64  # small integer constants (axes, pads) are decoded; weights are not
FLOAT_TYPES = frozenset({1, 10, 11, 16})  # FLOAT, FLOAT16, DOUBLE, BFLOAT16
STANDARD_DOMAINS = frozenset({"", "ai.onnx"})

Dim = int | str | None
"""A known size, a named dynamic dimension (dim_param), or unknown."""


MAX_NAME = 80  # characters of a node or tensor name shown in titles and evidence text (JSON keeps it whole)


def clip(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


class LintError(Exception):
    """A model that cannot be linted; the message is one line for the user."""


@dataclass
class Node:
    index: int
    """1-based position in the model file's node list."""
    name: str
    """The node's name, or `<op_type>#<index>` when the model leaves it unnamed."""
    op_type: str
    domain: str
    inputs: list[str]
    outputs: list[str]
    attrs: dict[str, Any]
    known: bool = True
    """False when the op type is not defined in its (standard) ONNX domain."""

    @property
    def standard(self) -> bool:
        return self.domain in STANDARD_DOMAINS

    def label(self) -> str:
        return f"{clip(self.op_type)} '{clip(self.name)}'"


@dataclass
class TensorInfo:
    name: str
    dtype: int = 0
    shape: list[Dim] | None = None
    """None when even the rank is unknown."""


@dataclass
class Graph:
    path: str
    nodes: list[Node]
    """In topological order."""
    inputs: list[TensorInfo]
    """Real inputs (initializers listed as inputs by old exporters are left out)."""
    outputs: list[str]
    initializers: dict[str, TensorInfo]
    values: dict[str, list[int | float]]
    """Decoded values of small initializers and Constant outputs."""
    tensors: dict[str, TensorInfo]
    """Every tensor with a known type or shape (inputs, outputs, inferred intermediates)."""
    opset: int = 0
    ir_version: int = 0
    producer: str = ""
    notes: list[str] = field(default_factory=list)
    producers: dict[str, Node] = field(default_factory=dict)
    consumers: dict[str, list[Node]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n in self.nodes:
            for out in n.outputs:
                if out:
                    self.producers[out] = n
            for name in n.inputs:
                if name:
                    self.consumers.setdefault(name, []).append(n)

    def shape(self, name: str) -> list[Dim] | None:
        info = self.tensors.get(name)
        return info.shape if info else None

    def rank(self, name: str) -> int | None:
        s = self.shape(name)
        return len(s) if s is not None else None


def _import_onnx():  # type: ignore[no-untyped-def]
    try:
        import onnx
    except ImportError:
        raise LintError(MISSING_EXTRA) from None
    return onnx


def _log_hint(path: Path) -> str:
    """A log handed to lint by mistake: say which command reads it."""
    try:
        head = path.open("rb").read(4096)
    except OSError:
        return ""
    if head[:2] == b"\x1f\x8b" or path.suffix.lower() in (".log", ".txt", ".gz", ".out") or _mostly_text(head):
        return f"; to diagnose a log, run `warboy-triage {path}`"
    return ""


def _mostly_text(head: bytes) -> bool:
    if not head:
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head)
    return printable / len(head) > 0.95


def load(path: str | Path) -> Graph:
    """Parse an .onnx file; raises LintError with a one-line reason when it cannot."""
    onnx = _import_onnx()
    from triage.reader import ReaderError, check_path

    p = Path(path)
    try:
        check_path(str(p), directory="is a directory, not an ONNX model")  # the reader's checks and wording
    except ReaderError as exc:
        raise LintError(str(exc)) from None
    try:
        model = onnx.load(str(p), load_external_data=False)
    except OSError as exc:
        raise LintError(f"{p}: cannot read ({exc.strerror or exc})") from None
    except Exception as exc:  # protobuf raises DecodeError and friends for anything that is not ONNX
        raise LintError(f"{p}: not an ONNX model ({type(exc).__name__}){_log_hint(p)}") from None
    if not model.HasField("graph") or not (model.graph.node or model.graph.input):
        raise LintError(f"{p}: not an ONNX model (no graph in the file){_log_hint(p)}")
    return from_model(model, str(p))


def from_model(model: Any, path: str = "<model>") -> Graph:
    """Build a Graph from an onnx.ModelProto (tests pass one built with onnx.helper)."""
    onnx = _import_onnx()
    notes: list[str] = []
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False)
    except Exception as exc:  # a model onnx cannot infer is still worth linting
        notes.append(f"shape inference failed ({type(exc).__name__}); shape-dependent checks use declared shapes")
        inferred = model
    g = inferred.graph
    initializers = {t.name: TensorInfo(t.name, t.data_type, list(t.dims)) for t in g.initializer}
    values: dict[str, list[int | float]] = {}
    for t in g.initializer:
        _decode_small(onnx, t, values, t.name)
    tensors: dict[str, TensorInfo] = {}
    for vi in (*g.input, *g.value_info, *g.output):
        tensors[vi.name] = _value_info(vi)
    for name, info in initializers.items():
        tensors.setdefault(name, info)
    nodes = [_node(onnx, i, n, values, tensors) for i, n in enumerate(g.node, 1)]
    ordered, cyclic = _topological(nodes, {vi.name for vi in g.input} | set(initializers))
    if cyclic:
        notes.append(f"{cyclic} node(s) form a cycle or read tensors nothing produces; they are listed last")
    if any(
        a.type == onnx.AttributeProto.GRAPH or a.type == onnx.AttributeProto.GRAPHS for n in g.node for a in n.attribute
    ):
        notes.append("nodes with subgraphs (If, Loop, Scan) are checked as whole nodes; their bodies are not")
    opset = next((o.version for o in model.opset_import if o.domain in STANDARD_DOMAINS), 0)
    return Graph(
        path=path,
        nodes=ordered,
        inputs=[tensors[vi.name] for vi in g.input if vi.name not in initializers],
        outputs=[o.name for o in g.output],
        initializers=initializers,
        values=values,
        tensors=tensors,
        opset=opset,
        ir_version=model.ir_version,
        producer=" ".join(x for x in (model.producer_name, model.producer_version) if x),
        notes=notes,
    )


def _value_info(vi: Any) -> TensorInfo:
    t = vi.type
    if not t.HasField("tensor_type"):
        return TensorInfo(vi.name)
    tt = t.tensor_type
    shape: list[Dim] | None = None
    if tt.HasField("shape"):
        shape = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                shape.append(d.dim_value)
            elif d.HasField("dim_param"):
                shape.append(d.dim_param)
            else:
                shape.append(None)
    return TensorInfo(vi.name, tt.elem_type, shape)


def _decode_small(onnx: Any, tensor: Any, values: dict[str, list[int | float]], name: str) -> None:
    count = 1
    for d in tensor.dims:
        count *= d
    if count > MAX_DECODED_VALUES or tensor.data_location == onnx.TensorProto.EXTERNAL:
        return
    try:
        arr = onnx.numpy_helper.to_array(tensor)
    except Exception:  # an odd or truncated tensor: the value is simply unknown
        return
    values[name] = arr.reshape(-1).tolist()


def _node(
    onnx: Any, index: int, proto: Any, values: dict[str, list[int | float]], tensors: dict[str, TensorInfo]
) -> Node:
    attrs: dict[str, Any] = {}
    for a in proto.attribute:
        if a.type == onnx.AttributeProto.TENSOR:
            if proto.op_type == "Constant" and proto.output:
                _decode_small(onnx, a.t, values, proto.output[0])
                tensors.setdefault(proto.output[0], TensorInfo(proto.output[0], a.t.data_type, list(a.t.dims)))
            continue
        if a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
            attrs[a.name] = "<subgraph>"
            continue
        value = onnx.helper.get_attribute_value(a)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, list):
            value = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in value]
        attrs[a.name] = value
    if proto.op_type == "Constant" and proto.output and "value_ints" in attrs:
        values[proto.output[0]] = list(attrs["value_ints"])
    elif proto.op_type == "Constant" and proto.output and "value_int" in attrs:
        values[proto.output[0]] = [attrs["value_int"]]
    known = proto.domain not in STANDARD_DOMAINS or onnx.defs.has(proto.op_type)
    return Node(
        index=index,
        name=proto.name or f"{proto.op_type}#{index}",
        op_type=proto.op_type,
        domain=proto.domain,
        inputs=list(proto.input),
        outputs=list(proto.output),
        attrs=attrs,
        known=known,
    )


def _topological(nodes: list[Node], available: set[str]) -> tuple[list[Node], int]:
    """Kahn's order, stable in file order; nodes left over (cycles, missing inputs) go last."""
    producer = {out: n.index for n in nodes for out in n.outputs if out}
    waiting: dict[int, int] = {}
    dependants: dict[int, list[Node]] = {}
    ready: list[Node] = []
    for n in nodes:
        deps = {producer[i] for i in n.inputs if i and i in producer and i not in available}
        waiting[n.index] = len(deps)
        for d in deps:
            dependants.setdefault(d, []).append(n)
        if not deps:
            ready.append(n)
    out: list[Node] = []
    heap = [(n.index, n) for n in ready]
    heapq.heapify(heap)
    while heap:
        _, n = heapq.heappop(heap)
        out.append(n)
        for m in dependants.get(n.index, ()):
            waiting[m.index] -= 1
            if waiting[m.index] == 0:
                heapq.heappush(heap, (m.index, m))
    if len(out) == len(nodes):
        return out, 0
    done = {n.index for n in out}
    rest = [n for n in nodes if n.index not in done]
    return out + rest, len(rest)
