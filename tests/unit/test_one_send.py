"""The turn-buffered transport: writes of one turn in one send, in order, and nothing written
before a close is lost."""

from __future__ import annotations

import asyncio
import socket

from gateways.one_send import TurnBufferedTransport, flush_before_eof


async def written(*steps: str) -> list[bytes]:
    """What the peer reads, one recv per turn, after each step (a write, a turn, a close)."""
    ours, theirs = socket.socketpair()
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
    buffered = TurnBufferedTransport(transport)
    reads: list[bytes] = []
    theirs.setblocking(False)
    for step in steps:
        if step == "turn":
            await asyncio.sleep(0)
            reads.append(await loop.sock_recv(theirs, 1024))
        elif step == "close":
            buffered.close()
        else:
            buffered.write(step.encode())
    await asyncio.sleep(0)
    reads.append(await loop.sock_recv(theirs, 1024))
    theirs.close()
    return reads


def test_writes_of_one_turn_arrive_together_in_order() -> None:
    assert asyncio.run(written("head;", "body", "turn", "next")) == [b"head;body", b"next"]


def test_a_close_sends_what_was_written_first() -> None:
    assert asyncio.run(written("last words", "close")) == [b"last words"]


async def sent_within_the_turn(write: bytes, then_eof: bool) -> bytes:
    """What the peer can read before the loop turns, after one write (and an end of stream)."""
    ours, theirs = socket.socketpair()
    loop = asyncio.get_running_loop()
    transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, ours)
    buffered = TurnBufferedTransport(transport)
    buffered.write(write)
    if then_eof:
        flush_before_eof(buffered)
    theirs.setblocking(False)
    try:
        return theirs.recv(len(write))
    except BlockingIOError:
        return b""
    finally:
        buffered.abort()
        theirs.close()


def test_the_end_of_the_clients_stream_sends_what_this_turn_wrote() -> None:
    assert asyncio.run(sent_within_the_turn(b"answer", then_eof=True)) == b"answer"
    assert asyncio.run(sent_within_the_turn(b"answer", then_eof=False)) == b""


def test_a_write_past_the_high_water_mark_goes_at_once() -> None:
    large = b"x" * 100_000  # past asyncio's default of 64 KiB
    assert asyncio.run(sent_within_the_turn(large, then_eof=False))
