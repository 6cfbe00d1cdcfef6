"""What a Helix call costs is bounded: a flood of bad tokens is held off by address before any
token is looked up, Get Top Games reads only the live channels and one page of the catalog, and
Get Channel Followers reads a kept count instead of counting the follows."""

from __future__ import annotations

import asyncio

import httpx
from twitchAPI.helper import first
from twitchAPI.twitch import Twitch

from tests.integration.money import ledger_rows
from tests.integration.oauth_helpers import WEB_CLIENT, signed_in
from tests.integration.test_bench_smoke import free_port
from tests.integration.test_chat_history import owner_and_fan
from tests.integration.test_helix_clients import twitch_as
from tests.integration.test_helix_refusals import helix, twitch_error
from tests.integration.watching import beat, live_by_event, new_address, player
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until


def test_bad_tokens_are_held_off_by_address_before_any_lookup(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    """A gateway of its own with two points a minute: past two bad tokens from an address,
    that address is refused 429 whatever token it sends; another address is not."""
    account = signed_in(api, "flood")
    port = free_port(platform.settings.gateway_host)
    limited = {"CASTLINE_HELIX_POINTS_PER_MINUTE": "2", "CASTLINE_IRC_PORT": "0"}
    flooder, other = new_address(), new_address()
    bad = {"Authorization": "Bearer not-a-token", "Client-Id": WEB_CLIENT}
    with platform.extra_gateway(port, limited) as base_url, \
            httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT_S) as gateway:
        answers = [gateway.get("/helix/streams", headers={**bad, "X-Forwarded-For": flooder})
                   for _ in range(3)]
        held = gateway.get("/helix/users", headers={**helix(account),
                                                    "X-Forwarded-For": flooder})
        elsewhere = gateway.get("/helix/users", headers={**helix(account),
                                                         "X-Forwarded-For": other})
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert "invalid tokens" in twitch_error(held, 429)
    assert held.headers["Ratelimit-Remaining"] == "0"
    assert elsewhere.status_code == 200, elsewhere.text


def test_top_games_pages_live_categories_first_then_the_catalog(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    changed = api.patch(f"/api/v1/channels/{streamer.username}", headers=streamer.auth,
                        json={"category": "Celeste"})
    assert changed.status_code == 200, changed.text
    catalog = {str(i) for (i,) in ledger_rows(platform.settings,
                                               "SELECT id FROM categories")}
    never_live = "SELECT id::text FROM categories g WHERE NOT EXISTS (SELECT 1 FROM " \
                 "channels c WHERE c.category = g.name AND c.live_session_id IS NOT NULL)"

    async def walk(twitch: Twitch) -> list[str]:
        return [g.id async for g in twitch.get_top_games(first=7)]

    async def scenario() -> tuple[list[str], str]:
        async with twitch_as(platform.base_url, fan, []) as twitch:
            game = await first(twitch.get_games(names=["Celeste"]))
            assert game is not None
            celeste = game.id
            return await walk(twitch), celeste

    with live_by_event(api, platform.settings, [streamer.username]):
        beat(api, [player(api, streamer.username, fan)])
        until(lambda: api.get(f"/api/v1/channels/{streamer.username}").json()["data"]
              ["viewers"], lambda n: n == 1, 30, "the viewer counted")
        before = {i for (i,) in ledger_rows(platform.settings, never_live)}
        ranked, celeste = asyncio.run(scenario())
        after = {i for (i,) in ledger_rows(platform.settings, never_live)}
    assert len(ranked) == len(set(ranked))
    assert set(ranked) == catalog
    assert all(ranked.index(celeste) < ranked.index(other) for other in before & after)


def test_the_follower_total_is_kept_as_follows_come_and_go(
    platform: RunningPlatform, api: httpx.Client,
) -> None:
    streamer, fan = owner_and_fan(api)
    second = signed_in(api, "fan2")
    channel = streamer.username
    for who in (fan, second, fan):  # a second follow changes nothing
        assert api.post(f"/api/v1/channels/{channel}/follow", headers=who.auth).status_code \
            == 202
    assert api.delete(f"/api/v1/channels/{channel}/follow",
                      headers=second.auth).status_code in (200, 202, 204)
    owner_id = api.get("/helix/users", headers=helix(streamer)).json()["data"][0]["id"]

    def total() -> int:
        answer = api.get("/helix/channels/followers", params={"broadcaster_id": owner_id},
                         headers=helix(fan))
        assert answer.status_code == 200, answer.text
        found: int = answer.json()["total"]
        return found

    def counted() -> tuple[int, int]:
        [(kept, follows)] = ledger_rows(
            platform.settings, "SELECT (SELECT followers FROM follower_counts WHERE "
            "channel = %s), (SELECT count(*) FROM follows WHERE channel = %s)", channel, channel)
        return int(kept or 0), int(follows)

    until(lambda: (total(), counted()), lambda found: found == (1, (1, 1)), 20,
          "one follower, kept and counted")
