"""A response's head and body leave the gateway in one send, so the first read a client makes
holds all of a small response (twitchAPI reads its app token's body only after closing)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from tests.running import CLIENT_TIMEOUT_S, RunningPlatform


def first_read(base_url: str, request: bytes) -> bytes:
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port),
                                  timeout=CLIENT_TIMEOUT_S) as connection:
        connection.sendall(request)
        return connection.recv(65536)


def test_the_first_read_holds_head_and_body(platform: RunningPlatform) -> None:
    for _ in range(20):
        answer = first_read(platform.base_url,
                            b"GET /health HTTP/1.1\r\nHost: castline\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), answer
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        assert len(body) == length > 0, answer
