"""What one client can hold of a gateway is bounded: body bytes, frame bytes, requests in
progress, and database connections while it waits to read its own write."""

from __future__ import annotations

import asyncio
import json
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from psycopg_pool import AsyncConnectionPool
from websockets.exceptions import ConnectionClosedError
from websockets.frames import CloseCode
from websockets.sync.client import ClientConnection, connect

from config.settings import Settings
from events.positions import Position
from gateways.chat_ws import MAX_FRAME_UTF8_BYTES
from gateways.errors import ApiError
from gateways.reads import wait_for_position
from tests.integration.money import with_channel
from tests.integration.test_chat import ws_url
from tests.running import RunningPlatform
from tests.waiting import until

UNREACHED = Position("users", 0, 2**62)  # a position no projection gets to in a test


def response_to(platform: RunningPlatform, request: bytes, chunks: list[bytes]) -> bytes:
    """What the gateway answers to a request whose body never ends: only a server that
    refuses the body while it streams in answers at all."""
    address = (platform.settings.gateway_host, platform.settings.gateway_port)
    with socket.create_connection(address, timeout=20) as conn:
        conn.sendall(request)
        for chunk in chunks:
            conn.sendall(chunk)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            received = conn.recv(65536)
            assert received, f"connection closed after {answer!r}"
            answer += received
    return answer


def test_a_chunked_body_is_refused_as_it_passes_the_limit(platform: RunningPlatform) -> None:
    head = (b"POST /api/v1/users HTTP/1.1\r\nHost: castline\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"4000\r\n" + b" " * 0x4000 + b"\r\n"
    answer = response_to(platform, head, [chunk] * 5)  # 80 KiB of a body that never ends
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert b'"payload_too_large"' in answer


def test_a_declared_length_past_the_limit_is_refused_unread(platform: RunningPlatform) -> None:
    head = (b"POST /api/v1/users HTTP/1.1\r\nHost: castline\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")
    answer = response_to(platform, head, [b"{"])
    assert answer.startswith(b"HTTP/1.1 413"), answer


def test_a_frame_past_the_chat_protocol_closes_the_socket(platform: RunningPlatform,
                                                         api: httpx.Client) -> None:
    streamer = with_channel(api, "bigframe")
    with connect(ws_url(platform.base_url, streamer.username), open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=20))["type"] == "join"
        ws.send(json.dumps({"type": "ping", "pad": "x" * MAX_FRAME_UTF8_BYTES}))
        assert close_code(ws) == CloseCode.MESSAGE_TOO_BIG


def close_code(ws: ClientConnection) -> int | None:
    """How the server closes the socket; any frames before that are skipped."""
    try:
        while True:
            ws.recv(timeout=20)
    except ConnectionClosedError as closed:
        return closed.rcvd.code if closed.rcvd else None


def test_requests_past_the_gateways_limit_are_503(platform: RunningPlatform) -> None:
    limited = {"CASTLINE_GATEWAY_MAX_REQUESTS": "2", "CASTLINE_READ_WAIT_MAX_S": "10"}
    port = platform.settings.gateway_port + 2
    with platform.extra_gateway(port, limited) as url, ThreadPoolExecutor(2) as threads:
        waits = [threads.submit(httpx.get, f"{url}/api/v1/users/nobody_here",
                                params={"min_position": UNREACHED.token}, timeout=40)
                 for _ in range(2)]
        busy = until(lambda: httpx.get(f"{url}/health", timeout=20),
                     lambda r: r.status_code == 503, 10, "a request past the limit")
        assert (busy.json()["error"], busy.headers["Retry-After"]) == ("overloaded", "1")
        for wait in waits:
            answer = wait.result()
            assert (answer.status_code, answer.json()["error"]) == (503, "projection_behind")
        assert httpx.get(f"{url}/health", timeout=20).status_code == 200


def test_a_read_your_writes_wait_holds_no_connection_while_it_waits(stack: Settings) -> None:
    async def scenario() -> ApiError:
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            stack.postgres, min_size=1, max_size=1, open=False, kwargs={"autocommit": True})
        await pool.open(wait=True, timeout=10)
        try:
            waiting = asyncio.create_task(wait_for_position(pool, UNREACHED, 10.0))
            await asyncio.sleep(0)  # one turn: the wait takes the connection for its first look
            assert pool.get_stats()["requests_num"] == 1
            async with pool.connection(timeout=5) as conn:
                assert await (await conn.execute("SELECT 1")).fetchone() == (1,)
            with pytest.raises(ApiError) as behind:
                await waiting
            return behind.value
        finally:
            await pool.close()

    behind = asyncio.run(scenario())
    assert (behind.status, behind.error) == (503, "projection_behind")
