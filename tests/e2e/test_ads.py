"""Ads through the real path: a live channel (ffmpeg publishing over RTMP), the broadcaster's
breaks and their refusals, the ad_break frame on every chat socket but an ad-free
subscriber's, impressions counted once and only from players that heartbeated during the break,
the CPM's revenue in the earnings and the ledger, and scheduled breaks fired by the scheduler on
a moved clock."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection

from config.settings import Settings
from config.shared_secrets import player_secret
from gateways.player_tokens import PlayerTokens
from tests.e2e.conftest import Streamer
from tests.e2e.publisher import publish
from tests.integration.money import ledger_rows, with_channel
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.subscribing import set_clock, subscribe, subscription_to
from tests.integration.test_chat import frames, join
from tests.integration.test_cheers import say
from tests.integration.watching import Player, beat, player
from tests.running import RunningPlatform
from tests.waiting import until


def go_live(api: httpx.Client, streamer: Streamer, logs: Path,
            publishers: list[subprocess.Popen[bytes]]) -> str:
    name = streamer.account.username
    publishers.append(publish(streamer.server, streamer.key, logs / "publisher.log"))
    until(lambda: api.get(f"/api/v1/channels/{name}").json()["data"]["live"], bool, 30,
          "the channel to go live")
    return name


def start_break(api: httpx.Client, channel: str, account: Account | None,
                duration_s: object = 30) -> httpx.Response:
    return api.post(f"/api/v1/channels/{channel}/ads", json={"duration_s": duration_s},
                    headers=account.auth if account else None)


def impression(api: httpx.Client, break_id: str, who: Player) -> httpx.Response:
    return api.post(f"/api/v1/channels/{who.channel}/ads/{break_id}/impressions",
                    json={"player_token": who.token}, headers=who.headers)


def no_ad_before_next_message(ws: ClientConnection, text: str) -> None:
    """Frames up to the chat message `text`: none of them an ad_break."""
    while True:
        frame = json.loads(ws.recv(timeout=20))
        assert frame["type"] != "ad_break", frame
        if frame["type"] == "message" and frame["text"] == text:
            return


def ad_entries(settings: Settings, channel: str) -> dict[str, int]:
    rows = ledger_rows(settings, "SELECT account, sum(amount_minor) FROM ledger_entries "
                       "WHERE source = 'ads' AND channel = %s GROUP BY account", channel)
    return {account: int(total) for account, total in rows}


def test_breaks_reach_players_but_not_ad_free_subscribers_and_impressions_earn(
        api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
        publishers: list[subprocess.Popen[bytes]]) -> None:
    owner, name = streamer.account, streamer.account.username
    fan, viewer = signed_in(api, "adfan"), signed_in(api, "adviewer")
    assert start_break(api, name, owner).status_code == 409  # not live
    subscribed = subscribe(api, fan, name, 1000)
    assert subscribed.status_code == 201, subscribed.text
    assert subscription_to(api, fan, name, subscribed.json()["position"])
    go_live(api, streamer, logs, publishers)
    early = player(api, name)
    beat(api, [early])  # before the break: not watching it
    assert start_break(api, name, owner, 29).status_code == 422
    assert start_break(api, name, owner, 181).status_code == 422
    assert start_break(api, name, viewer).status_code == 403
    assert start_break(api, name, None).status_code == 401
    with join(platform.base_url, name) as anonymous, \
            join(platform.base_url, name, viewer) as signed, \
            join(platform.base_url, name, fan) as subscriber:
        started = start_break(api, name, owner, 30)
        assert started.status_code == 201, started.text
        break_id = started.json()["data"]["break_id"]
        for ws in (anonymous, signed):
            [ad] = frames(ws, "ad_break", 1)
            assert (ad["break_id"], ad["duration_s"]) == (break_id, 30)
            assert datetime.fromisoformat(ad["ends_at"]) > datetime.now(UTC)
        assert say(signed, "after the ad frame")["type"] == "ack"
        no_ad_before_next_message(subscriber, "after the ad frame")
    again = start_break(api, name, owner)
    assert again.status_code == 429, again.text
    assert int(again.headers["Retry-After"]) > 30
    not_paid(api, platform.settings, name, break_id, early)
    counted_and_earned(api, platform.settings, name, owner, break_id, viewer, fan)


def not_paid(api: httpx.Client, settings: Settings, name: str, break_id: str,
             early: Player) -> None:
    """Impressions from players that did not heartbeat during the break, or that show another
    channel's token, are refused: the ledger's totals below count none of them. (A token of
    another, offline, channel is made with the shared secret: the gateway gives none.)"""
    silent = player(api, name)
    assert refusal(impression(api, break_id, silent)) == (409, "not_watching")
    assert refusal(impression(api, break_id, silent)) == (409, "not_watching"), "nor later"
    assert refusal(impression(api, break_id, early)) == (409, "not_watching")
    elsewhere = with_channel(api, "adsother").username
    token = PlayerTokens(player_secret(settings), 60).issue(elsewhere, "127.0.0.1").token
    refused = impression(api, break_id, Player(name, token))
    assert refusal(refused) == (403, "invalid_player_token")


def refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json().get("error", "")


def counted_and_earned(api: httpx.Client, settings: Settings, name: str, owner: Account,
                       break_id: str, viewer: Account, fan: Account) -> None:
    """Three viewers at a CPM of 2500: 7 cents (2, 3, 2); the creator's 55 %: 3 (1, 1, 1)."""
    one, two = player(api, name), player(api, name)
    tabs = [player(api, name, viewer), player(api, name, viewer)]
    beat(api, [one, two, tabs[0]])
    answers = [impression(api, break_id, one), impression(api, break_id, one),
               impression(api, break_id, two), impression(api, break_id, tabs[0]),
               impression(api, break_id, tabs[1])]
    assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]
    assert [a.json()["data"]["counted"] for a in answers] == [True, False, True, True, False]
    refused = impression(api, break_id, player(api, name, fan))
    assert refusal(refused) == (403, "ad_free")
    unknown = impression(api, "00000000-0000-0000-0000-000000000000", one)
    assert unknown.status_code == 404
    assert impression(api, "not-a-break", one).status_code == 404
    assert api.post(f"/api/v1/channels/{name}/ads/{break_id}/impressions",
                    json={"player_token": ""}).status_code == 422
    earned = api.get(f"/api/v1/channels/{name}/earnings", headers=owner.auth,
                     params={"min_position": answers[3].json()["position"]})
    assert earned.status_code == 200, earned.text
    ads = [row for row in earned.json()["data"] if row["source"] == "ads"]
    assert [(row["currency"], row["amount"]) for row in ads] == [("USD", 3)]
    assert ad_entries(settings, name) == {
        "external:advertisers": -7, f"creator:{name}": 3, "platform": 4}


