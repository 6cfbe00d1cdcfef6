"""Two gateway processes behind the local load balancer, started as `castline run` starts them
with CASTLINE_GATEWAYS=2: chat across both in one order, reads and writes through the
balancer (IRC over WebSocket too), and a gateway SIGKILLed mid-chat whose readers reconnect and
recover from history."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from castline.platform import Supervised, start_gateways
from castline.processes import kill, stop
from tests.integration.test_chat import collect, frames, join
from tests.integration.test_chat_history import history, owner_and_fan
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until


@dataclass
class Balanced:
    url: str  # the balancer
    gateways: list[str]  # each gateway, directly
    children: list[Supervised]  # the gateways, then the balancer


@pytest.fixture(scope="module")
def balanced(platform: RunningPlatform) -> Iterator[Balanced]:
    """Ports 4, 5 and 6 above the session's gateway: the balancer and two gateways."""
    base = platform.settings.gateway_port
    settings = platform.settings.model_copy(update={
        "gateways": 2, "gateway_port": base + 4, "gateway_first_upstream_port": base + 5})
    children: list[Supervised] = []
    try:
        url = start_gateways(settings, platform.logs, children)
        direct = [f"http://127.0.0.1:{port}" for port in settings.gateway_upstream_ports]
        yield Balanced(url, direct, children)
    finally:
        for child in reversed(children):
            stop(child.process, signal.SIGINT)


@pytest.fixture
def lb(balanced: Balanced) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=balanced.url, timeout=CLIENT_TIMEOUT_S) as client:
        yield client


def say(ws: ClientConnection, text: str) -> str:
    """Post and wait for the decision: the message's id."""
    ws.send(json.dumps({"type": "message", "text": text, "nonce": text}))
    [ack] = collect(ws, {"ack": 1})["ack"]
    return str(ack["id"])


def message_ids(ws: ClientConnection, count: int) -> list[str]:
    return [frame["id"] for frame in frames(ws, "message", count)]


def test_chat_through_the_balancer_and_each_gateway_is_one_order(
    balanced: Balanced, lb: httpx.Client,
) -> None:
    owner, fan = owner_and_fan(lb)
    channel = owner.username
    with ExitStack() as stack:
        bases = [*balanced.gateways, balanced.url, balanced.url]
        readers = [stack.enter_context(join(base, channel)) for base in bases]
        writer = stack.enter_context(join(balanced.url, channel, fan))
        broadcaster = stack.enter_context(join(balanced.gateways[1], channel, owner))
        for n in range(5):
            writer.send(json.dumps({"type": "message", "text": f"fan {n}"}))
            broadcaster.send(json.dumps({"type": "message", "text": f"owner {n}"}))
        seen = [[f["text"] for f in frames(ws, "message", 10)] for ws in [*readers, writer]]
    assert all(texts == seen[0] for texts in seen), "every client must see one order"
    assert [t for t in seen[0] if t.startswith("fan")] == [f"fan {n}" for n in range(5)]
    assert sorted(t for t in seen[0] if t.startswith("owner")) == [f"owner {n}" for n in range(5)]


def test_irc_over_websocket_through_the_balancer_hears_the_json_chat(
    balanced: Balanced, lb: httpx.Client,
) -> None:
    owner, _ = owner_and_fan(lb)
    channel = owner.username
    url = balanced.url.replace("http://", "ws://")
    with connect(f"{url}/irc", open_timeout=CLIENT_TIMEOUT_S) as irc, \
            join(balanced.gateways[0], channel, owner) as broadcaster:
        irc.send("CAP REQ :twitch.tv/tags twitch.tv/commands\r\nPASS x\r\nNICK justinfan7\r\n"
                 f"JOIN #{channel}\r\n")
        until_received(irc, "ROOMSTATE")
        broadcaster.send(json.dumps({"type": "message", "text": "hello over the balancer"}))
        heard = until_received(irc, "PRIVMSG")
    assert f"PRIVMSG #{channel} :hello over the balancer\r\n" in heard


