"""warboy-triage: diagnose FuriosaAI Warboy NPU logs.

    import triage
    report = triage.analyze(log_text)          # or a pathlib.Path, bytes, or lines
    triage.explain(15); triage.search("device busy")

The public names load on first use (PEP 562), so `import triage` stays cheap; docs/api.md
lists them and what may change with Report.schema_version.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing (and re with it) is most of the cost
if TYPE_CHECKING:
    from typing import Any

    from triage.api import Explanation, Report, SearchHit, SearchResult, analyze, explain, knowledge_base, search
    from triage.kb.explain import UnknownQuery
    from triage.kb.loader import PatternError
    from triage.reader import ReaderError
    from triage.report import SCHEMA_VERSION, Finding

# public name -> module that defines it
_LAZY = {
    "analyze": "triage.api",
    "explain": "triage.api",
    "search": "triage.api",
    "knowledge_base": "triage.api",
    "Explanation": "triage.api",
    "SearchHit": "triage.api",
    "SearchResult": "triage.api",
    "Report": "triage.api",
    "Finding": "triage.report",
    "SCHEMA_VERSION": "triage.report",
    "UnknownQuery": "triage.kb.explain",
    "PatternError": "triage.kb.loader",
    "ReaderError": "triage.reader",
}

__all__ = [
    "SCHEMA_VERSION",
    "Explanation",
    "Finding",
    "PatternError",
    "ReaderError",
    "Report",
    "SearchHit",
    "SearchResult",
    "UnknownQuery",
    "__version__",
    "analyze",
    "explain",
    "knowledge_base",
    "load_ipython_extension",
    "search",
    "unload_ipython_extension",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'triage' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext triage`: diagnose Warboy failures after a cell's traceback; adds %triage / %%triage."""
    from triage.ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext triage`: remove the hook and leave exceptions as IPython shows them."""
    from triage.ipython import unload_ipython_extension as unload

    unload(ipython)
