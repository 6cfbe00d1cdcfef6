"""A raid from the dashboard: the broadcaster shouts the target out (a link in the chat), raids
it, cancels, raids again; a viewer of the raiding channel sees the countdown and, once the raid
goes, is taken to the target, whose chat tells of the raid."""

from __future__ import annotations

import re
import signal
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import redis
from playwright.sync_api import expect

from castline.processes import stop
from processors.subscription_clock import TEST_CLOCK_KEY
from tests.browser.conftest import LiveChannel, Opener, screenshot
from tests.e2e.conftest import is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import WEB_CLIENT, password_grant
from tests.integration.subscribing import set_clock
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until

WAIT_MS = 60_000  # what crosses the gateway, the broker and a decider, on a loaded machine


@pytest.fixture
def target(api: httpx.Client, platform: RunningPlatform) -> Iterator[str]:
    """Another channel, live from ffmpeg for the test."""
    streamer = new_streamer(api)
    logs = platform.settings.state_dir / "raid-target.log"
    # Long enough for the test on a loaded machine; stopped when it ends.
    publisher: subprocess.Popen[bytes] = publish(streamer.server, streamer.key, logs, seconds=900)
    try:
        until(lambda: is_live(api, streamer.account.username), bool, 30, "the target to go live")
        yield streamer.account.username
    finally:
        stop(publisher, signal.SIGINT, grace_s=5)


@pytest.fixture
def raider(live_channel: LiveChannel, platform: RunningPlatform) -> Iterator[LiveChannel]:
    """The live channel, its time standing still so that a raid waits for the test however
    slow the machine, until the test moves the time past the countdown; its own time after."""
    set_clock(platform.settings, live_channel.name, datetime.now(UTC))
    yield live_channel
    client = redis.Redis.from_url(platform.settings.redis)
    client.hdel(TEST_CLOCK_KEY, live_channel.name)
    client.close()


def shout_out(base_url: str, broadcaster: str, target: str) -> None:
    """The broadcaster's Helix shoutout of the target, in the broadcaster's chat."""
    with httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT_S) as api:
        tokens = password_grant(api, broadcaster)
        assert tokens.status_code == 200, tokens.text
        helix = {"Authorization": f"Bearer {tokens.json()['access_token']}",
                 "Client-Id": WEB_CLIENT}
        ids = api.get("/helix/users", headers=helix, params={"login": [broadcaster, target]})
        by_login = {user["login"]: user["id"] for user in ids.json()["data"]}
        sent = api.post("/helix/chat/shoutouts", headers=helix, params={
            "from_broadcaster_id": by_login[broadcaster],
            "to_broadcaster_id": by_login[target], "moderator_id": by_login[broadcaster]})
        assert sent.status_code == 204, sent.text


def test_a_raid_from_the_dashboard_takes_viewers_to_the_target(
    raider: LiveChannel, target: str, open_page: Opener, platform: RunningPlatform,
) -> None:
    dashboard = raider.page
    viewer = open_page(f"/channels/{raider.name}")
    targets_viewer = open_page(f"/channels/{target}")
    expect(viewer.get_by_role("heading", name=raider.name)).to_be_visible()
    shout_out(platform.base_url, raider.name, target)
    shoutout = viewer.get_by_label("Chat messages").get_by_role("link", name=target)
    expect(shoutout).to_have_attribute("href", f"/channels/{target}", timeout=WAIT_MS)
    dashboard.get_by_label("Channel to raid").fill(target)
    dashboard.get_by_role("button", name="Start raid").click()
    expect(dashboard.get_by_test_id("raid-status")).to_contain_text(f"Raiding {target} in",
                                                                timeout=WAIT_MS)
    banner = viewer.get_by_test_id("raid-banner")
    expect(banner).to_contain_text(f"This channel is raiding {target} in", timeout=WAIT_MS)
    dashboard.get_by_role("button", name="Cancel raid").click()
    expect(banner).to_be_hidden(timeout=WAIT_MS)
    dashboard.get_by_role("button", name="Start raid").click()
    expect(banner).to_contain_text(f"raiding {target}", timeout=WAIT_MS)
    screenshot(viewer, "raid-countdown")
    set_clock(platform.settings, raider.name, datetime.now(UTC) + timedelta(minutes=5))
    expect(banner).to_contain_text(f"Raid! Taking you to {target}", timeout=WAIT_MS)
    expect(viewer).to_have_url(re.compile(f"/channels/{target}$"), timeout=WAIT_MS)
    expect(viewer.get_by_role("heading", name=target)).to_be_visible()
    expect(targets_viewer.get_by_label("Chat messages")).to_contain_text(
        f"{raider.name} is raiding with a party of", timeout=WAIT_MS)
