"""The one JSON contract: the types of everything the renderers and consumers see.

Field names listed in the README's contract are stable; new fields may be added.
Bump SCHEMA_VERSION only when a documented field changes meaning or disappears.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from triage.typeadapter import adapter

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from typing_extensions import Self

SCHEMA_VERSION = 1

Severity = Literal["error", "warning", "info"]
Table = Literal["runtime", "compiler"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


def field_docstrings(cls: type) -> dict[str, str]:
    """The docstrings of a class's attributes (a string right after `name: type = ...`), read as
    pydantic's use_attribute_docstrings reads them."""
    import ast
    import inspect
    import itertools
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _field_descriptions(schema: dict[str, Any], cls: type) -> None:
    """Each field's docstring as its description in the JSON Schema, read when a schema is asked for
    (use_attribute_docstrings reads every model's source at import: ~12 ms of every start-up)."""
    props = schema.get("properties", {})
    for klass in cls.__mro__:  # the nearest class's docstring wins
        if isinstance(klass, type) and issubclass(klass, _Model) and klass is not _Model:
            for name, doc in field_docstrings(klass).items():
                if name in props:
                    props[name].setdefault("description", doc)


class _Model:
    """Base of the report types, which are keyword-only dataclasses: a run builds thousands of
    them, and pydantic, which reads them for the JSON Schema and to validate data from outside
    (saved JSON, a caller's dict), is imported only then. Importing pydantic and building its
    validators was ~60 ms of every start-up (issue 14). The model_* methods keep pydantic's API
    for callers: validation, JSON and the schema are pydantic's own, through a TypeAdapter."""

    # read by pydantic's TypeAdapter (a stdlib dataclass's config)
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "json_schema_extra": _field_descriptions}

    @classmethod
    def _adapter(cls) -> TypeAdapter[Self]:
        return adapter(cls)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """Validate outside data (pydantic.ValidationError when it does not fit)."""
        return cls._adapter().validate_python(data)

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        return cls._adapter().validate_json(text)

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        return cls._adapter().json_schema()

    def model_dump_json(self, *, indent: int | None = None) -> str:
        return self._adapter().dump_json(self, indent=indent).decode()

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as plain values (they are JSON values in either mode)."""
        return self.to_plain()

    def model_copy(self) -> Self:
        return copy.copy(self)

    def to_plain(self) -> dict[str, Any]:
        """model_dump(): the fields in declaration order, nested reports as dicts."""
        return {name: _plain(getattr(self, name)) for name in field_names(type(self))}

    def map_strings(self, fn: Callable[[str], str]) -> Self:
        """A copy with fn applied to every string in it (dict keys too), nested models copied alike."""
        out = copy.copy(self)  # attributes that are not fields too (api.Report's language)
        for name in field_names(type(self)):
            object.__setattr__(out, name, _map_strings(getattr(self, name), fn))
        return out


_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type[_Model]) -> tuple[str, ...]:
    """The names of a report type's fields, in declaration order."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return value.to_plain()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, _Model):
        return value.map_strings(fn)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {_map_strings(k, fn): _map_strings(v, fn) for k, v in value.items()}
    return value


def dump_json(model: _Model) -> str:
    """model.model_dump_json(indent=2), byte for byte (tests/test_report_models.py compares them on
    every fixture), without importing pydantic: the fields hold only str, int, bool, None and lists
    and dicts of them, which json writes the same way."""
    import json

    return json.dumps(model.to_plain(), indent=2, ensure_ascii=False)


@dataclass(kw_only=True)
class SourceInfo(_Model):
    name: str
    """File path, or `<stdin>`."""
    lines: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)
    """What the reader had to repair or skip (truncated gzip, over-long lines)."""


@dataclass(kw_only=True)
class VersionInfo(_Model):
    version: str
    line: int
    text: str = ""
    source: str = ""


@dataclass(kw_only=True)
class ErrorCode(_Model):
    code: int
    name: str
    """Name in the table, e.g. INTERNAL_ERROR; UNKNOWN_CODE when the table has no entry."""
    table: Table
    line: int
    text: str
    source: str = ""
    ambiguous: bool = False
    """True when nothing in the log said whether runtime or compiler printed it: both readings are listed."""
    meaning: str = ""


@dataclass(kw_only=True)
class Frame(_Model):
    file: str
    line: int
    function: str = ""
    code: str = ""


@dataclass(kw_only=True)
class ExceptionInfo(_Model):
    type: str
    """Fully qualified when the log gives it, e.g. furiosa.runtime.errors.InternalError."""
    message: str
    line: int
    text: str = ""
    source: str = ""
    code: int | None = None
    """The native error code in the message, if any."""
    frames: list[Frame] = field(default_factory=list)
    frames_omitted: int = 0
    chain: Literal["cause", "context"] | None = None
    """How this exception follows the one before it: "cause" (raised from it: "The above exception was the
    direct cause ..."), "context" (raised while handling it: "During handling of the above exception ...")."""
    chained_from: int | None = None
    """Line of the earlier exception in the chain: often the real failure that this one hides."""


