"""The public Python API: analyze, explain, search. The CLI and the notebook, pytest and
excepthook integrations all come through here, so there is one way into the analysis.

`import triage` does not load this module: the first public name does (not pydantic, which the
report types need only to validate outside data or give their schema). The pipeline and the
knowledge base are loaded on the first call, the knowledge base once per process and patterns
directory (again when a pattern file changes).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Union

from triage.report import Report as _CoreReport

if TYPE_CHECKING:
    from triage.kb import KnowledgeBase
    from triage.kb.explain import Explanation as _KbExplanation
    from triage.reader import LineReader

Lang = Literal["en", "ko"]
LANGS: tuple[str, ...] = ("en", "ko")
PathArg = Union[str, "os.PathLike[str]"]
# What analyze() reads: log text, raw bytes, a file path, or lines (str) from any iterable.
Input = Union[str, bytes, "os.PathLike[str]", Iterable[str]]

DEFAULT_MAX_EVIDENCE = 20
_KB_MEMO: dict[str, tuple[tuple[tuple[str, int, int], ...], KnowledgeBase]] = {}


def _check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang  # type: ignore[return-value]


def _stamp(root: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every pattern file (the user's pattern directory too, see
    triage.kb.loader.pattern_roots): a changed stamp means the memo is stale."""
    from triage.kb.loader import PatternError, pattern_roots

    try:
        files = sorted(f for r in pattern_roots(root) for f in r.rglob("*.toml"))
        return tuple((str(f), st.st_size, st.st_mtime_ns) for f in files for st in [f.stat()])
    except (OSError, PatternError):  # load_cached() says what is wrong
        return ()


def knowledge_base(patterns: PathArg | None = None) -> KnowledgeBase:
    """The validated knowledge base (bundled, or the given patterns directory).

    Loaded once per process and directory, and again when a pattern file changes (a long notebook
    session sees edits). Raises triage.PatternError naming the file and field when a pattern file is bad."""
    from triage.kb.cache import load_cached

    root = Path(patterns) if patterns is not None else None
    key = str(root.resolve()) if root is not None else ""
    stamp = _stamp(root)
    memo = _KB_MEMO.get(key)
    if memo is not None and memo[0] == stamp:
        return memo[1]
    kb = load_cached(root)
    _KB_MEMO[key] = (stamp, kb)
    return kb


# The report: the fields and JSON of the `--format json` contract, plus rendering. A subclass of
# triage.report.Report that adds no field (and no docstring, which would enter the JSON Schema):
# Report.model_json_schema() is schema/report.schema.json; model_validate_json() reads saved JSON back.
@dataclass(kw_only=True, eq=False)
class Report(_CoreReport):
    _lang: ClassVar[str] = "en"  # analyze(lang=...): render()'s default, set per report; not part of the JSON

    @property
    def lang(self) -> str:
        """The language render() uses unless told otherwise (the report itself holds both)."""
        return self._lang

    def render(self, fmt: Literal["text", "markdown", "json"] = "text", *, lang: Lang | None = None) -> str:
        """The report as `warboy-triage analyze --format FMT` prints it (text without colour)."""
        from triage.render import get_renderer

        if fmt not in ("text", "markdown", "json"):
            raise ValueError(f"unknown format {fmt!r}; choose from text, markdown, json")
        return get_renderer(fmt)(self, lang=_check_lang(lang or self._lang), color=False)

    def _repr_markdown_(self) -> str:  # Jupyter shows a report as its markdown
        return self.render("markdown")

    @classmethod
    def of(cls, report: _CoreReport, lang: Lang = "en") -> Report:
        """The public Report for a core one (shares its values; no copy, no validation)."""
        out = (
            report
            if type(report) is cls
            else cls(**{name: getattr(report, name) for name in report.__dataclass_fields__})
        )
        out._lang = _check_lang(lang)  # type: ignore[misc]
        return out  # type: ignore[return-value]


def analyze_paths(
    paths: Iterable[str | None],
    *,
    kb: KnowledgeBase,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
    backend: str | None = "auto",
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    line_reader: LineReader | None = None,
    max_bytes: int | None = None,
) -> Report:
    """Files (None or '-' for stdin) through the pipeline: what `warboy-triage analyze` and analyze(Path) run.

    backend 'auto' uses the fast scan when it pays (same report as line by line, None).
    max_bytes: the read budget of each input (None: reader.DEFAULT_MAX_BYTES; 0: no limit)."""
    from triage.pipeline import analyze as run_pipeline
    from triage.reader import DEFAULT_MAX_BYTES

    report = run_pipeline(
        paths,
        kb,
        max_evidence=max_evidence,
        backend=backend,
        jobs=jobs,
        progress=progress,
        line_reader=line_reader,
        max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
    )
    return Report.of(report)


