"""Where the gateways listen for each CASTLINE_GATEWAYS, and a balancer configuration nginx
itself accepts."""

from __future__ import annotations

import subprocess
from pathlib import Path

from config.settings import Settings
from infra import balancer


def test_one_gateway_takes_gateway_port_and_more_take_the_ports_after_it() -> None:
    assert Settings(gateway_port=8080).gateway_upstream_ports == (8080,)
    assert Settings(gateway_port=8080, gateways=3).gateway_upstream_ports == (8081, 8082, 8083)
    assert Settings(gateway_port=8080, gateways=2, gateway_first_upstream_port=9000
                    ).gateway_upstream_ports == (9000, 9001)


def test_the_rendered_configuration_balances_every_gateway_and_passes_nginx_own_check(
    tmp_path: Path,
) -> None:
    settings = Settings(gateways=3, gateway_port=18080, gateway_ws_ping_interval_s=20,
                        command_timeout_s=5, read_wait_max_s=5, irc_ping_interval_s=240)
    config = balancer.render(settings, tmp_path, 18080, settings.gateway_upstream_ports)
    text = config.read_text()
    assert "listen 127.0.0.1:18080;" in text
    for port in (18081, 18082, 18083):
        assert f"server 127.0.0.1:{port} max_fails=2 fail_timeout=5s;" in text
    assert "proxy_read_timeout 300s;" in text  # 15 pings of 20 s on a chat socket
    # IRC on WebSocket: pinged after 240 s of silence, closed after as long again.
    assert "location ~ ^/(irc)?$ {\n            proxy_read_timeout 510s;" in text
    # The first hop: what a caller claims is replaced by its address.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "{" + "data_dir}" not in text
    checked = subprocess.run([*balancer.command(config)[:5], "-t", "-e", "stderr"],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
