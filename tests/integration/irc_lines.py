"""A bare IRC client over a real socket, for tests: lines out, lines in, waited for with a
deadline."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable

from gateways.irc.lines import Line, parse_line

TIMEOUT_S = 20.0


class RawIrc:
    def __init__(self, port: int, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None) -> None:
        plain = socket.create_connection((host, port), timeout=TIMEOUT_S)
        self.sock = tls.wrap_socket(plain, server_hostname=host) if tls else plain
        self.buffer = b""

    def __enter__(self) -> RawIrc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send(self, *lines: str) -> None:
        self.sock.sendall(b"".join(line.encode() + b"\r\n" for line in lines))

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(data)

    def line(self, deadline: float) -> Line | None:
        """The next line; None once the server closed the connection."""
        while b"\r\n" not in self.buffer:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\r\n", 1)
        return parse_line(raw)

    def until(self, wanted: Callable[[Line], bool], timeout_s: float = TIMEOUT_S) -> list[Line]:
        """Every line up to the first that is wanted, that one included."""
        deadline, seen = time.monotonic() + timeout_s, list[Line]()
        while True:
            line = self.line(deadline)
            assert line is not None, f"closed before the line wanted; saw {seen}"
            seen.append(line)
            if wanted(line):
                return seen

    def closed(self, timeout_s: float = TIMEOUT_S) -> list[Line]:
        """Every line up to the server's closing the connection."""
        deadline, seen = time.monotonic() + timeout_s, list[Line]()
        while (line := self.line(deadline)) is not None:
            seen.append(line)
        return seen

    def sign_in(self, nick: str, password: str | None = None) -> list[Line]:
        self.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
        if password is not None:
            self.send(f"PASS {password}")
        self.send(f"NICK {nick}")
        return self.until(lambda line: line.command == "376")

    def join(self, channel: str) -> list[Line]:
        self.send(f"JOIN #{channel}")
        return self.until(lambda line: line.command in ("ROOMSTATE", "NOTICE"))


def command(name: str) -> Callable[[Line], bool]:
    return lambda line: line.command == name


def notice_id(msg_id: str) -> Callable[[Line], bool]:
    return lambda line: line.command == "NOTICE" and line.tags.get("msg-id") == msg_id


def privmsgs(irc: RawIrc, count: int) -> list[str]:
    """The texts of the next `count` PRIVMSGs, other lines skipped."""
    texts: list[str] = []

    def enough(line: Line) -> bool:
        if line.command == "PRIVMSG":
            texts.append(line.params[1])
        return len(texts) == count

    irc.until(enough)
    return texts
