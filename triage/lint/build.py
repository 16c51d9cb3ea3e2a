"""Assemble the lint report: findings with their cause text, the model summary, the notes."""

from __future__ import annotations

import contextlib
from pathlib import Path

from triage import __version__
from triage.kb import KnowledgeBase
from triage.kb.schema import Pattern
from triage.lint.conditions import classify
from triage.lint.graph import Graph, LintError, load
from triage.lint.operators import FIRST_SDK, TABLE_SOURCE
from triage.lint.partition import Placement, place
from triage.lint.rules import RULES, Context, Draft, is_quantized
from triage.matcher import rank
from triage.messages import say
from triage.report import Finding, LintReport, ModelInfo, ModelTensor, SourceInfo
from triage.versions import LATEST_SDK, SDK_RELEASES, in_range, release

TOP_CHANGES = 3
DTYPE_NAMES = {
    1: "float32",
    2: "uint8",
    3: "int8",
    6: "int32",
    7: "int64",
    9: "bool",
    10: "float16",
    11: "float64",
    16: "bfloat16",
}


def check_sdk(sdk: str) -> str:
    """'0.10' -> '0.10' after checking it looks like a release; raises LintError otherwise."""
    parts = release(sdk.strip())
    if not parts or not sdk.strip().removeprefix("v")[:1].isdigit() or len(parts) > 3:
        raise LintError(f"--sdk {sdk!r} is not a version like 0.10 or 0.9.0")
    version = ".".join(str(p) for p in parts)
    if not in_range(version, f">={FIRST_SDK}"):
        raise LintError(f"--sdk {sdk}: the operator table starts at SDK {FIRST_SDK}, the first Warboy release")
    return version


def lint_model(
    path: str | Path, sdk: str = LATEST_SDK, kb: KnowledgeBase | None = None, max_evidence: int = 20
) -> LintReport:
    """Lint an .onnx file; raises LintError (one line) when the model or the version cannot be used."""
    sdk = check_sdk(sdk)
    graph = load(path)
    report = lint_graph(graph, sdk, kb, max_evidence)
    with contextlib.suppress(OSError):
        report.sources[0].bytes = Path(path).stat().st_size
    return report


def lint_graph(
    graph: Graph, sdk: str = LATEST_SDK, kb: KnowledgeBase | None = None, max_evidence: int = 20
) -> LintReport:
    sdk = check_sdk(sdk)
    status = classify(graph, sdk)
    placement = place(graph, {i: s.device for i, s in status.items()})
    ctx = Context(graph, sdk, status, placement)
    drafts, broken = [], []
    for rule in RULES:
        try:
            draft = rule(ctx)
        except (ValueError, TypeError, IndexError, KeyError, ZeroDivisionError) as exc:
            # A malformed graph must not cost the other rules' findings.
            broken.append(f"{rule.__name__.removeprefix('rule_')} ({type(exc).__name__})")
            continue
        if draft is not None:
            drafts.append(draft)
    findings = rank([_finding(d, kb, max_evidence) for d in drafts], {})
    by_id = {d.id: d for d in drafts}
    changes = [a for f in findings for a in by_id[f.id].actions][:TOP_CHANGES]
    changes_ko = [
        ko or en
        for f in findings
        for en, ko in zip(by_id[f.id].actions, by_id[f.id].actions_ko or [""] * len(by_id[f.id].actions), strict=True)
    ][:TOP_CHANGES]
    info = _model_info(graph, sdk, ctx, placement, changes, changes_ko)
    notes = _notes(graph, sdk, ctx)
    if broken:
        notes.append(f"some checks could not read this graph and were skipped: {', '.join(broken)}")
    return LintReport(
        tool_version=__version__, sources=[SourceInfo(name=graph.path)], findings=findings, notes=notes, model=info
    )


_BUNDLED: KnowledgeBase | None = None


def cause(kb: KnowledgeBase | None, cause_id: str) -> Pattern:
    """The pattern whose [lint] section describes this cause: from `kb` when it has one, else the bundled one
    (a user's patterns directory need not repeat lint's causes)."""
    global _BUNDLED
    pattern = kb.get(cause_id) if kb is not None else None
    if pattern is not None and pattern.lint is not None:
        return pattern
    if _BUNDLED is None:
        from triage.kb import load

        _BUNDLED = load()
    bundled = _BUNDLED.get(cause_id)
    if bundled is None or bundled.lint is None:
        raise LookupError(f"no pattern with a [lint] section for lint cause '{cause_id}'")
    return bundled


