"""Small ONNX graphs built with onnx.helper for the lint tests and bench (nothing is downloaded)."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT


class GraphBuilder:
    """Chain-style builder: every op reads `self.last` unless told otherwise and becomes the new last."""

    def __init__(
        self, shape: tuple = (1, 3, 640, 640), quantized: bool = False, dtype: int = FLOAT, input_name: str = "images"
    ) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.inputs = [helper.make_tensor_value_info(input_name, dtype, list(shape))]
        self.quantized = quantized
        self.count = 0
        self.channels = shape[1] if len(shape) > 1 and isinstance(shape[1], int) else 3
        self.last = input_name
        if quantized:
            self.last = self.qdq(self.last)

    def _name(self, op: str) -> str:
        self.count += 1
        return f"{op.lower()}{self.count}"

    def init(self, name: str, array: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def op(
        self, op_type: str, inputs: list[str] | None = None, name: str | None = None, domain: str = "", **attrs
    ) -> str:
        name = name or self._name(op_type)
        self.nodes.append(
            helper.make_node(
                op_type, inputs if inputs is not None else [self.last], [name], name=name, domain=domain, **attrs
            )
        )
        self.last = name
        return name

    def qdq(self, tensor: str) -> str:
        scale = self.init(self._name("scale"), np.array(0.1, dtype=np.float32))
        zero = self.init(self._name("zp"), np.array(0, dtype=np.int8))
        q = self.op("QuantizeLinear", [tensor, scale, zero])
        return self.op("DequantizeLinear", [q, scale, zero])

    def weight(self, shape: tuple) -> str:
        if not self.quantized:
            return self.init(self._name("w"), np.zeros(shape, dtype=np.float32))
        scale = self.init(self._name("wscale"), np.array(0.02, dtype=np.float32))
        zero = self.init(self._name("wzp"), np.array(0, dtype=np.int8))
        q = self.init(self._name("wq"), np.zeros(shape, dtype=np.int8))
        dq = self._name("wdq")
        self.nodes.append(helper.make_node("DequantizeLinear", [q, scale, zero], [dq], name=dq))
        return dq

    def conv(
        self,
        out_ch: int = 8,
        group: int = 1,
        dilation: int = 1,
        stride: int = 1,
        name: str | None = None,
        src: str | None = None,
    ) -> str:
        w = self.weight((out_ch, self.channels // group, 3, 3))
        out = self.op(
            "Conv",
            [src or self.last, w],
            name=name,
            kernel_shape=[3, 3],
            group=group,
            dilations=[dilation, dilation],
            pads=[dilation] * 4,
            strides=[stride, stride],
        )
        self.channels = out_ch
        return self._q(out)

    def _q(self, out: str) -> str:
        return self.qdq(out) if self.quantized else out

    def relu(self, src: str | None = None) -> str:
        return self._q(self.op("Relu", [src or self.last]))

    def add(self, a: str, b: str) -> str:
        return self._q(self.op("Add", [a, b]))

    def resize(self, mode: str = "nearest", name: str = "upsample") -> str:
        roi = self.init(self._name("roi"), np.array([], dtype=np.float32))
        scales = self.init(self._name("scales"), np.array([1, 1, 2, 2], dtype=np.float32))
        return self._q(self.op("Resize", [self.last, roi, scales], name=name, mode=mode))

    def head(self, classes: int = 10, softmax: bool = True, size: int = 640) -> str:
        """Pool to 1x1, Flatten, Gemm and (optionally) a trailing Softmax named 'prob'."""
        self._q(self.op("AveragePool", kernel_shape=[size, size]))
        self.op("Flatten", axis=1)
        w = self.weight((classes, self.channels))
        out = self._q(self.op("Gemm", [self.last, w], transB=1))
        return self.op("Softmax", name="prob", axis=1) if softmax else out

    def model(self, outputs: list[str] | None = None, opset: int = 13) -> onnx.ModelProto:
        names = outputs or [self.last]
        outs = [helper.make_tensor_value_info(o, FLOAT, None) for o in names]
        graph = helper.make_graph(self.nodes, "g", self.inputs, outs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="tests")
        try:  # declare the output shapes, as exporters do (onnx.checker wants them)
            g = onnx.shape_inference.infer_shapes(model).graph
            inferred = {v.name: v for v in (*g.value_info, *g.output)}
        except Exception:  # deliberately malformed test graphs keep untyped outputs
            return model
        for out in model.graph.output:
            if out.name in inferred and inferred[out.name].type.tensor_type.HasField("shape"):
                out.type.CopyFrom(inferred[out.name].type)
        return model


def clean_cnn(quantized: bool = True, size: int = 640) -> onnx.ModelProto:
    """A small ResNet-like CNN, quantized (QDQ) by default, with nothing Warboy would object to."""
    b = GraphBuilder((1, 3, size, size), quantized=quantized)
    x = b.relu(b.conv(8))
    y = b.relu(b.conv(8))
    b.relu(b.add(b.conv(8, src=y), x))
    b.head(softmax=False, size=size)
    return b.model()


def resnet_with_resize_and_softmax(
    batch: int = 1, mode: str = "nearest", quantized: bool = False, size: int = 640
) -> onnx.ModelProto:
    """Float ResNet-like graph: stem, residual block, a Resize in the middle, more convs, trailing Softmax."""
    b = GraphBuilder((batch, 3, size, size), quantized=quantized)
    x = b.relu(b.conv(8, stride=2))
    y = b.relu(b.conv(8))
    b.relu(b.add(b.conv(8, src=y), x))
    b.resize(mode=mode)
    b.relu(b.conv(8))
    b.head(size=size)
    return b.model()


def chain(length: int, quantized: bool = True, cpu_every: int = 0) -> onnx.ModelProto:
    """A long residual CNN for the bench: about `length` nodes; with cpu_every=k, a CPU-bound HardSwish
    after every k-th block (each one splits the graph)."""
    b = GraphBuilder((1, 3, 640, 640), quantized=quantized)
    x = b.relu(b.conv(8))
    per_block = (14 if quantized else 4) + (1 if cpu_every else 0) / max(cpu_every, 1)
    for i in range(max(1, int(length / per_block))):
        y = b.relu(b.conv(8, src=x))
        x = b.add(b.conv(8, src=y), x)
        if cpu_every and i % cpu_every == cpu_every - 1:
            x = b.op("HardSwish", [x])
    b.head(softmax=False)
    return b.model()
