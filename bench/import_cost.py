"""What `import triage` and the integrations add to start-up, and what the first analysis costs.

Each figure is measured inside --runs fresh interpreters and the fastest run is kept (the one
least disturbed by other load on a shared machine):

    import ...              Python's own -X importtime cumulative figure for the module
                            (triage.pytest_plugin: with pytest already imported, as pytest loads it)
    first analyze (cache)   triage.analyze() of one traceback right after `import triage`: the core
                            imports plus the knowledge base from the user cache
    first analyze (no cache) the same with WARBOY_TRIAGE_NO_CACHE=1 (pattern TOML parsed and validated)
    next analyze            a second call in the same process (the knowledge base is loaded once)

It also lists the modules `import triage` loads.

    python bench/import_cost.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACEBACK = "furiosa.runtime.errors.DeviceBusy: NPU device busy (native error code: 23)"
IMPORTS = [("triage", ""), ("triage.hook", ""), ("triage.pytest_plugin", "import pytest; "), ("triage.api", "")]
TIMED = f"""
import time, triage
t0 = time.perf_counter(); triage.analyze({TRACEBACK!r}); t1 = time.perf_counter()
triage.analyze({TRACEBACK!r}); t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached, not compiled every run
    return subprocess.run([sys.executable, *args], env=full_env, capture_output=True, text=True, check=True)


def importtime(module: str, before: str, runs: int) -> float:
    """Fastest cumulative -X importtime figure of `module` (imported after `before`), in seconds."""
    times = []
    for _ in range(runs):
        for line in _run(["-X", "importtime", "-c", f"{before}import {module}"]).stderr.splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]  # self | cumulative | name
            if len(parts) == 3 and parts[2] == module:
                times.append(int(parts[1]) / 1e6)
    return min(times)


def first_analyze(env: dict[str, str], runs: int) -> tuple[float, float]:
    pairs = [tuple(map(float, _run(["-c", TIMED], env).stdout.split())) for _ in range(runs)]
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    os.environ.pop("WARBOY_TRIAGE_NO_CACHE", None)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache  # its own knowledge-base cache: other runs do not evict it
        report(runs)


def report(runs: int) -> None:
    _run(["-c", TIMED])  # fill the knowledge-base cache
    print(f"python {sys.version.split()[0]}, fastest of {runs} fresh interpreters")
    for module, before in IMPORTS:
        note = "  (pytest already imported)" if before else ""
        print(f"{'import ' + module:<28} {importtime(module, before, runs) * 1000:8.1f} ms{note}")
    cached, again = first_analyze({}, runs)
    uncached, _ = first_analyze({"WARBOY_TRIAGE_NO_CACHE": "1"}, runs)
    print(f"{'first analyze (cache)':<28} {cached * 1000:8.1f} ms")
    print(f"{'first analyze (no cache)':<28} {uncached * 1000:8.1f} ms")
    print(f"{'next analyze':<28} {again * 1000:8.1f} ms")
    probe = "import sys; before = set(sys.modules); import triage; print(sorted(set(sys.modules) - before))"
    print(f"modules `import triage` loads: {_run(['-c', probe]).stdout.strip()}")


if __name__ == "__main__":
    main()
