"""`patterns validate` and `patterns test`: maintainers' checks of a patterns directory.

validate: every file loads (schema, regexes, ids unique, `explains` targets exist), titles and
fixes exist in English and Korean, every code a rule names exists, and every native error code
of both tables resolves to a cause or to the generic fallback.
test: validate, then every example must produce its pattern, no counterexample may, and no
pattern may fire on another pattern's examples unless one `explains` the other (lnav-style
collision check; the generic native-error fallback is exempt by design).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from triage import codes
from triage.kb.explain import resolve_code
from triage.kb.loader import KnowledgeBase, PatternError, default_patterns_dir, load, pattern_roots
from triage.kb.schema import Pattern

if TYPE_CHECKING:
    from triage.report import Report


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        tag = "FAIL" if self.severity == "error" else "WARN"
        return f"{tag} {self.where}: {self.message}"


@dataclass
class Result:
    directory: Path
    kb: KnowledgeBase | None = None
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    layers: list[Path] = field(default_factory=list)
    """The directories loaded (the bundled one, then the user's, when no directory was named)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _where(kb: KnowledgeBase, pattern: Pattern) -> str:
    return str(kb.files.get(pattern.id, pattern.id))


def _bundled(kb: KnowledgeBase, pattern: Pattern) -> bool:
    path = kb.files.get(pattern.id)
    return path is not None and path.resolve().is_relative_to(default_patterns_dir().resolve())


def _check_language(kb: KnowledgeBase, out: list[Problem]) -> None:
    for p in kb.patterns:
        if not p.title_ko:
            out.append(Problem(_where(kb, p), "field 'title_ko' is missing (titles come in English and Korean)"))
        if not p.remediation_ko:
            out.append(Problem(_where(kb, p), "field 'remediation_ko' is missing (fixes come in English and Korean)"))
        elif len(p.remediation_ko) != len(p.remediation):
            out.append(Problem(_where(kb, p), "'remediation_ko' needs one step for each step of 'remediation'"))
        # the bundled causes speak both languages everywhere; a user's own pattern may leave these out (a warning)
        strict: Literal["error", "warning"] = "error" if _bundled(kb, p) else "warning"
        if not p.why_ko:
            out.append(
                Problem(_where(kb, p), "field 'why_ko' is missing (the why comes in English and Korean)", strict)
            )
        if len(p.checklist_ko) != len(p.checklist):
            out.append(Problem(_where(kb, p), "'checklist_ko' needs one item for each item of 'checklist'", strict))
        if p.lint is not None and bool(p.lint.why) != bool(p.lint.why_ko):
            out.append(Problem(_where(kb, p), "[lint] 'why' and 'why_ko' come together"))
        if p.lint is not None and len(p.lint.checklist_ko) != len(p.lint.checklist):
            out.append(Problem(_where(kb, p), "[lint] 'checklist_ko' needs one item for each item of 'checklist'"))
        if not p.keywords:
            out.append(Problem(_where(kb, p), "no 'keywords': `search` can only find it by its text", "warning"))


def _check_code_refs(kb: KnowledgeBase, out: list[Problem]) -> None:
    """A code rule naming a code or name that no table has is a typo that silently never fires."""
    for p in kb.patterns:
        for rule in [*p.match, *p.supporting]:
            for ref in rule.code or []:
                table, _, code = ref.partition(":")
                if code == "*":
                    continue
                tables = list(codes.TABLES) if table == "*" else [table]
                known = any(
                    (code.isdigit() and int(code) in codes.TABLES[t])
                    or any(e.name == code for e in codes.TABLES[t].values())
                    for t in tables
                )
                if not known:
                    out.append(
                        Problem(
                            _where(kb, p),
                            f"code '{ref}' is in no native error code table (see `warboy-triage explain <number>`)",
                        )
                    )


def _check_coverage(kb: KnowledgeBase, out: list[Problem], counts: dict[str, int]) -> None:
    n = 0
    for table, entries in codes.TABLES.items():
        for code in entries:
            n += 1
            if not resolve_code(kb, table, code).resolved:
                out.append(
                    Problem(
                        "(coverage)",
                        f"{table} native error code {code} ({entries[code].name}) "
                        "resolves to no cause and there is no group_by_code fallback pattern",
                    )
                )
    counts["native codes"] = n


def _check_backtracking(kb: KnowledgeBase, out: list[Problem]) -> None:
    """Regexes that backtrack catastrophically on long adversarial lines (see kb/redos.py)."""
    from triage.kb.redos import check_regex

    for p in kb.patterns:
        rules = [*p.match, *p.supporting, *getattr(p, "unless", [])]
        for field_name in ("message", "exception", "exception_message"):
            for value in dict.fromkeys(getattr(r, field_name) for r in rules if getattr(r, field_name)):
                problem = check_regex(value)
                if problem:
                    out.append(Problem(_where(kb, p), f"{field_name} regex {value!r}: {problem}"))


def _check_code_tables(out: list[Problem], counts: dict[str, int]) -> codes.CodeTables | None:
    """triage/data/native_codes.toml loads (every code an integer with a name, once per table) and
    every table has examples of its own."""
    try:
        tables = codes.load_tables(codes.DATA)
    except codes.CodeTableError as exc:
        out.append(Problem(str(codes.DATA), str(exc).split(": ", 1)[-1]))
        return None
    for table in codes.TABLE_NAMES:
        if not any(x.get("table") == table for x in tables.examples):
            out.append(Problem(str(codes.DATA), f"no example for the {table} table"))
    counts["code examples"] = len(tables.examples)
    return tables


def _check_code_examples(tables: codes.CodeTables, out: list[Problem]) -> None:
    """Each example line is read as its table, code and name (and not as both tables)."""
    from triage.pipeline import analyze_text

    for i, x in enumerate(tables.examples, 1):
        want = (x.get("code"), x.get("table"), x.get("name"))
        got = [(c.code, c.table, c.name) for c in analyze_text(str(x.get("text", ""))).error_codes]
        if got != [want]:
            out.append(
                Problem(str(codes.DATA), f"example {i} is read as {got or 'no native error code'}, not {[want]}")
            )


def validate(directory: Path | None = None) -> Result:
    """`directory` alone, or (None) the bundled patterns with the user's directory over them."""
    root = directory or default_patterns_dir()
    result = Result(directory=root)
    try:
        result.layers = pattern_roots(directory)
        kb = load(directory)
    except PatternError as exc:
        for line in str(exc).splitlines():
            where, sep, message = line.partition(": ")
            result.problems.append(Problem(where, message) if sep else Problem(str(root), line))
        return result
    result.kb = kb
    result.counts["patterns"] = len(kb.patterns)
    _check_language(kb, result.problems)
    _check_code_refs(kb, result.problems)
    _check_coverage(kb, result.problems, result.counts)
    _check_backtracking(kb, result.problems)
    _check_code_tables(result.problems, result.counts)
    return result


def _related(a: Pattern, b: Pattern) -> bool:
    return b.id in a.explains or a.id in b.explains


def _finding_ids(kb: KnowledgeBase, text: str) -> list[str]:
    from triage.pipeline import analyze_text

    return [f.id for f in analyze_text(text, kb=kb).findings]


class FastPaths:
    """The default CLI reads through the fast scan, which feeds only the lines that hold a rule's or a
    parser's literal. Every example runs through it too (each installed backend, a real scanner even
    for short text): a prefilter that misses an example's line fails here, not silently in the field."""

    def __init__(self, kb: KnowledgeBase, sample: bytes) -> None:
        from triage.fastpath import ScannerCache, resolve_backend
        from triage.scan import BACKENDS

        self.kb = kb
        self.caches = []
        for backend in BACKENDS:
            if backend == "auto":
                continue
            chosen, note = resolve_backend(backend)
            if note is None and chosen == backend:
                cache = ScannerCache(backend, kb)
                cache.get(sample)
                self.caches.append(cache)

    def reports(self, text: str) -> dict[str, Report]:
        """The report of `text` read through each backend's fast scan."""
        from triage.pipeline import analyze_streams
        from triage.reader import Source
        from triage.scan import scan_blocks

        data = text.encode("utf-8")
        out: dict[str, Report] = {}
        for cache in self.caches:
            source = Source(name="<example>", bytes_read=len(data))
            scanner = cache.scanner
            assert scanner is not None
            out[cache.backend] = analyze_streams([(source, scan_blocks([data], source, scanner))], self.kb)
        return out

    def finding_ids(self, text: str) -> dict[str, list[str]]:
        return {backend: [f.id for f in report.findings] for backend, report in self.reports(text).items()}


def _check_fast_path(
    fast: FastPaths, where: str, what: str, text: str, line_ids: list[str], out: list[Problem]
) -> None:
    for backend, ids in fast.finding_ids(text).items():
        if sorted(ids) != sorted(line_ids):
            out.append(
                Problem(
                    where,
                    f"{what}: the fast scan ({backend}) finds {', '.join(ids) or 'nothing'} but reading every line"
                    f" finds {', '.join(line_ids) or 'nothing'}: a prefilter literal misses a line"
                    f"\n    {_key_line(text)}",
                )
            )


def run_tests(directory: Path | None = None) -> Result:
    result = validate(directory)
    kb = result.kb
    if kb is None:
        return result
    out = result.problems
    n_examples = n_counter = 0
    sample = "\n".join(t for p in kb.patterns for t in [*p.examples, *p.counterexamples]).encode()
    fast = FastPaths(kb, sample)
    for p in kb.patterns:
        where = _where(kb, p)
        # the safety net's examples are failures as the pipeline sees them with no other cause (a
        # user pattern may well explain them: then they are no collision, just a known failure)
        own = KnowledgeBase([p], {p.id: kb.files.get(p.id, Path(p.id))}) if p.fired_by == "pipeline" else kb
        for i, text in enumerate(p.examples, 1):
            n_examples += 1
            ids = _finding_ids(kb, text)
            _check_fast_path(fast, where, f"example {i}", text, ids, out)
            if own is not kb:
                ids = _finding_ids(own, text)
            if p.id not in ids:
                out.append(
                    Problem(
                        where,
                        f"example {i} does not produce '{p.id}' (got: {', '.join(ids) or 'nothing'})"
                        f"\n    {_key_line(text)}",
                    )
                )
            for other_id in ids:
                other = kb.get(other_id)
                if other is None or other.id == p.id or other.group_by_code or _related(p, other):
                    continue
                if other.fired_by == "pipeline":  # the safety net: a failure line that p leaves unexplained
                    out.append(
                        Problem(
                            where,
                            f"example {i} also holds a failure that no pattern explains ('{other.id}'); "
                            f"cover it or cut it from the example\n    {_key_line(text)}",
                            "warning",
                        )
                    )
                    continue
                out.append(
                    Problem(
                        str(kb.files.get(other.id, other.id)),
                        f"collision: '{other.id}' fires on example {i} of '{p.id}' ({where}); narrow "
                        f"one of them, or declare the relation with `explains`\n    {_key_line(text)}",
                    )
                )
        for i, text in enumerate(p.counterexamples, 1):
            n_counter += 1
            counter_ids = _finding_ids(kb, text)
            _check_fast_path(fast, where, f"counterexample {i}", text, counter_ids, out)
            if own is not kb:
                counter_ids = _finding_ids(own, text)
            if p.id in counter_ids:
                out.append(Problem(where, f"counterexample {i} produces '{p.id}'\n    {_key_line(text)}"))
        for i, text in enumerate(p.todo_examples, 1):
            if p.id in _finding_ids(kb, text):
                out.append(Problem(where, f"todo example {i} now matches: move it to 'examples'", "warning"))
    result.counts["examples"] = n_examples
    result.counts["counterexamples"] = n_counter
    result.counts["fast-scan backends"] = len(fast.caches)
    tables = _check_code_tables([], {})
    if tables is not None:
        _check_code_examples(tables, out)
    _run_lint_examples(kb, result)
    _check_paste_markers(result)
    _check_banners(kb, fast, result)
    return result


def _run_lint_examples(kb: KnowledgeBase, result: Result) -> None:
    """[lint] examples are ONNX graphs, not log lines: lint each one. Other lint causes may fire on the same graph
    (a float CNN is also too large, say), so there is no collision check here."""
    from triage.lint.examples import lint_text
    from triage.lint.graph import MISSING_EXTRA, LintError

    lints = [p for p in kb.patterns if p.lint is not None]
    if not lints:
        return
    try:
        import onnx  # noqa: F401
    except ImportError:
        result.problems.append(Problem("(lint examples)", f"not run: {MISSING_EXTRA}", "warning"))
        return
    n_examples = n_counter = 0
    for p in lints:
        assert p.lint is not None
        where = _where(kb, p)
        for label, texts, want in (
            ("example", p.lint.examples, True),
            ("counterexample", p.lint.counterexamples, False),
        ):
            for i, text in enumerate(texts, 1):
                n_examples, n_counter = (n_examples + 1, n_counter) if want else (n_examples, n_counter + 1)
                try:
                    ids = lint_text(text, kb, f"lint {label} {i}")
                except LintError as exc:
                    result.problems.append(Problem(where, str(exc)))
                    continue
                if (p.id in ids) != want:
                    got = ", ".join(ids) or "nothing"
                    verb = "does not produce" if want else "produces"
                    result.problems.append(Problem(where, f"lint {label} {i} {verb} '{p.id}' (got: {got})"))
    result.counts["lint examples"] = n_examples
    result.counts["lint counterexamples"] = n_counter


def _check_paste_markers(result: Result) -> None:
    """triage/data/paste_markers.toml: examples split off whole, near misses do not split."""
    from triage.paste import MARKERS_FILE, check_markers

    problems, checked = check_markers()
    result.problems.extend(Problem(f"{MARKERS_FILE.name} [{where}]", message) for where, message in problems)
    result.counts["paste-marker texts"] = checked


def _check_banners(kb: KnowledgeBase, fast: FastPaths, result: Result) -> None:
    """triage/data/banners.toml: every rule compiles; each example gives exactly its versions, read line by
    line and through each fast scan; a near miss stays clear of its own rule."""
    from triage.parsers.versions import BANNERS_PATH, BannerError, load_banners
    from triage.pipeline import analyze_text

    try:
        rules = load_banners(compile_now=True).rules
    except BannerError as exc:
        result.problems.append(Problem(BANNERS_PATH.name, str(exc)))
        return
    checked = 0
    for rule in rules:
        where = f"{BANNERS_PATH.name} [{rule.id}]"
        for i, (line, want) in enumerate(rule.examples, 1):
            checked += 1
            expected = dict(want)
            paths = {"every line": analyze_text(line, kb=kb), **fast.reports(line)}
            for path, report in paths.items():
                got = {name: info.version for name, info in report.versions.items()}
                if got != expected:
                    result.problems.append(
                        Problem(where, f"example {i} ({path}) gives {got or 'nothing'}, not {expected}\n    {line}")
                    )
        for i, line in enumerate(rule.near_misses, 1):
            checked += 1
            if rule.regex.search(line):
                result.problems.append(Problem(where, f"near miss {i} matches the rule\n    {line}"))
    result.counts["banner lines"] = checked


def _key_line(text: str, width: int = 110) -> str:
    """The last non-empty line of an example: in a traceback that is the exception itself."""
    line = next((ln for ln in reversed(text.splitlines()) if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def summary(result: Result, verb: str) -> str:
    parts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    lines = [str(p) for p in result.problems]
    errors, warnings = len(result.errors), len(result.problems) - len(result.errors)
    status = "ok" if result.ok else "FAILED"
    where = " + ".join(str(p) for p in result.layers) or str(result.directory)
    lines.append(
        f"patterns {verb} {where}: {status} ({parts or 'nothing loaded'}; "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''})"
    )
    return "\n".join(lines) + "\n"


def listing(kb: KnowledgeBase) -> list[dict]:
    from triage.kb.explain import claimed_codes

    return [
        {
            "id": p.id,
            "severity": p.severity,
            "kind": p.kind,
            "component": p.component,
            "sdk": p.sdk,
            "codes": [f"{t}:{e.code}" for t, e in claimed_codes(kb, p)],
            "title": _listed_title(p.title, "en") if p.group_by_code else p.title,
            "title_ko": _listed_title(p.title_ko, "ko") if p.group_by_code else p.title_ko,
            "file": str(kb.files.get(p.id, "")),
        }
        for p in kb.patterns
    ]


# A per-code title is a template ("Native error code {code}: {name} ({table})"); a listing has no code to fill in.
_TEMPLATE_WORDS = {
    "en": {"code": "N", "name": "any code no specific cause claims", "table": "runtime or compiler"},
    "ko": {"code": "N", "name": "구체적인 원인이 없는 모든 코드", "table": "runtime 또는 compiler"},
}


def _listed_title(template: str, lang: str) -> str:
    from triage.matcher import fill

    return fill(template, _TEMPLATE_WORDS[lang]) if template else template


def render_listing(kb: KnowledgeBase, lang: str = "en") -> str:
    rows = listing(kb)
    width = max((len(r["id"]) for r in rows), default=2)
    out = []
    for r in rows:
        title = r["title_ko"] if lang == "ko" and r["title_ko"] else r["title"]
        codes_txt = f" [{', '.join(r['codes'])}]" if r["codes"] else ""
        out.append(f"{r['id']:<{width}}  {r['severity']:<7}  {r['kind']:<10}  {title}{codes_txt}")
    out.append(f"{len(rows)} patterns")
    return "\n".join(out) + "\n"


def render_listing_markdown(kb: KnowledgeBase, lang: str = "en") -> str:
    """docs/causes.md: every cause the knowledge base knows, as a table (kept true by a test)."""
    rows = listing(kb)
    out = [
        "# Causes the knowledge base knows" if lang == "en" else "# 지식 베이스가 아는 원인",
        "",
        "Generated by `warboy-triage patterns list --format markdown`; do not edit by hand."
        " `warboy-triage explain ID` shows one in full.",
        "",
        "| id | severity | kind | component | native codes | title |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        title = r["title_ko"] if lang == "ko" and r["title_ko"] else r["title"]
        codes_txt = ", ".join(r["codes"])
        cells = [f"`{r['id']}`", r["severity"], r["kind"], r["component"], codes_txt, title]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    out.append("")
    out.append(f"{len(rows)} causes.")
    return "\n".join(out) + "\n"


def check_new_pattern(kb: KnowledgeBase, pattern: Pattern) -> list[str]:
    """What `patterns test` would say about adding `pattern` to `kb`: its examples must produce it,
    its counterexamples must not, it must not fire on another pattern's examples, and its regexes
    must not backtrack catastrophically."""
    from triage.kb.redos import check_regex

    trial = KnowledgeBase([*(p for p in kb.patterns if p.id != pattern.id), pattern], dict(kb.files), list(kb.roots))
    problems = []
    for i, text in enumerate(pattern.examples, 1):
        ids = _finding_ids(trial, text)
        if pattern.id not in ids:
            problems.append(f"example {i} does not produce '{pattern.id}' (got: {', '.join(ids) or 'nothing'})")
    for i, text in enumerate(pattern.counterexamples, 1):
        if pattern.id in _finding_ids(trial, text):
            problems.append(f"counterexample {i} produces '{pattern.id}'")
    for other in kb.patterns:
        if other.id == pattern.id or other.fired_by == "pipeline" or _related(pattern, other):
            continue
        for i, text in enumerate(other.examples, 1):
            if pattern.id in _finding_ids(trial, text):
                problems.append(f"collision: it fires on example {i} of '{other.id}'; narrow its regex")
    for rule in pattern.match:
        for value in (rule.message, rule.exception, rule.exception_message):
            problem = check_regex(value) if value else None
            if problem:
                problems.append(f"regex {value!r}: {problem}")
    return problems
