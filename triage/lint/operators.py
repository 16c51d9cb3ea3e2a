"""The operators Warboy's NPU accelerates, as data (furiosa-facts.md, "Hardware and the accelerated operator
set": FuriosaAI docs "NPU 가속 지원 연산자 목록", SDK 0.9).

Every operator and every condition carries the SDK release it starts at; rules.py checks them against the
version given with --sdk. Operators the table lists without a version are taken as accelerated in every
release. An operator that is not here runs on the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TABLE_SOURCE = "FuriosaAI docs, NPU 가속 지원 연산자 목록 (SDK 0.9)"
TABLE_REFERENCE = "https://developer.furiosa.ai/docs/v0.9.0/ko/npu/supported_operators.html"
FIRST_SDK = "0.5.0"


@dataclass(frozen=True)
class Condition:
    """One documented limit. `kind` names the check in rules.py (CONDITION_CHECKS)."""

    kind: str
    """after_conv · max_attr · equals_attr · max_batch · mode · axis"""
    doc: str
    """The limit as the table states it, shown to the user."""
    attr: str = ""
    limit: int = 0
    default: str | int = ""
    since: dict[str, str] = field(default_factory=dict)
    """For mode/axis: allowed value -> first SDK release that accelerates it."""


@dataclass(frozen=True)
class Operator:
    since: str = FIRST_SDK
    conditions: tuple[Condition, ...] = ()


_H_C = {"height": "0.6.0", "channel": "0.7.0"}
_MODES = {"CRD": "0.6.0", "DCR": "0.7.0"}
_BATCH2 = Condition("max_batch", "batch <= 2", limit=2)

ACCELERATED: dict[str, Operator] = {
    "Add": Operator(),
    "AveragePool": Operator(),
    "BatchNormalization": Operator(conditions=(Condition("after_conv", "only right after Conv"),)),
    "Clip": Operator(),
    "Concat": Operator(conditions=(Condition("axis", "height axis from 0.6.0, channel axis from 0.7.0", since=_H_C),)),
    "Conv": Operator(
        conditions=(
            Condition("max_attr", "group <= 128", attr="group", limit=128),
            Condition("max_attr", "dilation <= 12", attr="dilations", limit=12),
        )
    ),
    "ConvTranspose": Operator(),
    "DepthToSpace": Operator(
        conditions=(
            Condition("mode", "CRD mode from 0.6.0, DCR mode from 0.7.0", attr="mode", default="DCR", since=_MODES),
        )
    ),
    "Elu": Operator(since="0.7.0"),
    "Erf": Operator(since="0.7.0"),
    "Exp": Operator(since="0.7.0"),
    "Expand": Operator(),
    "Flatten": Operator(),
    "Gelu": Operator(since="0.7.0"),
    "Gemm": Operator(),
    "LeakyRelu": Operator(),
    "Log": Operator(),
    "LpNormalization": Operator(conditions=(Condition("equals_attr", "p = 2", attr="p", limit=2, default=2), _BATCH2)),
    "MatMul": Operator(),
    "MaxPool": Operator(),
    "Mean": Operator(),
    "Mul": Operator(),
    "Pad": Operator(
        conditions=(
            Condition("axis", "C/W/H axes from 0.7.0", since={"channel": "0.7.0", "height": "0.7.0", "width": "0.7.0"}),
        )
    ),
    "Pow": Operator(),
    "ReduceL2": Operator(),
    "ReduceSum": Operator(),
    "Relu": Operator(),
    "Reshape": Operator(),
    "Resize": Operator(
        conditions=(
            Condition(
                "mode",
                "linear and nearest modes from 0.7.0",
                attr="mode",
                default="nearest",
                since={"linear": "0.7.0", "nearest": "0.7.0"},
            ),
        )
    ),
    "Sigmoid": Operator(),
    "Slice": Operator(conditions=(Condition("axis", "height axis from 0.6.0, channel axis from 0.7.0", since=_H_C),)),
    "Softmax": Operator(conditions=(_BATCH2,)),
    "Softplus": Operator(),
    # ONNX's SpaceToDepth has no mode attribute (its layout is DCR); a `mode` there is honoured if present.
    "SpaceToDepth": Operator(
        conditions=(
            Condition("mode", "CRD mode from 0.6.0, DCR mode from 0.7.0", attr="mode", default="DCR", since=_MODES),
        )
    ),
    "Split": Operator(),
    "Sqrt": Operator(),
    "Sub": Operator(),
    "Tanh": Operator(since="0.7.0"),
    "Transpose": Operator(since="0.6.0"),
    "Unsqueeze": Operator(),
}

# For common operators outside the table: a listed operator (or export setting) that computes the same thing.
ALTERNATIVES: dict[str, str] = {
    "GlobalAveragePool": "AveragePool with the kernel as large as the feature map computes the same",
    "GlobalMaxPool": "MaxPool with the kernel as large as the feature map computes the same",
    "ReduceMean": "over the spatial axes, AveragePool computes the same",
    "Div": "dividing by a constant is Mul by its reciprocal",
    "Squeeze": "Reshape computes the same",
    "Upsample": "deprecated form of Resize: export with opset >= 10 to get Resize",
    "Dropout": "does nothing at inference: export in eval mode so it disappears",
}

# Nodes that neither run on the NPU nor the CPU as a partition of their own: quantization markers the
# compiler folds into the neighbouring operators, and operators that do no arithmetic.
QUANT_MARKERS = frozenset({"QuantizeLinear", "DequantizeLinear"})
NO_COMPUTE = frozenset({"Constant", "Identity"})
# Operators that only read a tensor's shape: their results are constants once the input shape is fixed.
SHAPE_READERS = frozenset({"Shape", "Size"})
# Quantized operators in ONNX's QOperator form (not QDQ): they show a model was quantized.
QOPERATOR_OPS = frozenset(
    {
        "QLinearConv",
        "QLinearMatMul",
        "ConvInteger",
        "MatMulInteger",
        "QLinearAdd",
        "QLinearMul",
        "QLinearConcat",
        "QLinearSigmoid",
        "QLinearLeakyRelu",
        "QLinearAveragePool",
        "QLinearGlobalAveragePool",
        "DynamicQuantizeLinear",
    }
)
# Operators whose second input is a weight: a float initializer there means the weights were not quantized.
WEIGHTED_OPS = frozenset({"Conv", "ConvTranspose", "Gemm", "MatMul"})

# Transformer building blocks (standard ONNX and ONNX Runtime's com.microsoft fused forms).
TRANSFORMER_OPS = frozenset(
    {
        "Attention",
        "MultiHeadAttention",
        "GroupQueryAttention",
        "PackedAttention",
        "PackedMultiHeadAttention",
        "DecoderMaskedMultiHeadAttention",
        "DecoderMaskedSelfAttention",
        "LongformerAttention",
        "LayerNormalization",
        "SkipLayerNormalization",
        "EmbedLayerNormalization",
        "SimplifiedLayerNormalization",
        "SkipSimplifiedLayerNormalization",
        "RMSNormalization",
        "RotaryEmbedding",
    }
)
EINSUM_HEAVY = 2
"""This many Einsum nodes or more mark a model as Einsum-heavy (one Einsum alone is just a CPU operator)."""

# Operators the seed note advises against even where the 0.9 table accelerates them.
SEED_ADVICE = {
    "Resize": "Resize is accelerated only in linear and nearest modes and only from SDK 0.7.0; before that "
    "it ran on the CPU",
    "Softmax": "Softmax is accelerated only for batch <= 2; at the tail it is usually cheaper in post-processing",
}

# Which axis of a rank-4 NCHW tensor each index is.
NCHW_AXES = ("batch", "channel", "height", "width")

EFFICIENT_INPUT = (512, 768)
"""Spatial input sizes the troubleshooting note calls efficient (512x512 to 768x768)."""
