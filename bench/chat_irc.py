"""The chat bench's readers over IRC (TCP, Twitch's dialect) instead of JSON WebSockets: each
signs in anonymously, joins its channel without capabilities (bare lines) and reads PRIVMSGs,
whose text is the load's "send time, sequence". Over TCP the kernel picks the gateway process
(they share the port), not the load."""

from __future__ import annotations

import asyncio
import itertools
import time
from contextlib import suppress
from dataclasses import dataclass

from bench.chat_load import Listener, Reader, ReaderOpener, Tally

OPEN_TIMEOUT_S = 30.0
JOINED = b" 366 "  # End of /NAMES list: the last line of a join without capabilities


@dataclass
class IrcListener:
    stream: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def listen(self, reader: Reader, tally: Tally) -> None:
        with suppress(ConnectionError):
            while line := await self.stream.readline():
                received = time.time()
                if line.startswith(b"PING"):
                    self.writer.write(b"PONG :tmi.twitch.tv\r\n")
                    continue
                prefix, _, text = line.rstrip(b"\r\n").decode().partition(" :")
                if " PRIVMSG #" not in prefix:
                    continue
                sent, sequence = text.split()
                tally.latencies.append(received - float(sent))
                reader.received.append(int(sequence))
        if not tally.finished:
            reader.closed = "IRC connection closed"

    async def close(self) -> None:
        self.writer.close()
        with suppress(ConnectionError):
            await self.writer.wait_closed()


def irc_readers(host: str, port: int) -> ReaderOpener:
    numbers = itertools.count(1)

    async def open_reader(channel: str, gateway: int, gate: asyncio.Semaphore) -> Listener:
        async with gate:
            stream, writer = await asyncio.open_connection(host, port)
            writer.write(f"NICK justinfan{next(numbers)}\r\nJOIN #{channel}\r\n".encode())
            async with asyncio.timeout(OPEN_TIMEOUT_S):
                while JOINED not in (line := await stream.readline()):
                    if not line or b" NOTICE " in line:
                        writer.close()
                        raise RuntimeError(f"joining #{channel} over IRC failed: {line!r}")
        return IrcListener(stream, writer)
    return open_reader
