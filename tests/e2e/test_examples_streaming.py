"""The streaming examples against a real publish: examples/stream_watch.py prints the stream
going online and offline as it happens, the chat bot's `!uptime` tells how long it has been
live, and examples/last_stream.py finds the stream and its chat in ClickHouse afterwards."""

from __future__ import annotations

import re
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from castline.processes import stop
from tests.e2e.conftest import Streamer, is_live
from tests.e2e.publisher import publish
from tests.integration.example_runs import run, running
from tests.integration.oauth_helpers import signed_in
from tests.integration.test_chat import join
from tests.integration.test_chat_moderation import say
from tests.integration.test_examples_chat import first, send
from tests.running import RunningPlatform
from tests.waiting import until

ANALYTICS_WAIT_S = 60


def test_a_stream_seen_live_by_the_watcher_and_the_bot_then_by_the_analyst(
    platform: RunningPlatform, api: httpx.Client, streamer: Streamer, logs: Path,
    publishers: list[subprocess.Popen[bytes]],
) -> None:
    channel = streamer.account.username
    fan = signed_in(api, "fan")
    since = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    with running("stream_watch", "--channel", channel, "--from", since,
                 name="stream_watch") as watch, \
            running("chat_bot", "--api", platform.base_url, "--channel", channel,
                    "--token", streamer.account.access_token, name="chat_bot_live") as bot:
        publishers.append(publish(streamer.server, streamer.key, logs / "obs.log"))
        online = watch.wait_for(f"stream.online  {channel}")
        until(lambda: is_live(api, channel), bool, 30, f"{channel} live")
        bot.wait_for(f"joined {channel}")
        with join(platform.base_url, channel, fan) as ws:
            assert say(ws, "gg")["type"] == "ack"
            send(ws, "!uptime")
            answer = first(ws, "message", username=channel)["text"]
        assert re.fullmatch(rf"{channel} has been live for \d+h \d\dm \d\ds", answer), answer
        stop(publishers.pop(), signal.SIGINT, grace_s=5)
        watch.wait_for(f"stream.offline {channel}")
    [session] = re.findall(rf"stream\.online  {channel}  \S+ \S+  session (\S+)", online)

    report = until(lambda: run("last_stream", channel, "--clickhouse",
                               platform.settings.clickhouse).stdout,
                   lambda out: "chat     3 messages" in out and " UTC\n  viewers" in out,
                   ANALYTICS_WAIT_S, "the ended stream and its chat in ClickHouse")
    assert f"last stream of {channel}: session {session}" in report
    assert "chat     3 messages from 2 chatters" in report