@dataclass(kw_only=True)
class Evidence(_Model):
    line: int
    """Line in the log; for `lint`, the node's 1-based position in the model file (0 for inputs and the model)."""
    text: str
    source: str = ""
    kind: Literal["message", "error_code", "exception", "version", "version_skew", "node", "input", "model"] = "message"
    """node / input / model: evidence from `warboy-triage lint` (a graph node, a graph input, the whole model)."""
    ambiguous: bool = False
    supporting: bool = False
    """Context attached to the finding (version lines, the bare InternalError), not what fired it."""
    node: str = ""
    """lint: the node's name (`<op_type>#<position>` when the model leaves it unnamed)."""
    op_type: str = ""
    """lint: the node's ONNX operator type."""
    attribute: str = ""
    """lint: the attribute or shape that decided the finding, e.g. `group=256` or `shape=[1, 3, 1024, 1024]`."""
    count: int = 1
    """How many lines of this line's shape (numbers, hex and paths masked) it stands for (unrecognized-error)."""


@dataclass(kw_only=True)
class VersionSkew(_Model):
    components: dict[str, str]
    """Component -> version for the SDK components whose release lines differ."""
    detail: str


@dataclass(kw_only=True)
class VersionConflict(_Model):
    component: str
    versions: list[VersionInfo]
    """Each differing version with the first line that showed it."""
    detail: str


@dataclass(kw_only=True)
class Finding(_Model):
    id: str
    title: str
    severity: Severity
    rank: int
    component: str = ""
    kind: Literal["root-cause", "symptom", "generic", "noise"] = "root-cause"
    confidence: Literal["likely", "possible"] = "likely"
    """possible: a heuristic on the user's own numbers (latency, accuracy, input size), or every piece of evidence
    was an ambiguous reading of a native error code. Possible findings rank below likely ones."""
    why: str = ""
    why_ko: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    evidence_count: int = 0
    """All evidence lines seen; `evidence` holds at most --max-evidence of them."""
    explains: list[str] = field(default_factory=list)
    """Ids of symptom findings folded into this one (their lines are in `evidence`)."""
    remediation: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    checklist_ko: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    title_ko: str = ""
    remediation_ko: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    """Ids of the knowledge-base causes closest to the evidence, by the same search as `warboy-triage
    search` (unrecognized-error: what to compare the unexplained failure with)."""


@dataclass(kw_only=True)
class Unclassified(_Model):
    line: int
    text: str
    source: str = ""
    level: str = ""
    count: int = 1
    """How many lines share this line's shape (numbers, hex and paths masked)."""


@dataclass(kw_only=True)
class ModelTensor(_Model):
    name: str
    shape: list[int | str | None] | None = None
    """Sizes; a string is a named dynamic dimension, null an unknown one; null for the whole list: rank unknown."""
    dtype: str = ""


@dataclass(kw_only=True)
class ModelInfo(_Model):
    """What `warboy-triage lint` saw in the model, and where its nodes would run."""

    path: str
    sdk: str
    """SDK release the operator table was scoped to (--sdk)."""
    opset: int = 0
    ir_version: int = 0
    producer: str = ""
    quantized: bool = False
    nodes: int = 0
    npu_nodes: int = 0
    cpu_nodes: int = 0
    folded_nodes: int = 0
    """Constants, shape arithmetic, quantization markers and no-ops: not a partition of their own."""
    head_cut: list[str] = field(default_factory=list)
    """CPU-bound nodes with no NPU node upstream: cut them out into pre-processing."""
    tail_cut: list[str] = field(default_factory=list)
    """CPU-bound nodes with no NPU node downstream: cut them out into post-processing."""
    middle_cpu: list[str] = field(default_factory=list)
    """CPU-bound nodes between NPU nodes: they split the graph."""
    partitions: int = 0
    """Estimated NPU and CPU partitions of the graph as it is."""
    cpu_partitions: int = 0
    partitions_after_cut: int = 0
    """Estimated partitions once the head and tail CPU nodes are cut out."""
    cpu_partitions_after_cut: int = 0
    inputs: list[ModelTensor] = field(default_factory=list)
    summary: str = ""
    """One line: nodes, how many on the NPU, partitions, top changes."""
    summary_ko: str = ""
    top_changes: list[str] = field(default_factory=list)
    top_changes_ko: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    tool_version: str = ""
    sources: list[SourceInfo] = field(default_factory=list)
    versions: dict[str, VersionInfo] = field(default_factory=dict)
    version_skew: list[VersionSkew] = field(default_factory=list)
    version_conflicts: list[VersionConflict] = field(default_factory=list)
    """One component reported with different versions by different banners (two installations?)."""
    error_codes: list[ErrorCode] = field(default_factory=list)
    exceptions: list[ExceptionInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unclassified: list[Unclassified] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)
    """Count of log records per level (ERROR, WARN, INFO, ...)."""
    notes: list[str] = field(default_factory=list)

    def worst_severity(self) -> str | None:
        return _worst(self.findings)


@dataclass(kw_only=True)
class LintReport(_Model):
    """`warboy-triage lint`: what an ONNX model shows. Shares Finding and Evidence with the log report; evidence
    points at nodes and inputs (`kind` node / input / model), and nothing here is about log lines."""

    schema_version: int = SCHEMA_VERSION
    tool_version: str = ""
    sources: list[SourceInfo] = field(default_factory=list)
    """The model file."""
    model: ModelInfo
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def worst_severity(self) -> str | None:
        return _worst(self.findings)


def _worst(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    return min(findings, key=lambda f: SEVERITY_ORDER[f.severity]).severity


def json_schema(lint: bool = False) -> dict:
    return (LintReport if lint else Report).model_json_schema()