def _lines_stream(lines: Iterable[str], name: str) -> tuple[Any, Iterator[Any]]:
    """A (Source, Lines) stream over caller-given lines, cleaned and split like a file's lines.
    An item that holds several lines (a whole stdout, `[out, err]`) is cut at its newlines."""
    from triage.reader import Source, pieces_of

    source = Source(name=name)

    def gen() -> Iterator[Any]:
        no = 0
        for item_no, item in enumerate(lines, 1):
            if not isinstance(item, str):
                raise TypeError(f"analyze(lines): line {item_no} is {type(item).__name__}, not str")
            data = item.encode("utf-8", errors="surrogateescape")
            pieces = data.split(b"\n")
            if data.endswith(b"\n"):
                pieces.pop()  # a line's own newline ends it, it does not start another
            for raw in pieces:
                no += 1
                source.lines = no
                source.bytes_read += len(raw) + 1
                yield from pieces_of(no, raw, source)  # a line past the cut is re-split or cut, as in a file

    return source, gen()


def _bytes_stream(data: bytes, name: str, kb: KnowledgeBase) -> tuple[Any, Iterator[Any]]:
    """Large text goes through the fast scan, as a file does (line by line, 20 MB took minutes)."""
    from itertools import chain

    from triage.fastpath import SMALL, ScannerCache, resolve_backend
    from triage.reader import Source, iter_blocks, iter_lines
    from triage.scan import scan_blocks

    source = Source(name=name)
    if len(data) < SMALL:
        return source, iter_lines(io.BytesIO(data), source)
    blocks = iter_blocks(io.BytesIO(data), source)

    def gen() -> Iterator[Any]:
        first = next(blocks, b"")
        # a first line longer than the reader's cut comes as a LongLine: the scanner then samples nothing
        scanner = ScannerCache(resolve_backend("auto")[0], kb).get(first if isinstance(first, bytes) else b"")
        yield from scan_blocks(chain([first], blocks), source, scanner)

    return source, gen()


