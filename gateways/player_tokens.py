"""Player tokens: what a player shows with every heartbeat and ad impression.

Before it reports anything a player asks for one. The gateway makes up the player's session
and signs (HS256, with the secret every gateway shares) a token naming that session, the
channel and a digest of the address that asked; it holds for that channel, from that address,
until it expires. Tokens are limited per address (per user when signed in) and window, so one
address cannot mint players without end; and since a heartbeat can no longer name its own
session, made-up sessions count for nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.requests import Request

from gateways.errors import ApiError

ALGORITHM = "HS256"
FIELD = "player_token"


@dataclass(frozen=True)
class Player:
    """What a valid token says: the session the gateway made up for the player."""

    channel: str
    session: str

    @property
    def anonymous_viewer(self) -> str:
        """How the player counts when nobody is signed in: as its session."""
        return f"anon:{self.session}"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    player: Player
    expires_at: datetime


class PlayerTokens:
    def __init__(self, secret: str, ttl_s: int) -> None:
        self.key = OctKey.import_key(secret.encode())
        self.ttl_s = ttl_s

    def issue(self, channel: str, address: str) -> IssuedToken:
        now = int(time.time())
        player = Player(channel, secrets.token_urlsafe(18))
        claims = {"ch": channel, "sid": player.session, "adr": _digest(address),
                  "iat": now, "exp": now + self.ttl_s}
        token = jwt.encode({"alg": ALGORITHM}, claims, self.key)
        return IssuedToken(token, player, datetime.fromtimestamp(now + self.ttl_s, UTC))

    def verify(self, token: str, channel: str, address: str,
               renew_at: str | None = None) -> Player:
        """The token's player, if this gateway signed it for `channel` and `address` and it has
        not expired; otherwise 403 naming the token."""
        try:
            claims = jwt.decode(token, self.key, algorithms=[ALGORITHM]).claims
            jwt.JWTClaimsRegistry(
                ch={"essential": True, "value": channel},
                adr={"essential": True, "value": _digest(address)},
                sid={"essential": True}, exp={"essential": True},
            ).validate(claims)
        except (JoseError, ValueError) as error:
            raise ApiError(403, "invalid_player_token",
                           "the player token was not issued for this channel and address, or "
                           "has expired: ask for a new one at "
                           f"{renew_at or f'/api/v1/channels/{channel}/player-sessions'}",
                           FIELD) from error
        return Player(channel, str(claims["sid"]))


def client_address(request: Request) -> str:
    """The caller's address (a trusted proxy's X-Forwarded-For, as uvicorn resolves it); an
    IPv6 address by its /64, which one subscriber usually holds whole."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return host


def _digest(address: str) -> str:
    """The token carries the address only as a digest: it may be logged or shared."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]
