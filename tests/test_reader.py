"""Reader: streaming, decoding, escape stripping, line ends, flattened pastes, gzip."""

from __future__ import annotations

import gzip
import io

import pytest

from triage.reader import MAX_LINE, ReaderError, Source, clean, iter_lines, read, split_flattened


def lines_of(data: bytes) -> list[tuple[int, str]]:
    src = Source(name="t")
    return [(ln.no, ln.text) for ln in iter_lines(io.BytesIO(data), src)]


def test_lf_crlf_and_lone_cr_keep_user_line_numbers() -> None:
    data = b"first\r\nsecond\nthird\r\rfourth\n\nsixth"
    assert lines_of(data) == [(1, "first"), (2, "second"), (3, "third"), (3, "fourth"), (5, "sixth")]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert lines_of(b"caf\xc3 ok\n\xff\xfe end\n") == [(1, "caf\ufffd ok"), (2, "\ufffd\ufffd end")]


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("\x1b[32m INFO\x1b[0m nux::npu: ready", " INFO nux::npu: ready"),
        ("[2m2023-02-11T06:22:18Z[0m [31mERROR[0m nux: x", "2023-02-11T06:22:18Z ERROR nux: x"),
        ("\x1b]0;evil title\x07text", "text"),
        ("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b]52;c;ZXZpbA==\x07after", "after"),
        ("a\x1b[2Jb\x1b[10;1Hc", "abc"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("\x9b31mred", "red"),
    ],
)
def test_clean_strips_terminal_sequences(raw: str, want: str) -> None:
    assert clean(raw) == want


def test_clean_keeps_ordinary_brackets() -> None:
    text = "2023 INFO nux: NuxInner create with pes: [PeId(0)] [1/6] done"
    assert clean(text) == text


def test_flattened_paste_is_resplit_with_original_line_number() -> None:
    flat = (
        "Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z) "
        "2023-02-11T06:22:18.727642Z INFO nux::npu: Npu (npu0pe0-1) is being initialized "
        "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU. "
        "- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z) "
        'Traceback (most recent call last): File "/x/a.py", line 3, in <module> main() '
        "furiosa.runtime.errors.InternalError: unknown (native error code: 15)"
    )
    got = lines_of(("header\n" + flat + "\n").encode())
    assert got == [
        (1, "header"),
        (2, "Using furiosa-compiler 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)"),
        (2, "2023-02-11T06:22:18.727642Z INFO nux::npu: Npu (npu0pe0-1) is being initialized"),
        (2, "2023-02-11T06:22:18.931755Z ERROR nux: ENF configuration is not compatible with NPU."),
        (2, "- furiosa-libnux version: 0.8.0 (rev: d9f0d7728 built at 2022-11-01T03:39:34Z)"),
        (2, "Traceback (most recent call last):"),
        (2, 'File "/x/a.py", line 3, in <module> main()'),
        (2, "furiosa.runtime.errors.InternalError: unknown (native error code: 15)"),
    ]


def test_ordinary_long_line_is_not_split() -> None:
    line = "2023-02-11T06:22:18.727642Z  INFO nux::session: " + "loaded tensor " * 30
    assert split_flattened(line) == [line]


def test_gzip_detected_by_magic_not_name(tmp_path) -> None:
    p = tmp_path / "run.txt"
    p.write_bytes(gzip.compress(b"one\ntwo\n"))
    src, it = read(str(p))
    assert [(ln.no, ln.text) for ln in it] == [(1, "one"), (2, "two")]
    assert src.lines == 2


def test_truncated_gzip_keeps_what_was_read(tmp_path) -> None:
    data = gzip.compress(b"".join(b"line %d\n" % i for i in range(5000)))
    p = tmp_path / "cut.log.gz"
    p.write_bytes(data[: len(data) // 2])
    src, it = read(str(p))
    got = list(it)
    assert got and got[0].text == "line 0"
    assert all(ln.text == f"line {ln.no - 1}" for ln in got[:-1])
    assert any("truncated" in n for n in src.notes)


def test_overlong_line_is_cut_and_noted() -> None:
    src = Source(name="t")
    data = b"a" * (MAX_LINE + 5000) + b"\nnext\n"
    got = [(ln.no, len(ln.text)) for ln in iter_lines(io.BytesIO(data), src)]
    assert got == [(1, MAX_LINE), (2, 4)]
    assert src.notes == [f"line 1 is longer than {MAX_LINE} bytes; the rest was cut"]


def test_missing_directory_and_binary_inputs_raise_reader_error(tmp_path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        read(str(tmp_path / "nope.log"))
    with pytest.raises(ReaderError, match="is a directory"):
        read(str(tmp_path))
    binary = tmp_path / "model.enf"
    binary.write_bytes(bytes(range(256)) * 64)
    _, it = read(str(binary))
    with pytest.raises(ReaderError, match="binary"):
        list(it)
