"""Players through the public API, for tests: a player token first, then heartbeats with it;
and channels made live by their StreamStarted events, when no publisher is needed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import uuid4

import httpx

from config.settings import Settings
from events.codec import Codec
from events.producer import EventProducer
from events.streams import StreamEnded, StreamStarted
from tests.integration.oauth_helpers import Account


@dataclass(frozen=True)
class Player:
    """A player of one channel: who watches (None: anonymous), from where, with which token."""

    channel: str
    token: str
    account: Account | None = None
    address: str | None = None  # X-Forwarded-For, as the gateway's loopback proxy would send

    @property
    def headers(self) -> dict[str, str]:
        return headers_of(self.account, self.address)


def new_address() -> str:
    """A documentation address of its own."""
    return f"2001:db8:{uuid4().hex[:4]}:{uuid4().hex[:4]}::1"  # a /64 of its own


def headers_of(account: Account | None, address: str | None) -> dict[str, str]:
    return {**(account.auth if account else {}),
            **({"X-Forwarded-For": address} if address else {})}


def ask_token(api: httpx.Client, channel: str, account: Account | None = None,
              address: str | None = None) -> httpx.Response:
    return api.post(f"/api/v1/channels/{channel}/player-sessions",
                    headers=headers_of(account, address))


def player(api: httpx.Client, channel: str, account: Account | None = None,
           address: str | None = None) -> Player:
    answer = ask_token(api, channel, account, address)
    assert answer.status_code == 201, answer.text
    return Player(channel, answer.json()["data"]["player_token"], account, address)


def heartbeat(api: httpx.Client, who: Player, channel: str | None = None) -> httpx.Response:
    """The player's heartbeat, to its channel unless another is named."""
    return api.post(f"/api/v1/channels/{channel or who.channel}/heartbeat",
                    json={"player_token": who.token, "quality": "360p"}, headers=who.headers)


def beat(api: httpx.Client, players: list[Player]) -> None:
    for who in players:
        response = heartbeat(api, who)
        assert response.status_code == 202, response.text


def viewers(api: httpx.Client, channel: str) -> int:
    count: int = api.get(f"/api/v1/channels/{channel}").json()["data"]["viewers"]
    return count


@contextmanager
def live_by_event(api: httpx.Client, settings: Settings, channels: list[str]) -> Iterator[None]:
    """The channels live in the read models (the channel decider never hears of it), ended
    after."""
    producer = EventProducer(settings.kafka, Codec.from_settings(settings).encode)
    sessions = {channel: str(uuid4()) for channel in channels}
    try:
        positions = producer.send([
            StreamStarted(channel=channel, session_id=session, client_id=f"test-{session}",
                          address="127.0.0.1") for channel, session in sessions.items()])
        for channel, position in zip(sessions, positions, strict=True):
            read = api.get(f"/api/v1/channels/{channel}",
                           params={"min_position": position.token})
            assert read.json()["data"]["live"], read.text
        yield
    finally:
        producer.send([StreamEnded(channel=c, session_id=s, reason="test over")
                       for c, s in sessions.items()])
        producer.close()