def until_received(ws: ClientConnection, command: str) -> str:
    received = ""
    while f" {command} " not in received:
        received += str(ws.recv(timeout=CLIENT_TIMEOUT_S))
    return received


def test_sign_up_sign_in_and_a_channel_write_through_the_balancer_read_anywhere(
    balanced: Balanced, lb: httpx.Client,
) -> None:
    owner, _ = owner_and_fan(lb)  # signs up, reads back and signs in through the balancer
    written = lb.patch(f"/api/v1/channels/{owner.username}", headers=owner.auth,
                       json={"title": "Balanced speedrun", "category": "Celeste"})
    assert written.status_code == 200, written.text
    position = written.json()["position"]
    for base in (balanced.url, *balanced.gateways):
        read = httpx.get(f"{base}/api/v1/channels/{owner.username}",
                         params={"min_position": position}, timeout=CLIENT_TIMEOUT_S)
        assert read.status_code == 200, read.text
        channel = read.json()["data"]
        assert (channel["title"], channel["category"]) == ("Balanced speedrun", "Celeste")
    assert all(lb.get("/ready").status_code == 200 for _ in range(10))


def recovered(live_before: list[str], history_ids: list[str], live_after: list[str]
              ) -> list[str]:
    """What a reconnected client shows: what it saw, the gap from history, then live."""
    shown = list(live_before)
    for message_id in [*history_ids, *live_after]:
        if message_id not in shown:
            shown.append(message_id)
    return shown


def history_ids(lb: httpx.Client, channel: str) -> list[str]:
    return [m["id"] for m in reversed(history(lb, channel)["data"])]


def split_by_fate(readers: list[ClientConnection], count: int
                  ) -> tuple[ClientConnection, list[str], ClientConnection]:
    """The reader whose gateway lives (with its next `count` ids) and the one that lost it."""
    survivors, lost = [], []
    for ws in readers:
        try:
            survivors.append((ws, message_ids(ws, count)))
        except ConnectionClosed:
            lost.append(ws)
    assert len(survivors) == len(lost) == 1, "the balancer put one reader on each gateway"
    return survivors[0][0], survivors[0][1], lost[0]


def restart(child: Supervised, url: str) -> None:
    """As `castline run` does: its supervisor notices the exit and starts the gateway again."""
    def ready() -> int:
        child.keep_running()
        try:
            return httpx.get(f"{url}/ready", timeout=5).status_code
        except httpx.HTTPError:
            return 0

    until(ready, lambda status: status == 200, 90, "the gateway to be started again")


def test_a_reader_on_a_killed_gateway_reconnects_through_the_balancer_and_misses_nothing(
    balanced: Balanced, lb: httpx.Client,
) -> None:
    owner, _ = owner_and_fan(lb)
    channel, victim = owner.username, balanced.children[0]
    with ExitStack() as stack:
        sender = stack.enter_context(join(balanced.gateways[1], channel, owner))
        readers = [stack.enter_context(join(balanced.url, channel)) for _ in range(2)]
        sent = [say(sender, f"before {n}") for n in range(10)]
        before = [message_ids(ws, 10) for ws in readers]
        kill(victim.process)
        sent += [say(sender, f"during {n}") for n in range(10)]
        kept, kept_during, _ = split_by_fate(readers, 10)
        rejoined = stack.enter_context(join(balanced.url, channel))
        sent += [say(sender, f"after {n}") for n in range(5)]
        live_after, kept_after = message_ids(rejoined, 5), message_ids(kept, 5)
    stored = until(lambda: history_ids(lb, channel), lambda ids: set(sent) <= set(ids), 60,
                   "chat history to hold every acknowledged message")
    assert before == [sent[:10], sent[:10]]
    assert [*sent[:10], *kept_during, *kept_after] == sent
    assert recovered(sent[:10], stored, live_after) == sent
    restart(victim, balanced.gateways[0])
