"""Chat over real WebSockets across two gateway processes: same messages, same order; rules
enforced by the channel decider with error frames."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from gateways.close_codes import WS_4401_UNAUTHORIZED, WS_4404_CHANNEL_NOT_FOUND
from tests.integration.oauth_helpers import Account, signed_in
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until


@pytest.fixture(scope="module")
def second_gateway(platform: RunningPlatform) -> str:
    return platform.start_gateway(platform.settings.gateway_port + 1)


def ws_url(base: str, channel: str, query: str = "") -> str:
    return base.replace("http://", "ws://") + f"/ws/channels/{channel}{query}"


def collect(ws: ClientConnection, wanted: dict[str, int], timeout_s: float = 20
            ) -> dict[str, list[Any]]:
    """Frames by type until each wanted type has its count; other types are skipped."""
    got: dict[str, list[Any]] = {kind: [] for kind in wanted}
    while any(len(got[kind]) < n for kind, n in wanted.items()):
        frame = json.loads(ws.recv(timeout=timeout_s))
        if frame["type"] in got:
            got[frame["type"]].append(frame)
    return got


def frames(ws: ClientConnection, kind: str, count: int, timeout_s: float = 20) -> list[Any]:
    return collect(ws, {kind: count}, timeout_s)[kind]


@contextmanager
def join(base: str, channel: str, account: Account | None = None, query: str = ""
         ) -> Iterator[ClientConnection]:
    headers = account.auth if account else None
    with connect(ws_url(base, channel, query), additional_headers=headers,
                 open_timeout=10) as ws:
        [joined] = frames(ws, "join", 1)
        assert joined["version"] == 1
        yield ws


@pytest.fixture
def room(api: httpx.Client) -> tuple[Account, str]:
    streamer = signed_in(api, "chat")
    until(lambda: api.get(f"/api/v1/channels/{streamer.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    return streamer, streamer.username


def test_every_client_on_every_gateway_sees_the_same_messages_in_order(
    platform: RunningPlatform, second_gateway: str, api: httpx.Client,
    room: tuple[Account, str],
) -> None:
    streamer, channel = room
    fan = signed_in(api, "fan")
    with ExitStack() as stack:
        readers = [stack.enter_context(join(base, channel)) for base in
                   (platform.base_url, second_gateway, second_gateway)]
        writer = stack.enter_context(join(platform.base_url, channel, fan))
        owner = stack.enter_context(join(second_gateway, channel, streamer))
        for n in range(5):
            writer.send(json.dumps({"type": "message", "text": f"hello {n} Kappa",
                                    "nonce": str(n)}))
            owner.send(json.dumps({"type": "message", "text": f"welcome {n}"}))
        expected = sorted(f"hello {n} Kappa" for n in range(5)) + sorted(
            f"welcome {n}" for n in range(5))
        seen = [[f["text"] for f in frames(ws, "message", 10)] for ws in [*readers, writer]]
    assert all(s == seen[0] for s in seen), "every client must see one order"
    assert sorted(seen[0]) == sorted(expected)
    assert [t for t in seen[0] if t.startswith("hello")] == [f"hello {n} Kappa" for n in range(5)]


def test_message_frames_carry_author_badges_and_emotes(
    platform: RunningPlatform, room: tuple[Account, str],
) -> None:
    streamer, channel = room
    with join(platform.base_url, channel, streamer) as ws:
        ws.send(json.dumps({"type": "message", "text": "GG everyone", "nonce": "a"}))
        got = collect(ws, {"ack": 1, "message": 1})
        [ack], [message] = got["ack"], got["message"]
    assert ack["nonce"] == "a"
    assert message["id"] == ack["id"]
    assert (message["username"], message["badges"], message["emotes"]) == (
        channel, ["broadcaster"], ["GG:0-1"])
    assert message["sent_at"]
    profile = httpx.get(f"{platform.base_url}/api/v1/users/{channel}", timeout=CLIENT_TIMEOUT_S)
    assert message["color"] == profile.json()["data"]["chat_color"]
    history = until(
        lambda: httpx.get(f"{platform.base_url}/api/v1/channels/{channel}/chat/messages",
                          timeout=CLIENT_TIMEOUT_S).json()["data"],
        lambda rows: any(row["id"] == message["id"] for row in rows), 30,
        "the message in the history")
    assert [row["color"] for row in history if row["id"] == message["id"]] == [message["color"]]


def test_refusals_come_back_as_error_frames(
    platform: RunningPlatform, api: httpx.Client, room: tuple[Account, str],
) -> None:
    _, channel = room
    fan = signed_in(api, "fan")
    with join(platform.base_url, channel) as anonymous:
        anonymous.send(json.dumps({"type": "message", "text": "hi"}))
        assert frames(anonymous, "error", 1)[0]["reason"] == "unauthorized"
        anonymous.send("not json")
        assert frames(anonymous, "error", 1)[0]["reason"] == "malformed_frame"
        anonymous.send(json.dumps({"type": "ping"}))
        assert frames(anonymous, "pong", 1)
    with join(platform.base_url, channel, fan) as ws:
        for text in ("", "x" * 501):
            ws.send(json.dumps({"type": "message", "text": text}))
            assert frames(ws, "error", 1)[0]["reason"] == "invalid_message"
        ws.send(json.dumps({"type": "message", "text": "x" * 500}))
        assert frames(ws, "ack", 1)


def test_the_twenty_first_message_in_thirty_seconds_waits(
    platform: RunningPlatform, api: httpx.Client, room: tuple[Account, str],
) -> None:
    _, channel = room
    fan = signed_in(api, "fan")
    with join(platform.base_url, channel, fan) as ws:
        for n in range(20):
            ws.send(json.dumps({"type": "message", "text": f"m{n}", "nonce": str(n)}))
            assert frames(ws, "ack", 1)[0]["nonce"] == str(n)
        ws.send(json.dumps({"type": "message", "text": "one too many"}))
        [refused] = frames(ws, "error", 1)
    assert refused["reason"] == "rate_limited"
    assert 0 < refused["retry_after_s"] <= 30


def close_code(ws: ClientConnection) -> int:
    """The code of the close frame the server sends next."""
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def test_unknown_channel_and_bad_token_close_the_socket(
    platform: RunningPlatform, room: tuple[Account, str],
) -> None:
    with connect(ws_url(platform.base_url, "no_such_channel_here")) as ws:
        assert json.loads(ws.recv(timeout=10))["reason"] == "channel_not_found"
        assert close_code(ws) == WS_4404_CHANNEL_NOT_FOUND
    with connect(ws_url(platform.base_url, room[1]),
                 additional_headers={"Authorization": "Bearer nope"}) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "error"
        assert close_code(ws) == WS_4401_UNAUTHORIZED


def unbatched(ws: ClientConnection, count: int) -> list[str]:
    """The texts of `count` message frames, whether they came alone or in batch frames."""
    texts: list[str] = []
    while len(texts) < count:
        frame = json.loads(ws.recv(timeout=20))
        inner = frame["frames"] if frame["type"] == "batch" else [frame]
        texts += [f["text"] for f in inner if f["type"] == "message"]
    return texts


def test_a_batching_client_sees_what_others_see_in_the_same_order(
    platform: RunningPlatform, room: tuple[Account, str],
) -> None:
    streamer, channel = room
    with join(platform.base_url, channel, query="?batch=1") as batching, \
            join(platform.base_url, channel) as plain, \
            join(platform.base_url, channel, streamer) as owner:
        for n in range(30):
            owner.send(json.dumps({"type": "message", "text": f"burst {n}"}))
        sent = [f"burst {n}" for n in range(30)]
        assert unbatched(batching, 30) == sent
        assert [f["text"] for f in frames(plain, "message", 30)] == sent
