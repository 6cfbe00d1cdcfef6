"""What the gateway writes to a connection in one turn of the event loop leaves in one send.

uvicorn writes a response's head as soon as the app starts it, and its body in a write of its
own: two TCP segments. A client that reads the body only after it has closed its session (as
twitchAPI does with the app token) loses the body whenever the segments arrive apart, which a
loaded machine makes common. Held to the end of the turn, head and body (and the chat frames
one fan-out writes to a socket) leave together: one segment, one system call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class TurnBufferedTransport(asyncio.Transport):
    """A socket transport whose writes wait for the end of the loop's turn, in order."""

    def __init__(self, transport: asyncio.Transport) -> None:
        super().__init__(extra=None)
        self._transport = transport
        self._pending: list[bytes] = []
        self._pending_size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            asyncio.get_running_loop().call_soon(self.flush)
        self._pending.append(bytes(data))
        self._pending_size += len(data)
        # Past the high-water mark at once, so that back-pressure pauses the writer in time.
        if self._pending_size > self._transport.get_write_buffer_limits()[1]:
            self.flush()

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._pending_size = 0
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        # Whatever was written before the close is sent before the close.
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._pending.clear()
        self._pending_size = 0
        self._transport.abort()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._pending_size

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()


def flush_before_eof(transport: asyncio.BaseTransport) -> None:
    """The client's end of stream closes the socket transport on the same turn: what this turn
    wrote goes out first."""
    if isinstance(transport, TurnBufferedTransport):
        transport.flush()


class OneSendHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol over a turn-buffered transport; a WebSocket upgraded from it
    keeps that transport."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(TurnBufferedTransport(transport))

    def eof_received(self) -> None:
        flush_before_eof(self.transport)
        super().eof_received()


class OneSendWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's WebSocket protocol, on the turn-buffered transport it is upgraded on."""

    def eof_received(self) -> None:
        flush_before_eof(self.transport)
        super().eof_received()
