"""Schema of one pattern file. Loading validates everything, so a bad file fails at load
time with the file and field named, never half-way through a log.

The types are plain dataclasses, validated by pydantic (Pattern.model_validate) when a file is
loaded: a knowledge base unpickled from the cache (triage/kb/cache.py) needs no pydantic at all,
which was most of a small log's start-up. Field checks are `Annotated` metadata that pydantic
applies (_Check), whole-object checks are __post_init__, which pydantic runs after the fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from triage.typeadapter import adapter

if TYPE_CHECKING:
    import regex
    from typing_extensions import Self

Severity = Literal["error", "warning", "info"]
Kind = Literal["root-cause", "symptom", "generic", "noise"]
Level = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
Component = Literal[
    "compiler", "runtime", "libnux", "driver", "firmware", "device", "model", "quantizer", "sdk", "telemetry", "general"
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CODE_REF = r"^(?:runtime|compiler|\*):(?:\d+|[A-Z][A-Z0-9_]*|\*)$"


def compile_regex(value: str) -> regex.Pattern[str]:
    """The `regex` module's compile (VERSION0: the `re` dialect), imported on first use: a run whose
    lines the RE2 twins decide never needs it (triage/engine.py)."""
    import regex

    try:
        return regex.compile(value, regex.VERSION0)
    except regex.error as exc:
        raise ValueError(f"invalid regex {value!r}: {exc}") from None
    except (RecursionError, OverflowError):  # crafted nesting or repeat counts: still just a bad regex
        raise ValueError(f"invalid regex {value[:60]!r}...: nested too deeply or too large") from None


class _Check:
    """`Annotated` metadata: pydantic runs `fn` on the field's value once its type is validated
    (what pydantic's AfterValidator does; this module does not import pydantic). A ValueError
    from fn is reported at the field, with the file line of that key."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.fn, handler(source))


def _min_length(n: int) -> _Check:
    def check(value: Any) -> Any:
        if len(value) < n:
            from pydantic_core import PydanticCustomError

            what = "String" if isinstance(value, str) else "List"
            unit = ("character" if what == "String" else "item") + ("s" if n != 1 else "")
            raise PydanticCustomError(
                "too_short", "{what} should have at least {n} {unit}", {"what": what, "n": n, "unit": unit}
            )
        return value

    return _Check(check)


def _matching(pattern: str) -> _Check:
    def check(value: str) -> str:
        if not re.match(pattern, value):
            from pydantic_core import PydanticCustomError

            raise PydanticCustomError(
                "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": pattern}
            )
        return value

    return _Check(check)


