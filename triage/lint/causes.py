"""Text of the causes lint reports: why, fix, checklist, references, in English and Korean.

Ids share one namespace with patterns/. When the knowledge base has a pattern with the same id (for
example cpu-fallback-operator written for compiler logs), its text wins and the entry here is only the
fallback; ids that only a model can show (model-not-quantized, transformer-operator, ...) live here
because a pattern file needs real log lines as examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.lint.operators import TABLE_REFERENCE

QUANTIZER_REF = "https://developer.furiosa.ai/docs/v0.10.0/en/api/python/furiosa.quantizer.html"
WARBOY_REF = "https://developer.furiosa.ai/docs/v0.10.0/en/npu/warboy.html"
SEED_REF = "Warboy troubleshooting note (Warboy Target Models / Supported Operators / Performance Issue)"


@dataclass(frozen=True)
class Cause:
    component: str
    why: str
    remediation: list[str]
    remediation_ko: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


CAUSES: dict[str, Cause] = {
    "model-not-quantized": Cause(
        component="quantizer",
        why="Warboy runs INT8 inference only, so a model must be quantized before it is compiled. This graph has "
        "no QuantizeLinear/DequantizeLinear (or other quantized) operators and keeps its weights in "
        "floating point.",
        remediation=[
            "Quantize it with furiosa.quantizer: Calibrator(model, CalibrationMethod.MIN_MAX_ASYM), "
            "collect_data() over representative inputs from your data set, then "
            "quantize(model, calibrator.compute_range()).",
            "If accuracy drops after quantization, try the other calibration methods (MIN_MAX, ENTROPY, "
            "PERCENTILE, MSE, SQNR, each _ASYM and _SYM) and more calibration data, and keep the best.",
            "Lint the quantized model again before compiling it.",
        ],
        remediation_ko=[
            "furiosa.quantizer로 양자화한다: Calibrator(model, CalibrationMethod.MIN_MAX_ASYM)에 실제 데이터셋의 "
            "대표 입력으로 collect_data()를 수행한 뒤 quantize(model, calibrator.compute_range()).",
            "양자화 후 정확도가 떨어지면 다른 calibration 방법(MIN_MAX, ENTROPY, PERCENTILE, MSE, SQNR의 _ASYM/_SYM)과 "
            "더 많은 calibration 데이터를 시도하여 가장 정확한 방법을 고른다.",
            "컴파일하기 전에 양자화된 모델을 다시 lint 한다.",
        ],
        checklist=[
            "The calibration method and how many calibration samples were used",
            "`pip list | grep furiosa` (furiosa-quantizer version)",
        ],
        references=[QUANTIZER_REF, SEED_REF],
    ),
    "cpu-fallback-operator": Cause(
        component="model",
        why="Operators the NPU does not accelerate, or accelerated operators whose documented conditions fail, "
        "run on the host CPU. At the head or tail of the graph they only add pre/post-processing time; in "
        "the middle they split the model into NPU and CPU parts, which is what makes inference slower "
        "than expected.",
        remediation=[
            "Cut CPU-bound operators at the head or tail out of the model and run them as pre/post-processing code.",
            "Replace those in the middle with accelerated operators, or change their attributes to meet the "
            "table's conditions (Conv group <= 128 and dilation <= 12, Resize linear/nearest, Softmax batch <= 2).",
            "Check the table for your SDK: Transpose is accelerated from 0.6.0; Elu, Erf, Exp, Gelu, Tanh, "
            "Resize, Pad and channel-axis Concat/Slice from 0.7.0.",
        ],
        remediation_ko=[
            "모델 앞뒤에 있는 CPU 연산자는 모델에서 잘라내어 pre/post-processing 코드로 처리한다.",
            "중간에 있는 연산자는 가속되는 연산자로 바꾸거나 표의 조건(Conv group <= 128, dilation <= 12, "
            "Resize linear/nearest, Softmax batch <= 2)에 맞게 속성을 바꾼다.",
            "사용하는 SDK 버전의 표를 확인한다: Transpose는 0.6.0부터, Elu, Erf, Exp, Gelu, Tanh, Resize, Pad, "
            "channel 축 Concat/Slice는 0.7.0부터 가속된다.",
        ],
        checklist=["The lint report (--format markdown) and the SDK version the model is compiled with"],
        references=[TABLE_REFERENCE, SEED_REF],
    ),
    "unsupported-operator": Cause(
        component="model",
        why="These nodes are not standard ONNX operators (a custom or ONNX Runtime contrib domain, or an "
        "operator type ONNX does not define). The accelerated operator list names standard ONNX operators "
        "only, so they cannot run on the NPU, and the CPU side has to implement them too.",
        remediation=[
            "Export the model again with standard ONNX operators only (do not run ONNX Runtime's graph "
            "optimizers or fusions before compiling: they introduce com.microsoft operators).",
            "Or cut these nodes out of the model when they sit at its head or tail.",
        ],
        remediation_ko=[
            "표준 ONNX 연산자만으로 모델을 다시 export 한다 (컴파일 전에 ONNX Runtime의 그래프 최적화/fusion을 "
            "적용하지 않는다: com.microsoft 연산자가 생긴다).",
            "모델 앞뒤에 있다면 해당 노드를 모델에서 잘라낸다.",
        ],
        references=[TABLE_REFERENCE],
    ),
    "transformer-operator": Cause(
        component="model",
        why="Warboy's operator set is built for CNNs; the troubleshooting note says Transformer operations are "
        "not supported. Attention, LayerNormalization and Einsum blocks run on the CPU and split the graph "
        "many times.",
        remediation=[
            "Prefer a CNN architecture for Warboy; a Transformer model is not a Warboy target.",
            "If only a small part is Transformer-style, keep it outside the compiled model (pre/post-processing).",
        ],
        remediation_ko=[
            "Warboy에는 CNN 구조의 모델을 사용한다; Transformer 모델은 Warboy의 대상이 아니다.",
            "Transformer 부분이 작다면 컴파일할 모델 밖(pre/post-processing)으로 옮긴다.",
        ],
        references=[SEED_REF, TABLE_REFERENCE],
    ),
    "input-size-guidance": Cause(
        component="model",
        why="Warboy is most efficient with inputs of about 512x512 to 768x768 (it depends on the model). Larger "
        "inputs are best split into tiles that are inferred separately and merged.",
        remediation=[
            "For inputs larger than 768x768, tile: split the image into 512-768 tiles, infer each, merge the results.",
            "For much smaller inputs, measure: the NPU may be under-used; compare throughput with a larger "
            "input or several images per request.",
        ],
        remediation_ko=[
            "768x768보다 큰 입력은 타일링한다: 512~768 크기로 나누어 추론하고 결과를 합친다.",
            "훨씬 작은 입력은 성능을 측정해 본다: 더 큰 입력이나 여러 이미지를 한 번에 넣는 것과 처리량을 비교한다.",
        ],
        references=[SEED_REF],
    ),
    "dynamic-input-shape": Cause(
        component="model",
        why="The compiler builds the NPU program for one fixed input shape; a dynamic or unknown dimension has "
        "to be fixed before compiling, and inputs of another shape later fail with 'mismatching dimension'.",
        remediation=[
            "Export with fixed shapes (torch.onnx.export without dynamic_axes), or fix the dimension in the ONNX "
            "file, e.g. `python -m onnxruntime.tools.make_dynamic_shape_fixed --dim_param batch --dim_value 1 "
            "in.onnx out.onnx`.",
            "Feed inputs of exactly that shape at run time.",
        ],
        remediation_ko=[
            "고정된 shape으로 export 하거나 (dynamic_axes 없이 torch.onnx.export), ONNX 파일에서 차원을 고정한다.",
            "실행할 때 정확히 그 shape의 입력을 넣는다.",
        ],
        references=[SEED_REF],
    ),
    "batch-size-note": Cause(
        component="model",
        why="Warboy is optimized for small batches (low latency per request), and some operators are "
        "accelerated only for small batches (Softmax and LpNormalization: batch <= 2).",
        remediation=[
            "Compile with batch 1 (or 2) and send requests concurrently instead, unless a measurement shows the "
            "larger batch is faster.",
        ],
        remediation_ko=[
            "batch 1(또는 2)로 컴파일하고 요청을 동시에 보내는 방식을 우선 고려하고, 큰 batch가 더 "
            "빠른지 측정으로 확인한다."
        ],
        references=[WARBOY_REF, TABLE_REFERENCE],
    ),
    "quantization-accuracy-drop": Cause(
        component="quantizer",
        why="The troubleshooting note warns that Concat along the channel axis can hurt the accuracy of the "
        "quantized model (the inputs are quantized with different ranges before they are joined).",
        remediation=[
            "Compare the quantized model's accuracy with the float model's on a validation set.",
            "If it dropped, try other calibration methods and more calibration data first; if the drop stays, "
            "consider a design without channel-axis Concat at these points.",
        ],
        remediation_ko=[
            "양자화된 모델과 FP32 모델의 정확도를 검증 데이터로 비교한다.",
            "정확도가 떨어졌다면 다른 calibration 방법과 더 많은 데이터를 먼저 시도하고, 그래도 떨어지면 해당 "
            "위치의 channel 축 Concat을 쓰지 않는 구조를 검토한다.",
        ],
        references=[SEED_REF],
    ),
    "softmax-resize-placement": Cause(
        component="model",
        why="The troubleshooting note is stricter than the 0.9 operator table: it says Resize is not "
        "accelerated and that Softmax is best removed or moved to post-processing. The table accelerates "
        "Resize (linear, nearest) from SDK 0.7.0 and Softmax for batch <= 2. Both views are shown: if your "
        "profile shows these nodes on the CPU, the note's placement applies.",
        remediation=[
            "Softmax at the tail: cut it out and apply it in post-processing (it often is not needed for argmax).",
            "Resize: keep the linear or nearest mode; on SDKs before 0.7.0, or if profiling shows it on the CPU, "
            "replace it (e.g. ConvTranspose for upsampling) or move it to the head or tail.",
        ],
        remediation_ko=[
            "모델 끝의 Softmax는 잘라내어 post-processing에서 처리한다 (argmax만 필요하면 없어도 된다).",
            "Resize는 linear 또는 nearest 모드를 사용한다; 0.7.0 이전 SDK이거나 프로파일에서 CPU로 동작하면 다른 "
            "연산(예: upsampling용 ConvTranspose)으로 바꾸거나 모델 앞뒤로 옮긴다.",
        ],
        references=[SEED_REF, TABLE_REFERENCE],
    ),
}
