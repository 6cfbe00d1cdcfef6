"""A client's bytes cut into IRC lines: every line break clients use, chunks split anywhere,
overlong lines dropped and a runaway one told apart, without buffering either whole."""

from __future__ import annotations

import pytest

from gateways.irc.framing import MAX_SKIPPED_BYTES, LineSplitter, RunawayLine
from gateways.irc.lines import MAX_LINE_BYTES


def fed(*chunks: bytes) -> list[bytes | None]:
    splitter = LineSplitter()
    return [line for chunk in chunks for line in splitter.feed(chunk)]


def test_crlf_lf_and_a_bare_cr_each_end_a_line() -> None:
    assert fed(b"a\r\nb\nc\rd\r\n\r\ne") == [b"a", b"b", b"c", b"d", b""]


@pytest.mark.parametrize("cut", range(1, 12))
def test_a_stream_cut_anywhere_gives_the_same_lines(cut: int) -> None:
    data = b"PING a\r\nPING b\rPING c\n"
    assert fed(data[:cut], data[cut:]) == [b"PING a", b"PING b", b"PING c"]


def test_an_overlong_line_is_dropped_and_the_next_one_kept() -> None:
    long = b"x" * (MAX_LINE_BYTES + 1)
    assert fed(long[:100], long[100:] + b"\r\nPING\r\n") == [None, b"PING"]
    assert fed(b"y" * MAX_LINE_BYTES + b"\n") == [b"y" * MAX_LINE_BYTES]


def test_a_line_running_past_a_megabyte_is_a_runaway() -> None:
    splitter = LineSplitter()
    for _ in range(MAX_SKIPPED_BYTES // 65536):
        assert splitter.feed(b"z" * 65536) == []
    with pytest.raises(RunawayLine):
        splitter.feed(b"z")


def test_a_frame_ends_its_last_line() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"PING a\nPING b") == [b"PING a"]
    assert splitter.finish() == [b"PING b"]
    assert splitter.finish() == []
    assert splitter.feed(b"x" * (MAX_LINE_BYTES + 1)) == []
    assert splitter.finish() == [None]
