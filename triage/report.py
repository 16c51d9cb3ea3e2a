"""The one JSON contract: pydantic models for everything the renderers and consumers see.

Field names listed in the README's contract are stable; new fields may be added.
Bump SCHEMA_VERSION only when a documented field changes meaning or disappears.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
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


class _Shape(NamedTuple):
    names: frozenset[str]
    required: frozenset[str]
    start: dict[str, Any]  # name -> plain default (None for required ones and factories), in order
    factories: tuple[tuple[str, Callable[[], Any]], ...]
    private: dict[str, Any]  # a subclass's PrivateAttr defaults (api.Report's _lang)


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type[_Model]) -> _Shape:
    """What _Model.__init__ needs of a class's fields, read once per class (a log makes thousands)."""
    fields = cls.__pydantic_fields__
    shape = _Shape(
        names=frozenset(fields),
        required=frozenset(n for n, f in fields.items() if f.is_required()),
        start={n: None if f.is_required() or f.default_factory else f.default for n, f in fields.items()},
        factories=tuple((n, f.default_factory) for n, f in fields.items() if f.default_factory),  # type: ignore[misc]
        private={k: a.get_default() for k, a in cls.__private_attributes__.items()},
    )
    _SHAPES[cls] = shape
    return shape


class _Model(BaseModel):
    """A report model. Our own code builds these from values the type checker has checked, so
    `Model(...)` stores them as given, like model_construct() but with its signature checked:
    unknown and missing fields are still errors. No validator or serializer is built on the way
    (defer_build): building them is pydantic's schema generation, ~20 ms of every start-up.
    Data from outside (saved JSON, a caller's dict) goes through model_validate() and
    model_validate_json(), which validate as before; to_plain() and dump_json() give what
    model_dump() and model_dump_json(indent=2) give, without building the serializer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_field_descriptions, defer_build=True)

    def __init__(self, /, **data: Any) -> None:
        cls = type(self)
        shape = _SHAPES.get(cls) or _shape(cls)
        if not (data.keys() <= shape.names and shape.required <= data.keys()):  # extra="forbid", required
            unknown = ", ".join(sorted(repr(k) for k in data.keys() - shape.names))
            missing = ", ".join(sorted(repr(k) for k in shape.required - data.keys()))
            problem = f"no field {unknown}" if unknown else f"field {missing} is required"
            raise TypeError(f"{cls.__name__}: {problem}")
        values = dict(shape.start)  # every field in declaration order, holding its plain default
        values.update(data)
        for name, factory in shape.factories:
            if name not in data:
                values[name] = factory()
        object.__setattr__(self, "__dict__", values)
        object.__setattr__(self, "__pydantic_fields_set__", set(data))
        object.__setattr__(self, "__pydantic_extra__", None)
        object.__setattr__(self, "__pydantic_private__", dict(shape.private) if shape.private else None)

    # pydantic calls a model's own __init__ from its validator with the raw input ("custom init");
    # this flag, which BaseModel.__init__ carries too, keeps model_validate() validating it
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def to_plain(self) -> dict[str, Any]:
        """model_dump(): the fields in declaration order, nested models as dicts."""
        return {name: _plain(self.__dict__[name]) for name in type(self).__pydantic_fields__}

    def map_strings(self, fn: Callable[[str], str]) -> Self:
        """A copy with fn applied to every string in it (dict keys too), nested models copied alike."""
        cls = type(self)
        copy = cls.__new__(cls)
        object.__setattr__(copy, "__dict__", {k: _map_strings(v, fn) for k, v in self.__dict__.items()})
        object.__setattr__(copy, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        object.__setattr__(copy, "__pydantic_extra__", None)
        private = self.__pydantic_private__
        object.__setattr__(copy, "__pydantic_private__", dict(private) if private is not None else None)
        return copy


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
    """model.model_dump_json(indent=2), byte for byte (tests/test_report_json.py compares them on
    every fixture), without building pydantic's serializer: the fields hold only str, int, bool,
    None and lists and dicts of them, which json writes the same way."""
    import json

    return json.dumps(model.to_plain(), indent=2, ensure_ascii=False)


class SourceInfo(_Model):
    name: str
    """File path, or `<stdin>`."""
    lines: int = 0
    bytes: int = 0
    notes: list[str] = Field(default_factory=list)
    """What the reader had to repair or skip (truncated gzip, over-long lines)."""


class VersionInfo(_Model):
    version: str
    line: int
    text: str = ""
    source: str = ""


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


class Frame(_Model):
    file: str
    line: int
    function: str = ""
    code: str = ""


class ExceptionInfo(_Model):
    type: str
    """Fully qualified when the log gives it, e.g. furiosa.runtime.errors.InternalError."""
    message: str
    line: int
    text: str = ""
    source: str = ""
    code: int | None = None
    """The native error code in the message, if any."""
    frames: list[Frame] = Field(default_factory=list)
    frames_omitted: int = 0
    chain: Literal["cause", "context"] | None = None
    """How this exception follows the one before it: "cause" (raised from it: "The above exception was the
    direct cause ..."), "context" (raised while handling it: "During handling of the above exception ...")."""
    chained_from: int | None = None
    """Line of the earlier exception in the chain: often the real failure that this one hides."""


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


class VersionSkew(_Model):
    components: dict[str, str]
    """Component -> version for the SDK components whose release lines differ."""
    detail: str


class VersionConflict(_Model):
    component: str
    versions: list[VersionInfo]
    """Each differing version with the first line that showed it."""
    detail: str


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
    evidence: list[Evidence] = Field(default_factory=list)
    evidence_count: int = 0
    """All evidence lines seen; `evidence` holds at most --max-evidence of them."""
    explains: list[str] = Field(default_factory=list)
    """Ids of symptom findings folded into this one (their lines are in `evidence`)."""
    remediation: list[str] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
    checklist_ko: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    title_ko: str = ""
    remediation_ko: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    """Ids of the knowledge-base causes closest to the evidence, by the same search as `warboy-triage
    search` (unrecognized-error: what to compare the unexplained failure with)."""


class Unclassified(_Model):
    line: int
    text: str
    source: str = ""
    level: str = ""
    count: int = 1
    """How many lines share this line's shape (numbers, hex and paths masked)."""


class ModelTensor(_Model):
    name: str
    shape: list[int | str | None] | None = None
    """Sizes; a string is a named dynamic dimension, null an unknown one; null for the whole list: rank unknown."""
    dtype: str = ""


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
    head_cut: list[str] = Field(default_factory=list)
    """CPU-bound nodes with no NPU node upstream: cut them out into pre-processing."""
    tail_cut: list[str] = Field(default_factory=list)
    """CPU-bound nodes with no NPU node downstream: cut them out into post-processing."""
    middle_cpu: list[str] = Field(default_factory=list)
    """CPU-bound nodes between NPU nodes: they split the graph."""
    partitions: int = 0
    """Estimated NPU and CPU partitions of the graph as it is."""
    cpu_partitions: int = 0
    partitions_after_cut: int = 0
    """Estimated partitions once the head and tail CPU nodes are cut out."""
    cpu_partitions_after_cut: int = 0
    inputs: list[ModelTensor] = Field(default_factory=list)
    summary: str = ""
    """One line: nodes, how many on the NPU, partitions, top changes."""
    summary_ko: str = ""
    top_changes: list[str] = Field(default_factory=list)
    top_changes_ko: list[str] = Field(default_factory=list)


class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    tool_version: str = ""
    sources: list[SourceInfo] = Field(default_factory=list)
    versions: dict[str, VersionInfo] = Field(default_factory=dict)
    version_skew: list[VersionSkew] = Field(default_factory=list)
    version_conflicts: list[VersionConflict] = Field(default_factory=list)
    """One component reported with different versions by different banners (two installations?)."""
    error_codes: list[ErrorCode] = Field(default_factory=list)
    exceptions: list[ExceptionInfo] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    unclassified: list[Unclassified] = Field(default_factory=list)
    levels: dict[str, int] = Field(default_factory=dict)
    """Count of log records per level (ERROR, WARN, INFO, ...)."""
    notes: list[str] = Field(default_factory=list)

    def worst_severity(self) -> str | None:
        return _worst(self.findings)


class LintReport(_Model):
    """`warboy-triage lint`: what an ONNX model shows. Shares Finding and Evidence with the log report; evidence
    points at nodes and inputs (`kind` node / input / model), and nothing here is about log lines."""

    schema_version: int = SCHEMA_VERSION
    tool_version: str = ""
    sources: list[SourceInfo] = Field(default_factory=list)
    """The model file."""
    model: ModelInfo
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def worst_severity(self) -> str | None:
        return _worst(self.findings)


def _worst(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    return min(findings, key=lambda f: SEVERITY_ORDER[f.severity]).severity


def json_schema(lint: bool = False) -> dict:
    return (LintReport if lint else Report).model_json_schema()
