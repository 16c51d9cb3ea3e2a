"""Decide, node by node, where each operator would run: NPU, CPU, or folded away.

One function per condition kind of the operator table (operators.py). A check returns None when the
condition holds, a short reason when it fails, or UNKNOWN when the graph does not say (unknown shape):
an operator whose condition cannot be checked is counted on the NPU and reported in the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from triage.lint.graph import Graph, Node
from triage.lint.operators import (
    ACCELERATED,
    ALTERNATIVES,
    NCHW_AXES,
    NO_COMPUTE,
    QOPERATOR_OPS,
    QUANT_MARKERS,
    SHAPE_READERS,
    Condition,
)
from triage.versions import in_range

Device = Literal["npu", "cpu", "folded"]
UNKNOWN = "?"
Verdict = tuple[str, str] | str | None
"""None: the condition holds; (reason, attribute): it fails; UNKNOWN: the graph does not say."""


@dataclass
class Status:
    device: Device
    reason: str = ""
    """Why the node runs on the CPU, e.g. 'group=256 > 128'."""
    attribute: str = ""
    """The attribute (or shape) that decided it, e.g. 'group=256'."""
    unchecked: list[str] = field(default_factory=list)
    """Conditions the graph gave too little to check."""


def older(sdk: str, since: str) -> bool:
    return not in_range(sdk, f">={since}")


def _after_conv(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    producer = graph.producers.get(node.inputs[0]) if node.inputs else None
    # Quantization markers between Conv and BatchNormalization are folded by the compiler: look through them.
    while producer is not None and (producer.op_type in QUANT_MARKERS or producer.op_type == "Identity"):
        producer = graph.producers.get(producer.inputs[0]) if producer.inputs else None
    if producer is not None and producer.op_type == "Conv":
        return None
    if producer is None:
        return "on a graph input; accelerated only right after Conv", "input from input"
    return (
        f"after {producer.op_type} '{producer.name}'; accelerated only right after Conv",
        f"input from {producer.op_type}",
    )


def _max_attr(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    value = node.attrs.get(cond.attr, 1)
    biggest = max(value) if isinstance(value, list) and value else value
    if isinstance(biggest, int) and biggest > cond.limit:
        shown = f"{cond.attr}={value}"
        return f"{shown}, accelerated only for {cond.doc}", shown
    return None


def _equals_attr(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    value = node.attrs.get(cond.attr, cond.default)
    if value != cond.limit:
        shown = f"{cond.attr}={value}"
        return f"{shown}, accelerated only for {cond.doc}", shown
    return None


def batch_of(graph: Graph, name: str) -> int | str | None:
    shape = graph.shape(name)
    return shape[0] if shape else None


def _max_batch(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    batch = batch_of(graph, node.inputs[0]) if node.inputs else None
    if not isinstance(batch, int):
        return UNKNOWN
    if batch > cond.limit:
        return f"batch {batch}, accelerated only for {cond.doc}", f"batch={batch}"
    return None


def _mode(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    mode = str(node.attrs.get(cond.attr, cond.default))
    shown = f"{cond.attr}={mode}"
    since = cond.since.get(mode) or cond.since.get(mode.upper())
    if since is None:
        return f"{shown}; accelerated only for {cond.doc}", shown
    if older(sdk, since):
        return f"{shown} is accelerated from SDK {since} (linting for {sdk})", shown
    return None


def _ints(graph: Graph, node: Node, position: int, attr: str) -> list[int] | None:
    """An integer list given either as an input (newer opsets) or as an attribute (older ones)."""
    if attr in node.attrs and isinstance(node.attrs[attr], list):
        return [int(v) for v in node.attrs[attr]]
    if len(node.inputs) > position and node.inputs[position]:
        vals = graph.values.get(node.inputs[position])
        return [int(v) for v in vals] if vals is not None else None
    return None


def touched_axes(node: Node, graph: Graph) -> tuple[list[int], int] | None:
    """The axes a Concat/Slice/Pad works along, normalised, and the tensor rank; None when unknown."""
    data = node.inputs[0] if node.inputs else ""
    rank = graph.rank(data)
    if node.op_type == "Concat":
        rank = (
            rank if rank is not None else next((r for r in (graph.rank(i) for i in node.inputs) if r is not None), None)
        )
        if rank is None:
            return None
        axis = int(node.attrs.get("axis", 0))
        return [axis % rank if rank else axis], rank
    if rank is None:
        return None
    if node.op_type == "Slice":
        starts = _ints(graph, node, 1, "starts")
        axes = _ints(graph, node, 3, "axes")
        if axes is None:
            if starts is None:
                return None
            axes = list(range(len(starts)))
        return sorted({a % rank for a in axes}), rank
    if node.op_type == "Pad":
        pads = _ints(graph, node, 1, "pads")
        if pads is None:
            return None
        axes = _ints(graph, node, 3, "axes") or list(range(rank))
        half = len(pads) // 2
        return sorted({axes[i] % rank for i in range(min(half, len(axes))) if pads[i] or pads[i + half]}), rank
    return None


def _axis(node: Node, graph: Graph, cond: Condition, sdk: str) -> Verdict:
    found = touched_axes(node, graph)
    if found is None:
        return UNKNOWN
    axes, rank = found
    if rank != len(NCHW_AXES):
        return UNKNOWN
    for a in axes:
        name = NCHW_AXES[a]
        shown = f"axis={a} ({name})"
        since = cond.since.get(name)
        if since is None:
            return f"{name} axis; accelerated only for {cond.doc}", shown
        if older(sdk, since):
            return f"{name} axis is accelerated from SDK {since} (linting for {sdk})", shown
    return None


CONDITION_CHECKS: dict[str, Callable[[Node, Graph, Condition, str], Verdict]] = {
    "after_conv": _after_conv,
    "max_attr": _max_attr,
    "equals_attr": _equals_attr,
    "max_batch": _max_batch,
    "mode": _mode,
    "axis": _axis,
}


def folded_nodes(graph: Graph) -> set[int]:
    """Nodes that compute constants (from initializers, Constant or tensor shapes), quantization markers,
    and no-ops: none of them is a partition of its own."""
    static: set[str] = set(graph.initializers) | set(graph.values)
    folded: set[int] = set()
    for n in graph.nodes:
        inputs_static = all(i in static for i in n.inputs if i)
        if n.op_type in QUANT_MARKERS or n.op_type == "Identity":
            folded.add(n.index)
        elif n.op_type in NO_COMPUTE or n.op_type in SHAPE_READERS or inputs_static:
            folded.add(n.index)
            inputs_static = True
        if n.index in folded and inputs_static:
            static.update(o for o in n.outputs if o)
    return folded


def classify(graph: Graph, sdk: str) -> dict[int, Status]:
    """Node index -> where it runs, by the operator table scoped to `sdk`."""
    folded = folded_nodes(graph)
    out: dict[int, Status] = {}
    for n in graph.nodes:
        if n.index in folded:
            out[n.index] = Status("folded")
            continue
        if not n.standard:
            out[n.index] = Status("cpu", f"custom operator domain '{n.domain}'", f"domain={n.domain}")
            continue
        op = ACCELERATED.get(n.op_type)
        if op is None:
            form = " (QOperator form of a quantized operator)" if n.op_type in QOPERATOR_OPS else ""
            hint = f"; {ALTERNATIVES[n.op_type]}" if n.op_type in ALTERNATIVES else ""
            out[n.index] = Status("cpu", f"not in the accelerated operator list{form}{hint}")
            continue
        if older(sdk, op.since):
            out[n.index] = Status("cpu", f"accelerated from SDK {op.since} (linting for {sdk})", f"sdk<{op.since}")
            continue
        status = Status("npu")
        for cond in op.conditions:
            try:
                verdict = CONDITION_CHECKS[cond.kind](n, graph, cond, sdk)
            except (ValueError, TypeError, IndexError, KeyError, ZeroDivisionError):
                verdict = UNKNOWN  # a malformed attribute or constant: say it could not be checked

            if verdict == UNKNOWN:
                status.unchecked.append(cond.doc)
            elif isinstance(verdict, tuple):
                reason, attribute = verdict
                status = Status("cpu", reason, attribute)
                break
        out[n.index] = status
    return out
