"""Where the CPU-bound nodes sit, and how many NPU/CPU partitions the graph falls into.

A CPU node with no NPU node upstream is at the head (cut it out into pre-processing); one with no NPU
node downstream is at the tail (cut it out into post-processing); any other sits in the middle and
splits the graph. Partitions are counted by walking the graph in topological order: each node's stage
is the largest stage among its nearest NPU/CPU ancestors, plus one when the device changes. Nodes of
the same device and stage can run together, so the number of distinct (stage, device) pairs estimates
the partitions (parallel branches on one device share a partition). Folded nodes (constants, shapes,
quantization markers) are looked through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from triage.lint.graph import Graph, Node

Position = Literal["head", "tail", "middle", "all"]
NONE = -1


@dataclass
class Placement:
    position: dict[int, Position] = field(default_factory=dict)
    """CPU node index -> where it sits."""
    partitions: int = 0
    """NPU and CPU partitions of the graph as it is."""
    cpu_partitions: int = 0
    partitions_after_cut: int = 0
    """Partitions once the head and tail CPU nodes are cut out."""
    cpu_partitions_after_cut: int = 0

    def nodes_at(self, graph: Graph, where: Position) -> list[Node]:
        return [n for n in graph.nodes if self.position.get(n.index) == where]


def _stages(graph: Graph, device: dict[int, str]) -> tuple[int, int]:
    """(all partitions, CPU partitions) for the nodes whose device is npu or cpu."""
    frontier: dict[str, tuple[int, int]] = {}  # tensor -> (latest NPU stage, latest CPU stage)
    groups: set[tuple[int, str]] = set()
    for n in graph.nodes:
        npu, cpu = NONE, NONE
        for name in n.inputs:
            f = frontier.get(name)
            if f is not None:
                npu, cpu = max(npu, f[0]), max(cpu, f[1])
        d = device.get(n.index, "folded")
        if d == "npu":
            stage = max(npu, cpu + 1 if cpu != NONE else 0, 0)
            out = (stage, NONE)
        elif d == "cpu":
            stage = max(cpu, npu + 1 if npu != NONE else 0, 0)
            out = (NONE, stage)
        else:
            out = (npu, cpu)
        if d in ("npu", "cpu"):
            groups.add((stage, d))
        for name in n.outputs:
            if name:
                frontier[name] = out
    return len(groups), sum(1 for _, d in groups if d == "cpu")


def _npu_upstream(graph: Graph, device: dict[int, str]) -> set[int]:
    """Indices of nodes with an NPU node among their ancestors."""
    tainted: set[str] = set()
    found: set[int] = set()
    for n in graph.nodes:
        if any(i in tainted for i in n.inputs if i):
            found.add(n.index)
        if n.index in found or device.get(n.index) == "npu":
            tainted.update(o for o in n.outputs if o)
    return found


def _npu_downstream(graph: Graph, device: dict[int, str]) -> set[int]:
    """Indices of nodes with an NPU node among their descendants."""
    needed: set[str] = set()
    found: set[int] = set()
    for n in reversed(graph.nodes):
        if any(o in needed for o in n.outputs if o):
            found.add(n.index)
        if n.index in found or device.get(n.index) == "npu":
            needed.update(i for i in n.inputs if i)
    return found


def place(graph: Graph, device: dict[int, str]) -> Placement:
    """Positions of the CPU nodes and the partition counts, before and after cutting head and tail."""
    p = Placement()
    cpu = [n for n in graph.nodes if device.get(n.index) == "cpu"]
    has_npu = any(d == "npu" for d in device.values())
    up, down = _npu_upstream(graph, device), _npu_downstream(graph, device)
    for n in cpu:
        if not has_npu:
            p.position[n.index] = "all"
        elif n.index not in up:
            p.position[n.index] = "head"
        elif n.index not in down:
            p.position[n.index] = "tail"
        else:
            p.position[n.index] = "middle"
    p.partitions, p.cpu_partitions = _stages(graph, device)
    cut = {i: ("folded" if p.position.get(i) in ("head", "tail") else d) for i, d in device.items()}
    p.partitions_after_cut, p.cpu_partitions_after_cut = _stages(graph, cut)
    return p


def cut_boundary(graph: Graph, p: Placement) -> tuple[list[str], list[str]]:
    """Input and output tensor names of the model left after cutting the head and tail CPU nodes out:
    what `onnx.utils.extract_model` needs."""
    cut = {i for i, where in p.position.items() if where in ("head", "tail")}
    kept = [n for n in graph.nodes if n.index not in cut]
    produced_inside = {o for n in kept for o in n.outputs if o}
    graph_inputs = {t.name for t in graph.inputs}
    inputs: list[str] = []
    for n in kept:
        for name in n.inputs:
            if (
                name
                and name not in produced_inside
                and name not in inputs
                and (name in graph_inputs or name in graph.producers)
            ):
                inputs.append(name)
    outputs: list[str] = []
    for n in kept:
        for name in n.outputs:
            if not name or name in outputs:
                continue
            to_tail = any(c.index in cut for c in graph.consumers.get(name, ()))
            if to_tail or name in graph.outputs:
                outputs.append(name)
    return inputs, outputs