def _finding(d: Draft, kb: KnowledgeBase | None, max_evidence: int) -> Finding:
    """The rule's title, evidence and model-specific steps; why, fix and checklist from the pattern's [lint]
    section (its own `why` describes a log, which would be false in a report about a model). Fix steps are
    kept only when the model shows what they are about (their `when` tags: operator types and rule tags)."""
    pattern = cause(kb, d.id)
    lint = pattern.lint
    assert lint is not None  # cause() only returns patterns with a [lint] section
    tags = d.tags | {e.op_type for e in d.evidence if e.op_type}
    steps = [s for s in lint.remediation if not s.when or tags.intersection(s.when)]
    return Finding(
        id=d.id,
        title=d.title,
        severity=d.severity,
        rank=0,
        component=pattern.component,
        kind="root-cause",
        why=" ".join((lint.why or pattern.why).split()),
        why_ko=" ".join((lint.why_ko or pattern.why_ko).split()),
        evidence=d.evidence[:max_evidence],
        evidence_count=len(d.evidence),
        remediation=[*d.steps, *(s.text for s in steps)],
        checklist=list(lint.checklist or pattern.checklist),
        checklist_ko=list(lint.checklist_ko or pattern.checklist_ko),
        references=list(pattern.references),
        title_ko=d.title_ko,
        remediation_ko=[*(d.steps_ko or d.steps), *(s.text_ko for s in steps)],
    )


def _model_info(
    graph: Graph, sdk: str, ctx: Context, p: Placement, changes: list[str], changes_ko: list[str]
) -> ModelInfo:
    devices = [s.device for s in ctx.status.values()]
    npu, cpu, folded = (devices.count(d) for d in ("npu", "cpu", "folded"))
    head, tail, middle = ([n.name for n in p.nodes_at(graph, w)] for w in ("head", "tail", "middle"))
    summary = _summary("en", len(graph.nodes), npu, cpu, folded, (head, tail, middle), p, changes)
    summary_ko = _summary("ko", len(graph.nodes), npu, cpu, folded, (head, tail, middle), p, changes_ko)
    return ModelInfo(
        path=graph.path,
        sdk=sdk,
        opset=graph.opset,
        ir_version=graph.ir_version,
        producer=graph.producer,
        quantized=is_quantized(graph),
        nodes=len(graph.nodes),
        npu_nodes=npu,
        cpu_nodes=cpu,
        folded_nodes=folded,
        head_cut=head,
        tail_cut=tail,
        middle_cpu=middle,
        partitions=p.partitions,
        cpu_partitions=p.cpu_partitions,
        partitions_after_cut=p.partitions_after_cut,
        cpu_partitions_after_cut=p.cpu_partitions_after_cut,
        inputs=[
            ModelTensor(name=t.name, shape=t.shape, dtype=DTYPE_NAMES.get(t.dtype, str(t.dtype))) for t in graph.inputs
        ],
        summary=summary,
        summary_ko=summary_ko,
        top_changes=changes,
        top_changes_ko=changes_ko,
    )


def _summary(
    lang: str,
    nodes: int,
    npu: int,
    cpu: int,
    folded: int,
    where: tuple[list[str], list[str], list[str]],
    p: Placement,
    changes: list[str],
) -> str:
    """The one-line summary of the model in `lang` (the record keeps it in English and in Korean)."""
    out = say("lint_summary_nodes", lang, nodes=nodes, npu=npu, cpu=cpu)
    spots = [
        say("lint_summary_spot", lang, count=len(names), place=say(f"lint_place_{place}", lang))
        for place, names in zip(("head", "tail", "middle"), where, strict=True)
        if names
    ]
    out += f" ({', '.join(spots)})" if spots else ""
    out += say("lint_summary_folded", lang, folded=folded) if folded else ""
    if cpu:
        out += say(
            "lint_summary_cpu_partitions",
            lang,
            partitions=p.partitions,
            cpu_partitions=p.cpu_partitions,
            after_cut=p.partitions_after_cut,
            cpu_after_cut=p.cpu_partitions_after_cut,
        )
    elif p.partitions == 1:
        out += say("lint_summary_one_partition", lang)
    else:
        out += say("lint_summary_partitions", lang, partitions=p.partitions)
    if changes:
        out += say("lint_summary_change_first", lang, steps=" · ".join(f"{i}) {c}" for i, c in enumerate(changes, 1)))
    return out


def _notes(graph: Graph, sdk: str, ctx: Context) -> list[str]:
    notes = [
        f"operator table: {TABLE_SOURCE}, scoped to SDK {sdk}; operators it lists without a version are "
        "taken as accelerated in every release, and later releases as accelerating the same set"
    ]
    if sdk not in SDK_RELEASES and release(sdk) > release(LATEST_SDK):
        notes.append(f"SDK {sdk} is newer than the releases this tool knows (latest {LATEST_SDK})")
    unchecked = [(n, ctx.status[n.index].unchecked) for n in graph.nodes if ctx.status[n.index].unchecked]
    if unchecked:
        shown = ", ".join(f"{n.name} ({'; '.join(u)})" for n, u in unchecked[:5])
        more = f" and {len(unchecked) - 5} more" if len(unchecked) > 5 else ""
        notes.append(
            f"{len(unchecked)} node(s) counted on the NPU although a condition could not be checked "
            f"(shape unknown or not NCHW rank 4): {shown}{more}"
        )
    return [*graph.notes, *notes]
