"""The pickled knowledge-base cache: same knowledge base, rebuilt on edits, never read from an unsafe place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES, ROOT
from triage import datacache
from triage.kb import cache
from triage.pipeline import analyze


def _patterns_copy(tmp_path):  # type: ignore[no-untyped-def]
    return shutil.copytree(ROOT / "patterns", tmp_path / "patterns")


def test_cached_kb_gives_the_same_report(tmp_path, monkeypatch, kb) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = cache.load_cached()
    assert list(cache.cache_dir().glob("kb-*.pickle"))
    second = cache.load_cached()
    assert second is not first  # came from the pickle
    log = str(next(FIXTURES.glob("*.log")))
    want = analyze([log], kb).model_dump_json()
    assert analyze([log], second).model_dump_json() == want


def test_edit_to_a_pattern_file_is_seen(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    patterns = _patterns_copy(tmp_path)
    cache.load_cached(patterns)
    victim = sorted(patterns.glob("*.toml"))[0]
    text = victim.read_text()
    victim.write_text(text.replace('title = "', 'title = "Edited: ', 1))
    kb = cache.load_cached(patterns)
    assert any(p.title.startswith("Edited: ") for p in kb.patterns)


def test_cache_in_a_shared_directory_is_not_read(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache.load_cached()
    folder = cache.cache_dir()
    folder.chmod(0o777)
    loaded = []
    monkeypatch.setattr(datacache.pickle, "load", lambda f: loaded.append(f))
    cache.load_cached()
    assert loaded == []


def test_cached_kb_matches_without_parsing_a_regex(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The RE2 twins of every line rule come from the cache: a small log pays no KB-wide regex parsing."""
    from triage import engine
    from triage.matcher import Matcher

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    cache.load_cached()
    kb = cache.load_cached()
    assert kb.twins  # came from the pickle with the twins in it
    engine.searcher.cache_clear()
    engine.line_rules.cache_clear()

    def parsed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a regex was parsed at run time")

    for name in ("twins", "lookahead_conjunction", "relaxed"):
        monkeypatch.setattr(engine, name, parsed)
    matcher = Matcher(kb)
    fired = set()
    for log in sorted(FIXTURES.glob("*.log")):
        for no, line in enumerate(log.read_text(errors="replace").splitlines(), 1):
            fired.update(matcher.feed(no, line, log.name, None))
    assert fired  # the rules ran and matched


def test_derived_data_is_rebuilt_when_its_file_changes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    source = tmp_path / "table.toml"
    source.write_text("a = 1\n")
    builds: list[int] = []

    def build() -> tuple[int, ...]:
        builds.append(1)
        return (len(source.read_text()),)

    assert cache.derived("t", [source], build, tuple) == (6,)
    assert cache.derived("t", [source], build, tuple) == (6,) and len(builds) == 1  # from the pickle
    source.write_text("a = 12\n")
    assert cache.derived("t", [source], build, tuple) == (7,) and len(builds) == 2
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    assert cache.derived("t", [source], build, tuple) == (7,) and len(builds) == 3


def test_banner_literals_come_from_the_cache(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triage.parsers import versions

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    versions.rule_literals.cache_clear()
    try:
        first = versions.rule_literals()
        assert len(first) == len(versions.banners().rules) and None not in first
        versions.rule_literals.cache_clear()

        def parsed() -> None:
            raise AssertionError("banner regexes parsed again")

        monkeypatch.setattr(versions, "_derive_rule_literals", parsed)
        assert versions.rule_literals() == first
    finally:
        versions.rule_literals.cache_clear()


def test_a_second_run_parses_no_toml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The knowledge base, the native code tables, the paste markers and the version banners all come
    from the cache once it is filled: a run then never imports the TOML parser (start-up, issue 14)."""
    code = (
        "import sys, io, contextlib\n"
        "from triage.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main([{str(FIXTURES / 'device-busy.log')!r}])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('tomllib' in sys.modules, 'tomli' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != cache.ENV_DISABLE}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT) for _ in "12"
    ]
    assert "True" in runs[0].stdout.split()  # the first run parses the files (tomllib, or tomli on 3.10)
    assert runs[1].stdout.split() == ["False", "False"], runs[1].stdout + runs[1].stderr


def test_a_scanner_is_built_from_cached_twins(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second run to build a scanner (either backend) takes every rule's relaxed twin and
    literal-led verdict from the cache: no regex is parsed with sre for it."""
    from triage import fastpath, scan
    from triage.datacache import Memo
    from triage.kb import linear

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    kb = cache.load_cached()
    sample = (FIXTURES / "device-busy.log").read_bytes()
    backends = ["re", *(["hyperscan"] if fastpath.resolve_backend("hyperscan")[1] is None else [])]

    def build() -> list[object]:
        interest = fastpath.interest(kb)
        assert interest is not None
        return [scan.make_scanner(backend, interest, sample) for backend in backends]

    monkeypatch.setattr(scan, "_TWINS", Memo("scanner-twins", scan._TWINS._code))  # a first process
    first = build()
    monkeypatch.setattr(scan, "_TWINS", Memo("scanner-twins", scan._TWINS._code))  # the next one

    def parsed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a regex was parsed at run time")

    monkeypatch.setattr(linear, "relaxed", parsed)
    monkeypatch.setattr(scan, "literal_led", parsed)
    second = build()
    block = sample
    for a, b in zip(first, second, strict=True):
        assert list(a.hits(block, block.lower())) == list(b.hits(block, block.lower()))
