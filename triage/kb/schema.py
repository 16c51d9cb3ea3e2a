"""Schema of one pattern file. Loading validates everything, so a bad file fails at load
time with the file and field named, never half-way through a log."""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Severity = Literal["error", "warning", "info"]
Kind = Literal["root-cause", "symptom", "generic", "noise"]
Level = Literal["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
Component = Literal[
    "compiler", "runtime", "libnux", "driver", "firmware", "device", "model", "quantizer", "sdk", "telemetry", "general"
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CODE_REF = r"^(?:runtime|compiler|\*):(?:\d+|[A-Z][A-Z0-9_]*|\*)$"
REGEX_FLAGS = regex.VERSION0


def compile_regex(value: str) -> regex.Pattern[str]:
    try:
        return regex.compile(value, REGEX_FLAGS)
    except regex.error as exc:
        raise ValueError(f"invalid regex {value!r}: {exc}") from None
    except (RecursionError, OverflowError):  # crafted nesting or repeat counts: still just a bad regex
        raise ValueError(f"invalid regex {value[:60]!r}...: nested too deeply or too large") from None


class _Strict(BaseModel):
    # defer_build: a knowledge base unpickled from the cache (triage/kb/cache.py) never
    # validates, so start-up does not pay for building the validators. The field docstrings are
    # documentation for people: nothing reads them at run time (use_attribute_docstrings would
    # read this file's source at every start-up)
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


class MatchRule(_Strict):
    """All given conditions must hold (AND); a pattern fires when any of its rules holds (OR)."""

    message: str | None = None
    """Regex searched in a log line (or, with code/exception, in that event's line)."""
    level: list[Level] | None = None
    """Only lines at these log levels."""
    code: list[str] | None = None
    """Native error codes as `table:number` or `table:NAME`; `*` for any table or any code."""
    exception: str | None = None
    """Regex searched in an exception's qualified type, e.g. `(^|\\.)DeviceBusy$`."""
    exception_message: str | None = None
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
    prefilter: list[str] | None = None
    """Strings one of which every line matching `message` contains (compared lower-cased); lines
    without any skip the regex. Derived from `message` when omitted; give it when that fails."""

    _message: regex.Pattern[str] | None = PrivateAttr(default=None)
    _exception: regex.Pattern[str] | None = PrivateAttr(default=None)
    _exception_message: regex.Pattern[str] | None = PrivateAttr(default=None)
    _literals: frozenset[str] | None | bool = PrivateAttr(default=False)  # False: not derived yet

    @field_validator("message", "exception", "exception_message")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
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

    @field_validator("code")
    @classmethod
    def _valid_codes(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            for ref in value:
                if not regex.match(CODE_REF, ref):
                    raise ValueError(f"code {ref!r} is not 'runtime:N', 'compiler:NAME' or '*:N'")
        return value

    @model_validator(mode="after")
    def _has_condition(self) -> MatchRule:
        if not (
            self.message or self.code or self.exception or self.exception_message or self.version_skew or self.versions
        ):
            raise ValueError("a rule needs message, code, exception, exception_message or version_skew")
        if self.common and not self.code:
            raise ValueError("'common' marks a cause behind a native code: it needs 'code'")
        if self.code and (self.exception or self.exception_message):
            raise ValueError("code and exception cannot be combined in one rule; use two rules")
        self._message = compile_regex(self.message) if self.message else None
        self._exception = compile_regex(self.exception) if self.exception else None
        self._exception_message = compile_regex(self.exception_message) if self.exception_message else None
        return self

    @field_validator("prefilter")
    @classmethod
    def _valid_prefilter(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not (value and all(v.strip() and v.isascii() for v in value)):
            raise ValueError("prefilter needs one or more non-empty ASCII strings")
        return value

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


class LintStep(_Strict):
    """A fix step of a cause that `lint` reports, shown only when the model shows what it is about."""

    text: str = Field(min_length=5)
    text_ko: str = Field(min_length=2)
    when: list[str] = Field(default_factory=list)
    """Shown only when the finding has one of these tags: the operator types of its evidence nodes
    (e.g. `Softmax`) or a tag its rule sets (`input-large`, `input-small`, `no-weights`, `float-weights`,
    `partly-quantized`, `head`, `tail`, `middle`). Empty: always shown."""


class LintSection(_Strict):
    """How `warboy-triage lint` reports this cause from an ONNX graph (no log line involved)."""

    why: str = ""
    """What the model shows and why it matters, when the pattern's own `why` describes a log; empty for a
    cause only a model shows (the pattern's `why` is then about the model already)."""
    why_ko: str = ""
    remediation: list[LintStep] = Field(min_length=1)
    checklist: list[str] = Field(default_factory=list)
    """Replaces the pattern's checklist in lint reports when given."""
    checklist_ko: list[str] = Field(default_factory=list)
    examples: list[str] = Field(min_length=1)
    """ONNX models in the ONNX textual syntax (onnx.parser) that lint must report this cause for."""
    counterexamples: list[str] = Field(min_length=1)
    """Near-miss models in the same syntax that lint must not report it for."""


class Pattern(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    """May use {code}, {name} and {table} for patterns that group by native error code."""
    title_ko: str = ""
    severity: Severity
    component: Component
    kind: Kind = "root-cause"
    """root-cause ranks above symptom, symptom above generic; noise is never ranked above a real error."""
    confidence: Literal["likely", "possible"] = "likely"
    """possible: a heuristic that reads the user's own numbers (latency, accuracy, input size), not a message
    Furiosa software prints; its findings say so and rank below every likely finding."""
    sdk: str = ""
    """SDK versions the cause exists in, e.g. ">=0.10" or ">=0.7, <0.10"; empty for all."""
    why: str = Field(min_length=10)
    why_ko: str = ""
    fired_by: Literal["rules", "pipeline"] = "rules"
    """rules: the `match` rules fire it (or, with no `match`, `lint` reports it from a model). pipeline: the
    analysis itself reports it and it has no `match` rules (unrecognized-error: a failure that no other pattern
    explains); its examples are checked with no other pattern loaded, and another pattern firing on them is no
    collision."""
    match: list[MatchRule] = Field(default_factory=list)
    """One or more rules (any of them fires the pattern); none when fired_by is pipeline, or for a cause only a
    model shows (it has a `lint` section instead)."""
    supporting: list[MatchRule] = Field(default_factory=list)
    """Evidence attached when the pattern fires; never fires it alone."""
    unless: list[MatchRule] = Field(default_factory=list)
    """Line rules (message, optionally level) that veto this pattern for the whole input when any
    line matches them, e.g. a compile that finished is not a hang."""
    explains: list[str] = Field(default_factory=list)
    """Ids of symptom patterns this cause explains: their findings fold into this one."""
    group_by_code: bool = False
    """One finding per distinct native error code (for the generic fallback)."""
    remediation: list[str] = Field(min_length=1)
    remediation_ko: list[str] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
    checklist_ko: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    """Public pages a user can open (FuriosaAI docs, release notes, forum threads, source files)."""
    lint: LintSection | None = None
    """Set when `warboy-triage lint` reports this cause from an ONNX graph."""
    keywords: list[str] = Field(default_factory=list)
    """Extra words (English and Korean) that `search` should find this cause by."""
    examples: list[str] = Field(default_factory=list)
    """Log excerpts that must produce this finding (at least two when the pattern has match rules)."""
    counterexamples: list[str] = Field(default_factory=list)
    """Near-miss log excerpts that must not produce it."""
    todo_examples: list[str] = Field(default_factory=list)
    """Known gaps: excerpts that should match but do not yet (tests mark them xfail)."""

    @field_validator("sdk")
    @classmethod
    def _valid_range(cls, value: str) -> str:
        from triage.versions import parse_range

        parse_range(value)
        return value

    @field_validator("unless")
    @classmethod
    def _unless_are_line_rules(cls, value: list[MatchRule]) -> list[MatchRule]:
        if any(not rule.is_line_rule for rule in value):
            raise ValueError("unless rules may only use 'message' (and 'level')")
        return value

    @model_validator(mode="after")
    def _no_self_explain(self) -> Pattern:
        if self.id in self.explains:
            raise ValueError("a pattern cannot explain itself")
        if self.fired_by == "rules" and not self.match and self.lint is None:
            raise ValueError(
                "'match' needs at least one rule (only fired_by = \"pipeline\" patterns and lint-only causes with a"
                " [lint] section have none)"
            )
        if self.fired_by == "pipeline" and (self.match or self.supporting or self.unless or self.group_by_code):
            raise ValueError('a fired_by = "pipeline" pattern has no match, supporting or unless rules')
        return self

    @model_validator(mode="after")
    def _log_or_model(self) -> Pattern:
        if self.fired_by == "pipeline":
            return self
        if not self.match:
            if self.lint is None:
                raise ValueError("a pattern needs [[match]] rules, or a [lint] section for a cause only a model shows")
            if self.examples or self.counterexamples or self.supporting or self.unless or self.explains:
                raise ValueError("a lint-only pattern (no [[match]]) takes its examples in [lint], not log fields")
        elif len(self.examples) < 2 or len(self.counterexamples) < 2:
            raise ValueError("a pattern with [[match]] rules needs at least 2 examples and 2 counterexamples")
        return self

    @property
    def reads_logs(self) -> bool:
        return bool(self.match)
