"""Past broadcasts in the web app: a channel lists its VODs, and a VOD's page plays it with its
chat replayed in step: a line shows once playback reaches the time it was sent. A viewer clips
it from the player, and the clip's page plays the clip."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Opener, log_in, new_user, screenshot
from tests.conftest import ARTIFACTS
from tests.e2e.conftest import is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.test_chat import frames, join
from tests.waiting import until

STREAM_S = 9


def test_a_vod_plays_with_its_chat_in_step(open_page: Opener, site: str) -> None:
    with httpx.Client(base_url=site, timeout=40) as api:
        streamer = new_streamer(api)
        name = streamer.account.username
        logs = ARTIFACTS / "ffmpeg" / "browser"
        logs.mkdir(parents=True, exist_ok=True)
        publisher = publish(streamer.server, streamer.key, logs / f"{name}.log",
                            seconds=STREAM_S)
        until(lambda: is_live(api, name), bool, 30, "the channel to go live")
        with join(site, name, streamer.account) as chat:
            chat.send(json.dumps({"type": "message", "text": "hello VOD watchers"}))
            frames(chat, "message", 1)
        assert publisher.wait(STREAM_S + 30) == 0
        [video] = until(lambda: api.get(f"/api/v1/channels/{name}/videos").json()["data"],
                        bool, 90, "the VOD")
        [said] = until(lambda: api.get(f"/api/v1/videos/{video['id']}/chat").json()["data"],
                       bool, 30, "the chat replay")
    viewer = new_user(site, "clp")
    page = open_page("/")
    log_in(page, viewer, f"/channels/{name}")
    page.get_by_role("link", name=video["title"] or "Untitled broadcast").click()
    player = page.get_by_label(f"Past broadcast of {name}")
    expect(player).to_be_visible()
    line = page.get_by_label("Chat replay messages").locator("li", has_text="hello VOD watchers")
    expect(line).to_be_visible(timeout=40_000)
    # Shown no earlier than playback reached it (timeupdate comes every quarter second).
    assert player.evaluate("v => v.currentTime") >= said["offset_s"] - 0.5
    expect(page.locator(".player .latency")).to_have_count(0)  # no live edge to a VOD
    screenshot(page, "vod-chat-replay")
    clipped_from_the_player(page, viewer)


def clipped_from_the_player(page: Page, viewer: str) -> None:
    """The player's Clip button cuts the VOD up to where it plays; the clip's page plays it."""
    page.get_by_role("button", name="Clip", exact=True).click()
    page.get_by_role("link", name="Your clip").click()
    expect(page.get_by_label("Clip", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text(f"clipped by {viewer}")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('video[aria-label=Clip]').currentTime > 1",
        timeout=30_000)
    screenshot(page, "clip")
