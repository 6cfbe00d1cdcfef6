"""Which webhook callback URLs Castline will post to. Twitch's servers may only call out to the
internet: https, to an address that is not the deployment's own network. A local deployment may
allow plain http on loopback (eventsub_loopback_http), for its own tests and tools."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL = 2048


class BadCallback(ValueError):
    pass


def checked_url(url: str, loopback_http: bool) -> tuple[str, int]:
    """The callback's host and port; BadCallback saying what is wrong with it."""
    if len(url) > MAX_URL or any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise BadCallback("callback must be a URL of at most 2048 characters, no spaces")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise BadCallback("callback is not a URL") from error
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise BadCallback("callback must be an https URL with a host and no credentials")
    if parts.scheme == "http" and not (loopback_http and _loopback_name(host)):
        raise BadCallback("callback must use https")
    return host, port or (443 if parts.scheme == "https" else 80)


def _loopback_name(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_address(address: str, loopback_http: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.is_loopback:
        return loopback_http
    return ip.is_global and not ip.is_multicast


async def resolved(host: str, port: int, loopback_http: bool) -> list[str]:
    """The host's addresses, every one of them allowed; BadCallback otherwise."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise BadCallback(f"callback host {host!r} does not resolve") from error
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses or not all(allowed_address(a, loopback_http) for a in addresses):
        raise BadCallback("callback must be reachable on the internet, not a private, "
                          "loopback or link-local address")
    return addresses
