"""Every finding id that `analyze` reports on every fixture, and that `lint` reports on the tests'
ONNX graphs, is one that `warboy-triage explain` accepts (issue 13: one knowledge base)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from triage.cli import app
from triage.pipeline import analyze

LOGS = sorted(
    p
    for p in [*FIXTURES.glob("*.log*"), *(FIXTURES / "real").glob("*.log"), *(FIXTURES / "hostile").glob("*.log*")]
    if not p.name.endswith(".json")
)


def _explains(fid: str) -> bool:
    result = CliRunner().invoke(app, ["explain", fid, "--format", "json"])
    return result.exit_code == 0 and f'"{fid}"' in result.stdout


def _analyze_ids(kb) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from triage.reader import ReaderError

    found: dict[str, str] = {}
    for log in LOGS:
        try:
            report = analyze([str(log)], kb)
        except ReaderError:  # hostile samples that are not logs at all
            continue
        for f in report.findings:
            found.setdefault(f.id, log.name)
    return found


def test_every_analyze_id_is_explained(kb) -> None:  # type: ignore[no-untyped-def]
    found = _analyze_ids(kb)
    assert "unrecognized-error" in found and len(found) >= 20
    missing = {fid: where for fid, where in found.items() if not _explains(fid)}
    assert not missing, f"explain does not know: {missing}"


def _lint_ids() -> dict[str, str]:
    pytest.importorskip("onnx")
    import numpy as np

    from tests.onnx_graphs import GraphBuilder, chain, clean_cnn, resnet_with_resize_and_softmax
    from triage.lint import lint_graph
    from triage.lint.graph import from_model

    def transformer():  # type: ignore[no-untyped-def]
        b = GraphBuilder((1, 8, 64, 64), quantized=True)
        b.conv(8)
        b.op("LayerNormalization", [b.last, "g"], axis=-1)
        b.init("g", np.ones(64, np.float32))
        return b.model()

    def dynamic():  # type: ignore[no-untyped-def]
        b = GraphBuilder(("batch", 3, 640, 640), quantized=True)
        b.relu()
        return b.model()

    def batch4():  # type: ignore[no-untyped-def]
        b = GraphBuilder((4, 3, 640, 640), quantized=True)
        b.relu()
        return b.model()

    def concat():  # type: ignore[no-untyped-def]
        b = GraphBuilder((1, 8, 640, 640), quantized=True)
        b.conv(8)
        b.op("Concat", [b.last, "conv1"], axis=1)
        b.relu()
        return b.model()

    models = {
        "float cnn": clean_cnn(quantized=False),
        "large input": clean_cnn(size=1024),
        "small input": clean_cnn(size=320),
        "resize and softmax": resnet_with_resize_and_softmax(batch=4, mode="cubic"),
        "cpu operators": chain(60, quantized=False, cpu_every=2),
        "transformer": transformer(),
        "dynamic input": dynamic(),
        "batch 4": batch4(),
        "channel concat": concat(),
    }
    found: dict[str, str] = {}
    for name, model in models.items():
        for f in lint_graph(from_model(model, "m.onnx"), "0.10.2").findings:
            found.setdefault(f.id, name)
    return found


def test_every_lint_id_is_explained() -> None:
    found = _lint_ids()
    assert len(found) >= 5
    missing = {fid: where for fid, where in found.items() if not _explains(fid)}
    assert not missing, f"explain does not know: {missing}"
