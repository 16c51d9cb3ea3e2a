"""safety.ESCAPE_SEQUENCE was refactored for speed (each alternative starts with one literal, so the
engine skips to an introducer in C): it must remove exactly what the former form removed."""

from __future__ import annotations

import random
import re

from triage.safety import ESCAPE_SEQUENCE, strip_terminal

FORMER = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]"
    r"|\x1b"
)
ALPHABET = "\x1b\x9b\x9d\x90\x98\x9e\x9f\x07\x9c[]\\PX^_ -/0?@~a1;m\n"


def test_the_same_text_is_removed_as_before() -> None:
    rng = random.Random(20261202)
    for _ in range(30000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert ESCAPE_SEQUENCE.sub("", text) == FORMER.sub("", text), repr(text)


def test_real_sequences() -> None:
    line = "\x1b[2m2023-02-11T06:22:18Z\x1b[0m \x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\ \x9b31mred\x1bc"
    assert strip_terminal(line) == "2023-02-11T06:22:18Z link red"