def analyze(
    source: Input,
    *,
    lang: Lang = "en",
    name: str | None = None,
    patterns: PathArg | None = None,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> Report:
    """Diagnose a log, a traceback or any text a Warboy tool printed; returns the Report.

    source: a str is the text itself; bytes are raw log bytes (gzip too); a pathlib.Path (any
    os.PathLike) is a file to read (plain or .gz); any other iterable yields lines (str).
    lang: the language Report.render() uses by default (the report holds both languages).
    name: how text, bytes or lines are named in the report (default `<text>`, `<bytes>`, `<lines>`);
    a file is named by its path.
    Raises triage.ReaderError for an unreadable file and ValueError/TypeError for bad arguments."""
    from triage.pipeline import analyze_streams

    _check_lang(lang)
    if max_evidence < 1:
        raise ValueError("max_evidence must be at least 1")
    kb = knowledge_base(patterns)
    if isinstance(source, str):
        stream = _bytes_stream(source.encode("utf-8", errors="surrogateescape"), name or "<text>", kb)
        report = analyze_streams([stream], kb, max_evidence)
        _hint_path(report, source)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        report = analyze_streams([_bytes_stream(bytes(source), name or "<bytes>", kb)], kb, max_evidence)
    elif isinstance(source, os.PathLike):
        report = analyze_paths([os.fspath(source)], kb=kb, max_evidence=max_evidence)
    elif isinstance(source, Iterable) and not isinstance(source, Mapping):
        report = analyze_streams([_lines_stream(source, name or "<lines>")], kb, max_evidence)
    else:
        raise TypeError(f"analyze() reads str, bytes, a path or an iterable of str, not {type(source).__name__}")
    return Report.of(report, lang)


def _hint_path(report: _CoreReport, text: str) -> None:
    """A str is text, never a path: say so when the text looks like the name of a file."""
    if "\n" in text or len(text) > 4096 or report.findings:
        return
    try:
        is_file = os.path.isfile(text.strip())
    except (OSError, ValueError):
        return
    if is_file:
        report.notes.append(
            "the text given is the name of an existing file; a str is analysed as text: pass pathlib.Path(...) "
            "to read the file"
        )


# -- explain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """What `explain` knows about a cause id, a native error code or an exception name.

    `data` is the `warboy-triage explain --format json` record (query, note, patterns, codes)."""

    query: str
    data: dict[str, Any]
    lang: Lang = "en"
    _answer: Any = field(default=None, repr=False, compare=False)
    _kb: Any = field(default=None, repr=False, compare=False)

    @property
    def cause_ids(self) -> list[str]:
        """Ids of the causes the query resolves to (patterns, then code causes or fallbacks)."""
        ids = [p["id"] for p in self.data["patterns"]]
        for code in self.data["codes"]:
            ids += [c["id"] for c in code["causes"]]
            if code["fallback"]:
                ids.append(code["fallback"]["id"])
        return list(dict.fromkeys(ids))

    def render(self, fmt: Literal["text", "markdown", "json"] = "text", *, lang: Lang | None = None) -> str:
        from triage.kb.explain_render import RENDERERS

        if fmt not in RENDERERS:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}")
        return RENDERERS[fmt](self._kb, self._answer, lang=_check_lang(lang or self.lang))

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def __str__(self) -> str:
        return self.render("text")

    def _repr_markdown_(self) -> str:
        return self.render("markdown")


def explain(query: str | int, *, lang: Lang = "en", patterns: PathArg | None = None) -> Explanation:
    """Explain a cause id ("device-busy"), a native error code (15, "compiler:9") or a code or
    exception name ("OUT_OF_SRAM", "DeviceBusy"). Raises triage.UnknownQuery (a LookupError whose
    `suggestions` lists the closest ids and names) when nothing matches."""
    from triage.kb.explain import lookup
    from triage.kb.explain_render import to_dict

    if not isinstance(query, (str, int)) or isinstance(query, bool):
        raise TypeError(f"explain() takes a cause id, a code or a name (str or int), not {type(query).__name__}")
    _check_lang(lang)
    kb = knowledge_base(patterns)
    answer: _KbExplanation = lookup(kb, str(query))
    return Explanation(query=answer.query, data=to_dict(kb, answer), lang=lang, _answer=answer, _kb=kb)


# -- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One cause ranked for a symptom; the fields of `warboy-triage search --format json` results."""

    rank: int
    id: str
    title: str
    title_ko: str
    severity: str
    kind: str
    score: float
    matched: dict[str, list[str]]
    """Query word -> the fields of the cause it was found in."""


@dataclass(frozen=True)
class SearchResult:
    """The ranked causes for a query; iterate it, or render it like the CLI does."""

    query: str
    hits: list[SearchHit]
    lang: Lang = "en"
    _raw: Any = field(default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> SearchHit:
        return self.hits[i]

    def to_dict(self) -> dict[str, Any]:
        from triage.kb.search import to_dict

        return to_dict(self.query, self._raw)

    def render(self, fmt: Literal["text", "markdown", "json"] = "text", *, lang: Lang | None = None) -> str:
        import json

        from triage.kb import search as kb_search

        lang = _check_lang(lang or self.lang)
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "markdown":
            return kb_search.render_markdown(self.query, self._raw, lang)
        if fmt == "text":
            return kb_search.render_text(self.query, self._raw, lang)
        raise ValueError(f"unknown format {fmt!r}; choose from text, markdown, json")

    def __str__(self) -> str:
        return self.render("text")

    def _repr_markdown_(self) -> str:
        return self.render("markdown")


def search(query: str, *, limit: int = 5, lang: Lang = "en", patterns: PathArg | None = None) -> SearchResult:
    """Rank the causes that match a symptom in English or Korean ("slow inference", "정확도")."""
    from triage.kb import search as kb_search

    if not isinstance(query, str):
        raise TypeError(f"search() takes the symptom as a str, not {type(query).__name__}")
    _check_lang(lang)
    if limit < 1:
        raise ValueError("limit must be at least 1")
    raw = kb_search.search(knowledge_base(patterns), query, limit=limit)
    record = kb_search.to_dict(query, raw)
    hits = [SearchHit(**{k: r[k] for k in SearchHit.__dataclass_fields__}) for r in record["results"]]
    return SearchResult(query=query, hits=hits, lang=lang, _raw=raw)
