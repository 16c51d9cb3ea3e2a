"""unclassified.shape(): the memo keyed on the digit-masked line gives what the masks give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from triage import unclassified

_BITS = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "7",
        "9",
        "x",
        "0x",
        "1x",
        "/",
        "npu",
        "pe",
        "-",
        ":",
        "T",
        "Z",
        ".",
        ",",
        " ",
        "a",
        "f",
        "G",
        "٣",
        "_",
    ]
)


def masked_directly(text: str) -> str:
    for rx, token in unclassified._MASKS:
        text = rx.sub(token, text)
    return text


@settings(max_examples=500, deadline=None)
@given(st.lists(_BITS, max_size=30))
@example(["0x", "9", "f"])
@example(["2", "x", "5", "f"])
@example(["2", "0", "2", "4", "-", "0", "5", "-", "1", "4", "T", "0", "6", ":", "2", "2", "Z"])
def test_shape_is_the_masks_applied_to_the_line(bits: list[str]) -> None:
    text = "".join(bits)
    assert unclassified.shape(text) == masked_directly(text)
    assert unclassified.shape(text) == masked_directly(text)  # from the memo


def test_warnings_that_differ_in_numbers_share_a_shape() -> None:
    a = unclassified.shape("task 70123 waited 45 ms for a free PE on npu0pe1")
    b = unclassified.shape("task 80877 waited 7 ms for a free PE on npu1pe0")
    assert a == b == "task <n> waited <n> ms for a free PE on <npu>"
