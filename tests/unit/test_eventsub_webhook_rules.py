"""Webhook messages signed as Twitch signs them, and the callbacks Castline refuses to call."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import pytest

from projections.eventsub.callbacks import BadCallback, allowed_address, checked_url, resolved
from projections.eventsub.signing import headers, signature


def test_the_signature_is_hmac_sha256_over_id_timestamp_and_body() -> None:
    expected = hmac.new(b"s3cret-s3cret", b"id-1" b"2026-12-06T02:30:00.000000Z" b'{"a":1}',
                        hashlib.sha256).hexdigest()
    assert signature("s3cret-s3cret", "id-1", "2026-12-06T02:30:00.000000Z",
                     '{"a":1}') == f"sha256={expected}"
    sent = headers("s3cret-s3cret", "id-1", "2026-12-06T02:30:00.000000Z", '{"a":1}',
                   "notification", ("channel.follow", "2"), 3)
    assert sent["Twitch-Eventsub-Message-Signature"] == f"sha256={expected}"
    assert (sent["Twitch-Eventsub-Message-Retry"], sent["Twitch-Eventsub-Message-Type"],
            sent["Twitch-Eventsub-Subscription-Type"],
            sent["Twitch-Eventsub-Subscription-Version"]) == ("3", "notification",
                                                              "channel.follow", "2")


@pytest.mark.parametrize("url", [
    "http://example.com/hook", "ftp://example.com/", "https:///nohost", "https://u:p@x.com/",
    "https://exa mple.com/", "https://example.com:99999/", "http://127.0.0.1/hook",
    "https://" + "a" * 2050 + ".com/",
])
def test_callbacks_refused_whatever_the_network(url: str) -> None:
    with pytest.raises(BadCallback):
        checked_url(url, loopback_http=False)


def test_loopback_http_only_by_setting() -> None:
    assert checked_url("http://127.0.0.1:8123/hook", loopback_http=True) == ("127.0.0.1", 8123)
    assert checked_url("http://localhost/hook", loopback_http=True) == ("localhost", 80)
    assert checked_url("https://example.com/hook", loopback_http=False) == ("example.com", 443)
    with pytest.raises(BadCallback):
        checked_url("http://example.com/hook", loopback_http=True)


@pytest.mark.parametrize(("address", "allowed"), [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("10.1.2.3", False), ("192.168.0.1", False), ("172.16.0.1", False),
    ("169.254.169.254", False), ("127.0.0.1", False), ("::1", False), ("fe80::1", False),
    ("fc00::1", False), ("0.0.0.0", False),  # noqa: S104 - an address refused, not bound
    ("224.0.0.1", False),
])
def test_private_and_local_addresses_are_never_called(address: str, allowed: bool) -> None:
    assert allowed_address(address, loopback_http=False) is allowed


def test_a_name_resolving_to_loopback_is_refused_unless_allowed() -> None:
    with pytest.raises(BadCallback):
        asyncio.run(resolved("localhost", 443, loopback_http=False))
    assert asyncio.run(resolved("127.0.0.1", 443, loopback_http=True)) == ["127.0.0.1"]
