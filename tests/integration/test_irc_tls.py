"""IRC over TLS: a gateway given a certificate serves the same chat on its TLS port."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import httpx
import pytest
import trustme

from tests.integration.irc_lines import RawIrc, command
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_chat import join
from tests.integration.test_chat_history import owner_and_fan
from tests.running import RunningPlatform


def test_a_client_signs_in_and_reads_over_tls(platform: RunningPlatform, api: httpx.Client,
                                             tmp_path: Path) -> None:
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "chain.pem", tmp_path / "key.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    certificate.private_key_pem.write_to_path(str(key_file))
    streamer, fan = owner_and_fan(api)
    host = platform.settings.gateway_host
    port, tls_port = free_port(host), free_port(host)
    env = {"CASTLINE_IRC_PORT": "0", "CASTLINE_IRC_TLS_PORT": str(tls_port),
           "CASTLINE_IRC_TLS_CERT_FILE": str(cert_file),
           "CASTLINE_IRC_TLS_KEY_FILE": str(key_file)}
    trusting = ssl.create_default_context()
    authority.configure_trust(trusting)
    with platform.extra_gateway(port, env), RawIrc(tls_port, host, trusting) as irc:
        irc.sign_in(fan.username, f"oauth:{fan.access_token}")
        irc.join(streamer.username)
        with join(platform.base_url, streamer.username, streamer) as ws:
            ws.send(json.dumps({"type": "message", "text": "over TLS"}))
            heard = irc.until(command("PRIVMSG"))[-1]
        assert heard.params == (f"#{streamer.username}", "over TLS")
        with pytest.raises(ssl.SSLCertVerificationError):
            RawIrc(tls_port, host, ssl.create_default_context())
