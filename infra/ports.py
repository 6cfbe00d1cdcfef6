"""Checks that a server's ports are free before it starts, so it cannot answer for another."""

from __future__ import annotations

import socket

from infra.errors import PortInUseError


def ensure_free(name: str, ports: tuple[int, ...]) -> None:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As the servers do, so a port in TIME_WAIT counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as error:
                raise PortInUseError(
                    f"{name}: port {port} on 127.0.0.1 is taken ({error.strerror}); stop what "
                    f"listens there (`ss -ltnp 'sport = :{port}'` shows it) or configure "
                    "another port"
                ) from error
