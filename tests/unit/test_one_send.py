"""The turn-buffered transport: writes of one turn in one send, in order, and nothing written
before a close is lost."""

from __future__ import annotations

import asyncio
import socket

from gateways.one_send import TurnBufferedTransport


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