class _Strict:
    """Unknown keys are errors (a misspelt key would otherwise be ignored). The field docstrings
    are documentation for people: nothing reads them at run time."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """The validated object (pydantic.ValidationError naming each field at fault)."""
        return adapter(cls).validate_python(data)  # type: ignore[no-any-return]


def _valid_regex(value: str | None) -> str | None:
    if value is not None:
        if not value.strip():
            raise ValueError("empty regex")
        from triage.kb.redos import check_regex

        problem = check_regex(value)  # before compiling: a hostile regex must not cost memory or time
        if problem is not None:
            if problem.startswith("cannot compile"):
                compile_regex(value)  # a plain syntax error: the regex module's own message
            raise ValueError(f"regex {value[:80]!r}{'...' if len(value) > 80 else ''}: {problem}")
        compile_regex(value)
    return value


def _valid_codes(value: list[str] | None) -> list[str] | None:
    if value is not None:
        for ref in value:
            if not re.match(CODE_REF, ref):
                raise ValueError(f"code {ref!r} is not 'runtime:N', 'compiler:NAME' or '*:N'")
    return value


def _valid_prefilter(value: list[str] | None) -> list[str] | None:
    if value is not None and not (value and all(v.strip() and v.isascii() for v in value)):
        raise ValueError("prefilter needs one or more non-empty ASCII strings")
    return value


def _valid_range(value: str) -> str:
    from triage.versions import parse_range

    parse_range(value)
    return value


@dataclass(kw_only=True)
class MatchRule(_Strict):
    """All given conditions must hold (AND); a pattern fires when any of its rules holds (OR)."""

    message: Annotated[str | None, _Check(_valid_regex)] = None
    """Regex searched in a log line (or, with code/exception, in that event's line)."""
    level: list[Level] | None = None
    """Only lines at these log levels."""
    code: Annotated[list[str] | None, _Check(_valid_codes)] = None
    """Native error codes as `table:number` or `table:NAME`; `*` for any table or any code."""
    exception: Annotated[str | None, _Check(_valid_regex)] = None
    """Regex searched in an exception's qualified type, e.g. `(^|\\.)DeviceBusy$`."""
    exception_message: Annotated[str | None, _Check(_valid_regex)] = None
    """Regex searched in an exception's message."""
    version_skew: bool = False
    """Holds when SDK components from different release lines are in the log."""
    versions: bool = False
    """Supporting rules only: attach every version line as evidence."""
    severity: Severity | None = None
    """Overrides the pattern's severity when this rule is what fired it."""
    common: bool = False
    """Supporting `code` rules only: this cause is the commonly reported reason behind the code (cite the report
    in `references`); `explain <code>` lists such causes first."""
    prefilter: Annotated[list[str] | None, _Check(_valid_prefilter)] = None
    """Strings one of which every line matching `message` contains (compared lower-cased); lines
    without any skip the regex. Derived from `message` when omitted; give it when that fails."""

    def __post_init__(self) -> None:
        if not (
            self.message or self.code or self.exception or self.exception_message or self.version_skew or self.versions
        ):
            raise ValueError("a rule needs message, code, exception, exception_message or version_skew")
        if self.common and not self.code:
            raise ValueError("'common' marks a cause behind a native code: it needs 'code'")
        if self.code and (self.exception or self.exception_message):
            raise ValueError("code and exception cannot be combined in one rule; use two rules")
        self._literals: frozenset[str] | None | bool = False  # False: not derived yet (not a field)

    # The regexes, compiled on first use and never pickled (the knowledge-base cache): loading
    # the cache then compiles nothing, and a run compiles only what its lines reach.
    @property
    def _message(self) -> regex.Pattern[str] | None:
        return self._compiled("message")

    @property
    def _exception(self) -> regex.Pattern[str] | None:
        return self._compiled("exception")

    @property
    def _exception_message(self) -> regex.Pattern[str] | None:
        return self._compiled("exception_message")

    def _compiled(self, name: str) -> regex.Pattern[str] | None:
        done: dict[str, regex.Pattern[str] | None] = self.__dict__.setdefault("_regexes", {})
        if name not in done:
            source = getattr(self, name)
            done[name] = compile_regex(source) if source else None
        return done[name]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_regexes"}

    def literals(self) -> frozenset[str] | None:
        """Lower-case prefilter literals of `message`, or None when every line must be tried."""
        if self._literals is False:
            if self.prefilter is not None:
                self._literals = frozenset(v.lower() for v in self.prefilter)
            elif self.message:
                from triage.kb.literals import required_literals

                self._literals = required_literals(self.message)
            else:
                self._literals = None
        return self._literals  # type: ignore[return-value]

    @property
    def is_line_rule(self) -> bool:
        """Rules decided by a line's text (and level) alone, checked while streaming."""
        return bool(self.message) and not (self.code or self.exception or self.exception_message)


def _line_rules_only(value: list[MatchRule]) -> list[MatchRule]:
    if any(not rule.is_line_rule for rule in value):
        raise ValueError("unless rules may only use 'message' (and 'level')")
    return value


@dataclass(kw_only=True)
class LintStep(_Strict):
    """A fix step of a cause that `lint` reports, shown only when the model shows what it is about."""

    text: Annotated[str, _min_length(5)]
    text_ko: Annotated[str, _min_length(2)]
    when: list[str] = field(default_factory=list)
    """Shown only when the finding has one of these tags: the operator types of its evidence nodes
    (e.g. `Softmax`) or a tag its rule sets (`input-large`, `input-small`, `no-weights`, `float-weights`,
    `partly-quantized`, `head`, `tail`, `middle`). Empty: always shown."""


@dataclass(kw_only=True)
class LintSection(_Strict):
    """How `warboy-triage lint` reports this cause from an ONNX graph (no log line involved)."""

    why: str = ""
    """What the model shows and why it matters, when the pattern's own `why` describes a log; empty for a
    cause only a model shows (the pattern's `why` is then about the model already)."""
    why_ko: str = ""
    remediation: Annotated[list[LintStep], _min_length(1)]
    checklist: list[str] = field(default_factory=list)
    """Replaces the pattern's checklist in lint reports when given."""
    checklist_ko: list[str] = field(default_factory=list)
    examples: Annotated[list[str], _min_length(1)]
    """ONNX models in the ONNX textual syntax (onnx.parser) that lint must report this cause for."""
    counterexamples: Annotated[list[str], _min_length(1)]
    """Near-miss models in the same syntax that lint must not report it for."""


@dataclass(kw_only=True)
class Pattern(_Strict):
    id: Annotated[str, _matching(ID_PATTERN)]
    title: Annotated[str, _min_length(3)]
    """May use {code}, {name} and {table} for patterns that group by native error code."""
    title_ko: str = ""
    severity: Severity
    component: Component
    kind: Kind = "root-cause"
    """root-cause ranks above symptom, symptom above generic; noise is never ranked above a real error."""
    confidence: Literal["likely", "possible"] = "likely"
    """possible: a heuristic that reads the user's own numbers (latency, accuracy, input size), not a message
    Furiosa software prints; its findings say so and rank below every likely finding."""
    sdk: Annotated[str, _Check(_valid_range)] = ""
    """SDK versions the cause exists in, e.g. ">=0.10" or ">=0.7, <0.10"; empty for all."""
    why: Annotated[str, _min_length(10)]
    why_ko: str = ""
    fired_by: Literal["rules", "pipeline"] = "rules"
    """rules: the `match` rules fire it (or, with no `match`, `lint` reports it from a model). pipeline: the
    analysis itself reports it and it has no `match` rules (unrecognized-error: a failure that no other pattern
    explains); its examples are checked with no other pattern loaded, and another pattern firing on them is no
    collision."""
    match: list[MatchRule] = field(default_factory=list)
    """One or more rules (any of them fires the pattern); none when fired_by is pipeline, or for a cause only a
    model shows (it has a `lint` section instead)."""
    supporting: list[MatchRule] = field(default_factory=list)
    """Evidence attached when the pattern fires; never fires it alone."""
    unless: Annotated[list[MatchRule], _Check(_line_rules_only)] = field(default_factory=list)
    """Line rules (message, optionally level) that veto this pattern for the whole input when any
    line matches them, e.g. a compile that finished is not a hang."""
    explains: list[str] = field(default_factory=list)
    """Ids of symptom patterns this cause explains: their findings fold into this one."""
    group_by_code: bool = False
    """One finding per distinct native error code (for the generic fallback)."""
    remediation: Annotated[list[str], _min_length(1)]
    remediation_ko: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    checklist_ko: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    """Public pages a user can open (FuriosaAI docs, release notes, forum threads, source files)."""
    lint: LintSection | None = None
    """Set when `warboy-triage lint` reports this cause from an ONNX graph."""
    keywords: list[str] = field(default_factory=list)
    """Extra words (English and Korean) that `search` should find this cause by."""
    examples: list[str] = field(default_factory=list)
    """Log excerpts that must produce this finding (at least two when the pattern has match rules)."""
    counterexamples: list[str] = field(default_factory=list)
    """Near-miss log excerpts that must not produce it."""
    todo_examples: list[str] = field(default_factory=list)
    """Known gaps: excerpts that should match but do not yet (tests mark them xfail)."""

    def __post_init__(self) -> None:
        if self.id in self.explains:
            raise ValueError("a pattern cannot explain itself")
        if self.fired_by == "rules" and not self.match and self.lint is None:
            raise ValueError(
                "'match' needs at least one rule (only fired_by = \"pipeline\" patterns and lint-only causes with a"
                " [lint] section have none)"
            )
        if self.fired_by == "pipeline":
            if self.match or self.supporting or self.unless or self.group_by_code:
                raise ValueError('a fired_by = "pipeline" pattern has no match, supporting or unless rules')
            return
        if not self.match:
            if self.lint is None:
                raise ValueError("a pattern needs [[match]] rules, or a [lint] section for a cause only a model shows")
            if self.examples or self.counterexamples or self.supporting or self.unless or self.explains:
                raise ValueError("a lint-only pattern (no [[match]]) takes its examples in [lint], not log fields")
        elif len(self.examples) < 2 or len(self.counterexamples) < 2:
            raise ValueError("a pattern with [[match]] rules needs at least 2 examples and 2 counterexamples")

    @property
    def reads_logs(self) -> bool:
        return bool(self.match)
