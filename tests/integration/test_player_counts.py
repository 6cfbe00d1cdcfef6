"""Viewer counts that resist inflation, through the gateway, Kafka and the viewer counter: a
heartbeat needs a live channel and a player token the gateway signed for that channel and
address; one address has only so many anonymous players counted, and gets only so many tokens.

Addresses come from X-Forwarded-For, which uvicorn trusts from the loopback proxy the tests
stand in for; each test has addresses of its own.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import httpx

from config.settings import Settings
from gateways.player_tokens import PlayerTokens
from tests.integration.money import with_channel
from tests.integration.oauth_helpers import signed_in
from tests.integration.watching import (
    Player,
    ask_token,
    heartbeat,
    live_by_event,
    new_address,
    player,
    viewers,
)
from tests.running import RunningPlatform
from tests.waiting import until

MADE_UP = 300
CAP = 10  # anonymous_viewers_per_address, as configured by default


def refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]


def test_made_up_sessions_to_an_offline_channel_count_for_nothing(
        api: httpx.Client, platform: RunningPlatform) -> None:
    channel, address = with_channel(api, "dark").username, new_address()
    for n in range(MADE_UP):
        made_up = api.post(f"/api/v1/channels/{channel}/heartbeat",
                           json={"player_session": f"made-up-{n:04}"},
                           headers={"X-Forwarded-For": address})
        assert made_up.status_code == 422, made_up.text
        assert made_up.json()["field"] == "player_token"
    assert refusal(ask_token(api, channel, address=address)) == (409, "not_live")
    with live_by_event(api, platform.settings, [channel]):
        held = player(api, channel, address=address)
    until(lambda: api.get(f"/api/v1/channels/{channel}").json()["data"]["live"],
          lambda live: not live, 20, "the channel to go offline")
    assert [refusal(heartbeat(api, held)) for _ in range(MADE_UP)] == [
        (409, "not_live")] * MADE_UP
    assert viewers(api, channel) == 0


def test_one_address_counts_no_more_than_its_cap_of_anonymous_players(
        api: httpx.Client, platform: RunningPlatform) -> None:
    channel = with_channel(api, "crowd").username
    crowded, other, fan = new_address(), new_address(), signed_in(api, "capfan")
    with live_by_event(api, platform.settings, [channel]):
        players = [player(api, channel, address=crowded) for _ in range(MADE_UP)]
        with ThreadPoolExecutor(max_workers=16) as pool:  # in parallel: none slips past
            answers = list(pool.map(lambda p: heartbeat(api, p), players))
        assert Counter(a.status_code for a in answers) == {202: CAP, 429: MADE_UP - CAP}
        counted_players = [p for p, a in zip(players, answers, strict=True)
                           if a.status_code == 202]
        too_many = next(a for a in answers if a.status_code == 429)
        assert refusal(too_many) == (429, "too_many_viewers")
        assert int(too_many.headers["Retry-After"]) > 0
        others = [player(api, channel, address=other), player(api, channel, fan, crowded)]
        counted = until(lambda: watched(api, [*counted_players, *others, players[-1]]),
                        lambda n: n == CAP + 2,
                        20, "the capped players, another address's and a signed-in fan's")
        assert counted == CAP + 2


def watched(api: httpx.Client, players: list[Player]) -> int:
    """A round of heartbeats (the viewer window is short in tests), then the channel's count.
    The counted players go on counting; the last one stays refused."""
    answers = [heartbeat(api, who).status_code for who in players]
    assert answers == [202] * (len(players) - 1) + [429], answers
    return viewers(api, players[0].channel)


def test_a_token_of_another_channel_address_or_secret_is_refused(
        api: httpx.Client, platform: RunningPlatform) -> None:
    here, there = with_channel(api, "here").username, with_channel(api, "there").username
    address = new_address()
    with live_by_event(api, platform.settings, [here, there]):
        theirs = player(api, there, address=address)
        mine = player(api, here, address=address)
        forged = PlayerTokens(f"not the secret {uuid4()}", 3600).issue(here, address).token
        refused = [heartbeat(api, theirs, here),
                   heartbeat(api, Player(here, mine.token, address=new_address())),
                   heartbeat(api, Player(here, forged, address=address)),
                   heartbeat(api, Player(here, mine.token[:-4] + "AAAA", address=address)),
                   heartbeat(api, Player(here, "not.a.token", address=address))]
        for answer in refused:
            assert refusal(answer) == (403, "invalid_player_token"), answer.text
            assert answer.json()["field"] == "player_token"
        assert heartbeat(api, mine).status_code == 202
        assert heartbeat(api, theirs).status_code == 202


def test_an_address_gets_only_so_many_player_tokens(
        api: httpx.Client, platform: RunningPlatform, settings: Settings) -> None:
    channel, address = with_channel(api, "mint").username, new_address()
    fan = signed_in(api, "mintfan")
    strict = {"CASTLINE_PLAYER_TOKENS_PER_ADDRESS": "5"}
    with platform.extra_gateway(settings.gateway_port + 3, strict) as url, \
            httpx.Client(base_url=url, timeout=20) as limited, \
            live_by_event(api, settings, [channel]):
        answers = [ask_token(limited, channel, address=address) for _ in range(7)]
        assert [a.status_code for a in answers] == [201] * 5 + [429] * 2
        assert int(answers[-1].headers["Retry-After"]) > 0
        assert ask_token(limited, channel, address=new_address()).status_code == 201
        assert ask_token(limited, channel, fan, address).status_code == 201


def test_player_sessions_are_in_the_openapi_document(api: httpx.Client) -> None:
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    issue = paths["/api/v1/channels/{name}/player-sessions"]["post"]
    assert {"404", "409", "429"} <= set(issue["responses"])
    beat = paths["/api/v1/channels/{name}/heartbeat"]["post"]
    assert "player_token" in beat["requestBody"]["content"]["application/json"]["schema"][
        "required"]
    assert {"403", "409", "429"} <= set(beat["responses"])
