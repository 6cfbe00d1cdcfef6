"""Cheering in chat over the WebSocket: bits spent once the message is posted, never more than
the balance, nothing spent for a refused message."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.sync.client import ClientConnection

from tests.integration.money import balance, balance_becomes, bought, with_channel
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat import join
from tests.running import RunningPlatform


def say(ws: ClientConnection, text: str, nonce: str | None = None) -> dict[str, Any]:
    """Send a message; return its ack or error, and every message frame seen meanwhile."""
    nonce = nonce or text
    ws.send(json.dumps({"type": "message", "text": text, "nonce": nonce}))
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=30))
        if frame["type"] in ("ack", "error") and frame.get("nonce") == nonce:
            return frame


def delivered(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while len(messages) < count:
        frame = json.loads(ws.recv(timeout=30))
        if frame["type"] == "message":
            messages.append(frame)
    return messages


def test_a_cheer_spends_its_bits_and_shows_them_in_the_message(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "cheered"), signed_in(api, "cheerer")
    assert bought(api, fan, 100) == 100
    with join(platform.base_url, streamer.username) as viewer, \
            join(platform.base_url, streamer.username, fan) as ws:
        assert say(ws, "cheer60 nice play")["type"] == "ack"
        refused = say(ws, "cheer50 again")
        assert (refused["type"], refused["reason"]) == ("error", "insufficient_bits")
        assert say(ws, "plain words")["type"] == "ack"
        posted, plain = delivered(viewer, 2)
    assert (posted["text"], posted["bits"], posted["username"]) == (
        "cheer60 nice play", 60, fan.username)
    assert (plain["text"], plain["bits"]) == ("plain words", 0)  # the refused cheer never came
    balance_becomes(api, fan, 40)


def test_concurrent_cheers_never_overdraw(platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "rush"), signed_in(api, "rusher")
    assert bought(api, fan, 100) == 100
    with join(platform.base_url, streamer.username, fan) as one, \
            join(platform.base_url, streamer.username, fan) as two:
        for n in range(4):
            for ws, side in ((one, "a"), (two, "b")):
                ws.send(json.dumps({"type": "message", "text": f"cheer30 {side}{n}",
                                    "nonce": f"{side}{n}"}))
        verdicts = [verdict(ws, 4) for ws in (one, two)]
    acks = sum(v.count("ack") for v in verdicts)
    refusals = sum(v.count("insufficient_bits") for v in verdicts)
    assert (acks, refusals) == (3, 5), verdicts
    balance_becomes(api, fan, 10)


def verdict(ws: ClientConnection, count: int) -> list[str]:
    seen: list[str] = []
    while len(seen) < count:
        frame = json.loads(ws.recv(timeout=30))
        if frame["type"] == "ack":
            seen.append("ack")
        elif frame["type"] == "error":
            seen.append(frame["reason"])
    return seen


def test_a_cheer_the_chat_refuses_spends_nothing(platform: RunningPlatform,
                                                 api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "strict"), signed_in(api, "blocked")
    assert bought(api, fan, 100) == 100
    terms = api.put(f"/api/v1/channels/{streamer.username}/chat/blocked-terms",
                    json={"terms": ["spoiler"]}, headers=streamer.auth)
    assert terms.status_code == 200, terms.text
    with join(platform.base_url, streamer.username, fan) as ws:
        refused = say(ws, "cheer100 spoiler alert")
        assert refused["reason"] == "blocked_term"
        zero = say(ws, "cheer0 free")
        assert zero["reason"] == "invalid_cheer"
        assert say(ws, "cheer100 fine")["type"] == "ack"
    balance_becomes(api, fan, 0)
    assert balance(api, fan) == 0
