"""An idle platform rests with its readers paused; the first chat message after the quiet spell
still goes gateway -> commands -> channel decider -> chat topic -> gateway tail -> socket."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from processors.channel_batches import NAME as CHANNEL_DECIDER
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat import collect, join
from tests.running import RunningPlatform
from tests.waiting import until

QUIET_TIMEOUT_S = 120.0


def said_since(log: Path, offset: int, words: str) -> bool:
    with log.open("rb") as text:
        text.seek(offset)
        return words.encode() in text.read()


def test_the_first_message_after_the_deepest_rest_is_answered(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer = signed_in(api, "quiet")
    until(lambda: api.get(f"/api/v1/channels/{streamer.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    worker_log = platform.logs / "worker.log"
    gateway_log = platform.logs / f"gateway-{platform.settings.gateway_port}.log"
    with join(platform.base_url, streamer.username, streamer) as ws:
        # A first message wakes the decider and the tail: they rest again from here.
        ws.send(json.dumps({"type": "message", "text": "hello?", "nonce": "h"}))
        marks = {log: log.stat().st_size for log in (worker_log, gateway_log)}
        collect(ws, {"ack": 1, "message": 1})
        until(lambda: said_since(worker_log, marks[worker_log],
                                 f"feed {CHANNEL_DECIDER} rests"), bool, QUIET_TIMEOUT_S,
              "the channel decider to rest as long as it may")
        until(lambda: said_since(gateway_log, marks[gateway_log], "topic tail rests"), bool,
              QUIET_TIMEOUT_S, "the gateway's tail to rest as long as it may")
        ws.send(json.dumps({"type": "message", "text": "anyone here?", "nonce": "q"}))
        got = collect(ws, {"ack": 1, "message": 1},
                      timeout_s=platform.settings.command_timeout_s)
    assert got["ack"][0]["nonce"] == "q"
    assert got["message"][0]["text"] == "anyone here?"
