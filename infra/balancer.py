"""The load balancer in front of several gateway processes: an nginx of its own, rendered from
a template into the state dir and run in the foreground by whoever starts the gateways."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from config.settings import Settings
from infra.servers.nginx import BINARY

TEMPLATE = Path(__file__).resolve().parent / "templates" / "nginx" / "balancer.conf"
MAX_FAILS = 2
FAIL_TIMEOUT_S = 5
# A chat socket the gateway has written nothing to (not even a ping) for this many ping
# intervals is closed by the balancer.
WS_IDLE_PINGS = 15


def render(settings: Settings, data_dir: Path, listen_port: int,
           upstream_ports: Sequence[int]) -> Path:
    """Write the balancer's configuration for these gateway ports; return its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT_S}s;"
        for port in upstream_ports)
    ping_s = settings.gateway_ws_ping_interval_s
    values = {
        "data_dir": str(data_dir), "listen_port": str(listen_port), "servers": servers,
        "max_fails": str(MAX_FAILS), "fail_timeout_s": str(FAIL_TIMEOUT_S),
        "http_read_timeout_s": str(
            math.ceil(settings.command_timeout_s + settings.read_wait_max_s) + 30),
        "ws_ping_interval_s": f"{ping_s:g}",
        "ws_idle_timeout_s": str(math.ceil(ping_s * WS_IDLE_PINGS)),
        "irc_ping_interval_s": f"{settings.irc_ping_interval_s:g}",
        "irc_idle_timeout_s": str(math.ceil(settings.irc_ping_interval_s * 2) + 30),
        # The worker writes buffered bodies under the state dir, which may be private to root.
        "user_directive": "user root root;" if os.geteuid() == 0 else "",
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    path = data_dir / "nginx.conf"
    path.write_text(text)
    return path


def command(config: Path) -> list[str]:
    """nginx in the foreground, its master and worker in the caller's process group."""
    return [str(BINARY), "-p", str(config.parent), "-c", str(config), "-g", "daemon off;",
            "-e", "stderr"]