def test_scheduled_breaks_fire_on_the_clock(
        api: httpx.Client, platform: RunningPlatform, streamer: Streamer, logs: Path,
        publishers: list[subprocess.Popen[bytes]]) -> None:
    owner, name = streamer.account, streamer.account.username
    schedule = f"/api/v1/channels/{name}/ads/schedule"
    assert api.put(schedule, json={"every_min": -1}, headers=owner.auth).status_code == 422
    set_to = api.put(schedule, json={"every_min": 10, "duration_s": 45}, headers=owner.auth)
    assert set_to.status_code == 200, set_to.text
    go_live(api, streamer, logs, publishers)
    with join(platform.base_url, name) as player:
        set_clock(platform.settings, name, datetime.now(UTC) + timedelta(minutes=11))
        [ad] = frames(player, "ad_break", 1)
    assert (ad["scheduled"], ad["duration_s"]) == (True, 45)
    scheduled_once(api, name, ad)


def scheduled_once(api: httpx.Client, name: str, ad: dict[str, Any]) -> None:
    """The break is the schedule's: an impression of it counts (the break's time is the moved
    clock's; a heartbeat counts from when the break was decided)."""
    watching = player(api, name)
    beat(api, [watching])
    counted = impression(api, ad["break_id"], watching)
    assert counted.status_code == 200, counted.text
    assert counted.json()["data"]["counted"] is True
